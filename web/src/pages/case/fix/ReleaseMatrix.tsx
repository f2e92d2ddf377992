import { FormActions } from '../../../components/FormActions.js';
import { ReasonField } from './ReasonField.js';
import { FixPart } from './FixPart.js';
import { useState, type FormEvent } from 'react';
import * as fix from '../../../api/fix.js';
import type { ReleaseBoard, ReleaseRow, RecordReleaseInput } from '../../../api/fix.js';
import { FIX_OPEN_STATES, type CaseDetail } from '../../../api/types.js';
import { DataTable } from '../../../components/DataTable.js';
import { DateTime } from '../../../components/DateTime.js';
import { Field, SelectField } from '../../../components/Field.js';
import { ProblemAlert } from '../../../components/ProblemAlert.js';
import { fieldIssues } from '../../../field-issues.js';
import { useAsyncAction, useResource } from '../../../hooks.js';
import { ExternalLink } from './RetrospectiveSection.js';
import { fromDateTimeLocal, shortSha, toDateTimeLocal } from './fix-words.js';

type ReleaseState = RecordReleaseInput['state'];
const RELEASE_STATES: readonly ReleaseState[] = ['planned', 'built', 'published'];

const OUTCOMES: Record<string, string> = {
  'patch-releases': 'Patch releases',
  'next-release': 'The next release',
  'no-release': 'No release',
  unknown: 'Not known yet',
};

function kindLabel(row: ReleaseRow): string {
  switch (row.kind) {
    case 'patch':
      return 'patch release';
    case 'main-fix':
      return 'fix on main';
    default:
      return row.blocker ? 'next release (a blocker)' : 'next release';
  }
}

/**
 * The release matrix (PROCESS.md §5, §8): from the policy's supported lines and the advisory's
 * affected ranges, what must ship; per row its fix branch's CI (green, or overridden by the Fix
 * Lead with a reason), the release recorded for it, and whether it blocks publication.
 */
export function ReleaseMatrix({ c }: { c: CaseDetail }) {
  const board = useResource(`case-releases:${c.id}:${c.state}`, (signal) =>
    fix.getCaseReleases(c.id, signal),
  );
  const [edit, setEdit] = useState<{ line: string; form: 'release' | 'override' } | null>(null);
  const [notice, setNotice] = useState('');
  // Releases are recorded from acceptance until publication.
  const canManage = c.abilities['case.fix.manage'] && FIX_OPEN_STATES.includes(c.state);

  function saved(message: string) {
    setEdit(null);
    setNotice(message);
    board.reload();
  }

  return (
    <FixPart
      headingId="releases-heading"
      title="Release matrix"
      notice={notice}
      found={board}
      what="the release matrix"
    >
      {(data) => {
        const row = edit ? data.rows.find((r) => r.line === edit.line) : undefined;
        return (
          <>
            <p data-testid="release-outcome">
              <span className="badge">{OUTCOMES[data.outcome] ?? data.outcome}</span> {data.explanation}
            </p>
            {data.publicIssue ? (
              <p className="hint">
                No supported line is affected: a public issue instead
                {data.cveWarranted ? ', and a CVE: the severity warrants one' : ''}.
              </p>
            ) : null}
            {data.lines.length > 0 ? (
              <p className="meta">
                Supported lines:{' '}
                {data.lines.map((l, i) => (
                  <span key={l.line}>
                    {i > 0 ? ', ' : ''}
                    <span className="mono">{l.line}</span> {l.affected ? '(affected)' : '(not affected)'}
                  </span>
                ))}
              </p>
            ) : null}
            {data.rows.length === 0 ? (
              data.outcome === 'unknown' ? null : (
                <p className="empty">Nothing to release.</p>
              )
            ) : (
              <DataTable
                columns={['Line', 'Branch', 'What', 'CI', 'Release', 'Publication']}
                actions={canManage}
                data-testid="release-matrix"
              >
                {data.rows.map((r) => (
                  <MatrixRow
                    key={r.line}
                    row={r}
                    ciRequired={data.ciRequired}
                    canManage={canManage}
                    onEdit={(form) =>
                      setEdit(edit?.line === r.line && edit.form === form ? null : { line: r.line, form })
                    }
                  />
                ))}
              </DataTable>
            )}
            {data.publishable ? (
              <p className="hint" data-testid="release-verdict">
                Every required release is out and every line is tested: the case may be published.
              </p>
            ) : data.blockers.length > 0 ? (
              <div data-testid="release-verdict">
                <p>Publication waits for:</p>
                <ul className="issues">
                  {data.blockers.map((b, i) => (
                    <li key={i}>{b}</li>
                  ))}
                </ul>
              </div>
            ) : null}
            {edit && row ? (
              edit.form === 'release' ? (
                <RecordReleaseForm
                  key={`release:${row.line}`}
                  c={c}
                  row={row}
                  onCancel={() => setEdit(null)}
                  onSaved={() => saved(`The release of line ${row.line} is recorded.`)}
                />
              ) : (
                <OverrideForm
                  key={`override:${row.line}`}
                  c={c}
                  row={row}
                  onCancel={() => setEdit(null)}
                  onSaved={() => saved(`Line ${row.line} goes on without a green run.`)}
                />
              )
            ) : null}
          </>
        );
      }}
    </FixPart>
  );
}

interface MatrixRowProps {
  row: ReleaseRow;
  ciRequired: boolean;
  canManage: boolean;
  onEdit: (form: 'release' | 'override') => void;
}

