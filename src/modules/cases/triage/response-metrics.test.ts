import { describe, expect, it } from 'vitest';
import { computeResponseMetrics } from './response-metrics.js';

const now = new Date('2026-12-31T00:00:00Z');
const row = (
  received: string,
  due: string | null,
  responded: string | null,
  triaged: string | null = null,
  pausedH = 0,
  publiclyKnown = 0,
) => ({
  received_at: received,
  first_response_due_at: due,
  first_responded_at: responded,
  triaged_at: triaged,
  paused_ms: pausedH * 3_600_000,
  publicly_known: publiclyKnown,
  clock_paused_at: null,
});
const noOpen = { overdue: 0, running: 0, paused: 0 };

describe('response metrics', () => {
  it('counts the share that met the deadline over the answered and the overdue unanswered', () => {
    const m = computeResponseMetrics(
      [
        row('2026-12-01T00:00:00Z', '2026-12-04T00:00:00Z', '2026-12-02T00:00:00Z', '2026-12-03T00:00:00Z'),
        row(
          '2026-12-05T00:00:00Z',
          '2026-12-08T00:00:00Z',
          '2026-12-09T00:00:00Z',
          '2026-12-10T00:00:00Z',
          24,
        ),
        // Unanswered rows of the window count through the open clocks, not here.
        row('2026-12-20T00:00:00Z', '2026-12-23T00:00:00Z', null),
        row('2026-12-29T00:00:00Z', '2027-01-01T00:00:00Z', null),
      ],
      { overdue: 1, running: 1, paused: 0 },
      now,
    );
    expect(m.cases).toBe(4);
    expect(m.firstResponse).toMatchObject({
      answered: 2,
      withDeadline: 3,
      metDeadline: 1,
      missedDeadline: 1,
      metShare: 0.333,
      overdueOpen: 1,
      running: 1,
      paused: 0,
    });
    expect(m.firstResponse.medianHours).toBe(24);
    expect(m.firstResponse.p90Hours).toBe(96);
    // Triage: 48 h, and 120 h less the 24 h paused.
    expect(m.triage).toEqual({ triaged: 2, medianHours: 48, p90Hours: 96 });
  });

  it('never says 100 % met while 100 reports wait past their deadline', () => {
    const answered = row('2026-12-01T00:00:00Z', '2026-12-04T00:00:00Z', '2026-12-02T00:00:00Z');
    const m = computeResponseMetrics([answered], { overdue: 100, running: 100, paused: 0 }, now);
    expect(m.firstResponse.metShare).toBe(0.01);
    expect(m.firstResponse).toMatchObject({
      metDeadline: 1,
      overdueOpen: 100,
      running: 100,
      withDeadline: 101,
    });
  });

  it('judges an "as soon as possible" answer as the case page does: met within its first hour', () => {
    const asap = (answered: string) =>
      row('2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z', answered, null, 0, 1);
    const m = computeResponseMetrics(
      [asap('2026-12-01T00:30:00Z'), asap('2026-12-01T05:00:00Z')],
      noOpen,
      now,
    );
    expect(m.firstResponse).toMatchObject({ metDeadline: 1, missedDeadline: 1 });
  });

  it('has no share when no case had a deadline', () => {
    expect(computeResponseMetrics([], noOpen, now).firstResponse.metShare).toBeNull();
  });
});
