import type { Temporal } from 'temporal-polyfill';
import type * as TemporalPolyfill from 'temporal-polyfill';
import { lazyRequire } from '../lazy.js';
import { AppError, ValidationError } from '../errors.js';
import { MAX_YEAR, MIN_YEAR, publicHolidayOn, requireHolidayRegion } from './holidays.js';

/** temporal-polyfill (217 KB) loads at the first calendar computation, not at start. */
const temporalModule = lazyRequire<typeof TemporalPolyfill>('temporal-polyfill');
const temporal = (): typeof Temporal => temporalModule().Temporal;

/** Where a project's clocks run: its IANA time zone and, optionally, its date-holidays region. */
export interface CalendarOptions {
  timeZone: string;
  holidays?: string | null;
}

/** A local date the clock did not run on, and why (`weekend` or the holiday's name). */
export interface NonBusinessDay {
  date: string;
  reason: string;
}

/** Upper bound on any duration: 10 years of days, and as many hours. */
export const MAX_BUSINESS_DAYS = 3660;
export const MAX_BUSINESS_HOURS = MAX_BUSINESS_DAYS * 24;

const MS_PER_HOUR = 3_600_000;
// No real region has this many non-business days in a row; the bound turns a data bug into an error.
const MAX_CONSECUTIVE_CLOSED_DAYS = 400;
// The latest `from` year such that ten years of business days still stay within the holiday data range.
const MAX_FROM_YEAR = MAX_YEAR - 15;

interface Resolved {
  timeZone: string;
  region: string | null;
}

const knownZones = new Map<string, string>();

function canonicalTimeZone(tz: string): string | undefined {
  // Fixed offsets (`+02:00`) are valid Temporal zones but have no DST or locality: a project names a place.
  if (typeof tz !== 'string' || tz.length === 0 || tz.length > 64 || /^[+-]/.test(tz)) return undefined;
  // Zone names are case-insensitive; one key per zone keeps the cache bounded whatever callers send.
  const key = tz.toLowerCase();
  const cached = knownZones.get(key);
  if (cached) return cached;
  try {
    const id = new (temporal().ZonedDateTime)(0n, tz).timeZoneId;
    knownZones.set(key, id);
    return id;
  } catch {
    return undefined;
  }
}

/** True when `tz` is an IANA time zone name that Temporal knows (`Europe/Berlin`, `UTC`); offsets are refused. */
export function isValidTimeZone(tz: string): boolean {
  return canonicalTimeZone(tz) !== undefined;
}

/** Returns Temporal's spelling of the zone, or throws a ValidationError naming `field`. */
export function requireTimeZone(tz: string, field = 'timeZone'): string {
  const id = canonicalTimeZone(tz);
  if (!id) {
    throw new ValidationError(`Unknown time zone "${String(tz).slice(0, 64)}".`, [
      { path: field, message: 'Use an IANA time zone name such as America/New_York or Europe/Berlin.' },
    ]);
  }
  return id;
}

function resolve(opts: CalendarOptions): Resolved {
  const timeZone = requireTimeZone(opts.timeZone);
  const region =
    opts.holidays === undefined || opts.holidays === null || opts.holidays === ''
      ? null
      : requireHolidayRegion(opts.holidays, 'holidays');
  return { timeZone, region };
}

function requireCount(value: number, max: number, field: string, integer: boolean): void {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= 0 &&
    value <= max &&
    (!integer || Number.isInteger(value));
  if (!ok) {
    const what = integer ? 'a whole number' : 'a number';
    throw new ValidationError(`${field} must be ${what} between 0 and ${max}.`, [
      { path: field, message: `Expected ${what} between 0 and ${max}.` },
    ]);
  }
}

function requireInstant(from: Date, timeZone: string, field = 'from'): Temporal.ZonedDateTime {
  const ms = from instanceof Date ? from.getTime() : Number.NaN;
  const zoned = Number.isNaN(ms)
    ? undefined
    : temporal().Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone);
  if (!zoned || zoned.year < MIN_YEAR || zoned.year > MAX_FROM_YEAR) {
    throw new ValidationError(`${field} must be a valid instant between ${MIN_YEAR} and ${MAX_FROM_YEAR}.`, [
      { path: field, message: 'Expected a valid date.' },
    ]);
  }
  return zoned;
}

function closedReason(date: Temporal.PlainDate, region: string | null): string | undefined {
  if (date.dayOfWeek >= 6) return 'weekend';
  return region === null ? undefined : publicHolidayOn(region, date.toString());
}

/** The first business day strictly after `date`. */
function nextBusinessDate(date: Temporal.PlainDate, region: string | null): Temporal.PlainDate {
  let d = date;
  for (let i = 0; i < MAX_CONSECUTIVE_CLOSED_DAYS; i++) {
    d = d.add({ days: 1 });
    if (closedReason(d, region) === undefined) return d;
  }
  throw new AppError(
    'internal',
    500,
    `No business day within ${MAX_CONSECUTIVE_CLOSED_DAYS} days of ${date}.`,
  );
}

function startOfDay(date: Temporal.PlainDate, timeZone: string): number {
  // Temporal finds the first instant of the date, even in zones whose DST change skips midnight.
  return date.toZonedDateTime(timeZone).epochMilliseconds;
}

