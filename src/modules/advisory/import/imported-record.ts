/**
 * What every import mapper returns, and the mapping rules the formats share: CVSS vectors, CWE
 * ids, credit and reference types, GitHub's ecosystem names, the title. Pure functions.
 */
import { CVSS_METRICS } from '../../../lib/cvss/metrics.js';
import { checkCvss } from '../../../lib/cvss/vector-parser.js';
import { ValidationError } from '../../../lib/errors.js';
import { createCweCatalogue, normalizeCweId } from '../../cwe/cwe-catalogue.js';
import { CREDIT_TYPES, REFERENCE_TYPES, type AdvisoryDocumentInput } from '../advisory.schemas.js';
import { ownValue } from '../../../lib/own-key.js';

/** A piece of the source record that has no home in Vigil's advisory record, or was changed to fit. */
export interface UnmappedField {
  /** The JSON path in the source record, `affected.0.ecosystem_specific`. */
  path: string;
  reason: string;
}

export type ImportFormat = 'osv' | 'ghsa-graphql' | 'ghsa-rest';

/** One source record mapped to an advisory document, with what did not map. */
export interface ImportedRecord {
  format: ImportFormat;
  /** The record's own id: `GHSA-xxxx-xxxx-xxxx`, `PYSEC-2023-74`, `CVE-2023-41045`... */
  sourceId: string;
  /** The mapped document; its `aliases` hold the record's own id and other ids, never a CVE id. */
  document: AdvisoryDocumentInput;
  cveId: string | null;
  publishedAt: string | null;
  modifiedAt: string | null;
  withdrawnAt: string | null;
  unmapped: UnmappedField[];
}

export type Json = Record<string, unknown>;

/** True for a plain JSON object. */
export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value as a trimmed non-empty string, or undefined. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** The value as an array (anything else is an empty one). */
export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** A required string field, or a ValidationError naming it. */
export function requireString(record: Json, field: string, format: string): string {
  const v = str(record[field]);
  if (v === undefined) {
    throw new ValidationError(`The ${format} record has no \`${field}\`.`, [
      { path: field, message: `is required in a ${format} record (a non-empty string)` },
    ]);
  }
  return v;
}

/** The longest record id an import accepts (OSV and GitHub ids are a few dozen characters). */
export const MAX_SOURCE_ID_CHARS = 200;

/** The record's own id at `field`: a non-empty string of at most MAX_SOURCE_ID_CHARS, else a ValidationError. */
export function requireSourceId(record: Json, field: string, format: string): string {
  const id = requireString(record, field, format);
  if (id.length > MAX_SOURCE_ID_CHARS) {
    throw new ValidationError(
      `The ${format} record's \`${field}\` is longer than ${MAX_SOURCE_ID_CHARS} characters.`,
      [{ path: field, message: `at most ${MAX_SOURCE_ID_CHARS} characters` }],
    );
  }
  return id;
}

/** An ISO 8601 instant, normalised; undefined (and a note in `unmapped`) when it does not parse. */
export function instant(v: unknown, path: string, unmapped: UnmappedField[]): string | null {
  const s = str(v);
  if (s === undefined) return null;
  const t = new Date(s);
  if (Number.isNaN(t.getTime())) {
    unmapped.push({ path, reason: `'${s.slice(0, 40)}' is not a date` });
    return null;
  }
  return t.toISOString();
}

const CVE_ID = /^CVE-\d{4}-\d{4,19}$/;

/** True for a CVE id. */
export function isCveId(v: string): boolean {
  return CVE_ID.test(v);
}

/**
 * The document's `aliases`: the record's own id, then its other ids, each once (ignoring case).
 * The CVE id is the advisory's `cveId`, so it is no alias, and another CVE id is reported (the
 * advisory keeps one); Vigil's own `x_` id (a record Vigil exported) names nothing elsewhere. What
 * the document schema refuses is left out, and reported, when the document is fitted.
 */
export function importAliases(
  ownId: string,
  others: { value: string; path: string }[],
  cveId: string | null,
  unmapped: UnmappedField[],
): string[] {
  const out: string[] = [];
  const add = (id: string) => {
    if (!out.some((x) => x.toUpperCase() === id.toUpperCase())) out.push(id);
  };
  if (!isCveId(ownId) && !ownId.startsWith('x_')) add(ownId);
  for (const { value, path } of others) {
    if (value === cveId || value === ownId) continue;
    if (/^cve-/i.test(value)) {
      unmapped.push({
        path,
        reason: `alias ${value}: a second CVE id (the advisory keeps ${cveId ?? 'one'})`,
      });
    } else add(value);
  }
  return out;
}

/**
 * One vector checked by the strict parser. A CVSS v4.0 vector whose metrics are all valid but out
 * of the specification's order (GitHub writes some so) is put in order, and the change reported.
 */
export function importCvssVector(
  raw: string,
  path: string,
  unmapped: UnmappedField[],
): { vector: string } | null {
  const vector = raw.trim();
  const check = checkCvss(vector);
  if (check.ok) return { vector };
  if (check.problems.every((p) => p.code === 'out_of_order') && vector.startsWith('CVSS:4.0/')) {
    const order = new Map(CVSS_METRICS['4.0'].map((m, i) => [m.key, i]));
    const rank = (segment: string) => order.get(segment.split(':')[0] ?? '') ?? Number.MAX_SAFE_INTEGER;
    const sorted = vector
      .slice('CVSS:4.0/'.length)
      .split('/')
      .sort((a, b) => rank(a) - rank(b));
    const fixed = `CVSS:4.0/${sorted.join('/')}`;
    if (checkCvss(fixed).ok) {
      unmapped.push({
        path,
        reason: `the CVSS v4.0 metrics were out of the specification's order; imported as ${fixed}`,
      });
      return { vector: fixed };
    }
  }
  const why = check.problems.map((p) => p.message).join('; ');
  unmapped.push({ path, reason: `CVSS vector '${vector.slice(0, 80)}' refused: ${why}` });
  return null;
}