function MatrixRow({ row: r, ciRequired, canManage, onEdit }: MatrixRowProps) {
  return (
    <tr>
      <td className="mono">{r.line}</td>
      <td className="mono">{r.branch}</td>
      <td>{kindLabel(r)}</td>
      <td>
        {r.ci ? (
          <>
            <span
              className={`badge${r.green ? ' badge-success' : r.ci.state === 'failed' || r.ci.state === 'error' ? ' badge-danger' : ''}`}
            >
              {r.green ? 'green' : r.ci.state}
            </span>{' '}
            <span className="mono" title={r.ci.commit}>
              {shortSha(r.ci.commit)}
            </span>
          </>
        ) : (
          <span className="meta">{ciRequired ? 'no run' : 'not required'}</span>
        )}
        {r.override ? (
          <p className="meta">
            Overridden by {r.override.by}, <DateTime value={r.override.at} />:{' '}
            <span className="prewrap">{r.override.reason}</span>
          </p>
        ) : null}
      </td>
      <td>
        {r.release ? (
          <>
            {r.release.version ?? <span className="meta">no version</span>}{' '}
            <span className="badge">{r.release.state}</span>
            {r.release.plannedAt ? (
              <>
                <br />
                <span className="meta">
                  planned <DateTime value={r.release.plannedAt} />
                </span>
              </>
            ) : null}
            {r.release.url ? (
              <>
                <br />
                <ExternalLink url={r.release.url} />
              </>
            ) : null}
          </>
        ) : (
          <span className="meta">
            {r.kind === 'main-fix' ? 'none: the fix lands on the main branch' : 'not recorded'}
          </span>
        )}
      </td>
      <td>
        {r.blocked ? (
          <span className="badge badge-danger" data-testid="line-blocked">
            blocked
          </span>
        ) : (
          <span className="badge badge-success">ready</span>
        )}
      </td>
      {canManage ? (
        <td className="row-actions">
          {r.kind === 'main-fix' ? null : (
            <button type="button" className="button-small" onClick={() => onEdit('release')}>
              Record release<span className="visually-hidden"> of line {r.line}</span>
            </button>
          )}
          {ciRequired && !r.green && !r.override ? (
            <button type="button" className="button-small" onClick={() => onEdit('override')}>
              Override<span className="visually-hidden"> the CI of line {r.line}</span>
            </button>
          ) : null}
        </td>
      ) : null}
    </tr>
  );
}

interface RowFormProps {
  c: CaseDetail;
  row: ReleaseRow;
  onCancel: () => void;
  onSaved: (board: ReleaseBoard) => void;
}

function RecordReleaseForm({ c, row, onCancel, onSaved }: RowFormProps) {
  const [version, setVersion] = useState(row.release?.version ?? '');
  const [plannedAt, setPlannedAt] = useState(toDateTimeLocal(row.release?.plannedAt));
  const [state, setState] = useState<ReleaseState>(row.release?.state ?? 'planned');
  const [url, setUrl] = useState(row.release?.url ?? '');
  const { busy, error, run } = useAsyncAction();
  const issues = fieldIssues(error, ['version', 'plannedAt', 'state', 'url']);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void run(async () => {
      onSaved(
        await fix.recordRelease(c.id, row.line, {
          version: version.trim() || null,
          plannedAt: fromDateTimeLocal(plannedAt),
          state,
          url: url.trim() || null,
        }),
      );
    });
  }

  return (
    <form className="panel stack" onSubmit={submit} aria-label={`Record the release of line ${row.line}`}>
      <h3>
        Release of line <span className="mono">{row.line}</span>
      </h3>
      <ProblemAlert
        error={error}
        title={error ? 'The release was not recorded' : undefined}
        issues={issues.unclaimed}
      />
      <div className="form-grid">
        <Field
          label="Version"
          hint="e.g. 1.28.3"
          maxLength={80}
          className="mono"
          value={version}
          onChange={(e) => setVersion(e.target.value)}
          error={issues.message('version', 'The version')}
        />
        <Field
          label="Planned for"
          type="datetime-local"
          value={plannedAt}
          onChange={(e) => setPlannedAt(e.target.value)}
          error={issues.message('plannedAt', 'The date')}
        />
        <SelectField
          label="State"
          value={state}
          onChange={(e) => setState(RELEASE_STATES.find((s) => s === e.target.value) ?? 'planned')}
          error={issues.message('state', 'The state')}
        >
          {RELEASE_STATES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </SelectField>
        <Field
          label="Link"
          type="url"
          hint="The release’s page, once public."
          maxLength={2000}
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          error={issues.message('url', 'The link')}
        />
      </div>
      <FormActions busy={busy} label={'Record the release'} onCancel={onCancel} />
    </form>
  );
}

function OverrideForm({ c, row, onCancel, onSaved }: RowFormProps) {
  const [reason, setReason] = useState('');
  const { busy, error, run } = useAsyncAction();
  const issues = fieldIssues(error, ['reason']);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void run(async () => onSaved(await fix.overrideReleaseLine(c.id, row.line, reason.trim())));
  }

  return (
    <form className="panel stack" onSubmit={submit} aria-label={`Override the CI of line ${row.line}`}>
      <h3>
        Go on without a green run on <span className="mono">{row.branch}</span>
      </h3>
      <ProblemAlert
        error={error}
        title={error ? 'The line was not overridden' : undefined}
        issues={issues.unclaimed}
      />
      <ReasonField
        hint="The Fix Lead’s call, kept with the case: why this line ships untested (e.g. the tests need hardware the runner lacks, and were run by hand)."
        value={reason}
        onChange={setReason}
        error={issues.message('reason', 'The reason')}
      />
      <FormActions busy={busy} label={'Override'} tone="danger" onCancel={onCancel} />
    </form>
  );
}
