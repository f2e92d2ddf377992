import * as api from '../../api/endpoints.js';
import type { CasePage } from '../../api/types.js';
import { casePath } from '../../cases/paths.js';
import { formatTotal } from '../../cases/inbox-view.js';
import { ClockText } from '../../components/ClockText.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import type { Resource } from '../../hooks.js';
import { Link } from '../../router.js';

/** How many of each kind the watchdog lists; the rest are a link to the filtered inbox away. */
export const WATCHDOG_LIMIT = 10;

export interface WatchdogData {
  overdue: CasePage;
  soon: CasePage;
}

/**
 * The watchdog's two lists: reports nobody answered whose clock is past due (publicly known ones,
 * due at once, among them), and those due within 24 hours. The server filters and counts them, so
 * the watchdog stays right, and small, in a flood of thousands.
 */
export async function loadWatchdog(signal: AbortSignal): Promise<WatchdogData> {
  const [overdue, soon] = await Promise.all([
    api.listCases({ clock: 'overdue', limit: WATCHDOG_LIMIT }, signal),
    api.listCases({ clock: 'due-24h', limit: WATCHDOG_LIMIT }, signal),
  ]);
  return { overdue, soon };
}

/** "Unacknowledged": above the inbox, and no filter of the inbox hides it. */
export function Watchdog({ data, now }: { data: Resource<WatchdogData>; now: number }) {
  if (!data.data) return data.error ? <ProblemAlert error={data.error} /> : null;
  const { overdue, soon } = data.data;
  const count = overdue.total + soon.total;
  const estimate = overdue.totalIsEstimate || soon.totalIsEstimate;
  const waiting = [...overdue.cases, ...soon.cases];
  return (
    <section
      className={`panel watchdog${count > 0 ? ' watchdog-alert' : ''}`}
      aria-labelledby="watchdog-heading"
      data-testid="watchdog"
    >
      <h2 id="watchdog-heading">
        Unacknowledged <span className="badge">{formatTotal(count, estimate)}</span>
      </h2>
      {count === 0 ? (
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
          <MoreLink page={overdue} to="/cases?clock=overdue" what="overdue" />
          <MoreLink page={soon} to="/cases?clock=due-24h" what="due within 24 hours" />
        </>
      )}
    </section>
  );
}

function MoreLink({ page, to, what }: { page: CasePage; to: string; what: string }) {
  if (page.nextCursor === null) return null;
  return (
    <p className="watchdog-more">
      <Link to={to}>
        Show all {formatTotal(page.total, page.totalIsEstimate)} {what}
      </Link>
    </p>
  );
}
