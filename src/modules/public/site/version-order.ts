/**
 * Version orderings for OSV range evaluation, as osv.dev evaluates them (its Go matcher parses
 * with osv-scalibr's `semantic` package; these are ports of the parts Vigil uses):
 *
 * - SEMVER ranges, and ECOSYSTEM ranges of the ecosystems osv.dev orders as SemVer (Go, npm,
 *   crates.io, Hex, Bitnami, Julia, SwiftURL, ...): SemVer 2.0.0 precedence, read leniently (a
 *   leading `v`, missing minor/patch read as 0, build metadata ignored).
 * - PyPI: PEP 440 (epoch, release, pre/post/dev, local; non-PEP 440 "legacy" versions sort first).
 * - Packagist: PHP's `version_compare` (dev < alpha < beta < RC < release < patch).
 *
 * Any other ecosystem has no ordering here: its ranges are not evaluated and only its explicit
 * `versions` lists match (osv.dev falls back the same way for versions it cannot parse). Pure.
 */
import { ownValue } from '../../../lib/own-key.js';

/** Compares two versions: negative, zero or positive, like `Array.prototype.sort`'s comparator. */
export type VersionCompare = (a: string, b: string) => number;

/** OSV ecosystems osv.dev orders with SemVer precedence (osv-scalibr `semantic.Parse`). */
const SEMVER_ECOSYSTEMS = new Set([
  'Bitnami',
  'Bioconductor',
  'ConanCenter',
  'crates.io',
  'Docker Hardened Images',
  'GHC',
  'Go',
  'Hex',
  'Julia',
  'npm',
  'SwiftURL',
  'VSCode',
]);

/** The ecosystems whose ECOSYSTEM ranges Vigil evaluates (the others match by `versions` only). */
export const ORDERED_ECOSYSTEMS: readonly string[] = [...SEMVER_ECOSYSTEMS, 'PyPI', 'Packagist'].sort();

/** The ordering of a range: SEMVER ranges by SemVer, ECOSYSTEM ranges by the ecosystem's own; null when unknown. */
export function orderFor(
  rangeType: 'SEMVER' | 'ECOSYSTEM',
  ecosystem: string | undefined,
): VersionCompare | null {
  if (rangeType === 'SEMVER') return compareSemver;
  const base = (ecosystem ?? '').split(':')[0] ?? '';
  if (SEMVER_ECOSYSTEMS.has(base)) return compareSemver;
  if (base === 'PyPI') return comparePep440;
  if (base === 'Packagist') return comparePackagist;
  return null;
}

/** The ordering of an ecosystem's versions (for its `versions` lists), or null. */
export function ecosystemOrder(ecosystem: string | undefined): VersionCompare | null {
  return orderFor('ECOSYSTEM', ecosystem);
}

const sign = (n: number | bigint): number => (n > 0 ? 1 : n < 0 ? -1 : 0);
const DIGITS = /^\d+$/;

function compareNumbers(a: string, b: string): number {
  return sign(BigInt(a) - BigInt(b));
}

/** Numeric components padded with zeros, compared in turn. */
function compareComponents(a: readonly bigint[], b: readonly bigint[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = sign((a[i] ?? 0n) - (b[i] ?? 0n));
    if (d !== 0) return d;
  }
  return 0;
}

// ---- SemVer ------------------------------------------------------------------------------

interface SemverLike {
  components: bigint[];
  /** What follows the numbers: `-alpha.1`, `+build`; the components past the third appended. */
  build: string;
}

/**
 * osv-scalibr's `ParseSemverVersion`: a leading `v` dropped, dot-separated numbers until the first
 * other character, which starts the pre-release/build string; components past the third move into it.
 */
export function parseSemverLike(version: string): SemverLike {
  const text = version.startsWith('v') ? version.slice(1) : version;
  const components: bigint[] = [];
  let current = '';
  let build: string | null = null;
  for (const c of text) {
    if (build !== null) {
      build += c;
      continue;
    }
    if (c >= '0' && c <= '9') {
      current += c;
      continue;
    }
    if (current !== '') components.push(BigInt(current));
    current = '';
    if (c === '.') continue;
    build = c;
  }
  if (build === null && current !== '') components.push(BigInt(current));
  const extra = components.splice(3).map((n) => `.${n}`);
  return { components, build: (build ?? '') + extra.join('') };
}

