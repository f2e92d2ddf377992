import { describe, expect, it } from 'vitest';
import { runCommand } from '../../test/support/cli.js';
import { ValidationError } from '../../src/lib/errors.js';
import { CliError } from '../context.js';
import { runCalendarAdd, runCalendarHolidays } from './calendar.command.js';

describe('runCalendarAdd', () => {
  it('adds business days and lists the skipped dates', () => {
    const result = runCalendarAdd({
      from: '2026-12-23T16:00:00Z',
      businessDays: '3',
      timezone: 'America/New_York',
      holidays: 'us',
    });
    expect(result).toEqual({
      from: '2026-12-23T16:00:00.000Z',
      to: '2026-12-29T16:00:00.000Z',
      businessDays: 3,
      timeZone: 'America/New_York',
      holidays: 'US',
      skipped: [
        { date: '2026-12-25', reason: 'Christmas Day' },
        { date: '2026-12-26', reason: 'weekend' },
        { date: '2026-12-27', reason: 'weekend' },
      ],
    });
  });

  it('adds business hours and reads a local --from in the given zone', () => {
    // Sat 26 Dec 2026 09:00 New York: the clock starts Mon 28 00:00 EST; + 1.5 h = 06:30Z.
    const result = runCalendarAdd({
      from: '2026-12-26T09:00',
      businessHours: '1.5',
      timezone: 'America/New_York',
    });
    expect(result.from).toBe('2026-12-26T14:00:00.000Z');
    expect(result.to).toBe('2026-12-28T06:30:00.000Z');
    expect(result.businessHours).toBe(1.5);
    expect(result.holidays).toBeNull();
    expect(result.skipped.map((s) => s.date)).toEqual(['2026-12-26', '2026-12-27']);
  });

  it.each([
    [{ from: 'yesterday', businessDays: '1' }, /--from/],
    [{ from: '2026-02-30T10:00', businessDays: '1' }, /--from/],
    [{ from: '2026-12-23T16:00:00Z', businessDays: '-1' }, /--business-days/],
    [{ from: '2026-12-23T16:00:00Z', businessDays: '1.5' }, /--business-days/],
    [{ from: '2026-12-23T16:00:00Z', businessDays: 'three' }, /--business-days/],
    [{ from: '2026-12-23T16:00:00Z', businessDays: '3661' }, /--business-days/],
    [{ from: '2026-12-23T16:00:00Z', businessHours: '1e3' }, /--business-hours/],
    [{ from: '2026-12-23T16:00:00Z', businessDays: '1', businessHours: '2' }, /exactly one/],
    [{ from: '2026-12-23T16:00:00Z' }, /exactly one/],
  ])('refuses %o with a usage error', (input, message) => {
    expect(() => runCalendarAdd({ timezone: 'UTC', ...input })).toThrow(CliError);
    expect(() => runCalendarAdd({ timezone: 'UTC', ...input })).toThrow(message);
  });

  it('refuses unknown zones and regions, naming the option', () => {
    const base = { from: '2026-12-23T16:00:00Z', businessDays: '1' };
    expect(() => runCalendarAdd({ ...base, timezone: 'Mars/Base' })).toThrow(ValidationError);
    try {
      runCalendarAdd({ ...base, timezone: 'UTC', holidays: 'XX' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).issues[0]?.path).toBe('--holidays');
    }
  });
});

describe('runCalendarHolidays', () => {
  it('lists public holidays and refuses bad input', () => {
    const result = runCalendarHolidays({ region: 'us', year: '2026' });
    expect(result.region).toBe('US');
    expect(result.holidays).toContainEqual({ date: '2026-12-25', name: 'Christmas Day' });
    expect(() => runCalendarHolidays({ region: 'US', year: '26' })).toThrow(CliError);
    expect(() => runCalendarHolidays({ region: 'XX', year: '2026' })).toThrow(ValidationError);
  });
});

describe('vigil calendar', () => {
  // The whole command line in this process; test/cli/binary.test.ts runs the built binary.
  it('prints the deadline as one ISO 8601 UTC line', async () => {
    const r = await runCommand([
      'calendar',
      'add',
      '--from',
      '2026-12-23T16:00:00Z',
      '--business-days',
      '3',
      '--timezone',
      'America/New_York',
      '--holidays',
      'US',
    ]);
    expect(r.stdout).toBe('2026-12-29T16:00:00.000Z\n');
    expect(r.code).toBe(0);
  });

  it('prints JSON with --json', async () => {
    const r = await runCommand([
      'calendar',
      'add',
      '--from',
      '2026-12-23T16:00:00Z',
      '--business-hours',
      '24',
      '--timezone',
      'UTC',
      '--json',
    ]);
    expect(JSON.parse(r.stdout)).toMatchObject({
      to: '2026-12-24T16:00:00.000Z',
      businessHours: 24,
      holidays: null,
    });
  });

  it('exits non-zero with a clear message on bad input', async () => {
    const r = await runCommand([
      'calendar',
      'add',
      '--from',
      'soon',
      '--business-days',
      '1',
      '--timezone',
      'UTC',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^vigil: --from "soon" is not an ISO 8601 date-time/);
  });
});
