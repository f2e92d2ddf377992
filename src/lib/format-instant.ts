/**
 * One way to say a time to a person: an instant in a time zone, in one of a few named styles.
 * Mail, rendered advisories and the intake receipt all print instants through `formatInstant`.
 */

/**
 * The styles, by example (2026-01-21T09:30:00Z in Europe/Berlin):
 *
 * - `short`: `Wed 21 Jan 2026, 10:30 CET (Europe/Berlin)`: the zone's abbreviation and its name (mail).
 * - `long`: `Wednesday, 21 January 2026 at 10:30 (Europe/Berlin)` (the intake receipt, advisories).
 * - `long-date`: `Wednesday, 21 January 2026`: the date alone; the caller says which zone it is in.
 */
export type InstantStyle = 'short' | 'long' | 'long-date';

type Part = Intl.DateTimeFormatPartTypes;

interface StyleSpec {
  options: Intl.DateTimeFormatOptions;
  // Assembled from parts: the punctuation Intl puts between them differs across ICU versions
  // (en-GB's comma after the weekday, say), and this text ends up in mail and published pages.
  assemble(part: (type: Part) => string, zone: string): string;
}

const STYLES: Record<InstantStyle, StyleSpec> = {
  short: {
    options: {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    },
    assemble: (part, zone) =>
      `${part('weekday')} ${part('day')} ${part('month')} ${part('year')}, ${part('hour')}:${part('minute')} ${part('timeZoneName')} (${zone})`,
  },
  long: {
    options: {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    },
    assemble: (part, zone) =>
      `${part('weekday')}, ${part('day')} ${part('month')} ${part('year')} at ${part('hour')}:${part('minute')} (${zone})`,
  },
  'long-date': {
    options: { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' },
    assemble: (part) => `${part('weekday')}, ${part('day')} ${part('month')} ${part('year')}`,
  },
};

// Keyed by style and zone. Zone names are case-insensitive, so one key per zone whatever the
// spelling; an unknown zone throws before anything is stored: the cache holds at most
// (known zones) x (styles) formatters.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string, style: InstantStyle): Intl.DateTimeFormat {
  const key = `${style} ${zone.toLowerCase()}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', { ...STYLES[style].options, timeZone: zone });
    formatters.set(key, formatter);
  }
  return formatter;
}

/**
 * `instant` as a person reads it in `zone` (an IANA name, printed as given), in `style`. Pure,
 * apart from a cache of `Intl.DateTimeFormat`s. Throws a RangeError for a zone Intl does not know
 * or an invalid Date, as `Intl.DateTimeFormat` does: callers validate zones where they enter.
 */
export function formatInstant(instant: Date, zone: string, style: InstantStyle): string {
  const parts = formatterFor(zone, style).formatToParts(instant);
  const part = (type: Part) => parts.find((p) => p.type === type)?.value ?? '';
  return STYLES[style].assemble(part, zone);
}
