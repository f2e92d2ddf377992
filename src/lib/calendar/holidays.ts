import type Holidays from 'date-holidays';
import { ValidationError } from '../errors.js';
import { lazyRequire } from '../lazy.js';

/**
 * Holiday regions and their public holidays, from `date-holidays`. Everything here is cached:
 * the calendar is consulted on hot paths (every deadline computation, every overdue scan).
 */

/** One public holiday on one local calendar date (`YYYY-MM-DD`). */
export interface PublicHoliday {
  date: string;
  name: string;
}

const REGION_SHAPE = /^[A-Za-z]{2}(?:-[A-Za-z0-9]{1,16}){0,2}$/;
// Enough years either side of today for any deadline Vigil computes (durations are capped at 10 years).
export const MIN_YEAR = 1970;
export const MAX_YEAR = 2200;

// date-holidays and its tables (moment-timezone, astronomia: about 2 MB of code) load at the first
// question, not at start.
const holidaysClass = lazyRequire<typeof Holidays>('date-holidays');
let directoryInstance: Holidays | undefined;
const directory = (): Holidays => {
  const HolidaysClass = holidaysClass();
  return (directoryInstance ??= new HolidaysClass());
};
const canonicalRegions = new Map<string, string>();
const instances = new Map<string, Holidays>();
const yearLists = new Map<string, PublicHoliday[]>();
const yearDates = new Map<string, ReadonlyMap<string, string>>();

function findKey(keys: Record<string, string> | undefined, wanted: string): string | undefined {
  if (!keys) return undefined;
  const upper = wanted.toUpperCase();
  return Object.keys(keys).find((k) => k.toUpperCase() === upper);
}

/** Resolves a code such as `us-ca` to date-holidays' own spelling (`US-CA`), or undefined when unknown. */
function canonicalRegion(code: string): string | undefined {
  if (!REGION_SHAPE.test(code)) return undefined;
  const cached = canonicalRegions.get(code.toUpperCase());
  if (cached) return cached;
  const [countryIn, stateIn, regionIn] = code.split('-');
  const country = findKey(directory().getCountries(), countryIn ?? '');
  if (!country) return undefined;
  const parts = [country];
  if (stateIn !== undefined) {
    const state = findKey(directory().getStates(country), stateIn);
    if (!state) return undefined;
    parts.push(state);
    if (regionIn !== undefined) {
      const region = findKey(directory().getRegions(country, state), regionIn);
      if (!region) return undefined;
      parts.push(region);
    }
  }
  const canonical = parts.join('-');
  canonicalRegions.set(code.toUpperCase(), canonical);
  return canonical;
}

/**
 * True when `code` names a country (`US`), a state (`US-CA`, `GB-ENG`) or a region within a state
 * (`DE-BY-A`) known to date-holidays. Case-insensitive.
 */
export function isValidHolidayRegion(code: string): boolean {
  return canonicalRegion(code) !== undefined;
}

/** Returns the canonical spelling of a holiday region, or throws a ValidationError naming `field`. */
export function requireHolidayRegion(code: string, field = 'holidays'): string {
  const canonical = canonicalRegion(code);
  if (!canonical) {
    throw new ValidationError(`Unknown holiday region "${code.slice(0, 40)}".`, [
      { path: field, message: 'Use a date-holidays code such as US, US-CA, DE-BY or GB-ENG.' },
    ]);
  }
  return canonical;
}

function instanceFor(canonical: string): Holidays {
  let hd = instances.get(canonical);
  if (!hd) {
    const [country = '', state, region] = canonical.split('-');
    const HolidaysClass = holidaysClass();
    hd =
      state === undefined
        ? new HolidaysClass(country)
        : region === undefined
          ? new HolidaysClass(country, state)
          : new HolidaysClass(country, state, region);
    instances.set(canonical, hd);
  }
  return hd;
}

function requireYear(year: number): void {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    throw new ValidationError(`Year must be a whole number between ${MIN_YEAR} and ${MAX_YEAR}.`, [
      { path: 'year', message: `Expected ${MIN_YEAR}..${MAX_YEAR}.` },
    ]);
  }
}

/**
 * Each local date covered by the public holidays that date-holidays computes for `year`. A holiday
 * longer than a day (several days of Eid, for instance) covers every date it spans; one that starts
 * in the afternoon still covers its whole date. Dates may spill into the next year.
 */
function expandYear(canonical: string, year: number): PublicHoliday[] {
  const out: PublicHoliday[] = [];
  for (const h of instanceFor(canonical).getHolidays(year, 'en')) {
    if (h.type !== 'public') continue;
    const first = h.date.slice(0, 10);
    // Days, rounded so that a 23- or 25-hour DST day still counts as one.
    const span = Math.max(1, Math.round((h.end.getTime() - h.start.getTime()) / 86_400_000));
    for (let i = 0; i < span; i++) out.push({ date: i === 0 ? first : shiftDate(first, i), name: h.name });
  }
  return out;
}

function shiftDate(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Public holidays whose date falls in `year` (including spill-over from the year before), sorted. */
function holidaysInYear(canonical: string, year: number): PublicHoliday[] {
  const key = `${canonical}|${year}`;
  let list = yearLists.get(key);
  if (!list) {
    const prefix = `${year}-`;
    const seen = new Set<string>();
    list = [...expandYear(canonical, year - 1), ...expandYear(canonical, year)]
      .filter((h) => h.date.startsWith(prefix))
      .filter((h) => {
        const id = `${h.date}|${h.name}`;
        if (seen.has(id)) return false;
        seen.add(id);
        return true;
      })
      .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    yearLists.set(key, list);
  }
  return list;
}

/**
 * The public holidays (date-holidays type `public`; bank, optional, observance and school holidays
 * are ignored) of `region` whose local date falls in `year`, sorted by date, names in English where
 * date-holidays has them. Throws ValidationError for an unknown region or an out-of-range year.
 */
export function listHolidays(region: string, year: number): { date: string; name: string }[] {
  const canonical = requireHolidayRegion(region, 'region');
  requireYear(year);
  return holidaysInYear(canonical, year).map((h) => ({ ...h }));
}

/**
 * The name of the public holiday on `isoDate` (`YYYY-MM-DD`) in the canonical region, or undefined.
 * Callers pass a region already resolved by requireHolidayRegion.
 */
export function publicHolidayOn(canonical: string, isoDate: string): string | undefined {
  const year = Number(isoDate.slice(0, 4));
  const key = `${canonical}|${year}`;
  let dates = yearDates.get(key);
  if (!dates) {
    const map = new Map<string, string>();
    for (const h of holidaysInYear(canonical, year)) {
      const prev = map.get(h.date);
      map.set(h.date, prev ? `${prev}; ${h.name}` : h.name);
    }
    dates = map;
    yearDates.set(key, dates);
  }
  return dates.get(isoDate);
}