function parsePlainDate(date: Temporal.PlainDate | string): Temporal.PlainDate {
  if (date instanceof temporal().PlainDate) return date;
  if (typeof date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(date)) {
    try {
      return temporal().PlainDate.from(date, { overflow: 'reject' });
    } catch {
      // falls through to the ValidationError below
    }
  }
  throw new ValidationError('date must be a calendar date written YYYY-MM-DD.', [
    { path: 'date', message: 'Expected YYYY-MM-DD.' },
  ]);
}

/**
 * True when the local calendar date is a business day: Monday to Friday and not a public holiday
 * (date-holidays type `public`) of `opts.holidays`. `date` is already local, so `opts.timeZone` is
 * only validated. Throws ValidationError for a malformed date or an unknown zone or region.
 */
export function isBusinessDay(date: Temporal.PlainDate | string, opts: CalendarOptions): boolean {
  const { region } = resolve(opts);
  const d = parsePlainDate(date);
  if (d.year < MIN_YEAR || d.year > MAX_YEAR) {
    throw new ValidationError(`date must fall between ${MIN_YEAR} and ${MAX_YEAR}.`, [
      { path: 'date', message: 'Out of range.' },
    ]);
  }
  return closedReason(d, region) === undefined;
}

/**
 * Adds `days` business days to `from` in the project's zone.
 *
 * - `from` on a business day: the same local wall-clock time on the `days`-th following business day
 *   (Friday 11:00 + 1 = Monday 11:00), kept across DST changes; a wall time that does not exist on
 *   the target date (a DST gap) resolves with Temporal's `compatible` rule (moved forward by the gap).
 * - `from` on a weekend or holiday: the clock starts at 00:00 local of the next business day, so the
 *   result is 00:00 local of the `days`-th business day after that start (received Saturday, + 3 =
 *   Thursday 00:00). When the day after the last counted day is closed, that is the start of the next
 *   business day rather than, say, Saturday 00:00: every result lies on a business day.
 * - `days` = 0 returns `from`, or the start of the next business day when `from` is not on one.
 *
 * `days` must be a whole number in 0..3660; throws ValidationError naming `days`, `from`,
 * `timeZone` or `holidays` otherwise.
 */
export function addBusinessDays(from: Date, days: number, opts: CalendarOptions): Date {
  const { timeZone, region } = resolve(opts);
  requireCount(days, MAX_BUSINESS_DAYS, 'days', true);
  const start = requireInstant(from, timeZone);
  const startDate = start.toPlainDate();
  const open = closedReason(startDate, region) === undefined;
  let date = open ? startDate : nextBusinessDate(startDate, region);
  if (open && days === 0) return new Date(from.getTime());
  for (let i = 0; i < days; i++) date = nextBusinessDate(date, region);
  if (!open) return new Date(startOfDay(date, timeZone));
  const local = date.toPlainDateTime(start.toPlainTime());
  return new Date(local.toZonedDateTime(timeZone, { disambiguation: 'compatible' }).epochMilliseconds);
}

/**
 * Adds `hours` of business time to `from`: elapsed real time that counts only while the local date
 * in the project's zone is a business day (a business day counts all of its 24 hours, or 23 / 25 on a
 * DST change day); weekends and holidays stop the clock. Fractional hours are allowed (resolution
 * one millisecond).
 *
 * The result always lies in business time: from a closed day the clock starts at 00:00 local of the
 * next business day, and a count that runs out exactly at the end of a business day followed by
 * closed days lands on 00:00 of the next business day. So `addBusinessHours(t, 24 * n)` from 00:00
 * of a business day equals `addBusinessDays(t, n)` wherever business days are 24 hours long.
 *
 * `hours` must be in 0..87840 (10 years); throws ValidationError naming `hours`, `from`,
 * `timeZone` or `holidays` otherwise.
 */
export function addBusinessHours(from: Date, hours: number, opts: CalendarOptions): Date {
  const { timeZone, region } = resolve(opts);
  requireCount(hours, MAX_BUSINESS_HOURS, 'hours', false);
  const start = requireInstant(from, timeZone);
  let remaining = Math.round(hours * MS_PER_HOUR);
  let date = start.toPlainDate();
  let cursor = from.getTime();
  if (closedReason(date, region) !== undefined) {
    date = nextBusinessDate(date, region);
    cursor = startOfDay(date, timeZone);
  }
  for (;;) {
    const next = date.add({ days: 1 });
    const left = startOfDay(next, timeZone) - cursor;
    if (remaining < left) return new Date(cursor + remaining);
    remaining -= left;
    date = closedReason(next, region) === undefined ? next : nextBusinessDate(next, region);
    cursor = startOfDay(date, timeZone);
  }
}

/**
 * The closed local dates (weekends and public holidays) from the local date of `from` to that of
 * `to`, inclusive: the days a deadline computed from `from` skipped. Empty when `to` is before `from`.
 */
export function listNonBusinessDays(from: Date, to: Date, opts: CalendarOptions): NonBusinessDay[] {
  const { timeZone, region } = resolve(opts);
  const first = requireInstant(from, timeZone).toPlainDate();
  const last = requireInstant(to, timeZone, 'to').toPlainDate();
  const out: NonBusinessDay[] = [];
  for (let d = first; temporal().PlainDate.compare(d, last) <= 0; d = d.add({ days: 1 })) {
    const reason = closedReason(d, region);
    if (reason !== undefined) out.push({ date: d.toString(), reason });
  }
  return out;
}
