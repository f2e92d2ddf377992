import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { isValidHolidayRegion, listHolidays } from './holidays.js';

describe('isValidHolidayRegion', () => {
  it('accepts countries, states and regions, case-insensitively', () => {
    for (const code of ['US', 'US-CA', 'DE-BY', 'GB-ENG', 'AU-NSW', 'DE-BY-A', 'us-ca', 'nz-can-timaru']) {
      expect(isValidHolidayRegion(code), code).toBe(true);
    }
  });

  it('refuses unknown or malformed codes', () => {
    for (const code of ['', 'XX', 'US-ZZ', 'DE-BY-ZZZ', 'USA', 'US_CA', 'US-CA-X-Y', 'x'.repeat(500)]) {
      expect(isValidHolidayRegion(code), code).toBe(false);
    }
  });
});

describe('listHolidays', () => {
  it('lists the public US holidays of 2026: Christmas Eve is not one', () => {
    const dates = listHolidays('US', 2026).map((h) => h.date);
    expect(dates).toContain('2026-12-25');
    expect(dates).toContain('2026-01-01');
    expect(dates).not.toContain('2026-12-24');
    expect(dates).toEqual([...dates].sort());
  });

  it('includes substitute days, even one that falls on 31 December for the next New Year', () => {
    // 1 January 2028 is a Saturday, so the federal holiday is observed on Friday 31 December 2027.
    const byDate = new Map(listHolidays('US', 2027).map((h) => [h.date, h.name]));
    expect(byDate.get('2027-12-31')).toMatch(/New Year/);
    expect(byDate.get('2027-12-24')).toMatch(/Christmas/);
    expect([...byDate.keys()].every((d) => d.startsWith('2027-'))).toBe(true);
  });

  it('keeps only public holidays: German bank holidays and observances are left out', () => {
    const dates = listHolidays('DE-BY', 2026).map((h) => h.date);
    expect(dates).toContain('2026-06-04'); // Fronleichnam, public in Bavaria
    expect(dates).not.toContain('2026-12-24'); // Heiliger Abend: bank holiday from 14:00
    expect(dates).not.toContain('2026-05-10'); // Mother's Day: observance
    expect(listHolidays('DE', 2026).map((h) => h.date)).not.toContain('2026-06-04');
  });

  it('expands a public holiday longer than a day into each of its dates', () => {
    // Armenia's New Year holiday lasts two days.
    const dates = listHolidays('AM', 2026).map((h) => h.date);
    expect(dates).toEqual(expect.arrayContaining(['2026-01-01', '2026-01-02']));
  });

  it('rejects unknown regions and years out of range with a ValidationError naming the field', () => {
    expect(() => listHolidays('XX', 2026)).toThrow(ValidationError);
    try {
      listHolidays('US', 1800);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).issues[0]?.path).toBe('year');
    }
  });

  it('returns copies: callers cannot corrupt the cache', () => {
    const first = listHolidays('US', 2026);
    first[0]!.date = '1999-01-01';
    first.pop();
    expect(listHolidays('US', 2026)[0]?.date).toBe('2026-01-01');
    expect(listHolidays('US', 2026)).toHaveLength(first.length + 1);
  });
});
