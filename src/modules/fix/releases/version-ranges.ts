/**
 * Reading an advisory's affected versions as intervals of versions, to tell which release lines
 * (`1.28` = every `1.28.*`) they touch. Pure. Versions compare as SemVer 2.0.0 (numeric release
 * parts, then pre-release identifiers), read leniently so that ECOSYSTEM ranges of most ecosystems
 * compare too: a leading `v` is dropped, any number of release parts is padded with zeros, a suffix
 * right after the numbers (`-rc.1`, `rc1`, `.dev0`) is a pre-release, and build metadata (`+…`) is
 * ignored. A version with no leading number (a commit, `1:2.3-4` with an epoch) cannot be placed:
 * it is reported, never guessed. GIT ranges (commits) have no order across branches and are skipped.
 */
import type { AffectedEntry } from '../../advisory/advisory.schemas.js';

/** A version in comparable form. */
export interface ParsedVersion {
  release: number[];
  /** Pre-release identifiers (empty: a release, which sorts after all its pre-releases). */
  pre: (number | string)[];
}

/** An end of an interval: a version, or open (`introduced: "0"`, no fix). */
export type Bound = ParsedVersion | 'min' | 'max';

/** Versions from `from` (included) up to `to` (included when `toInclusive`). */
export interface Segment {
  from: Bound;
  to: Bound;
  toInclusive: boolean;
}

// Numbers, then an optional pre-release suffix and build metadata; nothing else (no epoch `1:`).
const VERSION = /^v?(\d+(?:\.\d+)*)((?:[-._]?[0-9A-Za-z]+(?:[-.][0-9A-Za-z]+)*)?)(?:\+[0-9A-Za-z.-]*)?$/i;

/** The version in comparable form, or null when it does not start with a number. */
export function parseVersion(text: string): ParsedVersion | null {
  const m = VERSION.exec(text.trim());
  if (!m || m[1] === undefined) return null;
  const release = m[1].split('.').map(Number);
  if (release.some((n) => !Number.isSafeInteger(n))) return null;
  const pre = (m[2] ?? '')
    .replace(/^[-._]/, '')
    .split(/[.-]/)
    .filter((s) => s !== '')
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  return { release, pre };
}

