import { ApiError, isAbort, toApiError } from '../api/client.js';
import * as api from '../api/endpoints.js';
import { CASE_STATES, isCaseState, TRIAGE_OPEN_STATES, type CaseSummary } from '../api/types.js';
import { isUnacknowledged } from '../cases/clock.js';
import { casePath } from '../cases/paths.js';
import { stateLabel } from '../cases/words.js';
import { ClockText } from '../components/ClockText.js';
import { DataTable } from '../components/DataTable.js';
import { DateTime } from '../components/DateTime.js';
import { CheckboxField, SelectField } from '../components/Field.js';
import { ProblemAlert } from '../components/ProblemAlert.js';
import { Section } from '../components/Section.js';
import { Loading } from '../components/Status.js';
import { useNow, useResource, useTitle } from '../hooks.js';
import { Link, navigate, useLocation } from '../router.js';

const OPEN = TRIAGE_OPEN_STATES.join(',');

/**
 * The inbox: the cases of all the caller's projects and those they were invited to, most urgent
 * first (the server's order), with their first-response clock and Fix Lead; filters by project,
 * state, "assigned to me" (the cases one leads) and "held" (reports held as possibly a flood, which
 * the inbox leaves out otherwise, with their count) live in the query string. Above it, the
 * "Unacknowledged" watchdog, which no filter hides.
 */
