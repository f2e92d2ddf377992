/**
 * The first-response clock (PROCESS.md §3): due N business days after receipt in the project's
 * time zone and holidays; "as soon as possible" when the case is publicly known; stopped only by a
 * human message from the team to the reporter; paused while the team waits for the reporter.
 * Pure functions over the case's timestamps.
 */
import { addBusinessDays, addBusinessHours, type CalendarOptions } from '../../lib/calendar/business-time.js';
import type { Policy } from '../policy/policy.schema.js';

/**
 * - `met` / `missed`: answered on or before / after the due instant;
 * - `asap`: publicly known and not answered: due at once, late by the hour (`hoursLate`);
 * - `running` / `overdue`: not answered, before / past the due instant;
 * - `paused`: waiting for the reporter; `none`: no deadline.
 */
export type ClockStatus = 'none' | 'met' | 'missed' | 'paused' | 'asap' | 'running' | 'overdue';
export const CLOCK_STATUSES = ['none', 'met', 'missed', 'paused', 'asap', 'running', 'overdue'] as const;

const HOUR_MS = 3_600_000;

/**
 * An "as soon as possible" clock is due the instant the case became public knowledge (its arrival,
 * or when the team flagged it): an answer within this grace is met, after it the clock is late
 * (shown overdue, and the team escalated). One hour: PROCESS.md §2 calls a public issue urgent and
 * names no figure; the clock counts lateness in whole hours.
 */
export const ASAP_GRACE_MS = HOUR_MS;

export interface ClockFields {
  received_at: string;
  first_response_due_at: string | null;
  first_responded_at: string | null;
  clock_paused_at: string | null;
  publicly_known: number;
}

export function calendarOf(policy: Policy): CalendarOptions {
  return { timeZone: policy.timeZone, holidays: policy.holidays };
}

/** When the first response is due, or null when the policy sets no deadline and the case is not public. */
export function firstResponseDue(receivedAt: Date, policy: Policy, publiclyKnown: boolean): Date | null {
  if (publiclyKnown) return receivedAt;
  const days = policy.triage.firstResponse?.businessDays;
  return days ? addBusinessDays(receivedAt, days, calendarOf(policy)) : null;
}

/**
 * The clock's state at `now`, for the inbox and the case page, with the whole hours past due
 * (`hoursLate`: how late the answer came, or how overdue it is). A publicly known case is due "as
 * soon as possible", at once: it is late by the hour from then on, and an answer within its first
 * hour is met (lateness of an "as soon as possible" clock counts in whole hours).
 */
export function clockStatus(
  c: ClockFields,
  now: Date,
): { status: ClockStatus; dueAt: string | null; hoursLate: number } {
  const dueAt = c.first_response_due_at;
  const due = dueAt ? Date.parse(dueAt) : null;
  const hoursAfterDue = (t: number) => (due === null ? 0 : Math.max(0, Math.floor((t - due) / HOUR_MS)));
  if (c.first_responded_at) {
    const answered = Date.parse(c.first_responded_at);
    const late = due !== null && (c.publicly_known ? answered - due >= ASAP_GRACE_MS : answered > due);
    return { status: late ? 'missed' : 'met', dueAt, hoursLate: late ? hoursAfterDue(answered) : 0 };
  }
  if (c.clock_paused_at) return { status: 'paused', dueAt, hoursLate: 0 };
  if (c.publicly_known) return { status: 'asap', dueAt, hoursLate: hoursAfterDue(now.getTime()) };
  if (due === null) return { status: 'none', dueAt, hoursLate: 0 };
  return due <= now.getTime()
    ? { status: 'overdue', dueAt, hoursLate: hoursAfterDue(now.getTime()) }
    : { status: 'running', dueAt, hoursLate: 0 };
}

/** The instants at which the team is reminded: half-way and at 80 percent of the time allowed. */
export function reminderInstants(receivedAt: Date, dueAt: Date): { percent: 50 | 80; at: Date }[] {
  const span = dueAt.getTime() - receivedAt.getTime();
  if (span <= 0) return [];
  return [
    { percent: 50, at: new Date(receivedAt.getTime() + span * 0.5) },
    { percent: 80, at: new Date(receivedAt.getTime() + span * 0.8) },
  ];
}

/**
 * Business hours between two instants (0 when `to` is not after `from`), by bisection over the
 * calendar's monotonic addBusinessHours; precise to the second.
 */
export function businessHoursBetween(from: Date, to: Date, cal: CalendarOptions): number {
  if (to.getTime() <= from.getTime()) return 0;
  let lo = 0;
  let hi = (to.getTime() - from.getTime()) / 3_600_000;
  while (hi - lo > 1 / 3600) {
    const mid = (lo + hi) / 2;
    if (addBusinessHours(from, mid, cal).getTime() < to.getTime()) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * The due instant after a pause: the business time that was left when the clock paused, counted
 * again from `resumedAt` (a pause over a weekend costs no business time).
 */
export function resumedDue(pausedAt: Date, dueAt: Date, resumedAt: Date, cal: CalendarOptions): Date {
  const left = businessHoursBetween(pausedAt, dueAt, cal);
  return left === 0 ? resumedAt : addBusinessHours(resumedAt, left, cal);
}
