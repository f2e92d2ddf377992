/**
 * CVE JSON 5.1 record export: the record a CNA submits for the advisory's CVE id, derived from the
 * advisory document (CVE_JSON_bundled_5.1.1.json). A PUBLISHED record for a published advisory, a
 * REJECTED one for a withdrawn or rejected advisory. A draft has no record state yet (the schema
 * knows only those two): it is refused as a record, and `toCve5CnaDraft` gives the CNA its draft
 * container instead, the `{ cnaContainer }` body CVE Services takes, without cveMetadata. Pure: the
 * caller passes the advisory and the CNA's identity.
 *
 * The schema requires `cveMetadata.cveId`, and a CNA container alone is not a record: an advisory
 * without a CVE id (or without what the CNA container requires) is refused with a ValidationError
 * naming each missing field, rather than exporting a record with an invented id.
 *
 * The document's `aliases` (GHSA, PYSEC... ids) are left out: CVE JSON 5 has no field for other
 * ids, its references are URLs, and only some prefixes have a URL one could derive (an invented
 * link to a GHSA that is still private would be wrong). A team that wants the GitHub advisory
 * linked lists its URL among the references, which the record carries.
 */
import { parseCvss } from '../../../lib/cvss/vector-parser.js';
import { scoreCvss, severityOf } from '../../../lib/cvss/scores.js';
import type { CvssVersion } from '../../../lib/cvss/metrics.js';
import { ConflictError, ValidationError, type FieldIssue } from '../../../lib/errors.js';
import { createCweCatalogue } from '../../cwe/cwe-catalogue.js';
import {
  packageOf,
  patchedVersions,
  repositoryName,
  repositoryOf,
  type AdvisoryDocument,
  type AdvisoryState,
} from '../advisory.schemas.js';

/** What an export reads of an advisory: a subset of the advisory service's view. */
export interface ExportableAdvisory {
  advisoryId: string;
  state: AdvisoryState;
  stateReason: string | null;
  cveId: string | null;
  revision: number;
  document: AdvisoryDocument;
  createdAt: string;
  updatedAt: string;
}

export interface Cve5Context {
  /** The CNA's organisation UUID (CVE Services fills in the real one; a placeholder is fine for review). */
  orgId: string;
  /** The CNA's short name (2 to 32 characters). */
  shortName?: string | undefined;
  /** The vendor name for products that are not in a package registry CVE knows (the project's name). */
  vendor: string;
  /** `Vigil 0.1.0`: goes to `x_generator.engine`. */
  generator: string;
}

type Json = Record<string, unknown>;

const cwes = createCweCatalogue();

/** Registry URLs for `collectionURL`, from the examples the schema lists. */
const COLLECTION_URLS: Readonly<Record<string, string>> = {
  npm: 'https://registry.npmjs.org',
  PyPI: 'https://pypi.python.org',
  'crates.io': 'https://crates.io',
  Go: 'https://pkg.go.dev',
  Maven: 'https://repo.maven.apache.org/maven2',
  RubyGems: 'https://rubygems.org',
  NuGet: 'https://nuget.org/packages',
  Packagist: 'https://packagist.org',
  Hex: 'https://repo.hex.pm',
  Pub: 'https://pub.dev',
  Hackage: 'https://hackage.haskell.org',
  CRAN: 'https://cran.r-project.org',
  ConanCenter: 'https://conan.io/center',
  'GitHub Actions': 'https://github.com',
  Debian: 'https://packages.debian.org',
};

/** OSV reference types with a CVE reference tag of the same meaning; the others go untagged. */
const REFERENCE_TAGS: Readonly<Record<string, string>> = {
  FIX: 'patch',
  REPORT: 'issue-tracking',
  ARTICLE: 'technical-description',
  EVIDENCE: 'exploit',
  DETECTION: 'signature',
  PACKAGE: 'product',
};

const MAX_DESCRIPTION = 4096;
const MAX_MEDIA = 16_384;

/**
 * The CVE JSON 5.1 record of an advisory. Throws ConflictError for a draft (no record state yet:
 * see `toCve5CnaDraft`), ValidationError (one issue per missing field) when the advisory has no CVE
 * id, or, for a PUBLISHED record, no affected product, no reference or neither summary nor
 * description: the CNA container requires them.
 */
