/**
 * `vigil calendar`: the business-day calendar from the shell, for checking a deadline by hand.
 * Needs no database. Instants are printed as ISO 8601 UTC with milliseconds (`toISOString()`),
 * the same form Vigil stores.
 */
import type { Command } from 'commander';
import { Temporal } from 'temporal-polyfill';
import {
  MAX_BUSINESS_DAYS,
  MAX_BUSINESS_HOURS,
  addBusinessDays,
  addBusinessHours,
  listNonBusinessDays,
  requireTimeZone,
  type NonBusinessDay,
} from '../../src/lib/calendar/business-time.js';
import { listHolidays, requireHolidayRegion } from '../../src/lib/calendar/holidays.js';
import { CliError, type Cli } from '../context.js';

/** The options of `vigil calendar add`, as commander hands them over (strings, unvalidated). */
export interface CalendarAddInput {
  from?: string | undefined;
  businessDays?: string | undefined;
  businessHours?: string | undefined;
  timezone?: string | undefined;
  holidays?: string | undefined;
}

export interface CalendarAddResult {
  from: string;
  to: string;
  businessDays?: number;
  businessHours?: number;
  timeZone: string;
  holidays: string | null;
  skipped: NonBusinessDay[];
}

export interface HolidaysInput {
  region?: string | undefined;
  year?: string | undefined;
}

export interface HolidaysResult {
  region: string;
  year: number;
  holidays: { date: string; name: string }[];
}

const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?$/;

/**
 * Reads `--from`: an instant with `Z` or an offset, or a local date (time) without one, taken as
 * wall-clock time in the calendar's zone.
 */
function parseFrom(text: string, timeZone: string): Date {
  if (text.length <= 80) {
    try {
      return new Date(Temporal.Instant.from(text).epochMilliseconds);
    } catch {
      // not an instant; maybe a local date-time below
    }
    if (LOCAL_DATE_TIME.test(text)) {
      try {
        const local = Temporal.PlainDateTime.from(text, { overflow: 'reject' });
        return new Date(local.toZonedDateTime(timeZone, { disambiguation: 'compatible' }).epochMilliseconds);
      } catch {
        // an impossible date such as 2026-02-30: reported below
      }
    }
  }
  throw new CliError(
    `--from "${text.slice(0, 80)}" is not an ISO 8601 date-time (e.g. 2026-12-23T16:00:00Z or 2026-12-23T11:00).`,
    2,
  );
}

function parseCount(flag: string, text: string, max: number, integer: boolean): number {
  const shape = integer ? /^\d{1,6}$/ : /^\d{1,7}(?:\.\d{1,6})?$/;
  const value = Number(text);
  if (!shape.test(text) || value > max) {
    const what = integer ? 'a whole number' : 'a number';
    throw new CliError(`${flag} must be ${what} between 0 and ${max}, got "${text.slice(0, 40)}".`, 2);
  }
  return value;
}

/**
 * The work of `vigil calendar add`: validates the options, computes the deadline and lists the
 * weekend and holiday dates the clock skipped. Throws CliError or ValidationError on bad input.
 */
export function runCalendarAdd(input: CalendarAddInput): CalendarAddResult {
  if (input.from === undefined) throw new CliError('--from is required.', 2);
  if (input.timezone === undefined) throw new CliError('--timezone is required.', 2);
  if ((input.businessDays === undefined) === (input.businessHours === undefined)) {
    throw new CliError('Give exactly one of --business-days and --business-hours.', 2);
  }
  const timeZone = requireTimeZone(input.timezone, '--timezone');
  const holidays =
    input.holidays === undefined || input.holidays === ''
      ? null
      : requireHolidayRegion(input.holidays, '--holidays');
  const from = parseFrom(input.from, timeZone);
  const cal = { timeZone, holidays };
  let to: Date;
  let count: { businessDays: number } | { businessHours: number };
  if (input.businessDays !== undefined) {
    const days = parseCount('--business-days', input.businessDays, MAX_BUSINESS_DAYS, true);
    to = addBusinessDays(from, days, cal);
    count = { businessDays: days };
  } else {
    const hours = parseCount('--business-hours', input.businessHours ?? '', MAX_BUSINESS_HOURS, false);
    to = addBusinessHours(from, hours, cal);
    count = { businessHours: hours };
  }
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    ...count,
    timeZone,
    holidays,
    skipped: listNonBusinessDays(from, to, cal),
  };
}

/** The work of `vigil calendar holidays`: the public holidays of a region in one year. */
export function runCalendarHolidays(input: HolidaysInput): HolidaysResult {
  if (input.region === undefined) throw new CliError('--region is required.', 2);
  if (input.year === undefined || !/^\d{4}$/.test(input.year)) {
    throw new CliError(`--year must be a four-digit year, got "${(input.year ?? '').slice(0, 20)}".`, 2);
  }
  const region = requireHolidayRegion(input.region, '--region');
  const year = Number(input.year);
  return { region, year, holidays: listHolidays(region, year) };
}

/** Registers `vigil calendar add` and `vigil calendar holidays`. */
export function registerCalendarCommand(program: Command, cli: Cli): void {
  const calendar = program
    .command('calendar')
    .description('compute business-day deadlines and list public holidays (no database needed)');

  calendar
    .command('add')
    .description(
      'add business days or hours to an instant; prints the resulting instant in ISO 8601 UTC with milliseconds',
    )
    .requiredOption('--from <iso>', 'start: an instant (2026-12-23T16:00:00Z) or local time in --timezone')
    .option('--business-days <n>', `whole business days to add (0..${MAX_BUSINESS_DAYS})`)
    .option('--business-hours <n>', `business hours to add, fractions allowed (0..${MAX_BUSINESS_HOURS})`)
    .requiredOption('--timezone <tz>', 'IANA time zone of the project, e.g. America/New_York')
    .option('--holidays <code>', 'date-holidays region whose public holidays are skipped, e.g. US, DE-BY')
    .option('--json', 'print from, to, the count, the zone, the region and the skipped dates as JSON')
    .action((opts: CalendarAddInput & { json?: boolean }) => {
      const result = runCalendarAdd(opts);
      cli.output(opts.json, result, () => result.to);
    });

  calendar
    .command('holidays')
    .description('list the public holidays of a date-holidays region in a year')
    .requiredOption('--region <code>', 'date-holidays region, e.g. US, US-CA, DE-BY, GB-ENG')
    .requiredOption('--year <yyyy>', 'the year')
    .option('--json', 'print the list as JSON')
    .action((opts: HolidaysInput & { json?: boolean }) => {
      const result = runCalendarHolidays(opts);
      cli.output(opts.json, result, () =>
        result.holidays.length === 0
          ? `No public holidays for ${result.region} in ${result.year}.`
          : result.holidays.map((h) => `${h.date}  ${h.name}`).join('\n'),
      );
    });
}
