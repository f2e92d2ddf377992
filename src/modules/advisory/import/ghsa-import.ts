/**
 * GitHub advisories in GitHub's own shapes, as advisory documents: the GraphQL `SecurityAdvisory`
 * object and the REST global or repository advisory (`ghsa_id`, `vulnerabilities[]`). GitHub's
 * advisory-database files are OSV and go through osv-import.ts instead.
 */
import type { AdvisoryDocumentInput } from '../advisory.schemas.js';
import {
  arr,
  creditType,
  importAliases,
  importCvssVector,
  importCwes,
  inferReferenceType,
  instant,
  isCveId,
  isObject,
  onePerVersion,
  osvEcosystemOfGithub,
  reportLeftovers,
  requireSourceId,
  str,
  titleOf,
  type ImportFormat,
  type ImportedRecord,
  type Json,
  type UnmappedField,
} from './imported-record.js';

type AffectedInput = NonNullable<AdvisoryDocumentInput['affected']>[number];
type EventInput = NonNullable<AffectedInput['ranges']>[number]['events'][number];

/**
 * A GitHub vulnerable version range (`>= 2.5.0, < 2.5.16`, `<= 1.0.8`, `= 0.2.0`) as OSV events,
 * or as the one affected version of `= x`. `firstPatched` confirms a `< x` bound; null when the
 * range cannot be written in OSV (a `>` bound, two lower bounds).
 */
export function parseVersionRange(range: string): { events: EventInput[] } | { versions: string[] } | null {
  const parts = range
    .split(',')
    .map((p) => /^\s*(>=|<=|<|=)\s*(\S+)\s*$/.exec(p))
    .map((m) => (m ? { op: m[1] ?? '', version: m[2] ?? '' } : null));
  if (!parts.length || parts.some((p) => p === null)) return null;
  const ops = parts.flatMap((p) => (p ? [p] : []));
  const eq = ops.find((p) => p.op === '=');
  if (eq) return ops.length === 1 ? { versions: [eq.version] } : null;
  const lower = ops.filter((p) => p.op === '>=');
  const upper = ops.filter((p) => p.op === '<' || p.op === '<=');
  if (lower.length > 1 || upper.length > 1 || lower.length + upper.length !== ops.length) return null;
  const events: EventInput[] = [{ introduced: lower[0]?.version ?? '0' }];
  const up = upper[0];
  if (up) events.push(up.op === '<' ? { fixed: up.version } : { last_affected: up.version });
  return { events };
}

interface GithubVulnerability {
  ecosystem: unknown;
  name: unknown;
  range: unknown;
  firstPatched: unknown;
  path: string;
}

function mapVulnerability(v: GithubVulnerability, unmapped: UnmappedField[]): AffectedInput | null {
  const ghEcosystem = str(v.ecosystem);
  const ecosystem = ghEcosystem ? osvEcosystemOfGithub(ghEcosystem) : undefined;
  const name = str(v.name);
  if (!ecosystem || !name) {
    unmapped.push({
      path: v.path,
      reason: ecosystem
        ? 'a vulnerability without a package name: left out'
        : `GitHub ecosystem '${ghEcosystem ?? '?'}' has no OSV name: left out`,
    });
    return null;
  }
  const text = str(v.range);
  const parsed = text ? parseVersionRange(text) : null;
  if (text && !parsed) {
    unmapped.push({
      path: `${v.path}.vulnerableVersionRange`,
      reason: `range '${text}' cannot be written in OSV`,
    });
  }
  const patched = str(v.firstPatched);
  if (patched) {
    const fixes =
      parsed && 'events' in parsed ? parsed.events.flatMap((e) => ('fixed' in e ? [e.fixed] : [])) : [];
    if (!fixes.includes(patched)) {
      unmapped.push({
        path: `${v.path}.firstPatchedVersion`,
        reason: `first patched version ${patched} is not the range's fixed bound: not recorded`,
      });
    }
  }
  return {
    ecosystem,
    package: name,
    ranges: parsed && 'events' in parsed ? [{ type: 'ECOSYSTEM', events: parsed.events }] : [],
    ...(parsed && 'versions' in parsed ? { versions: parsed.versions } : {}),
  };
}

/** The version of a `{ identifier }` object (GraphQL, REST) or a bare string (REST). */
function patchedOf(v: unknown): unknown {
  return isObject(v) ? v.identifier : v;
}