/** SemVer 2.0.0 §11 on the pre-release part: a release sorts after its pre-releases; build metadata is ignored. */
function comparePrerelease(a: string, b: string): number {
  const pa = (a.split('+')[0] ?? '').replace(/^-/, '');
  const pb = (b.split('+')[0] ?? '').replace(/^-/, '');
  if (pa === '' || pb === '') return pa === pb ? 0 : pa === '' ? 1 : -1;
  const xs = pa.split('.');
  const ys = pb.split('.');
  for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
    const x = xs[i] ?? '';
    const y = ys[i] ?? '';
    const xn = DIGITS.test(x);
    const yn = DIGITS.test(y);
    const d = xn && yn ? compareNumbers(x, y) : xn ? -1 : yn ? 1 : x < y ? -1 : x > y ? 1 : 0;
    if (d !== 0) return d;
  }
  return sign(xs.length - ys.length);
}

/** SemVer precedence, read as osv.dev reads it (see `parseSemverLike`). */
export const compareSemver: VersionCompare = (a, b) => {
  const x = parseSemverLike(a);
  const y = parseSemverLike(b);
  return compareComponents(x.components, y.components) || comparePrerelease(x.build, y.build);
};

// ---- PEP 440 -----------------------------------------------------------------------------

/** PEP 440 Appendix B's version pattern (lower-cased input), with a leading `v` allowed. */
const PEP440 =
  /^\s*v?(?:(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\.[0-9]+)*)(?<pre>[-_.]?(?<pre_l>(a|b|c|rc|alpha|beta|pre|preview))[-_.]?(?<pre_n>[0-9]+)?)?(?<post>(?:-(?<post_n1>[0-9]+))|(?:[-_.]?(?<post_l>post|rev|r)[-_.]?(?<post_n2>[0-9]+)?))?(?<dev>[-_.]?(?<dev_l>dev)[-_.]?(?<dev_n>[0-9]+)?)?)(?:\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$/;

interface LetterNumber {
  letter: string;
  number: bigint;
}

interface Pep440 {
  legacy: string[] | null;
  epoch: bigint;
  release: bigint[];
  pre: LetterNumber | null;
  post: LetterNumber | null;
  dev: LetterNumber | null;
  local: string[];
}

const SPELLINGS: Record<string, string> = {
  alpha: 'a',
  beta: 'b',
  c: 'rc',
  pre: 'rc',
  preview: 'rc',
  rev: 'post',
  r: 'post',
};

function letterNumber(letter: string | undefined, number: string | undefined): LetterNumber | null {
  if (letter) return { letter: ownValue(SPELLINGS, letter) ?? letter, number: BigInt(number || '0') };
  if (number) return { letter: 'post', number: BigInt(number) };
  return null;
}

/** setuptools' legacy ordering for versions PEP 440 does not parse (they sort before every PEP 440 one). */
function legacyParts(version: string): string[] {
  const parts: string[] = [];
  for (const raw of [...(version.match(/\d+|[a-z]+|\.|-/g) ?? []), 'final']) {
    if (raw === '.') continue;
    const named: Record<string, string> = { pre: 'c', preview: 'c', '-': 'final-', rc: 'c', dev: '@' };
    let part = ownValue(named, raw) ?? raw;
    part = /^\d/.test(part) ? part.padStart(8, '0') : `*${part}`;
    if (part.startsWith('*')) {
      if (part < '*final') while (parts[parts.length - 1] === '*final-') parts.pop();
      while (parts[parts.length - 1] === '00000000') parts.pop();
    }
    parts.push(part);
  }
  return parts;
}

/** A PyPI version, PEP 440 or legacy (osv-scalibr `ParsePyPIVersion`). */
export function parsePep440(version: string): Pep440 {
  const text = version.toLowerCase();
  const m = PEP440.exec(text)?.groups;
  if (!m) {
    return {
      legacy: legacyParts(text),
      epoch: -1n,
      release: [],
      pre: null,
      post: null,
      dev: null,
      local: [],
    };
  }
  return {
    legacy: null,
    epoch: BigInt(m.epoch ?? '0'),
    release: (m.release ?? '0').split('.').map((r) => BigInt(r)),
    pre: letterNumber(m.pre_l, m.pre_n),
    post: letterNumber(m.post_l, m.post_n1 ?? m.post_n2),
    dev: letterNumber(m.dev_l, m.dev_n),
    local: m.local ? m.local.split(/[-_.]/) : [],
  };
}

/** Absent sorts first (`-1`) or last (`1`) against present; two present compare by `then`. */
function optional<T>(a: T | null, b: T | null, absent: 1 | -1, then: (x: T, y: T) => number): number {
  if (a === null && b === null) return 0;
  if (a === null) return absent;
  if (b === null) return -absent;
  return then(a, b);
}

function comparePre(a: Pep440, b: Pep440): number {
  // 1.0.dev0 sorts before 1.0a0: a dev release without pre or post acts as the lowest pre-release.
  const trick = (v: Pep440) => v.pre === null && v.post === null && v.dev !== null;
  if (trick(a) || trick(b)) return trick(a) === trick(b) ? 0 : trick(a) ? -1 : 1;
  return optional(a.pre, b.pre, 1, (x, y) =>
    x.letter[0] === y.letter[0]
      ? sign(x.number - y.number)
      : (x.letter[0] ?? '') < (y.letter[0] ?? '')
        ? -1
        : 1,
  );
}

function compareLocal(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    const xn = DIGITS.test(x);
    const yn = DIGITS.test(y);
    // A numeric segment sorts after a lexical one.
    const d = xn && yn ? compareNumbers(x, y) : xn ? 1 : yn ? -1 : x < y ? -1 : x > y ? 1 : 0;
    if (d !== 0) return d;
  }
  return sign(a.length - b.length);
}

