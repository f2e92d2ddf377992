/**
 * The first-response clock (PROCESS.md §3): due N business days after receipt in the project's
 * time zone and holidays; "as soon as possible" when the case is publicly known; stopped only by a
 * human message from the team to the reporter; paused while the team waits for the reporter.
 * Pure functions over the case's timestamps.
 */
import { addBusinessDays, addBusinessHours, type CalendarOptions } from '../../lib/calendar/business-time.js';
import type { Policy } from '../policy/policy.schema.js';

export type ClockStatus = 'none' | 'met' | 'paused' | 'asap' | 'running' | 'overdue';

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

/** The clock's state at `now`, for the inbox and the case page. */
export function clockStatus(c: ClockFields, now: Date): { status: ClockStatus; dueAt: string | null } {
  const dueAt = c.first_response_due_at;
  if (c.first_responded_at) return { status: 'met', dueAt };
  if (c.clock_paused_at) return { status: 'paused', dueAt };
  if (c.publicly_known) return { status: 'asap', dueAt };
  if (!dueAt) return { status: 'none', dueAt };
  return { status: Date.parse(dueAt) <= now.getTime() ? 'overdue' : 'running', dueAt };
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