export function CasesPage() {
  useTitle('Cases');
  const now = useNow();
  const { searchParams } = useLocation();
  const project = searchParams.get('project') ?? '';
  const stateParam = searchParams.get('state') ?? '';
  const states = stateParam.split(',').filter(isCaseState);
  const assignedToMe = searchParams.get('assigned') === 'me';
  const held = searchParams.get('held') === 'true';
  const filtered = project !== '' || states.length > 0 || assignedToMe || held;
  const cases = useResource(
    `cases:${project}:${states.join(',')}:${assignedToMe}:${held}`,
    async (signal) => {
      // The watchdog's list stays on screen even when the filtered one fails (an unknown project).
      const [all, shown] = await Promise.all([
        api.listCases({}, signal),
        filtered
          ? api.listCases({ project, states, assignedToMe, held }, signal).then(
              (r) => r.cases,
              (err: unknown) => {
                if (isAbort(err)) throw err;
                return toApiError(err);
              },
            )
          : null,
      ]);
      return { all: all.cases, shown: shown ?? all.cases, heldCount: all.heldCount };
    },
  );
  const shown = cases.data?.shown;
  const listError = shown instanceof ApiError ? shown : cases.error;
  const projects = useResource('projects', (signal) => api.listProjects(signal));

  function setFilter(name: 'project' | 'state' | 'assigned' | 'held', value: string) {
    const next = new URLSearchParams(searchParams);
    if (value) next.set(name, value);
    else next.delete(name);
    const qs = next.toString();
    navigate(`/cases${qs ? `?${qs}` : ''}`, { replace: true });
  }

  const stateOptions = [
    { value: '', label: 'All states' },
    { value: OPEN, label: 'Open (received, in triage, needs information)' },
    ...CASE_STATES.map((s) => ({ value: s, label: stateLabel(s) })),
  ];
  if (stateParam && !stateOptions.some((o) => o.value === stateParam)) {
    stateOptions.push({ value: stateParam, label: states.map(stateLabel).join(', ') || stateParam });
  }

  return (
    <>
      <h1>Cases</h1>
      {cases.data ? <Watchdog cases={cases.data.all} now={now} /> : null}

      <Section headingId="inbox-heading" title="Inbox">
        <form
          className="filters"
          role="search"
          aria-label="Filter cases"
          onSubmit={(e) => e.preventDefault()}
        >
          <SelectField label="Project" value={project} onChange={(e) => setFilter('project', e.target.value)}>
            <option value="">All your projects</option>
            {project && !projects.data?.projects.some((p) => p.slug === project) ? (
              <option value={project}>{project}</option>
            ) : null}
            {projects.data?.projects.map((p) => (
              <option key={p.slug} value={p.slug}>
                {p.name}
              </option>
            ))}
          </SelectField>
          <SelectField label="State" value={stateParam} onChange={(e) => setFilter('state', e.target.value)}>
            {stateOptions.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </SelectField>
          <CheckboxField
            label="Assigned to me (the cases I lead)"
            checked={assignedToMe}
            onChange={(e) => setFilter('assigned', e.target.checked ? 'me' : '')}
          />
          <CheckboxField
            label={`Held: possibly a flood (${cases.data?.heldCount ?? 0})`}
            checked={held}
            onChange={(e) => setFilter('held', e.target.checked ? 'true' : '')}
          />
        </form>
        {cases.data && cases.data.heldCount > 0 && !held ? (
          <p className="hint" data-testid="held-count">
            <span className="badge">{cases.data.heldCount}</span>{' '}
            {cases.data.heldCount === 1 ? 'report is' : 'reports are'} held as possibly a flood: they came in
            over a project’s hourly quota and are not shown here until the reporter confirms them or you
            release them. <Link to="/cases?held=true">Show the held reports</Link>
          </p>
        ) : null}
        {held ? (
          <p className="hint">
            Held reports came in over the project’s quota (possibly a flood). Nobody was told and no response
            clock runs until one is released: open a report to release it or reject it.
          </p>
        ) : null}

        {listError?.status === 404 && project ? (
          <p className="empty">
            You are not on the security team of a project “{project}”.{' '}
            <Link to="/cases">Show the cases of all your projects</Link>
          </p>
        ) : (
          <ProblemAlert error={listError} />
        )}
        {Array.isArray(shown) ? (
          <CaseTable cases={shown} now={now} filtered={filtered} />
        ) : cases.loading ? (
          <Loading what="Loading cases" />
        ) : null}
      </Section>
    </>
  );
}

function Watchdog({ cases, now }: { cases: CaseSummary[]; now: number }) {
  const waiting = cases.filter((c) => isUnacknowledged(c.clock, now));
  return (
    <section
      className={`panel watchdog${waiting.length > 0 ? ' watchdog-alert' : ''}`}
      aria-labelledby="watchdog-heading"
      data-testid="watchdog"
    >
      <h2 id="watchdog-heading">
        Unacknowledged <span className="badge">{waiting.length}</span>
      </h2>
      {waiting.length === 0 ? (
        <p className="empty">
          No report is waiting for a first answer that is overdue, urgent or due within 24 hours.
        </p>
      ) : (
        <>
          <p className="hint">
            Reports nobody has answered yet, overdue, urgent or due within 24 hours. Only a message to the
            reporter answers one; the automatic receipt does not.
          </p>
          <ul className="watchdog-list">
            {waiting.map((c) => (
              <li key={c.id}>
                <ClockText clock={c.clock} now={now} /> <Link to={casePath(c.humanId)}>{c.humanId}</Link>{' '}
                <span className="watchdog-title">{c.title}</span>{' '}
                <span className="meta">· {c.project.name}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function CaseTable({ cases, now, filtered }: { cases: CaseSummary[]; now: number; filtered: boolean }) {
  if (cases.length === 0) {
    return <p className="empty">{filtered ? 'No case matches these filters.' : 'No cases yet.'}</p>;
  }
  return (
    <DataTable
      columns={['Case', 'Project', 'Title', 'State', 'Severity', 'Received', 'First response', 'Fix Lead']}
      data-testid="cases"
    >
      {cases.map((c) => (
        <tr key={c.id}>
          <td className="mono nowrap">
            <Link to={casePath(c.humanId)}>{c.humanId}</Link>
          </td>
          <td>{c.project.name}</td>
          <td className="title-cell">
            {c.title}
            {c.publiclyKnown ? <span className="badge badge-danger-soft">publicly known</span> : null}
            {c.held ? <span className="badge">held: possibly a flood</span> : null}
          </td>
          <td>
            <span className={`state state-${c.state}`}>{stateLabel(c.state)}</span>
          </td>
          <td>
            {c.cvssScore !== null ? (
              `${c.cvssScore.toFixed(1)} ${c.severity ?? ''}`.trim()
            ) : (
              <span className="meta">not scored</span>
            )}
          </td>
          <td className="nowrap">
            <DateTime value={c.receivedAt} />
          </td>
          <td className="nowrap">
            <ClockText clock={c.clock} now={now} />
          </td>
          <td>{c.fixLead ? c.fixLead.name : <span className="meta">none</span>}</td>
        </tr>
      ))}
    </DataTable>
  );
}
