/**
 * The dashboard, where signing in lands: one's work across one's projects. Overdue reports, those
 * due within 24 hours and the rest waiting for a first answer (each clock in words, not colour
 * alone), the cases one leads or is on the Fix Team of, embargoes ending soon, and counts per
 * project. Each list is short (the server sends at most 20) and links to the inbox for the rest.
 * An admin on no team is told that admins do not read cases, never "no cases".
 */
import { getDashboard, type Dashboard, type DashboardCase } from '../api/dashboard.js';
import { listNotifications } from '../api/notifications.js';
import { casePath } from '../cases/paths.js';
import { formatTotal } from '../cases/inbox-view.js';
import { ClockText } from '../components/ClockText.js';
import { DataTable } from '../components/DataTable.js';
import { DateTime } from '../components/DateTime.js';
import { ProblemAlert } from '../components/ProblemAlert.js';
import { Section } from '../components/Section.js';
import { Loading } from '../components/Status.js';
import { useNow, useResource, useTitle } from '../hooks.js';
import { Link } from '../router.js';
import { DistributorsNotice } from './account/DistributorMemberships.js';
import { InvitationsNotice } from './account/Invitations.js';

const DAY_MS = 24 * 3_600_000;

export function DashboardPage() {
  useTitle('Dashboard');
  const dashboard = useResource('dashboard', (signal) => getDashboard(signal));
  const now = useNow();
  return (
    <>
      <h1>Dashboard</h1>
      <InvitationsNotice />
      <DistributorsNotice />
      <ProblemAlert error={dashboard.error} />
      {dashboard.data ? (
        <DashboardBody data={dashboard.data} now={now} />
      ) : dashboard.loading ? (
        <Loading what="Loading your work" />
      ) : null}
    </>
  );
}

function DashboardBody({ data, now }: { data: Dashboard; now: number }) {
  if (data.role !== 'team') {
    return (
      <p className="dashboard-statement" data-testid="dashboard-statement">
        {data.message}
        {data.role === 'admin-only' ? (
          <>
            {' '}
            You run the instance from <Link to="/projects">Projects</Link> and <Link to="/users">Users</Link>.
          </>
        ) : null}
      </p>
    );
  }
  return (
    <div className="dashboard">
      <CaseSection
        id="dashboard-overdue"
        title="Overdue"
        list={data.overdue}
        now={now}
        hint="Reports nobody has answered whose first-response deadline has passed, or that are publicly known."
        empty="No report is overdue."
        more="every overdue report"
      />
      <CaseSection
        id="dashboard-due-soon"
        title="Due within 24 hours"
        list={data.dueSoon}
        now={now}
        empty="No report is due within 24 hours."
        more="every report due within 24 hours"
      />
      <CaseSection
        id="dashboard-waiting"
        title="Waiting for a first answer"
        list={data.waiting}
        now={now}
        hint="The other reports nobody has answered yet: due later, paused, or without a deadline."
        empty="No other report is waiting for a first answer."
        more="the inbox"
      />
      <CaseSection
        id="dashboard-fix"
        title="Your fix work"
        list={data.fixWork}
        now={now}
        hint="Open cases you lead as Fix Lead or are on the Fix Team of."
        empty="You lead no open case and are on no case’s Fix Team."
        more="the cases you lead"
      />
      <Embargoes data={data} now={now} />
      <RecentlyTold />
      <Projects data={data} />
    </div>
  );
}

interface CaseSectionProps {
  id: string;
  title: string;
  list: Omit<Dashboard['overdue'], 'cases'> & { cases: (DashboardCase & { yourRole?: string })[] };
  now: number;
  hint?: string;
  empty: string;
  more: string;
}

function CaseSection({ id, title, list, now, hint, empty, more }: CaseSectionProps) {
  const total = formatTotal(list.total, list.totalIsEstimate);
  return (
    <Section headingId={id} title={`${title} (${total})`} className="panel dashboard-section">
      {list.cases.length === 0 ? (
        <p className="empty">{empty}</p>
      ) : (
        <>
          {hint ? <p className="hint">{hint}</p> : null}
          <ul className="watchdog-list">
            {list.cases.map((c) => (
              <li key={c.id}>
                <ClockText clock={c.clock} now={now} /> <Link to={casePath(c.humanId)}>{c.humanId}</Link>{' '}
                <span className="watchdog-title">{c.title}</span>{' '}
                <span className="meta">
                  · {c.project.name}
                  {c.yourRole
                    ? ` · ${c.yourRole === 'fix-lead' ? 'you are Fix Lead' : 'you are on the Fix Team'}`
                    : ''}
                </span>
              </li>
            ))}
          </ul>
          {list.total > list.cases.length ? (
            <p className="watchdog-more">
              Showing {list.cases.length} of {total}. <Link to={list.inboxPath}>See {more}</Link>
            </p>
          ) : null}
        </>
      )}
    </Section>
  );
}

