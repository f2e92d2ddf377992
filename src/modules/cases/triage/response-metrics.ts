/**
 * Response metrics over a window of cases (§3 clock): median and 90th percentile time to first
 * response and to triage (needs-info pauses excluded), and the share of answered cases that met
 * the deadline. Pure: rows in, figures out.
 */

export interface MetricsRow {
  received_at: string;
  first_response_due_at: string | null;
  first_responded_at: string | null;
  triaged_at: string | null;
  paused_ms: number;
}

export interface ResponseMetrics {
  windowDays: 90;
  cases: number;
  firstResponse: {
    answered: number;
    medianHours: number | null;
    p90Hours: number | null;
    withDeadline: number;
    metDeadline: number;
    metShare: number | null;
    overdueOpen: number;
  };
  triage: { triaged: number; medianHours: number | null; p90Hours: number | null };
}

function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
  return Math.round((sorted[Math.max(0, i)] ?? 0) * 10) / 10;
}

const hours = (ms: number) => ms / 3_600_000;

export function computeResponseMetrics(rows: MetricsRow[], now: Date): ResponseMetrics {
  const response: number[] = [];
  const triage: number[] = [];
  let withDeadline = 0;
  let met = 0;
  let overdueOpen = 0;
  for (const r of rows) {
    const received = Date.parse(r.received_at);
    if (r.first_responded_at) {
      response.push(hours(Date.parse(r.first_responded_at) - received));
      if (r.first_response_due_at) {
        withDeadline += 1;
        if (r.first_responded_at <= r.first_response_due_at) met += 1;
      }
    } else if (r.first_response_due_at && Date.parse(r.first_response_due_at) <= now.getTime()) {
      // An unanswered, overdue case has missed its deadline already.
      withDeadline += 1;
      overdueOpen += 1;
    }
    if (r.triaged_at) triage.push(hours(Date.parse(r.triaged_at) - received - r.paused_ms));
  }
  response.sort((a, b) => a - b);
  triage.sort((a, b) => a - b);
  return {
    windowDays: 90,
    cases: rows.length,
    firstResponse: {
      answered: response.length,
      medianHours: quantile(response, 0.5),
      p90Hours: quantile(response, 0.9),
      withDeadline,
      metDeadline: met,
      metShare: withDeadline === 0 ? null : Math.round((met / withDeadline) * 1000) / 1000,
      overdueOpen,
    },
    triage: { triaged: triage.length, medianHours: quantile(triage, 0.5), p90Hours: quantile(triage, 0.9) },
  };
}
