import { describe, expect, it } from 'vitest';
import { formatInstant } from './format-instant.js';

const at = (iso: string) => new Date(iso);

describe('formatInstant', () => {
  it('says one instant in each style', () => {
    const instant = at('2026-01-21T09:30:00Z');
    expect(formatInstant(instant, 'Europe/Berlin', 'short')).toBe(
      'Wed 21 Jan 2026, 10:30 CET (Europe/Berlin)',
    );
    expect(formatInstant(instant, 'Europe/Berlin', 'long')).toBe(
      'Wednesday, 21 January 2026 at 10:30 (Europe/Berlin)',
    );
    expect(formatInstant(instant, 'Europe/Berlin', 'long-date')).toBe('Wednesday, 21 January 2026');
  });

  it('moves the date with the zone', () => {
    const instant = at('2026-12-31T23:00:00Z');
    expect(formatInstant(instant, 'UTC', 'short')).toBe('Thu 31 Dec 2026, 23:00 UTC (UTC)');
    expect(formatInstant(instant, 'Europe/Berlin', 'long')).toBe(
      'Friday, 1 January 2027 at 00:00 (Europe/Berlin)',
    );
    expect(formatInstant(instant, 'America/Los_Angeles', 'long-date')).toBe('Thursday, 31 December 2026');
    // Half-hour offsets, and midnight as 00:00 (never 24:00).
    expect(formatInstant(at('2026-01-01T18:30:00Z'), 'Asia/Kolkata', 'short')).toBe(
      'Fri 2 Jan 2026, 00:00 GMT+5:30 (Asia/Kolkata)',
    );
  });

  it('crosses the spring DST gap: the wall clock jumps, the abbreviation changes', () => {
    expect(formatInstant(at('2026-03-29T00:59:00Z'), 'Europe/Berlin', 'short')).toBe(
      'Sun 29 Mar 2026, 01:59 CET (Europe/Berlin)',
    );
    expect(formatInstant(at('2026-03-29T01:00:00Z'), 'Europe/Berlin', 'short')).toBe(
      'Sun 29 Mar 2026, 03:00 CEST (Europe/Berlin)',
    );
    expect(formatInstant(at('2026-03-08T07:00:00Z'), 'America/New_York', 'long')).toBe(
      'Sunday, 8 March 2026 at 03:00 (America/New_York)',
    );
  });

  it('crosses the autumn DST fold: only the short style tells the two 02:30s apart', () => {
    const first = at('2026-10-25T00:30:00Z');
    const second = at('2026-10-25T01:30:00Z');
    expect(formatInstant(first, 'Europe/Berlin', 'short')).toBe(
      'Sun 25 Oct 2026, 02:30 CEST (Europe/Berlin)',
    );
    expect(formatInstant(second, 'Europe/Berlin', 'short')).toBe(
      'Sun 25 Oct 2026, 02:30 CET (Europe/Berlin)',
    );
    expect(formatInstant(first, 'Europe/Berlin', 'long')).toBe(
      formatInstant(second, 'Europe/Berlin', 'long'),
    );
    // Southern hemisphere: Sydney leaves daylight time on the first Sunday of April.
    expect(formatInstant(at('2026-04-04T15:59:00Z'), 'Australia/Sydney', 'short')).toBe(
      'Sun 5 Apr 2026, 02:59 GMT+11 (Australia/Sydney)',
    );
    expect(formatInstant(at('2026-04-04T16:00:00Z'), 'Australia/Sydney', 'short')).toBe(
      'Sun 5 Apr 2026, 02:00 GMT+10 (Australia/Sydney)',
    );
  });

  it('prints the zone as given, and formats the same whatever its case', () => {
    const instant = at('2026-07-15T22:00:00Z');
    expect(formatInstant(instant, 'Europe/London', 'short')).toBe(
      'Wed 15 Jul 2026, 23:00 BST (Europe/London)',
    );
    expect(formatInstant(instant, 'europe/london', 'short')).toBe(
      'Wed 15 Jul 2026, 23:00 BST (europe/london)',
    );
  });

  it('throws a RangeError for an unknown zone or an invalid date, every time', () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      expect(() => formatInstant(at('2026-01-21T09:30:00Z'), 'Mars/Olympus_Mons', 'short')).toThrow(
        RangeError,
      );
    }
    expect(() => formatInstant(at('2026-01-21T09:30:00Z'), '', 'long')).toThrow(RangeError);
    expect(() => formatInstant(at('not a date'), 'UTC', 'long')).toThrow(RangeError);
  });
});