interface Common {
  format: ImportFormat;
  id: string;
  summary: unknown;
  description: unknown;
  identifiers: unknown;
  cveId: unknown;
  references: string[];
  vulnerabilities: GithubVulnerability[];
  vectors: { raw: unknown; path: string }[];
  cwes: { id: unknown; path: string }[];
  credits: { name: unknown; type: unknown; path: string }[];
  published: [unknown, string];
  modified: [unknown, string];
  withdrawn: [unknown, string];
}

function build(c: Common, unmapped: UnmappedField[]): ImportedRecord {
  const ids = arr(c.identifiers).flatMap((x, i) => {
    const value = isObject(x) ? str(x.value) : undefined;
    return value ? [{ value, path: `identifiers.${i}` }] : [];
  });
  const cveId = str(c.cveId) ?? ids.find((x) => isCveId(x.value))?.value ?? null;
  const summary = str(c.summary);
  const description = typeof c.description === 'string' ? c.description : '';
  const vectors = c.vectors.flatMap(({ raw, path }) => {
    const s = str(raw);
    const kept = s ? importCvssVector(s, path, unmapped) : null;
    return kept ? [{ ...kept, path }] : [];
  });
  const document: AdvisoryDocumentInput = {
    title: titleOf(summary, description, c.id),
    summary: summary ?? '',
    description,
    affected: c.vulnerabilities.flatMap((v) => mapVulnerability(v, unmapped) ?? []),
    references: c.references.map((url) => ({ type: inferReferenceType(url), url })),
    credits: c.credits.flatMap(({ name, type, path }) => {
      const n = str(name);
      if (!n) {
        unmapped.push({ path, reason: 'a credit without a name: left out' });
        return [];
      }
      return [{ name: n, type: creditType(type, `${path}.type`, unmapped) }];
    }),
    severity: { cvss: onePerVersion(vectors, unmapped) },
    cwes: importCwes(c.cwes, unmapped),
    aliases: importAliases(c.id, ids, cveId, unmapped),
  };
  return {
    format: c.format,
    sourceId: c.id,
    document,
    cveId: cveId && isCveId(cveId) ? cveId : null,
    publishedAt: instant(c.published[0], c.published[1], unmapped),
    modifiedAt: instant(c.modified[0], c.modified[1], unmapped),
    withdrawnAt: instant(c.withdrawn[0], c.withdrawn[1], unmapped),
    unmapped,
  };
}

/** Vectors of GitHub's `cvss` and `cvss_severities` (one per version; the legacy field may repeat v3). */
function dedupeVectors(list: { raw: unknown; path: string }[]) {
  const seen = new Set<string>();
  return list.filter(({ raw }) => {
    const s = str(raw);
    if (!s || seen.has(s)) return false;
    seen.add(s);
    return true;
  });
}

const GRAPHQL_READ = [
  'ghsaId',
  'identifiers',
  'references',
  'description',
  'summary',
  'cvss',
  'cvssSeverities',
  'cwes',
  'publishedAt',
  'updatedAt',
  'withdrawnAt',
  'vulnerabilities',
  // Derived or GitHub's own: the severity band comes from the CVSS vector, the permalink from the id.
  'severity',
  'permalink',
  'id',
  'databaseId',
];