/** Keeps one vector per CVSS version (the advisory record's rule), reporting the others. */
export function onePerVersion(
  vectors: { vector: string; path: string }[],
  unmapped: UnmappedField[],
): { vector: string }[] {
  const seen = new Set<string>();
  const kept: { vector: string }[] = [];
  for (const v of vectors) {
    const check = checkCvss(v.vector);
    const version = check.ok ? check.parsed.version : v.vector;
    if (seen.has(version)) {
      unmapped.push({ path: v.path, reason: `a second CVSS ${version} vector: Vigil keeps one per version` });
      continue;
    }
    seen.add(version);
    kept.push({ vector: v.vector });
  }
  return kept;
}

const cwes = createCweCatalogue();

/** CWE ids in `CWE-79` form, known to the catalogue; unknown or malformed ones are reported and dropped. */
export function importCwes(ids: { id: unknown; path: string }[], unmapped: UnmappedField[]): string[] {
  const out: string[] = [];
  for (const { id, path } of ids) {
    const normal =
      typeof id === 'string' || typeof id === 'number' ? normalizeCweId(String(id).trim()) : undefined;
    if (!normal || !cwes.isKnownCwe(normal)) {
      unmapped.push({ path, reason: `'${String(id).slice(0, 40)}' is not a known CWE (MITRE CWE 4.15)` });
    } else if (!out.includes(normal)) out.push(normal);
  }
  return out;
}

/** An OSV credit type from any spelling (`finder`, `REMEDIATION_DEVELOPER`); OTHER, reported, otherwise. */
export function creditType(
  v: unknown,
  path: string,
  unmapped: UnmappedField[],
): (typeof CREDIT_TYPES)[number] {
  const t = str(v)?.toUpperCase();
  const known = CREDIT_TYPES.find((c) => c === t);
  if (known) return known;
  unmapped.push({
    path,
    reason: t
      ? `credit type '${t.slice(0, 40)}' is not an OSV type: recorded as OTHER`
      : 'no credit type: recorded as OTHER',
  });
  return 'OTHER';
}

/** An OSV reference type, or WEB (reported) for anything else. */
export function referenceType(
  v: unknown,
  path: string,
  unmapped: UnmappedField[],
): (typeof REFERENCE_TYPES)[number] {
  const t = str(v)?.toUpperCase();
  const known = REFERENCE_TYPES.find((r) => r === t);
  if (known) return known;
  unmapped.push({
    path,
    reason: `reference type '${String(t).slice(0, 40)}' is not an OSV type: recorded as WEB`,
  });
  return 'WEB';
}

/**
 * The type of a bare reference URL (GitHub's GraphQL and REST give no type), as GitHub's own OSV
 * conversion does: advisories ADVISORY, commits and pull requests FIX, issues REPORT, else WEB.
 */
export function inferReferenceType(url: string): (typeof REFERENCE_TYPES)[number] {
  if (
    /nvd\.nist\.gov\/vuln\/detail|github\.com\/advisories\/|\/security\/advisories\/|cve\.org\//i.test(url)
  ) {
    return 'ADVISORY';
  }
  if (/\/commit\/[0-9a-f]{7,}|\/pull\/\d+/i.test(url)) return 'FIX';
  if (/\/issues\/\d+/i.test(url)) return 'REPORT';
  if (/^https:\/\/github\.com\/[^/]+\/[^/]+\/?$/i.test(url)) return 'PACKAGE';
  return 'WEB';
}

/** GitHub's ecosystem names (GraphQL `MAVEN`, REST `maven`) in OSV's spelling. */
const GITHUB_ECOSYSTEMS: Record<string, string> = {
  actions: 'GitHub Actions',
  composer: 'Packagist',
  erlang: 'Hex',
  go: 'Go',
  maven: 'Maven',
  npm: 'npm',
  nuget: 'NuGet',
  pip: 'PyPI',
  pub: 'Pub',
  rubygems: 'RubyGems',
  rust: 'crates.io',
  swift: 'SwiftURL',
};

/** OSV's ecosystem name for a GitHub one; undefined when there is none. */
export function osvEcosystemOfGithub(v: string): string | undefined {
  return ownValue(GITHUB_ECOSYSTEMS, v.toLowerCase());
}

/**
 * The advisory's title: the record's summary, else the first sentence of its details, else its
 * id; one line of at most 300 characters.
 */
export function titleOf(summary: string | undefined, details: string | undefined, id: string): string {
  const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
  const fromDetails = details
    ? oneLine(details.replace(/^[\s#>*_=-]+/gm, ' ')).split(/(?<=[.!?])\s/)[0]
    : undefined;
  const title = oneLine(summary ?? '') || fromDetails || id;
  return title.length > 300 ? `${title.slice(0, 299)}…` : title;
}

/** Reports every key of `obj` not in `consumed`, as `${path}.${key}`. */
export function reportLeftovers(
  obj: Json,
  path: string,
  consumed: readonly string[],
  reason: string,
  unmapped: UnmappedField[],
): void {
  for (const key of Object.keys(obj)) {
    if (!consumed.includes(key)) unmapped.push({ path: path ? `${path}.${key}` : key, reason });
  }
}
