import { describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { ValidationError } from '../errors.js';
import {
  addBusinessDays,
  addBusinessHours,
  isBusinessDay,
  isValidTimeZone,
  listNonBusinessDays,
  type CalendarOptions,
} from './business-time.js';

const NY_US: CalendarOptions = { timeZone: 'America/New_York', holidays: 'US' };
const NY: CalendarOptions = { timeZone: 'America/New_York' };
const BERLIN: CalendarOptions = { timeZone: 'Europe/Berlin', holidays: 'DE-BY' };
const SYDNEY: CalendarOptions = { timeZone: 'Australia/Sydney', holidays: 'AU-NSW' };

function days(from: string, n: number, opts: CalendarOptions): string {
  return addBusinessDays(new Date(from), n, opts).toISOString();
}

function hours(from: string, h: number, opts: CalendarOptions): string {
  return addBusinessHours(new Date(from), h, opts).toISOString();
}

function issuePath(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err.issues[0]?.path;
    throw err;
  }
  return undefined;
}

describe('isValidTimeZone', () => {
  it('accepts IANA names and refuses offsets and unknown names', () => {
    expect(isValidTimeZone('America/New_York')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Australia/Sydney')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('+02:00')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
});

describe('isBusinessDay', () => {
  it('is Monday to Friday minus public holidays of the region', () => {
    expect(isBusinessDay('2026-12-24', NY_US)).toBe(true); // Thursday; not a US federal holiday
    expect(isBusinessDay('2026-12-25', NY_US)).toBe(false); // Christmas Day
    expect(isBusinessDay('2026-12-25', NY)).toBe(true); // no holiday region: just a Friday
    expect(isBusinessDay('2026-12-26', NY)).toBe(false); // Saturday
    expect(isBusinessDay(Temporal.PlainDate.from('2026-12-28'), NY_US)).toBe(true);
    expect(isBusinessDay('2026-12-24', BERLIN)).toBe(true); // Heiliger Abend is only a bank holiday
  });

  it('rejects malformed dates', () => {
    expect(issuePath(() => isBusinessDay('2026-02-30', NY))).toBe('date');
    expect(issuePath(() => isBusinessDay('2026-12-24T10:00', NY))).toBe('date');
  });
});

describe('addBusinessDays', () => {
  it('hand-checked: Wednesday 23 Dec 2026 11:00 New York + 3 with US holidays is Tuesday 29 Dec 11:00', () => {
    // date-holidays, US 2026/2027 public: 2026-12-25 (Fri, Christmas Day) and 2027-01-01 (Fri, New
    // Year's Day); 2026-12-24 is NOT a holiday. From Wed 23 Dec 11:00 EST (16:00Z): 1 = Thu 24,
    // Fri 25 holiday, Sat 26 and Sun 27 weekend, 2 = Mon 28, 3 = Tue 29 -> 11:00 EST = 16:00Z.
    expect(days('2026-12-23T16:00:00Z', 3, NY_US)).toBe('2026-12-29T16:00:00.000Z');
    // Without a holiday region Christmas counts: Thu 24, Fri 25, Mon 28.
    expect(days('2026-12-23T16:00:00Z', 3, NY)).toBe('2026-12-28T16:00:00.000Z');
  });

  it('crosses New Year across the 1 January holiday', () => {
    // Thu 31 Dec 2026 09:30 EST + 1: Fri 1 Jan 2027 is New Year's Day, then the weekend -> Mon 4 Jan.
    expect(days('2026-12-31T14:30:00Z', 1, NY_US)).toBe('2027-01-04T14:30:00.000Z');
    // Thu 30 Dec 2027 10:00 EST + 1: Fri 31 Dec 2027 is the observed New Year's Day of 2028 -> Mon 3 Jan.
    expect(days('2027-12-30T15:00:00Z', 1, NY_US)).toBe('2028-01-03T15:00:00.000Z');
  });

  it('keeps the local wall time across the New York DST changes', () => {
    // Spring forward Sun 8 Mar 2026: Fri 6 Mar 11:00 EST (16:00Z) + 1 = Mon 9 Mar 11:00 EDT (15:00Z).
    expect(days('2026-03-06T16:00:00Z', 1, NY_US)).toBe('2026-03-09T15:00:00.000Z');
    // Fall back Sun 1 Nov 2026: Fri 30 Oct 11:00 EDT (15:00Z) + 1 = Mon 2 Nov 11:00 EST (16:00Z).
    expect(days('2026-10-30T15:00:00Z', 1, NY_US)).toBe('2026-11-02T16:00:00.000Z');
  });

  it('keeps the local wall time across the Berlin DST changes', () => {
    // Sun 29 Mar 2026: Fri 27 Mar 11:00 CET (10:00Z) + 1 = Mon 30 Mar 11:00 CEST (09:00Z).
    expect(days('2026-03-27T10:00:00Z', 1, BERLIN)).toBe('2026-03-30T09:00:00.000Z');
    // Sun 25 Oct 2026: Fri 23 Oct 11:00 CEST (09:00Z) + 1 = Mon 26 Oct 11:00 CET (10:00Z).
    expect(days('2026-10-23T09:00:00Z', 1, BERLIN)).toBe('2026-10-26T10:00:00.000Z');
  });

  it('moves a wall time that falls in a DST gap forward (compatible)', () => {
    // Asia/Jerusalem springs forward on Friday 27 Mar 2026 at 02:00. Thu 26 Mar 02:30 IST (00:30Z)
    // + 1 would be Fri 02:30, which does not exist: 03:30 IDT (+03:00) = 00:30Z.
    expect(days('2026-03-26T00:30:00Z', 1, { timeZone: 'Asia/Jerusalem' })).toBe('2026-03-27T00:30:00.000Z');
  });

  it('goes from Friday to the following week', () => {
    // Fri 18 Dec 2026 16:30 EST (21:30Z) + 1 = Mon 21 Dec; + 5 = Mon 28 Dec (Christmas skipped).
    expect(days('2026-12-18T21:30:00Z', 1, NY_US)).toBe('2026-12-21T21:30:00.000Z');
    expect(days('2026-12-18T21:30:00Z', 5, NY_US)).toBe('2026-12-28T21:30:00.000Z');
  });

  it('starts the clock at 00:00 of the next business day when received on a Saturday', () => {
    // Sat 6 Jun 2026 12:00 EDT: clock starts Mon 8 Jun 00:00; 3 full days -> Thu 11 Jun 00:00 EDT (04:00Z).
    expect(days('2026-06-06T16:00:00Z', 3, NY_US)).toBe('2026-06-11T04:00:00.000Z');
    // Sat 26 Dec 2026: Mon 28, Tue 29, Wed 30 -> Thu 31 Dec 00:00 EST (05:00Z).
    expect(days('2026-12-26T17:00:00Z', 3, NY_US)).toBe('2026-12-31T05:00:00.000Z');
    // Sat + 5: Mon..Fri are counted, and the deadline is the start of the next business day, Mon 15 Jun.
    expect(days('2026-06-06T16:00:00Z', 5, NY_US)).toBe('2026-06-15T04:00:00.000Z');
  });

  it('starts the clock at 00:00 of the next business day when received on a holiday', () => {
    // Fri 25 Dec 2026 15:00 EST: the clock starts Mon 28 00:00 EST (05:00Z); + 1 = Tue 29 00:00.
    expect(days('2026-12-25T20:00:00Z', 0, NY_US)).toBe('2026-12-28T05:00:00.000Z');
    expect(days('2026-12-25T20:00:00Z', 1, NY_US)).toBe('2026-12-29T05:00:00.000Z');
  });

  it('returns from itself for zero days on a business day', () => {
    const from = new Date('2026-12-23T16:00:00.123Z');
    const result = addBusinessDays(from, 0, NY_US);
    expect(result.getTime()).toBe(from.getTime());
    expect(result).not.toBe(from);
  });

  it('uses the local date, not the UTC date', () => {
    // Fri 18 Dec 2026 22:00 EST is already Saturday in UTC; locally it is Friday: + 1 = Mon 21 22:00 EST.
    expect(days('2026-12-19T03:00:00Z', 1, NY_US)).toBe('2026-12-22T03:00:00.000Z');
  });

  it('works in a southern-hemisphere zone with its own holidays and DST', () => {
    // Sydney, AU-NSW: Thu 24 Dec 2026 10:00 AEDT (23:00Z on the 23rd) + 1: Fri 25 Christmas, Sat 26
    // Boxing Day, Sun, Mon 28 Boxing Day (substitute) -> Tue 29 Dec 10:00 AEDT = 23:00Z on the 28th.
    expect(days('2026-12-23T23:00:00Z', 1, SYDNEY)).toBe('2026-12-28T23:00:00.000Z');
    // DST starts Sun 4 Oct 2026 and Mon 5 Oct is Labour Day: Fri 2 Oct 10:00 AEST (00:00Z) + 1 =
    // Tue 6 Oct 10:00 AEDT (+11:00) = 23:00Z on the 5th.
    expect(days('2026-10-02T00:00:00Z', 1, SYDNEY)).toBe('2026-10-05T23:00:00.000Z');
  });

  it('rejects bad counts, instants, zones and regions, naming the field', () => {
    const from = new Date('2026-12-23T16:00:00Z');
    expect(issuePath(() => addBusinessDays(from, -1, NY))).toBe('days');
    expect(issuePath(() => addBusinessDays(from, 1.5, NY))).toBe('days');
    expect(issuePath(() => addBusinessDays(from, Number.NaN, NY))).toBe('days');
    expect(issuePath(() => addBusinessDays(from, Number.POSITIVE_INFINITY, NY))).toBe('days');
    expect(issuePath(() => addBusinessDays(from, 3661, NY))).toBe('days');
    expect(issuePath(() => addBusinessDays(new Date('nope'), 1, NY))).toBe('from');
    expect(issuePath(() => addBusinessDays(from, 1, { timeZone: 'Mars/Base' }))).toBe('timeZone');
    expect(issuePath(() => addBusinessDays(from, 1, { timeZone: 'UTC', holidays: 'XX' }))).toBe('holidays');
  });

  it('computes the maximum span quickly', () => {
    // CPU time, not wall time: other tests share the machine's cores.
    const started = process.cpuUsage();
    const result = addBusinessDays(new Date('2026-01-05T12:00:00Z'), 3660, NY_US);
    expect(result.getUTCFullYear()).toBe(2040);
    const { user, system } = process.cpuUsage(started);
    expect((user + system) / 1000).toBeLessThan(1000);
  });
});

describe('addBusinessHours', () => {
  it('counts elapsed time only on business days', () => {
    // Wed 23 Dec 2026 11:00 EST + 13.5 h = Thu 24 Dec 00:30 EST (05:30Z).
    expect(hours('2026-12-23T16:00:00Z', 13.5, NY_US)).toBe('2026-12-24T05:30:00.000Z');
    // Thu 24 Dec 12:00 EST + 24 h: 12 h on Thursday, Christmas and the weekend stop the clock,
    // 12 h on Mon 28 -> 12:00 EST (17:00Z).
    expect(hours('2026-12-24T17:00:00Z', 24, NY_US)).toBe('2026-12-28T17:00:00.000Z');
    // Same as three business days from a business day when each day is 24 hours.
    expect(hours('2026-12-23T16:00:00Z', 72, NY_US)).toBe(days('2026-12-23T16:00:00Z', 3, NY_US));
  });

  it('starts a count received on a closed day at the next business day', () => {
    // Sat 6 Jun 2026 + 1 h = Mon 8 Jun 01:00 EDT (05:00Z); + 0 h = Mon 00:00.
    expect(hours('2026-06-06T16:00:00Z', 1, NY)).toBe('2026-06-08T05:00:00.000Z');
    expect(hours('2026-06-06T16:00:00Z', 0, NY)).toBe('2026-06-08T04:00:00.000Z');
  });

  it('lands on the next business day when the count ends exactly at the end of a Friday', () => {
    // Fri 18 Dec 2026 16:00 EST + 8 h ends at Sat 00:00: the deadline is Mon 21 Dec 00:00 EST (05:00Z).
    expect(hours('2026-12-18T21:00:00Z', 8, NY_US)).toBe('2026-12-21T05:00:00.000Z');
  });

  it('counts real elapsed time on a 23-hour business day', () => {
    // Asia/Jerusalem, Fri 27 Mar 2026 lasts 23 h (02:00 -> 03:00). From Fri 00:00 IST (22:00Z on the
    // 26th) + 24 h: 23 h to Sat 00:00 IDT, weekend, 1 h on Mon 30 Mar -> 01:00 IDT = 22:00Z on the 29th.
    expect(hours('2026-03-26T22:00:00Z', 24, { timeZone: 'Asia/Jerusalem' })).toBe(
      '2026-03-29T22:00:00.000Z',
    );
  });

  it('counts real elapsed time on a 25-hour business day', () => {
    // Africa/Cairo falls back at the end of Thu 29 Oct 2026 (24:00 EEST -> 23:00 EET), so Thursday
    // lasts 25 h. From Thu 00:00 EEST (21:00Z on the 28th) + 24 h = 21:00Z, still Thursday (23:00 EET);
    // one business day later is Fri 00:00 EET = 22:00Z.
    const cairo = { timeZone: 'Africa/Cairo' };
    expect(hours('2026-10-28T21:00:00Z', 24, cairo)).toBe('2026-10-29T21:00:00.000Z');
    expect(days('2026-10-28T21:00:00Z', 1, cairo)).toBe('2026-10-29T22:00:00.000Z');
  });

  it('starts a day at its first instant when DST skips midnight', () => {
    // Africa/Cairo springs forward at 00:00 on Fri 24 Apr 2026: the day starts at 01:00 EEST (22:00Z
    // on the 23rd). From Sat 25 Apr the clock starts Mon 27 at 00:00 EEST = 21:00Z on the 26th.
    const cairo = { timeZone: 'Africa/Cairo' };
    expect(hours('2026-04-23T21:00:00Z', 1, cairo)).toBe('2026-04-23T22:00:00.000Z');
    expect(hours('2026-04-25T10:00:00Z', 0, cairo)).toBe('2026-04-26T21:00:00.000Z');
  });

  it('rejects bad counts, naming the field', () => {
    const from = new Date('2026-12-23T16:00:00Z');
    expect(issuePath(() => addBusinessHours(from, -0.5, NY))).toBe('hours');
    expect(issuePath(() => addBusinessHours(from, Number.NaN, NY))).toBe('hours');
    expect(issuePath(() => addBusinessHours(from, 3660 * 24 + 1, NY))).toBe('hours');
    expect(issuePath(() => addBusinessHours(from, 1, { timeZone: 'Nowhere/Land' }))).toBe('timeZone');
  });
});

describe('listNonBusinessDays', () => {
  it('names the weekend and holiday dates between two instants', () => {
    const skipped = listNonBusinessDays(
      new Date('2026-12-23T16:00:00Z'),
      new Date('2026-12-29T16:00:00Z'),
      NY_US,
    );
    expect(skipped).toEqual([
      { date: '2026-12-25', reason: 'Christmas Day' },
      { date: '2026-12-26', reason: 'weekend' },
      { date: '2026-12-27', reason: 'weekend' },
    ]);
  });
});
