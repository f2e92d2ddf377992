import * as distributors from '../../../api/distributors.js';
import { ProblemAlert } from '../../../components/ProblemAlert.js';
import { Loading } from '../../../components/Status.js';
import { useResource } from '../../../hooks.js';
import { Link } from '../../../router.js';
import { ApplicationsPart } from './ApplicationsPart.js';
import { LeaksPart } from './LeaksPart.js';
import { MembersPart } from './MembersPart.js';

/**
 * The project's distributors list as the security team runs it (PROCESS.md §7): applications
 * with their answers and vouches, to approve or refuse; member organisations with their people,
 * keys, state and reviews; leak reports and the incidents recorded against organisations.
 */
export function DistributorsPanel({ slug, canManage }: { slug: string; canManage: boolean }) {
  const overview = useResource(`distributors:${slug}`, (signal) => distributors.getList(slug, signal));
  const applications = useResource(`distributor-applications:${slug}`, (signal) =>
    distributors.listApplications(slug, signal),
  );
  const leaks = useResource(`distributor-leaks:${slug}`, (signal) => distributors.listLeaks(slug, signal));
  const reload = () => {
    overview.reload();
    applications.reload();
    leaks.reload();
  };

  if (!overview.data) {
    return overview.error ? (
      <ProblemAlert error={overview.error} title="The distributors list could not be loaded" />
    ) : (
      <Loading what="Loading the distributors list" />
    );
  }
  const { list, orgs } = overview.data;
  if (!list.enabled && orgs.length === 0) {
    return <p className="empty">The policy has no distributors list: enable it under “Disclosure policy”.</p>;
  }
  const due = orgs.filter((o) => o.reviewDue);
  const removal = orgs.filter((o) => o.removalProposed);
  const pending = (applications.data?.applications ?? []).filter((a) => a.state === 'pending');

  return (
    <div className="stack" data-testid="distributors-panel">
      <p className="meta">
        {list.name ?? 'Distributors list'} · {orgs.filter((o) => o.state !== 'removed').length} member
        organisations · reviewed every {list.reviewEveryMonths} months · removal proposed at{' '}
        {list.leaksBeforeRemoval} incidents ·{' '}
        <Link to={`/p/${slug}/distributors/apply`}>public application form</Link> ·{' '}
        <Link to={`/distributors/${slug}/leak`}>report a leak</Link>
      </p>
      {due.length > 0 || removal.length > 0 || pending.length > 0 ? (
        <div className="alert alert-info" data-testid="distributors-todo">
          <p className="alert-title">To do</p>
          <ul className="plain-list">
            {pending.length > 0 ? <li>{pending.length} application(s) wait for a decision.</li> : null}
            {due.map((o) => (
              <li key={`due-${o.id}`}>“{o.name}” is due for its review.</li>
            ))}
            {removal.map((o) => (
              <li key={`rm-${o.id}`}>
                “{o.name}” reached {o.incidents} incidents: remove per policy.
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <ApplicationsPart slug={slug} canManage={canManage} resource={applications} onChanged={reload} />
      <MembersPart slug={slug} canManage={canManage} overview={overview.data} onChanged={reload} />
      <LeaksPart slug={slug} canManage={canManage} orgs={orgs} resource={leaks} onChanged={reload} />
    </div>
  );
}