export function toCve5(advisory: ExportableAdvisory, context: Cve5Context): Json {
  if (advisory.state === 'draft') {
    throw new ConflictError(
      `Advisory ${advisory.advisoryId} is a draft: a CVE record is either published or rejected, and a draft is neither yet. ` +
        'Export the draft CNA container for your CNA instead (?draft=true), or publish the advisory first.',
    );
  }
  const rejected = advisory.state === 'withdrawn' || advisory.state === 'rejected';
  const doc = advisory.document;
  const issues: FieldIssue[] = [];
  if (!advisory.cveId) {
    issues.push({
      path: 'cveId',
      message: 'a CVE record needs the CVE id: record the id your CNA assigned (or request one) first',
    });
  }
  if (!rejected) issues.push(...containerIssues(doc));
  if (issues.length > 0 || !advisory.cveId) throw refusal(advisory, issues);
  const providerMetadata = {
    orgId: context.orgId,
    ...(context.shortName ? { shortName: context.shortName } : {}),
  };
  const cveMetadata = {
    cveId: advisory.cveId,
    assignerOrgId: context.orgId,
    ...(context.shortName ? { assignerShortName: context.shortName } : {}),
    state: rejected ? 'REJECTED' : 'PUBLISHED',
  };
  const base = { dataType: 'CVE_RECORD', dataVersion: '5.1' };
  if (rejected) {
    const reason = advisory.stateReason?.trim() || `This candidate was ${advisory.state} by its CNA.`;
    return {
      ...base,
      cveMetadata,
      containers: {
        cna: {
          providerMetadata,
          rejectedReasons: [{ lang: 'en', value: clip(reason, MAX_DESCRIPTION) }],
          x_generator: { engine: context.generator },
        },
      },
    };
  }
  return { ...base, cveMetadata, containers: { cna: cnaContainer(doc, context, providerMetadata) } };
}

/**
 * A draft advisory for the CNA: `{ cnaContainer }`, the CNA container of the record-to-be (as CVE
 * Services takes it when the CNA creates the record), with no cveMetadata, so no state and no
 * publication date: CVE Services assigns those when the CNA publishes. Needs no CVE id (the CNA
 * may not have one yet); refuses, naming each field, what the container itself requires.
 */
export function toCve5CnaDraft(advisory: ExportableAdvisory, context: Cve5Context): Json {
  const issues = containerIssues(advisory.document);
  if (issues.length > 0) throw refusal(advisory, issues);
  const providerMetadata = {
    orgId: context.orgId,
    ...(context.shortName ? { shortName: context.shortName } : {}),
  };
  return { cnaContainer: cnaContainer(advisory.document, context, providerMetadata) };
}

/** What a PUBLISHED CNA container requires of the document. */
function containerIssues(doc: AdvisoryDocument): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (doc.affected.length === 0)
    issues.push({ path: 'document.affected', message: 'needs at least one affected product' });
  if (doc.references.length === 0)
    issues.push({ path: 'document.references', message: 'needs at least one reference' });
  if (!doc.description.trim() && !doc.summary.trim())
    issues.push({ path: 'document.description', message: 'needs a summary or a description' });
  return issues;
}

function refusal(advisory: ExportableAdvisory, issues: FieldIssue[]): ValidationError {
  return new ValidationError(
    `Advisory ${advisory.advisoryId} cannot be exported as a CVE record yet: ${issues.map((i) => i.path).join(', ')}.`,
    issues,
  );
}

function cnaContainer(doc: AdvisoryDocument, context: Cve5Context, providerMetadata: Json): Json {
  const cna: Json = { providerMetadata, title: clip(doc.title, 256) };
  cna.descriptions = [describe(doc.description.trim() ? doc.description : doc.summary)];
  cna.affected = doc.affected.map((a) => affectedProduct(a, context));
  if (doc.cwes.length > 0) {
    cna.problemTypes = uniqueBy(
      doc.cwes.map((id) => cwes.getCwe(id)),
      (c) => c.id,
    ).map((c) => ({
      descriptions: [{ lang: 'en', type: 'CWE', cweId: c.id, description: `${c.id}: ${c.name}` }],
    }));
  }
  const metrics = doc.severity.cvss.map((c) => cvssMetric(c.vector));
  if (metrics.length > 0) cna.metrics = metrics;
  cna.references = uniqueBy(
    doc.references.map((r) => ({ type: r.type, url: asciiUri(r.url) })),
    (r) => r.url,
  ).map((r) => {
    const tag = REFERENCE_TAGS[r.type];
    return tag ? { url: r.url, tags: [tag] } : { url: r.url };
  });
  const workarounds = [doc.workarounds, doc.mitigations].filter((t) => t.trim());
  if (workarounds.length > 0) cna.workarounds = unique(workarounds).map(describe);
  const solutions = [
    ...patchedVersions(doc)
      .filter((p) => p.versions.length > 0)
      .map((p) => `Upgrade ${p.package} (${p.ecosystem}) to ${p.versions.join(' or ')} or later.`),
    ...doc.affected.flatMap(commitSolution),
  ];
  if (solutions.length > 0)
    cna.solutions = [{ lang: 'en', value: clip(solutions.join('\n'), MAX_DESCRIPTION) }];
  if (doc.credits.length > 0) {
    cna.credits = uniqueBy(doc.credits, (c) => `${c.type}\u0000${c.name}`).map((c) => ({
      lang: 'en',
      value: c.name,
      type: c.type.toLowerCase().replace('_', ' '),
    }));
  }
  cna.x_generator = { engine: context.generator };
  return cna;
}