/** "in 3 days", "in 5 h": how far an agreed disclosure instant is. */
function until(at: string, now: number): string {
  const ms = Date.parse(at) - now;
  if (ms <= 0) return 'now';
  if (ms >= DAY_MS) {
    const days = Math.floor(ms / DAY_MS);
    return `in ${days} ${days === 1 ? 'day' : 'days'}`;
  }
  const hours = Math.floor(ms / 3_600_000);
  return hours > 0 ? `in ${hours} h` : 'in less than an hour';
}

function Embargoes({ data, now }: { data: Dashboard; now: number }) {
  const { embargoes } = data;
  return (
    <Section
      headingId="dashboard-embargoes"
      title={`Embargoes ending soon (${formatTotal(embargoes.total, false)})`}
      className="panel dashboard-section"
    >
      {embargoes.cases.length === 0 ? (
        <p className="empty">No agreed disclosure date falls in the next {embargoes.days} days.</p>
      ) : (
        <>
          <p className="hint">Agreed disclosure dates in the next {embargoes.days} days, soonest first.</p>
          <ul className="watchdog-list">
            {embargoes.cases.map((c) => (
              <li key={c.id}>
                <span className="embargo-when">
                  Disclosed {until(c.disclosureAt, now)} (<DateTime value={c.disclosureAt} />)
                </span>{' '}
                <Link to={casePath(c.humanId)}>{c.humanId}</Link>{' '}
                <span className="watchdog-title">{c.title}</span>{' '}
                <span className="meta">· {c.project.name}</span>
              </li>
            ))}
          </ul>
          {embargoes.total > embargoes.cases.length ? (
            <p className="watchdog-more">
              Showing {embargoes.cases.length} of {embargoes.total}.
            </p>
          ) : null}
        </>
      )}
    </Section>
  );
}

function Projects({ data }: { data: Dashboard }) {
  if (data.projects.length === 0) return null;
  return (
    <Section headingId="dashboard-projects" title="Your projects" className="dashboard-section">
      <DataTable
        columns={[
          'Project',
          { label: 'Unanswered', numeric: true },
          { label: 'Overdue', numeric: true },
          { label: 'Due within 24 h', numeric: true },
        ]}
      >
        {data.projects.map((p) => (
          <tr key={p.slug}>
            <td>
              <Link to={`/projects/${encodeURIComponent(p.slug)}`}>{p.name}</Link>
            </td>
            <td className="num">{p.unanswered}</td>
            <td className="num">{p.overdue}</td>
            <td className="num">{p.dueWithin24h}</td>
          </tr>
        ))}
      </DataTable>
    </Section>
  );
}

/** What the team was told recently: one's newest notifications (each a mail the team got, or would have). */
function RecentlyTold() {
  const recent = useResource('dashboard-notifications', (signal) => listNotifications({ limit: 5 }, signal));
  return (
    <Section
      headingId="dashboard-told"
      title="What you were told recently"
      className="panel dashboard-section"
    >
      <ProblemAlert error={recent.error} />
      {recent.data ? (
        recent.data.notifications.length === 0 ? (
          <p className="empty">Nothing yet: new reports, reminders and the team's mail appear here.</p>
        ) : (
          <>
            <ul className="watchdog-list">
              {recent.data.notifications.map((n) => (
                <li key={n.id}>
                  <Link to={n.link}>{n.label}</Link>{' '}
                  <span className="meta">
                    · <DateTime value={n.createdAt} />
                    {n.readAt === null ? ' · unread' : ''}
                  </span>
                </li>
              ))}
            </ul>
            <p className="watchdog-more">
              <Link to="/notifications">All notifications</Link>
            </p>
          </>
        )
      ) : recent.loading ? (
        <Loading what="Loading notifications" />
      ) : null}
    </Section>
  );
}
