/**
 * Response metrics (§3 clock): median and 90th percentile time to first response and to triage
 * (needs-info pauses excluded) over the cases received in a window, and the deadline figures with
 * the open cases' clocks counted too (issue 13): answered cases met or missed their deadline, and
 * every unanswered one, whenever it came in, is running, paused or overdue. The share that met
 * the deadline is met ÷ (answered with a deadline + overdue unanswered): 100 reports waiting past
 * their deadline never read as "100 % met". Pure: rows and counts in, figures out.
 */
import { clockStatus } from '../response-clock.js';

export interface MetricsRow {
  received_at: string;
  first_response_due_at: string | null;
  first_responded_at: string | null;
  triaged_at: string | null;
  paused_ms: number;
  publicly_known: number;
  clock_paused_at: string | null;
}

/** The project's unanswered clocks at `now`, counted whatever the window (cases.repo countOpenClocks). */
export interface OpenClocks {
  overdue: number;
  running: number;
  paused: number;
}

export interface ResponseMetrics {
  windowDays: 90;
  cases: number;
  firstResponse: {
    answered: number;
    medianHours: number | null;
    p90Hours: number | null;
    /** Answered with a deadline, plus the overdue unanswered: the share's denominator. */
    withDeadline: number;
    metDeadline: number;
    missedDeadline: number;
    metShare: number | null;
    overdueOpen: number;
    running: number;
    paused: number;
  };
  triage: { triaged: number; medianHours: number | null; p90Hours: number | null };
}

function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
  return Math.round((sorted[Math.max(0, i)] ?? 0) * 10) / 10;
}

const hours = (ms: number) => ms / 3_600_000;

/** The figures of the window's `rows` (answered ones' times) and the project's `open` clocks. */
export function computeResponseMetrics(rows: MetricsRow[], open: OpenClocks, now: Date): ResponseMetrics {
  const response: number[] = [];
  const triage: number[] = [];
  let met = 0;
  let missed = 0;
  for (const r of rows) {
    const received = Date.parse(r.received_at);
    if (r.first_responded_at) {
      response.push(hours(Date.parse(r.first_responded_at) - received));
      // The case page's own clock: an "as soon as possible" answer within its first hour is met.
      const { status } = clockStatus(r, now);
      if (status === 'met' && r.first_response_due_at) met += 1;
      if (status === 'missed') missed += 1;
    }
    if (r.triaged_at) triage.push(hours(Date.parse(r.triaged_at) - received - r.paused_ms));
  }
  response.sort((a, b) => a - b);
  triage.sort((a, b) => a - b);
  const withDeadline = met + missed + open.overdue;
  return {
    windowDays: 90,
    cases: rows.length,
    firstResponse: {
      answered: response.length,
      medianHours: quantile(response, 0.5),
      p90Hours: quantile(response, 0.9),
      withDeadline,
      metDeadline: met,
      missedDeadline: missed,
      metShare: withDeadline === 0 ? null : Math.round((met / withDeadline) * 1000) / 1000,
      overdueOpen: open.overdue,
      running: open.running,
      paused: open.paused,
    },
    triage: { triaged: triage.length, medianHours: quantile(triage, 0.5), p90Hours: quantile(triage, 0.9) },
  };
}