/** A description: the text (clipped to the schema's 4096), and the Markdown as supporting media. */
function describe(markdown: string): Json {
  return {
    lang: 'en',
    value: clip(markdown, MAX_DESCRIPTION),
    supportingMedia: [{ type: 'text/markdown', base64: false, value: clip(markdown, MAX_MEDIA) }],
  };
}

type Affected = AdvisoryDocument['affected'][number];
type Range = Affected['ranges'][number];

/** For an entry without a package: update to a revision that includes its fixed commits. */
function commitSolution(a: Affected): string[] {
  const repo = repositoryOf(a);
  if (packageOf(a) || !repo) return [];
  const commits = [
    ...new Set(a.ranges.flatMap((r) => r.events.flatMap((e) => ('fixed' in e ? [e.fixed] : [])))),
  ];
  if (commits.length === 0) return [];
  return [`Update ${repositoryName(repo)} to a revision that includes commit ${commits.join(' or ')}.`];
}

/**
 * One CVE product. A package of a registry CVE knows gets its `collectionURL` and `packageName`;
 * an entry without a package is the product its repository names (`graylog2-server`), with the
 * repository as `repo` and its commits as `git` versions.
 */
function affectedProduct(a: Affected, context: Cve5Context): Json {
  const pkg = packageOf(a);
  const repo = repositoryOf(a);
  let product: Json;
  if (pkg) {
    const ecosystem = pkg.ecosystem.split(':')[0] ?? pkg.ecosystem;
    const collectionURL = COLLECTION_URLS[ecosystem];
    product = collectionURL
      ? { vendor: context.vendor, product: pkg.package, collectionURL, packageName: pkg.package }
      : { vendor: context.vendor, product: pkg.package };
  } else {
    const name = repo ? repositoryName(repo) : '';
    product = { vendor: context.vendor, product: name.split('/').pop() || name || 'unnamed repository' };
  }
  if (repo) product.repo = asciiUri(repo);
  const versions = uniqueBy(
    [
      ...a.ranges.flatMap(rangeVersions),
      ...(a.versions ?? []).map((v) => ({ version: v, status: 'affected' })),
    ],
    (v) => JSON.stringify(v),
  );
  if (versions.length > 0) {
    product.versions = versions;
    // Outside the listed ranges and versions a package is not affected (OSV's reading of `affected`).
    product.defaultStatus = 'unaffected';
  } else {
    product.defaultStatus = 'unknown';
  }
  return product;
}

/**
 * OSV range events as CVE version entries: `introduced` up to `fixed`/`limit` (lessThan) or
 * `last_affected`. Commits have no order across branches, so in a GIT range every end after one
 * `introduced` closes its own entry (`introduced: 0, fixed: A, fixed: B` is a fix on two branches).
 */
function rangeVersions(r: Range): Json[] {
  const versionType = r.type === 'SEMVER' ? 'semver' : r.type === 'GIT' ? 'git' : 'custom';
  const out: Json[] = [];
  let start: string | undefined;
  let closed: string | undefined;
  for (const e of r.events) {
    if ('introduced' in e) {
      if (start !== undefined) out.push({ version: start, status: 'affected', versionType, lessThan: '*' });
      start = e.introduced;
      closed = undefined;
      continue;
    }
    const from = start ?? (r.type === 'GIT' ? closed : undefined);
    if (from === undefined) continue;
    if ('fixed' in e) out.push({ version: from, status: 'affected', versionType, lessThan: e.fixed });
    else if ('limit' in e) out.push({ version: from, status: 'affected', versionType, lessThan: e.limit });
    else out.push({ version: from, status: 'affected', versionType, lessThanOrEqual: e.last_affected });
    closed = from;
    start = undefined;
  }
  // An open range: affected from `introduced` on, with no fix yet.
  if (start !== undefined) out.push({ version: start, status: 'affected', versionType, lessThan: '*' });
  return out;
}

