import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { addBusinessDays, addBusinessHours, isBusinessDay, type CalendarOptions } from './business-time.js';

// Zones paired with their regions. Asia/Jerusalem and Africa/Cairo change DST on weekdays, so their
// business days are sometimes 23 or 25 hours long and some wall times do not exist.
const CALENDARS: CalendarOptions[] = [
  { timeZone: 'America/New_York', holidays: 'US' },
  { timeZone: 'Europe/Berlin', holidays: 'DE-BY' },
  { timeZone: 'Australia/Sydney', holidays: 'AU-NSW' },
  { timeZone: 'Europe/London', holidays: 'GB-ENG' },
  { timeZone: 'UTC', holidays: null },
  { timeZone: 'Asia/Jerusalem' },
  { timeZone: 'Africa/Cairo', holidays: 'EG' },
];
// Zones whose DST changes happen on weekends: every business day there is exactly 24 hours long.
const STEADY = CALENDARS.filter((c) => c.timeZone !== 'Asia/Jerusalem' && c.timeZone !== 'Africa/Cairo');

const RUNS = { numRuns: 150 };
const calendar = fc.constantFrom(...CALENDARS);
const steadyCalendar = fc.constantFrom(...STEADY);
const instant = fc
  .integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2031, 0, 1) })
  .map((ms) => new Date(ms));
const count = fc.integer({ min: 0, max: 40 });

function zoned(d: Date, timeZone: string): Temporal.ZonedDateTime {
  return Temporal.Instant.fromEpochMilliseconds(d.getTime()).toZonedDateTimeISO(timeZone);
}

function onBusinessDay(d: Date, cal: CalendarOptions): boolean {
  return isBusinessDay(zoned(d, cal.timeZone).toPlainDate(), cal);
}

/** True when the wall time of `start` does not exist on `date` (a DST gap). */
function inGap(date: Temporal.PlainDate, start: Temporal.ZonedDateTime): boolean {
  try {
    date.toPlainDateTime(start.toPlainTime()).toZonedDateTime(start.timeZoneId, { disambiguation: 'reject' });
    return false;
  } catch {
    return true;
  }
}

describe('addBusinessDays properties', () => {
  it('from a business day lands on a business day at the same wall time, except in a DST gap', () => {
    fc.assert(
      fc.property(calendar, instant, count, (cal, from, n) => {
        fc.pre(onBusinessDay(from, cal));
        const result = addBusinessDays(from, n, cal);
        expect(onBusinessDay(result, cal)).toBe(true);
        const start = zoned(from, cal.timeZone);
        const end = zoned(result, cal.timeZone);
        if (!inGap(end.toPlainDate(), start)) {
          expect(end.toPlainTime().equals(start.toPlainTime())).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('from a closed day lands at the start of a business day', () => {
    fc.assert(
      fc.property(calendar, instant, count, (cal, from, n) => {
        fc.pre(!onBusinessDay(from, cal));
        const end = zoned(addBusinessDays(from, n, cal), cal.timeZone);
        expect(isBusinessDay(end.toPlainDate(), cal)).toBe(true);
        expect(end.equals(end.startOfDay())).toBe(true);
      }),
      RUNS,
    );
  });

  it('is strictly increasing in n and never before from', () => {
    fc.assert(
      fc.property(calendar, instant, count, (cal, from, n) => {
        const a = addBusinessDays(from, n, cal).getTime();
        const b = addBusinessDays(from, n + 1, cal).getTime();
        expect(a).toBeGreaterThanOrEqual(from.getTime());
        expect(b).toBeGreaterThan(a);
      }),
      RUNS,
    );
  });

  it('adding a then b equals adding a + b from a business day (outside DST gaps)', () => {
    fc.assert(
      fc.property(calendar, instant, count, count, (cal, from, a, b) => {
        fc.pre(onBusinessDay(from, cal));
        const mid = addBusinessDays(from, a, cal);
        // A gap moves the wall time, and the second step then keeps the moved time.
        fc.pre(zoned(mid, cal.timeZone).toPlainTime().equals(zoned(from, cal.timeZone).toPlainTime()));
        expect(addBusinessDays(mid, b, cal).getTime()).toBe(addBusinessDays(from, a + b, cal).getTime());
      }),
      RUNS,
    );
  });

  it('without holidays, 5 business days from a weekday are exactly 7 local calendar days', () => {
    fc.assert(
      fc.property(calendar, instant, (cal, from) => {
        const noHolidays = { timeZone: cal.timeZone };
        fc.pre(onBusinessDay(from, noHolidays));
        const week = zoned(from, cal.timeZone).add({ days: 7 });
        expect(addBusinessDays(from, 5, noHolidays).getTime()).toBe(week.epochMilliseconds);
      }),
      RUNS,
    );
  });
});

describe('addBusinessHours properties', () => {
  it('24 n hours from 00:00 of a business day equal n business days where days are 24 hours', () => {
    fc.assert(
      fc.property(steadyCalendar, instant, count, (cal, at, n) => {
        const midnight = new Date(zoned(at, cal.timeZone).startOfDay().epochMilliseconds);
        fc.pre(onBusinessDay(midnight, cal));
        expect(addBusinessHours(midnight, 24 * n, cal).getTime()).toBe(
          addBusinessDays(midnight, n, cal).getTime(),
        );
      }),
      RUNS,
    );
  });

  it('lands in business time, never before from, and composes: h(a) then h(b) = h(a + b)', () => {
    const minutes = fc.integer({ min: 0, max: 60 * 24 * 20 });
    fc.assert(
      fc.property(calendar, instant, minutes, minutes, (cal, from, a, b) => {
        const once = addBusinessHours(from, (a + b) / 60, cal);
        const twice = addBusinessHours(addBusinessHours(from, a / 60, cal), b / 60, cal);
        expect(onBusinessDay(once, cal)).toBe(true);
        expect(once.getTime()).toBeGreaterThanOrEqual(from.getTime());
        expect(twice.getTime()).toBe(once.getTime());
      }),
      RUNS,
    );
  });

  it('elapses exactly h real hours when no closed day intervenes', () => {
    fc.assert(
      fc.property(calendar, instant, fc.integer({ min: 0, max: 600 }), (cal, from, minutes) => {
        const result = addBusinessHours(from, minutes / 60, cal);
        const start = zoned(from, cal.timeZone).toPlainDate();
        const end = zoned(result, cal.timeZone).toPlainDate();
        fc.pre(onBusinessDay(from, cal) && start.equals(end));
        expect(result.getTime() - from.getTime()).toBe(minutes * 60_000);
      }),
      RUNS,
    );
  });
});