/** PEP 440 ordering (legacy versions first, compared by their normalised parts). */
export const comparePep440: VersionCompare = (a, b) => {
  const x = parsePep440(a);
  const y = parsePep440(b);
  if (x.legacy || y.legacy) {
    if (!x.legacy || !y.legacy) return x.legacy ? -1 : 1;
    const [p, q] = [x.legacy.join(''), y.legacy.join('')];
    return p < q ? -1 : p > q ? 1 : 0;
  }
  const byNumber = (p: LetterNumber, q: LetterNumber) => sign(p.number - q.number);
  return (
    sign(x.epoch - y.epoch) ||
    compareComponents(x.release, y.release) ||
    comparePre(x, y) ||
    optional(x.post, y.post, -1, byNumber) ||
    optional(x.dev, y.dev, 1, byNumber) ||
    compareLocal(x.local, y.local)
  );
};

// ---- Packagist (PHP version_compare) -----------------------------------------------------

function packagistParts(version: string): string[] {
  return version
    .replace(/^[vV]/, '')
    .replace(/[-_+]/g, '.')
    .replace(/([^\d.])(\d)/g, '$1.$2')
    .replace(/(\d)([^\d.])/g, '$1.$2')
    .split('.');
}

/** PHP's special forms, weighed: anything else < dev < alpha < beta < RC < (a number) < patch. */
function packagistWeight(part: string): number {
  if (part.startsWith('RC')) return 3;
  const index = ['dev', 'a', 'b', 'rc', '#', 'p'].findIndex((s) => part.startsWith(s));
  return index === -1 ? 0 : index;
}

function comparePackagistParts(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    const xn = DIGITS.test(x);
    const yn = DIGITS.test(y);
    const d =
      xn && yn ? compareNumbers(x, y) : sign(packagistWeight(xn ? '#' : x) - packagistWeight(yn ? '#' : y));
    if (d !== 0) return d;
  }
  if (a.length > b.length)
    return DIGITS.test(a[b.length] ?? '') ? 1 : comparePackagistParts(a.slice(b.length), ['#']);
  if (a.length < b.length)
    return DIGITS.test(b[a.length] ?? '') ? -1 : comparePackagistParts(['#'], b.slice(a.length));
  return 0;
}

/** PHP `version_compare` ordering, as Packagist versions sort. */
export const comparePackagist: VersionCompare = (a, b) =>
  comparePackagistParts(packagistParts(a), packagistParts(b));
