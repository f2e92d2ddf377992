/**
 * Instants in a named time zone, in the browser, with Intl alone: what the disclosure date's forms
 * need to turn a wall time chosen in a zone (not necessarily the browser's) into an absolute
 * instant with its offset, and to say an instant in a zone. The server stores both the instant and
 * the zone; it never guesses either.
 */

const pad = (n: number) => String(n).padStart(2, '0');
const parts = new Map<string, Intl.DateTimeFormat>();

function partsFormat(zone: string): Intl.DateTimeFormat {
  let f = parts.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    parts.set(zone, f);
  }
  return f;
}

/** The wall clock of `zone` at instant `ms`: year, month (1-12), day, hour, minute, second. */
function wallOf(ms: number, zone: string) {
  const p = Object.fromEntries(
    partsFormat(zone)
      .formatToParts(new Date(ms))
      .map((x) => [x.type, x.value]),
  );
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour),
    minute: Number(p.minute),
    second: Number(p.second),
  };
}

/** The offset of `zone` from UTC at instant `ms`, in minutes (Berlin in winter: 60). */
export function zoneOffsetMinutes(ms: number, zone: string): number {
  const w = wallOf(ms, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

/** True when the browser knows `zone` as an IANA time zone. */
export function isKnownTimeZone(zone: string): boolean {
  try {
    partsFormat(zone);
    return true;
  } catch {
    return false;
  }
}

/**
 * A wall time (`YYYY-MM-DDTHH:mm`, as a datetime-local input gives it) in `zone`, as ISO 8601 with
 * the zone's offset at that instant (`2026-12-01T14:00:00+01:00`); null when malformed. A wall time
 * that a DST change skips is read with the offset after the change.
 */
export function wallTimeToIso(local: string, zone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m || !isKnownTimeZone(zone)) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  let offset = zoneOffsetMinutes(wall, zone);
  offset = zoneOffsetMinutes(wall - offset * 60_000, zone);
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return `${local}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** An instant as the wall time of `zone`, for a datetime-local input ('' when invalid). */
export function isoToWallTime(iso: string, zone: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms) || !isKnownTimeZone(zone)) return '';
  const w = wallOf(ms, zone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/** An instant in words in `zone`, naming the zone: `Tue, 1 Dec 2026, 14:00 (Europe/Berlin)`. */
export function formatInZone(iso: string, zone: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms) || !isKnownTimeZone(zone)) return iso;
  const text = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(ms));
  return `${text} (${zone})`;
}

/** The browser's own zone (UTC when it says none). */
export function browserTimeZone(): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone && isKnownTimeZone(zone) ? zone : 'UTC';
}

/** The zones to choose from: the browser's list, with UTC and the ones given first. */
export function timeZoneChoices(first: readonly string[] = []): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set([...first, 'UTC', ...all])];
}

/** A span of seconds as a countdown: `3 days 04:05:06`, `04:05:06`. */
export function countdownText(seconds: number): string {
  const days = Math.floor(seconds / 86_400);
  const rest = seconds % 86_400;
  const clock = `${pad(Math.floor(rest / 3600))}:${pad(Math.floor((rest % 3600) / 60))}:${pad(rest % 60)}`;
  return days > 0 ? `${days} day${days === 1 ? '' : 's'} ${clock}` : clock;
}
