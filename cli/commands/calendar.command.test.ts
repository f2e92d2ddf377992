import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/lib/errors.js';
import { CliError } from '../context.js';
import { runCalendarAdd, runCalendarHolidays } from './calendar.command.js';

const run = promisify(execFile);
const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

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

describe('the vigil binary', () => {
  // Compiles the CLI into a scratch copy of bin/ + dist/ so the test neither needs nor disturbs ./dist.
  let root = '';
  let bin = '';

  beforeAll(async () => {
    mkdirSync(join(repo, 'node_modules', '.cache'), { recursive: true });
    root = mkdtempSync(join(repo, 'node_modules', '.cache', 'vigil-calendar-cli-'));
    mkdirSync(join(root, 'bin'));
    bin = join(root, 'bin', 'vigil');
    copyFileSync(join(repo, 'bin', 'vigil'), bin);
    const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
    // Other modules' type errors must not hide this command: tsc still emits, and the run below fails loudly.
    await run(process.execPath, [
      tsc,
      '-p',
      join(repo, 'tsconfig.build.json'),
      '--outDir',
      join(root, 'dist'),
    ]).catch(() => undefined);
    expect(existsSync(join(root, 'dist', 'cli', 'main.js'))).toBe(true);
  }, 120_000);

  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('prints the deadline as one ISO 8601 UTC line', async () => {
    const { stdout } = await run(process.execPath, [
      bin,
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
    expect(stdout).toBe('2026-12-29T16:00:00.000Z\n');
  });

  it('prints JSON with --json', async () => {
    const args = [
      'calendar',
      'add',
      '--from',
      '2026-12-23T16:00:00Z',
      '--business-hours',
      '24',
      '--timezone',
      'UTC',
    ];
    const { stdout } = await run(process.execPath, [bin, ...args, '--json']);
    expect(JSON.parse(stdout)).toMatchObject({
      to: '2026-12-24T16:00:00.000Z',
      businessHours: 24,
      holidays: null,
    });
  });

  it('exits non-zero with a clear message on bad input', async () => {
    const args = ['calendar', 'add', '--from', 'soon', '--business-days', '1', '--timezone', 'UTC'];
    const failure = await run(process.execPath, [bin, ...args]).then(
      () => undefined,
      (err: { code?: number; stderr?: string }) => err,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toMatch(/^vigil: --from "soon" is not an ISO 8601 date-time/);
  });
});
