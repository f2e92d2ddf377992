import { useState } from 'react';
import * as fix from '../../../api/fix.js';
import type { CaseCi, CiRun } from '../../../api/fix.js';
import type { CaseDetail } from '../../../api/types.js';
import { DataTable } from '../../../components/DataTable.js';
import { ProblemAlert } from '../../../components/ProblemAlert.js';
import { Section } from '../../../components/Section.js';
import { Loading } from '../../../components/Status.js';
import { useResource } from '../../../hooks.js';
import { RunLog, RunSummary } from './CiStatus.js';

/**
 * The case's private fix repository (PROCESS.md §6) and CI on it: per branch, the latest run of the
 * policy's test command and its log.
 */
export function RepositorySection({ c }: { c: CaseDetail }) {
  const ci = useResource(`case-ci:${c.id}`, (signal) => fix.getCaseCi(c.id, signal));
  return (
    <Section headingId="repository-heading" title="Fix repository" className="fix-part">
      <h3>Tests</h3>
      {ci.data ? (
        <CiTable c={c} ci={ci.data} onRefresh={ci.reload} refreshing={ci.loading} />
      ) : ci.error ? (
        <ProblemAlert error={ci.error} title="The CI status could not be loaded" />
      ) : (
        <Loading what="Loading the CI status" />
      )}
    </Section>
  );
}

interface CiTableProps {
  c: CaseDetail;
  ci: CaseCi;
  onRefresh: () => void;
  refreshing: boolean;
}

function CiTable({ c, ci, onRefresh, refreshing }: CiTableProps) {
  const [shown, setShown] = useState<CiRun | null>(null);
  return (
    <>
      {ci.testCommand ? (
        <p>
          Every push runs <code>{ci.testCommand}</code> on a runner, per branch.
        </p>
      ) : (
        <p className="empty">
          The project’s policy names no test command (<code>fix.testCommand</code>): pushes run no tests.
        </p>
      )}
      {ci.branches.length === 0 ? (
        <p className="empty">No run yet: push a fix branch.</p>
      ) : (
        <DataTable columns={['Branch', 'Latest run']} actions data-testid="ci-branches">
          {ci.branches.map((b) => (
            <tr key={b.branch}>
              <td className="mono">{b.branch}</td>
              <td>
                <RunSummary run={b.latest} />
              </td>
              <td className="row-actions">
                {b.latest ? (
                  <button
                    type="button"
                    className="button-small"
                    aria-pressed={shown?.id === b.latest.id}
                    onClick={() => setShown(shown?.id === b.latest?.id ? null : b.latest)}
                  >
                    Log<span className="visually-hidden"> of {b.branch}</span>
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {shown ? <RunLog caseId={c.id} run={shown} /> : null}
      <div className="actions">
        <button type="button" className="button-quiet" onClick={onRefresh} disabled={refreshing}>
          Refresh the CI status
        </button>
      </div>
    </>
  );
}
