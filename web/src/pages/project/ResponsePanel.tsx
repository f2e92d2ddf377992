import * as api from '../../api/endpoints.js';
import type { ResponseMetrics } from '../../api/types.js';
import { reportFormPath } from '../../cases/paths.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { Loading } from '../../components/Status.js';
import { useResource } from '../../hooks.js';
import { Link } from '../../router.js';

function hours(value: number | null): string {
  if (value === null) return '—';
  // The server rounds to a tenth of an hour.
  if (value === 0) return 'under 6 min';
  return value < 48 ? `${value} h` : `${Math.round((value / 24) * 10) / 10} days`;
}

/**
 * How fast the team answers (PROCESS.md §3), over the last 90 days: time to first response and to
 * triage (median and 90th percentile), the share that met the deadline (an overdue unanswered case
 * counts as not met) and the open cases' clocks; with the ways into the
 * project's cases and its public report form.
 */
export function ResponsePanel({ slug, isTeam }: { slug: string; isTeam: boolean }) {
  const metrics = useResource(`metrics:${slug}`, (signal) => api.getResponseMetrics(slug, signal));
  const formUrl = `${window.location.origin}${reportFormPath(slug)}`;
  return (
    <>
      <p className="links-row">
        {isTeam ? (
          <Link to={`/cases?project=${encodeURIComponent(slug)}`}>This project’s cases</Link>
        ) : (
          <span className="meta">Only the security team sees this project’s cases.</span>
        )}
        <span aria-hidden="true"> · </span>
        Public report form: <a href={reportFormPath(slug)}>{formUrl}</a>
      </p>
      <ProblemAlert error={metrics.error} title="The response figures could not be loaded" />
      {metrics.data ? (
        <Figures m={metrics.data} />
      ) : metrics.loading ? (
        <Loading what="Loading figures" />
      ) : null}
    </>
  );
}

function Figures({ m }: { m: ResponseMetrics }) {
  const fr = m.firstResponse;
  const share = fr.metShare === null ? '—' : `${Math.round(fr.metShare * 100)} %`;
  return (
    <div className="metrics" data-testid="response-metrics">
      <div className="metric">
        <p className="metric-label">First response</p>
        <p className="metric-value">{hours(fr.medianHours)}</p>
        <p className="metric-detail">
          median; 90 % within {hours(fr.p90Hours)} · {fr.answered} answered
        </p>
      </div>
      <div className="metric">
        <p className="metric-label">Triage</p>
        <p className="metric-value">{hours(m.triage.medianHours)}</p>
        <p className="metric-detail">
          median; 90 % within {hours(m.triage.p90Hours)} · {m.triage.triaged} triaged
        </p>
      </div>
      <div className="metric">
        <p className="metric-label">Met the deadline</p>
        <p className="metric-value">{share}</p>
        <p className="metric-detail" data-testid="deadline-counts">
          {fr.metDeadline} met, {fr.missedDeadline} missed, {fr.overdueOpen} overdue and unanswered
        </p>
      </div>
      <div className="metric">
        <p className="metric-label">Waiting for a first answer</p>
        <p className="metric-value">{fr.overdueOpen + fr.running + fr.paused}</p>
        <p className="metric-detail" data-testid="open-clocks">
          {fr.overdueOpen} overdue · {fr.running} not yet due · {fr.paused} waiting for the reporter
        </p>
      </div>
      <p className="hint metrics-window">
        Over the last {m.windowDays} days: {m.cases} {m.cases === 1 ? 'case' : 'cases'} received. Time to
        triage leaves out the time spent waiting for the reporter. “Met the deadline” is of the answered cases
        with a deadline and the unanswered overdue ones; the waiting cases count however long ago they came
        in.
      </p>
    </div>
  );
}
