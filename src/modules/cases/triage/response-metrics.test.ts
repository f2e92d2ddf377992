import { describe, expect, it } from 'vitest';
import { computeResponseMetrics } from './response-metrics.js';

const now = new Date('2026-12-31T00:00:00Z');
const row = (
  received: string,
  due: string | null,
  responded: string | null,
  triaged: string | null = null,
  pausedH = 0,
) => ({
  received_at: received,
  first_response_due_at: due,
  first_responded_at: responded,
  triaged_at: triaged,
  paused_ms: pausedH * 3_600_000,
});

describe('response metrics', () => {
  it('counts the share that met the deadline, an open overdue case as missed', () => {
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
        row('2026-12-20T00:00:00Z', '2026-12-23T00:00:00Z', null),
        row('2026-12-29T00:00:00Z', '2027-01-01T00:00:00Z', null),
      ],
      now,
    );
    expect(m.cases).toBe(4);
    expect(m.firstResponse).toMatchObject({
      answered: 2,
      withDeadline: 3,
      metDeadline: 1,
      metShare: 0.333,
      overdueOpen: 1,
    });
    expect(m.firstResponse.medianHours).toBe(24);
    expect(m.firstResponse.p90Hours).toBe(96);
    // Triage: 48 h, and 120 h less the 24 h paused.
    expect(m.triage).toEqual({ triaged: 2, medianHours: 48, p90Hours: 96 });
  });

  it('has no share when no case had a deadline', () => {
    expect(computeResponseMetrics([], now).firstResponse.metShare).toBeNull();
  });
});
