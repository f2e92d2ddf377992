import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../lib/clock.js';
import { firstResponseReminderJobs } from './case-notify.js';

const RECEIVED = '2026-12-07T15:00:00.000Z';
const plan = (c: { first_response_due_at: string; publicly_known: number }) =>
  firstResponseReminderJobs(fixedClock(new Date(RECEIVED)), {
    id: 'c1',
    received_at: RECEIVED,
    first_responded_at: null,
    ...c,
  }).map((j) => [(j.payload as { percent: number }).percent, j.runAt?.toISOString()]);

describe('the first-response reminders', () => {
  it('remind at half time and 80 percent, and escalate at the due instant', () => {
    expect(plan({ first_response_due_at: '2026-12-10T15:00:00.000Z', publicly_known: 0 })).toEqual([
      [50, '2026-12-09T03:00:00.000Z'],
      [80, '2026-12-10T00:36:00.000Z'],
      [100, '2026-12-10T15:00:00.000Z'],
    ]);
  });

  it('escalate an "as soon as possible" clock once its hour of grace has passed, not the instant it arrived', () => {
    expect(plan({ first_response_due_at: RECEIVED, publicly_known: 1 })).toEqual([
      [100, '2026-12-07T16:00:00.000Z'],
    ]);
  });
});