function compareIdentifiers(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Negative, zero or positive as `a` sorts before, with or after `b` (SemVer precedence). */
export function compareVersions(a: ParsedVersion, b: ParsedVersion): number {
  const n = Math.max(a.release.length, b.release.length);
  for (let i = 0; i < n; i++) {
    const d = (a.release[i] ?? 0) - (b.release[i] ?? 0);
    if (d !== 0) return d;
  }
  // A release sorts after its pre-releases.
  if (a.pre.length === 0 || b.pre.length === 0) return b.pre.length - a.pre.length;
  for (let i = 0; i < Math.min(a.pre.length, b.pre.length); i++) {
    const d = compareIdentifiers(a.pre[i] as number | string, b.pre[i] as number | string);
    if (d !== 0) return d;
  }
  return a.pre.length - b.pre.length;
}

function compareBounds(a: Bound, b: Bound): number {
  if (a === b) return 0;
  if (a === 'min' || b === 'max') return -1;
  if (a === 'max' || b === 'min') return 1;
  return compareVersions(a, b);
}

/** A supported line `X.Y` as its parts, or null when it is not that shape. */
export function parseLine(line: string): [number, number] | null {
  const m = /^(\d+)\.(\d+)$/.exec(line);
  return m ? [Number(m[1]), Number(m[2])] : null;
}

/**
 * Every version of line `X.Y`: from its first release `X.Y.0` up to `X.(Y+1).0-0` (the lowest
 * pre-release of the next line), excluded. Pre-releases of `X.Y.0` come before the line's first
 * release, from the main branch: they are not the line's.
 */
function lineBounds([major, minor]: [number, number]): { low: ParsedVersion; high: ParsedVersion } {
  return {
    low: { release: [major, minor, 0], pre: [] },
    high: { release: [major, minor + 1, 0], pre: [0] },
  };
}

/** True when some version of line `X.Y` lies in the segment. */
export function segmentTouchesLine(s: Segment, line: [number, number]): boolean {
  const { low, high } = lineBounds(line);
  if (compareBounds(s.from, high) >= 0) return false;
  const end = compareBounds(s.to, low);
  return s.toInclusive ? end >= 0 : end > 0;
}

/** True when the segment reaches versions after every version of line `X.Y` (newer lines, or main). */
export function segmentReachesAbove(s: Segment, line: [number, number]): boolean {
  const { high } = lineBounds(line);
  const end = compareBounds(s.to, high);
  return end > 0 || (end === 0 && s.toInclusive);
}

type Range = AffectedEntry['ranges'][number];
type Event = Range['events'][number];

/** What an advisory's affected entries say, as intervals. */
export interface AffectedReading {
  segments: Segment[];
  /** Versions that could not be placed (`affected.0.ranges.1: 1:2.3-4`), for the explanation. */
  unreadable: string[];
  /** True when some entry gives its versions only as commits (GIT ranges). */
  gitOnly: boolean;
}

function eventValue(e: Event): { kind: 'introduced' | 'fixed' | 'last_affected' | 'limit'; value: string } {
  if ('introduced' in e) return { kind: 'introduced', value: e.introduced };
  if ('fixed' in e) return { kind: 'fixed', value: e.fixed };
  if ('last_affected' in e) return { kind: 'last_affected', value: e.last_affected };
  return { kind: 'limit', value: e.limit };
}

/**
 * One range's intervals, OSV's way: the events sorted by version (`introduced: "0"` first), an
 * `introduced` opens an interval, a `fixed` or `limit` closes it before that version, a
 * `last_affected` closes it at that version; an interval still open at the end has no upper end.
 */
export function rangeSegments(r: Range): { segments: Segment[]; unreadable: string[] } {
  const events: { kind: ReturnType<typeof eventValue>['kind']; at: Bound }[] = [];
  const unreadable: string[] = [];
  for (const e of r.events) {
    const { kind, value } = eventValue(e);
    if (kind === 'introduced' && value === '0') {
      events.push({ kind, at: 'min' });
      continue;
    }
    const v = parseVersion(value);
    if (v) events.push({ kind, at: v });
    else unreadable.push(value);
  }
  if (unreadable.length > 0) return { segments: [], unreadable };
  events.sort((a, b) => compareBounds(a.at, b.at));
  const segments: Segment[] = [];
  let open: Bound | null = null;
  for (const e of events) {
    if (e.kind === 'introduced') {
      open ??= e.at;
    } else if (open !== null) {
      segments.push({ from: open, to: e.at, toInclusive: e.kind === 'last_affected' });
      open = null;
    }
  }
  if (open !== null) segments.push({ from: open, to: 'max', toInclusive: true });
  return { segments, unreadable };
}

/** Every interval the affected entries name (ranges other than GIT, and listed versions). */
export function readAffected(entries: readonly AffectedEntry[]): AffectedReading {
  const reading: AffectedReading = { segments: [], unreadable: [], gitOnly: false };
  for (const entry of entries) {
    const ordered = entry.ranges.filter((r) => r.type !== 'GIT');
    if (entry.ranges.length > 0 && ordered.length === 0 && (entry.versions ?? []).length === 0) {
      reading.gitOnly = true;
    }
    for (const r of ordered) {
      const { segments, unreadable } = rangeSegments(r);
      reading.segments.push(...segments);
      reading.unreadable.push(...unreadable);
    }
    for (const text of entry.versions ?? []) {
      const v = parseVersion(text);
      if (v) reading.segments.push({ from: v, to: v, toInclusive: true });
      else reading.unreadable.push(text);
    }
  }
  return reading;
}