/** Maps GitHub's GraphQL `SecurityAdvisory` object; throws a ValidationError without `ghsaId`. */
export function importGhsaGraphql(record: Json): ImportedRecord {
  const id = requireSourceId(record, 'ghsaId', 'GitHub GraphQL advisory');
  const unmapped: UnmappedField[] = [];
  const sev = isObject(record.cvssSeverities) ? record.cvssSeverities : {};
  const vector = (o: unknown) => (isObject(o) ? o.vectorString : undefined);
  reportLeftovers(record, '', GRAPHQL_READ, 'no place in the record', unmapped);
  const vulnerabilities = isObject(record.vulnerabilities) ? arr(record.vulnerabilities.nodes) : [];
  return build(
    {
      format: 'ghsa-graphql',
      id,
      summary: record.summary,
      description: record.description,
      identifiers: record.identifiers,
      cveId: undefined,
      references: arr(record.references).flatMap((r) =>
        isObject(r) && str(r.url) ? [str(r.url) ?? ''] : [],
      ),
      vulnerabilities: vulnerabilities.map((v, i) => {
        const o = isObject(v) ? v : {};
        const pkg = isObject(o.package) ? o.package : {};
        return {
          ecosystem: pkg.ecosystem,
          name: pkg.name,
          range: o.vulnerableVersionRange,
          firstPatched: patchedOf(o.firstPatchedVersion),
          path: `vulnerabilities.nodes.${i}`,
        };
      }),
      vectors: dedupeVectors([
        { raw: vector(sev.cvssV4), path: 'cvssSeverities.cvssV4' },
        { raw: vector(sev.cvssV3), path: 'cvssSeverities.cvssV3' },
        { raw: vector(record.cvss), path: 'cvss' },
      ]),
      cwes: (isObject(record.cwes) ? arr(record.cwes.nodes) : []).map((c, i) => ({
        id: isObject(c) ? c.cweId : c,
        path: `cwes.nodes.${i}`,
      })),
      credits: [],
      published: [record.publishedAt, 'publishedAt'],
      modified: [record.updatedAt, 'updatedAt'],
      withdrawn: [record.withdrawnAt, 'withdrawnAt'],
    },
    unmapped,
  );
}

const REST_READ = [
  'ghsa_id',
  'cve_id',
  'identifiers',
  'references',
  'description',
  'summary',
  'cvss',
  'cvss_severities',
  'cwes',
  'cwe_ids',
  'credits',
  'credits_detailed',
  'published_at',
  'updated_at',
  'withdrawn_at',
  'vulnerabilities',
  'severity',
  'url',
  'html_url',
];

/** Maps a GitHub REST advisory (global or repository); throws a ValidationError without `ghsa_id`. */
export function importGhsaRest(record: Json): ImportedRecord {
  const id = requireSourceId(record, 'ghsa_id', 'GitHub REST advisory');
  const unmapped: UnmappedField[] = [];
  const sev = isObject(record.cvss_severities) ? record.cvss_severities : {};
  const vector = (o: unknown) => (isObject(o) ? o.vector_string : undefined);
  reportLeftovers(record, '', REST_READ, 'no place in the record', unmapped);
  // Repository advisories list credits twice (`credits` and `credits_detailed`): read one.
  const creditsKey = Array.isArray(record.credits_detailed) ? 'credits_detailed' : 'credits';
  return build(
    {
      format: 'ghsa-rest',
      id,
      summary: record.summary,
      description: record.description,
      identifiers: record.identifiers,
      cveId: record.cve_id,
      references: arr(record.references).flatMap((r) => {
        const url = isObject(r) ? str(r.url) : str(r);
        return url ? [url] : [];
      }),
      vulnerabilities: arr(record.vulnerabilities).map((v, i) => {
        const o = isObject(v) ? v : {};
        const pkg = isObject(o.package) ? o.package : {};
        if (arr(o.vulnerable_functions).length) {
          unmapped.push({
            path: `vulnerabilities.${i}.vulnerable_functions`,
            reason: 'no place in the record',
          });
        }
        return {
          ecosystem: pkg.ecosystem,
          name: pkg.name,
          range: o.vulnerable_version_range,
          firstPatched: patchedOf(o.first_patched_version ?? o.patched_versions),
          path: `vulnerabilities.${i}`,
        };
      }),
      vectors: dedupeVectors([
        { raw: vector(sev.cvss_v4), path: 'cvss_severities.cvss_v4' },
        { raw: vector(sev.cvss_v3), path: 'cvss_severities.cvss_v3' },
        { raw: vector(record.cvss), path: 'cvss' },
      ]),
      cwes: [
        ...arr(record.cwes).map((c, i) => ({ id: isObject(c) ? c.cwe_id : c, path: `cwes.${i}` })),
        ...arr(record.cwe_ids).map((c, i) => ({ id: c, path: `cwe_ids.${i}` })),
      ],
      credits: arr(record[creditsKey]).map((c, i) => {
        const o = isObject(c) ? c : {};
        const user = isObject(o.user) ? o.user : {};
        return { name: user.login ?? o.login, type: o.type, path: `${creditsKey}.${i}` };
      }),
      published: [record.published_at, 'published_at'],
      modified: [record.updated_at, 'updated_at'],
      withdrawn: [record.withdrawn_at, 'withdrawn_at'],
    },
    unmapped,
  );
}
