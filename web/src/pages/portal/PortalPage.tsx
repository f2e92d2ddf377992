import * as embargo from '../../api/embargo.js';
import { DataTable } from '../../components/DataTable.js';
import { DateTime } from '../../components/DateTime.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { Loading } from '../../components/Status.js';
import { useResource, useTitle } from '../../hooks.js';
import { Link } from '../../router.js';

/** Where a shared case opens in the portal. */
export function portalCasePath(humanId: string): string {
  return `/portal/cases/${encodeURIComponent(humanId)}`;
}

/**
 * The distributors' portal (PROCESS.md §7): the cases shared with the organisations one is named by,
 * while they are embargoed, with when each embargo ends. Opening one is logged for the security team.
 */
export function PortalPage() {
  useTitle('Distributors’ portal');
  const found = useResource('portal-cases', (signal) => embargo.listPortalCases(signal));
  return (
    <>
      <h1>Distributors’ portal</h1>
      <p className="hint intro">
        The embargoed issues shared with your organisation. What you open here is logged for the project’s
        security team; nothing here may be shared beyond those who need to know until the disclosure date.
      </p>
      {found.data ? (
        found.data.cases.length === 0 ? (
          <p className="empty" data-testid="portal-empty">
            Nothing is shared with you now. Issues appear here when a project’s security team discloses them
            early to your organisation, and leave when they are published.
          </p>
        ) : (
          <DataTable
            columns={['Case', 'Project', 'Organisation', 'Issue', 'Embargo ends', 'Acknowledged']}
            data-testid="portal-cases"
          >
            {found.data.cases.map((c) =>
              c.embargoAccepted && c.humanId ? (
                <tr key={c.caseId ?? c.humanId}>
                  <td>
                    <Link to={portalCasePath(c.humanId)} className="mono">
                      {c.humanId}
                    </Link>
                  </td>
                  <td>{c.project.name}</td>
                  <td>{c.organisation}</td>
                  <td>{c.title ?? <span className="meta">No advisory yet</span>}</td>
                  <td>
                    <DateTime value={c.embargoEndsAt} empty="Not decided yet" />
                  </td>
                  <td>
                    <DateTime value={c.acknowledgedAt} empty="Not yet" />
                  </td>
                </tr>
              ) : (
                // Nothing of the cases before the current embargo text: the project asks for it.
                <tr key={`accept-${c.project.slug}`}>
                  <td>
                    <span className="meta">Hidden</span>
                  </td>
                  <td>{c.project.name}</td>
                  <td colSpan={4}>
                    The embargo policy of {c.project.name} changed:{' '}
                    <Link to="/account">accept the current text</Link> to see what is shared with you.
                  </td>
                </tr>
              ),
            )}
          </DataTable>
        )
      ) : found.error ? (
        <ProblemAlert error={found.error} title="The shared cases could not be loaded" />
      ) : (
        <Loading what="Loading the shared cases" />
      )}
    </>
  );
}
