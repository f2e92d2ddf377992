import * as api from '../../api/endpoints.js';
import type { PolicyVersion } from '../../api/types.js';
import { DataTable } from '../../components/DataTable.js';
import { DateTime } from '../../components/DateTime.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { Loading } from '../../components/Status.js';
import { useResource } from '../../hooks.js';

interface VersionHistoryProps {
  slug: string;
  currentVersion: number;
  selected: number | null;
  onSelect: (version: number | null) => void;
  /** Offered for versions other than the current one when the user may edit. */
  onRestore: ((version: PolicyVersion) => void) | null;
}

/** Every saved version of the policy, with a view of any one of them. */
export function VersionHistory({ slug, currentVersion, selected, onSelect, onRestore }: VersionHistoryProps) {
  const versions = useResource(`${slug}@${currentVersion}`, (signal) => api.listPolicyVersions(slug, signal));
  const viewed = useResource(`${slug}#${selected ?? ''}`, (signal) =>
    selected === null ? Promise.resolve(null) : api.getPolicyVersion(slug, selected, signal),
  );

  if (!versions.data) {
    return versions.error ? <ProblemAlert error={versions.error} /> : <Loading what="Loading the history" />;
  }
  return (
    <>
      <ProblemAlert error={versions.error} />
      <DataTable
        data-testid="policy-versions"
        columns={[{ label: 'Version', numeric: true }, 'Saved', 'By']}
        actions
      >
        {versions.data.versions.map((v) => (
          <tr key={v.version} className={v.version === selected ? 'selected' : undefined}>
            <td className="num">
              {v.version}
              {v.version === currentVersion ? <span className="badge">current</span> : null}
            </td>
            <td>
              <DateTime value={v.createdAt} />
            </td>
            <td>{v.createdBy?.name ?? 'Vigil (operator)'}</td>
            <td className="row-actions">
              <button
                type="button"
                className="button-small"
                aria-expanded={v.version === selected}
                aria-controls="policy-version-view"
                onClick={() => onSelect(v.version === selected ? null : v.version)}
              >
                {v.version === selected ? 'Hide' : 'View'}
                <span className="visually-hidden"> version {v.version}</span>
              </button>
            </td>
          </tr>
        ))}
      </DataTable>
      {selected !== null ? (
        <section id="policy-version-view" className="panel" aria-labelledby="policy-version-view-title">
          <h3 id="policy-version-view-title">Version {selected}</h3>
          <ProblemAlert error={viewed.error} />
          {viewed.data ? (
            <>
              <p className="meta">
                Saved <DateTime value={viewed.data.createdAt} /> by{' '}
                {viewed.data.createdBy?.name ?? 'Vigil (operator)'}
              </p>
              <div className="actions">
                {onRestore && viewed.data.version !== currentVersion ? (
                  <button type="button" onClick={() => viewed.data && onRestore(viewed.data)}>
                    Copy into the editor
                  </button>
                ) : null}
                <button type="button" className="button-quiet" onClick={() => onSelect(null)}>
                  Close
                </button>
              </div>
              <pre className="code-view" tabIndex={0} aria-label={`Version ${selected} (YAML)`}>
                {viewed.data.yaml}
              </pre>
            </>
          ) : viewed.loading ? (
            <Loading what={`Loading version ${selected}`} />
          ) : null}
        </section>
      ) : null}
    </>
  );
}