const METRIC_KEYS: Readonly<Record<CvssVersion, string>> = {
  '2.0': 'cvssV2_0',
  '3.0': 'cvssV3_0',
  '3.1': 'cvssV3_1',
  '4.0': 'cvssV4_0',
};

/** The base metrics under the property names of FIRST's CVSS JSON schemas (which the CVE schema embeds). */
const FIELD_NAMES: Readonly<Record<'2.0' | '3' | '4.0', Readonly<Record<string, string>>>> = {
  '2.0': {
    AV: 'accessVector',
    AC: 'accessComplexity',
    Au: 'authentication',
    C: 'confidentialityImpact',
    I: 'integrityImpact',
    A: 'availabilityImpact',
  },
  '3': {
    AV: 'attackVector',
    AC: 'attackComplexity',
    PR: 'privilegesRequired',
    UI: 'userInteraction',
    S: 'scope',
    C: 'confidentialityImpact',
    I: 'integrityImpact',
    A: 'availabilityImpact',
  },
  '4.0': {
    AV: 'attackVector',
    AC: 'attackComplexity',
    AT: 'attackRequirements',
    PR: 'privilegesRequired',
    UI: 'userInteraction',
    VC: 'vulnConfidentialityImpact',
    VI: 'vulnIntegrityImpact',
    VA: 'vulnAvailabilityImpact',
    SC: 'subConfidentialityImpact',
    SI: 'subIntegrityImpact',
    SA: 'subAvailabilityImpact',
  },
};

/** Metric values whose JSON name is not the specification's name in capitals. */
const VALUE_EXCEPTIONS: Readonly<Record<string, string>> = {
  '2.0 AV A': 'ADJACENT_NETWORK',
  '3 AV A': 'ADJACENT_NETWORK',
};

/** Names of metric values as FIRST's JSON schemas spell them: `NETWORK`, `LOW`, `PROOF_OF_CONCEPT`... */
const VALUE_NAMES: Readonly<Record<string, string>> = {
  N: 'NONE',
  L: 'LOW',
  H: 'HIGH',
  M: 'MEDIUM',
};

/**
 * One CVSS metric object as the CVE schema (FIRST's JSON schemas) defines it: version, the vector,
 * the base score and severity, and every base metric spelled out. v2.0 has no severity field.
 */
export function cvssJson(vector: string): Json {
  const parsed = parseCvss(vector);
  const score = scoreCvss(parsed);
  const family = parsed.version === '3.0' || parsed.version === '3.1' ? '3' : parsed.version;
  const out: Json = { version: parsed.version, vectorString: parsed.vector, baseScore: score.baseScore };
  if (parsed.version !== '2.0') out.baseSeverity = severityOf(score.baseScore, parsed.version).toUpperCase();
  for (const [key, field] of Object.entries(FIELD_NAMES[family])) {
    const value = parsed.metrics[key];
    if (value !== undefined) out[field] = metricValueName(family, key, value);
  }
  return out;
}

function metricValueName(family: string, key: string, value: string): string {
  const exception = VALUE_EXCEPTIONS[`${family} ${key} ${value}`];
  if (exception) return exception;
  if (key === 'AV') return { N: 'NETWORK', A: 'ADJACENT', L: 'LOCAL', P: 'PHYSICAL' }[value] ?? value;
  if (key === 'UI') return { N: 'NONE', R: 'REQUIRED', P: 'PASSIVE', A: 'ACTIVE' }[value] ?? value;
  if (key === 'S') return { U: 'UNCHANGED', C: 'CHANGED' }[value] ?? value;
  if (key === 'AT') return { N: 'NONE', P: 'PRESENT' }[value] ?? value;
  if (key === 'Au') return { M: 'MULTIPLE', S: 'SINGLE', N: 'NONE' }[value] ?? value;
  if (family === '2.0' && ['C', 'I', 'A'].includes(key)) {
    return { N: 'NONE', P: 'PARTIAL', C: 'COMPLETE' }[value] ?? value;
  }
  return VALUE_NAMES[value] ?? value;
}

function cvssMetric(vector: string): Json {
  const json = cvssJson(vector);
  const version = parseCvss(vector).version;
  return { [METRIC_KEYS[version]]: json };
}

/**
 * A URL as RFC 3986 spells it (the schemas' `uri` format): non-ASCII path and query characters
 * percent-encoded, an internationalised host in punycode. The document accepts IRIs as typed.
 */
export function asciiUri(url: string): string {
  return new URL(url).href;
}

/** Clips to `max` characters (code points kept whole), marking the cut. */
export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return chars.slice(0, max - 1).join('') + '…';
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
