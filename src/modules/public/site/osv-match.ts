/**
 * Which OSV records a query of osv.dev's API matches (`POST /v1/query`), following osv.dev's
 * matcher (google/osv.dev `go/internal/database/datastore/vulnerability_matching.go`) over the
 * records themselves, without its git graph:
 *
 * - A package query names an ecosystem and a package (or a purl). An affected entry matches when
 *   its ecosystem is the query's, or the query names its base (`Debian` for `Debian:12`), and its
 *   name is the query's (PyPI names normalised: lower case, runs of `-_.` as `-`). Without a
 *   version every such entry matches; without an ecosystem, any ecosystem does.
 * - With a version: a version in the entry's `versions` list (equal by the ecosystem's ordering,
 *   or as text when it has none), or a version inside a SEMVER or ECOSYSTEM range. A range's events
 *   are sorted by version (and introduced < last_affected < fixed < limit at one version); the
 *   greatest event at or below the version decides: `introduced` affects, `last_affected` affects
 *   only the version itself, `fixed` and `limit` do not. `introduced: 0` is before every version.
 *   Ranges of ecosystems without an ordering here (see version-order.ts) are not evaluated.
 * - Ecosystem `GIT`: the package name is a repository URL (scheme and `.git` ignored) of an
 *   entry's GIT range, and the version a tag of its `versions` list (osv.dev's tag normalisation).
 * - A commit query: osv.dev matches every commit its git analysis places inside a GIT range. Vigil
 *   clones nothing, so it matches the commits the record itself names as affected: a GIT range's
 *   `introduced` (but `0`) and `last_affected` events, and a commit listed in `versions`. A commit
 *   between them, or on another branch, is not found; `fixed` and `limit` commits never match.
 *
 * Pure: the records are the published advisories' OSV exports.
 */
import type { OsvAffected, OsvRecord } from '../../advisory/export/osv.js';
import { ecosystemOrder, orderFor, type VersionCompare } from './version-order.js';
import { ownValue } from '../../../lib/own-key.js';

/** A query as the matcher reads it (the API's shape, validated and with its purl resolved). */
export type MatchQuery =
  | { kind: 'package'; ecosystem: string | null; name: string; version: string | null }
  | { kind: 'commit'; commit: string };

const EVENT_ORDER: Record<string, number> = { introduced: 0, last_affected: 1, fixed: 2, limit: 3 };

type Event = { type: string; value: string };

const eventOf = (e: Record<string, string>): Event => {
  const [type, value] = Object.entries(e)[0] ?? ['', ''];
  return { type, value };
};

/** Is `version` inside the range of `events`, ordered by `compare`? */
export function inRange(events: readonly Event[], version: string, compare: VersionCompare): boolean {
  const zero = (e: Event) => e.type === 'introduced' && e.value === '0';
  const sorted = [...events].sort((a, b) => {
    if (zero(a) || zero(b)) return zero(a) === zero(b) ? 0 : zero(a) ? -1 : 1;
    return (
      compare(a.value, b.value) || (ownValue(EVENT_ORDER, a.type) ?? 4) - (ownValue(EVENT_ORDER, b.type) ?? 4)
    );
  });
  for (let i = sorted.length - 1; i >= 0; i--) {
    const e = sorted[i];
    if (!e) continue;
    const c = zero(e) ? 1 : compare(version, e.value);
    if (c < 0) continue;
    if (e.type === 'introduced') return true;
    return c === 0 && e.type === 'last_affected';
  }
  return false;
}

/** PyPI compares names normalised (PEP 503); the others as written. */
function normalizeName(ecosystem: string, name: string): string {
  return ecosystem.split(':')[0] === 'PyPI' ? name.toLowerCase().replace(/[-_.]+/g, '-') : name;
}

/** A repository URL without scheme, credentials, `.git` and trailing slashes: `github.com/curl/curl`. */
export function normalizeRepo(url: string): string {
  return url
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .replace(/^[^@/]*@/, '')
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .replace(/\/+$/, '')
    .toLowerCase();
}

