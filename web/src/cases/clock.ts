/**
 * The first-response clock in words, as the inbox and the case page show it: "due in 2 days 3 h",
 * "overdue by 5 h", "as soon as possible". Pure: the clock and the time in, words out.
 */
import type { CaseClock } from '../api/types.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The watchdog's horizon: a running clock due within this is "unacknowledged" already. */
export const WATCHDOG_HORIZON_MS = DAY;

/**
 * An "as soon as possible" clock (publicly known: due when the report arrived) is late after this:
 * an answer within the first hour counts as met (src/modules/cases/response-clock.ts).
 */
export const ASAP_GRACE_MS = HOUR;

export type ClockTone = 'overdue' | 'asap' | 'soon' | 'running' | 'quiet';

/** A duration in words, coarse as a person says it: "2 days 3 h", "5 h 20 min", "12 min". */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / MINUTE);
  if (minutes < 1) return 'less than a minute';
  const days = Math.floor(minutes / (24 * 60));
  const hours = Math.floor((minutes % (24 * 60)) / 60);
  const mins = minutes % 60;
  if (days > 0) return `${days} ${days === 1 ? 'day' : 'days'}${hours > 0 ? ` ${hours} h` : ''}`;
  if (hours > 0) return `${hours} h${mins > 0 ? ` ${mins} min` : ''}`;
  return `${mins} min`;
}

/** The clock in words and its tone (which colours it). */
export function describeClock(clock: CaseClock, now: number): { text: string; tone: ClockTone } {
  switch (clock.status) {
    case 'met':
      return { text: 'answered', tone: 'quiet' };
    case 'missed':
      return { text: `answered ${clock.hoursLate > 0 ? `${clock.hoursLate} h ` : ''}late`, tone: 'quiet' };
    case 'paused':
      return { text: 'paused', tone: 'quiet' };
    case 'none':
      return { text: 'no deadline', tone: 'quiet' };
    case 'asap': {
      // Due at once (the issue is public), with the first hour's grace within which an answer is
      // still met (the server's clock counts so): after it, late, in the browser's time too.
      const due = clock.dueAt ? Date.parse(clock.dueAt) : NaN;
      const late = Number.isNaN(due) ? clock.hoursLate * HOUR : now - due;
      if (late >= ASAP_GRACE_MS || clock.hoursLate >= 1) {
        return { text: `overdue by ${formatDuration(late)} (as soon as possible)`, tone: 'overdue' };
      }
      return { text: 'as soon as possible', tone: 'asap' };
    }
    case 'overdue':
    case 'running': {
      const due = clock.dueAt ? Date.parse(clock.dueAt) : NaN;
      if (Number.isNaN(due))
        return { text: clock.status === 'overdue' ? 'overdue' : 'running', tone: 'asap' };
      const left = due - now;
      // The server decided at load time; between reloads the browser's clock takes over.
      if (left <= 0) return { text: `overdue by ${formatDuration(left)}`, tone: 'overdue' };
      return {
        text: `due in ${formatDuration(left)}`,
        tone: left <= WATCHDOG_HORIZON_MS ? 'soon' : 'running',
      };
    }
  }
}

/** Whether a case belongs on the "Unacknowledged" watchdog: overdue, ASAP, or due within 24 hours. */
export function isUnacknowledged(clock: CaseClock, now: number): boolean {
  return ['overdue', 'asap', 'soon'].includes(describeClock(clock, now).tone);
}

/**
 * The policy's first-response commitment as the public form promises it: "within 3 business days",
 * or "as soon as possible" when the policy names no number of days.
 */
export function describeFirstResponse(businessDays: number | null): string {
  if (businessDays === null) return 'as soon as possible';
  return `within ${businessDays} business ${businessDays === 1 ? 'day' : 'days'}`;
}