/** osv.dev's tag normalisation: the runs of digits and pre-release words, joined by `-`. */
function normalizeTag(tag: string): string {
  const v = tag.startsWith('.') ? `0${tag}` : tag;
  const parts: string[] = [];
  for (const m of v.matchAll(/\d+|rc\d*|alpha\d*|beta\d*|preview\d*/gi)) {
    const word = /^[a-z]/i.test(m[0]);
    if (word && m.index > 0 && /[a-z]/i.test(v[m.index - 1] ?? '')) continue;
    parts.push(m[0]);
  }
  return parts.length ? parts.join('-') : v;
}

const canonicalTag = (v: string) =>
  v
    .toLowerCase()
    .replace(/[-_.]+/g, '.')
    .replace(/^\.+|\.+$/g, '');

/** A tag of `tags` is the version (the repository's name as a tag prefix ignored, as osv.dev does). */
function tagMatches(version: string, tags: readonly string[], repo: string): boolean {
  const segments = normalizeRepo(repo).split('/');
  const name = segments[segments.length - 1] ?? '';
  const owner = segments[segments.length - 2] ?? '';
  const strip = (t: string) => {
    let s = t;
    if (owner && s.startsWith(owner)) s = s.slice(owner.length);
    if (name && s.startsWith(name)) s = s.slice(name.length);
    return s.replace(/^-/, '');
  };
  return tags.some((tag) => {
    if (tag === version) return true;
    const t = strip(tag);
    return normalizeTag(t) === normalizeTag(version) || canonicalTag(t) === canonicalTag(version);
  });
}

/** An affected package entry and a version: in its `versions` list, or in one of its ranges. */
function versionAffected(a: OsvAffected, ecosystem: string, version: string): boolean {
  const order = ecosystemOrder(ecosystem);
  const listed = (a.versions ?? []).some((v) => (order ? order(v, version) === 0 : v === version));
  if (listed) return true;
  return (a.ranges ?? []).some((r) => {
    if (r.type === 'GIT') return false;
    const compare = orderFor(r.type, ecosystem);
    return compare !== null && inRange(r.events.map(eventOf), version, compare);
  });
}

function packageMatches(a: OsvAffected, q: Extract<MatchQuery, { kind: 'package' }>): boolean {
  const pkg = a.package;
  if (pkg && q.ecosystem !== 'GIT') {
    const base = pkg.ecosystem.split(':')[0];
    const ecosystemOk = q.ecosystem === null || q.ecosystem === pkg.ecosystem || q.ecosystem === base;
    if (ecosystemOk && normalizeName(pkg.ecosystem, pkg.name) === normalizeName(pkg.ecosystem, q.name)) {
      if (q.version === null || versionAffected(a, pkg.ecosystem, q.version)) return true;
    }
  }
  // osv.dev files an entry with GIT ranges under its (first) repository too, ecosystem `GIT`.
  const repo = a.ranges?.find((r) => r.type === 'GIT' && r.repo)?.repo;
  if (repo && (q.ecosystem === 'GIT' || q.ecosystem === null)) {
    if (normalizeRepo(repo) === normalizeRepo(q.name)) {
      return q.version === null || tagMatches(q.version, a.versions ?? [], repo);
    }
  }
  return false;
}

function commitMatches(a: OsvAffected, commit: string): boolean {
  const named = (a.ranges ?? [])
    .filter((r) => r.type === 'GIT')
    .flatMap((r) =>
      r.events
        .map(eventOf)
        .filter((e) => (e.type === 'introduced' && e.value !== '0') || e.type === 'last_affected')
        .map((e) => e.value.toLowerCase()),
    );
  return named.includes(commit) || (a.versions ?? []).some((v) => v.toLowerCase() === commit);
}

/** The records `query` matches, by id (osv.dev answers in id order), each once. */
export function matchRecords(query: MatchQuery, records: readonly OsvRecord[]): OsvRecord[] {
  const hit = (a: OsvAffected) =>
    query.kind === 'commit' ? commitMatches(a, query.commit.toLowerCase()) : packageMatches(a, query);
  return records
    .filter((r) => !r.withdrawn && (r.affected ?? []).some(hit))
    .sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}
