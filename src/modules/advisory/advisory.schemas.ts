/**
 * The advisory document: one record from which the OSV, CVE JSON 5, CSAF 2.0 and GitHub advisory
 * exports are derived (OSV's vocabulary where one exists: ecosystems, range and event types,
 * reference and credit types). Every string and list is bounded; unknown keys are refused.
 */
import { z } from 'zod';
import { abilityMapSchema } from '../../authz/abilities.schema.js';
import { UI_ABILITIES } from '../../authz/authz.policy.js';
import { boundedLine as line, boundedText as text } from '../../lib/bounded.js';
import { CVSS_VERSIONS } from '../../lib/cvss/metrics.js';
import { MAX_CVSS_VECTOR_LENGTH, checkCvss } from '../../lib/cvss/vector-parser.js';
import { ValidationError, type FieldIssue } from '../../lib/errors.js';
import { createCweCatalogue } from '../cwe/cwe-catalogue.js';
import {
  ADVISORY_STATES,
  CREDIT_TYPES,
  OSV_ECOSYSTEMS,
  RANGE_TYPES,
  REFERENCE_TYPES,
  type AdvisoryState,
} from './advisory.vocabulary.js';

export { ADVISORY_STATES, CREDIT_TYPES, OSV_ECOSYSTEMS, RANGE_TYPES, REFERENCE_TYPES, type AdvisoryState };

/**
 * Semantic Versioning 2.0.0, the regex semver.org publishes (no leading `v`, as OSV requires).
 * `semver` is only a transitive dependency here, so Vigil does not import it.
 */
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** True for a valid SemVer 2.0.0 version string. */
export function isSemver(v: string): boolean {
  return SEMVER.test(v);
}

/**
 * Package URL syntax (purl spec): `pkg:type/[namespace/]name[@version][?qualifiers][#subpath]`,
 * type a letter then letters, digits, `.+-`; a non-empty name; no whitespace.
 */
const PURL =
  /^pkg:[A-Za-z][A-Za-z0-9.+-]*\/(?:[^/@?#\s]+\/)*[^/@?#\s]+(?:@[^?#\s]+)?(?:\?[^#\s]*)?(?:#\S*)?$/;

/** True for a syntactically valid Package URL. */
export function isPurl(v: string): boolean {
  return PURL.test(v);
}

const ECOSYSTEM_SET = new Set<string>(OSV_ECOSYSTEMS);

/** True for an OSV ecosystem name, optionally with a `:suffix`. */
export function isOsvEcosystem(v: string): boolean {
  const colon = v.indexOf(':');
  const base = colon === -1 ? v : v.slice(0, colon);
  return ECOSYSTEM_SET.has(base) && (colon === -1 || colon < v.length - 1);
}

const version = line(200).min(1);
const event = z.union([
  z.strictObject({ introduced: version }),
  z.strictObject({ fixed: version }),
  z.strictObject({ last_affected: version }),
  z.strictObject({ limit: version }),
]);
type RangeEvent = z.infer<typeof event>;

const range = z.strictObject({
  type: z.enum(RANGE_TYPES),
  /** The repository, for GIT ranges. */
  repo: z
    .url({ protocol: /^(https?|git|ssh)$/ })
    .max(500)
    .optional(),
  events: z.array(event).min(1).max(50),
});

/**
 * One affected entry: a package of an ecosystem, or (OSV's form for projects released as commits,
 * C and C++ ones mostly) no package and only GIT ranges, identified by their repository.
 */
const affected = z.strictObject({
  ecosystem: line(100)
    .refine(isOsvEcosystem, 'must be an OSV ecosystem (Go, npm, PyPI, crates.io, ...)')
    .optional(),
  package: line(300).min(1).optional(),
  purl: line(500).refine(isPurl, 'must be a Package URL (pkg:type/namespace/name)').optional(),
  ranges: z.array(range).max(20).default([]),
  versions: z.array(version).max(1000).optional(),
});

const cwes = createCweCatalogue();

/** A CVSS vector the parser accepts; otherwise one issue per problem, with the parser's reason. */
const cvssVector = z
  .string()
  .trim()
  .min(1)
  .max(MAX_CVSS_VECTOR_LENGTH)
  .superRefine((vector, ctx) => {
    const check = checkCvss(vector);
    if (!check.ok) for (const p of check.problems) ctx.addIssue({ code: 'custom', message: p.message });
  });

/** The most other ids an advisory lists. */
export const MAX_ALIASES = 20;

/** An advisory id of some database: a prefix, a dash, then letters, digits and `._:-` (RHSA-2022:0216). */
const ALIAS_ID = /^[A-Za-z][A-Za-z0-9]*-[A-Za-z0-9._:-]+$/;

/** True for an id shaped like a CVE id (any case): those go to PUT .../advisory/cve, never to aliases. */
export function isCveShaped(id: string): boolean {
  return /^cve-/i.test(id.trim());
}

// The pattern admits no whitespace, so one line by construction (and one issue per bad id).
const aliasId = z
  .string()
  .trim()
  .max(100)
  .regex(ALIAS_ID, 'must be an advisory id: a prefix, a dash and the id (GHSA-xxxx-xxxx-xxxx, PYSEC-2024-1)')
  .refine(
    (id) => !isCveShaped(id),
    'must not be a CVE id: record the CVE id with PUT /api/v1/cases/{id}/advisory/cve (it stays private until publication)',
  );

/** The advisory document as saved in each revision. */
export const advisoryDocumentSchema = z
  .strictObject({
    title: line(300).min(1),
    /** One line: OSV `summary`, the CVE title, the GHSA summary. */
    summary: line(500).default(''),
    /** Markdown. */
    description: text(100_000).default(''),
    affected: z.array(affected).max(200).default([]),
    workarounds: text(20_000).default(''),
    mitigations: text(20_000).default(''),
    /** The k8spolicy announcement's "Am I vulnerable?". */
    amIVulnerable: text(20_000).default(''),
    references: z
      .array(
        z.strictObject({ type: z.enum(REFERENCE_TYPES), url: z.url({ protocol: /^https?$/ }).max(2000) }),
      )
      .max(100)
      .default([]),
    credits: z
      .array(
        z.strictObject({
          name: line(200).min(1),
          contact: z.array(line(300).min(1)).max(5).optional(),
          type: z.enum(CREDIT_TYPES),
        }),
      )
      .max(50)
      .default([]),
    severity: z
      .strictObject({
        /** Vectors as the team wrote them, each checked by the CVSS parser; one per CVSS version. */
        cvss: z.array(z.strictObject({ vector: cvssVector })).max(4),
      })
      .default({ cvss: [] }),
    /** CWE ids, `CWE-79`. */
    cwes: z.array(line(20)).max(20).default([]),
    /**
     * Other public ids of the same vulnerability (GHSA-..., PYSEC-..., GO-..., RHSA-...): OSV
     * `aliases`. Never the CVE id, which the advisory row keeps private until publication.
     */
    aliases: z.array(aliasId).max(MAX_ALIASES).default([]),
  })
  .superRefine((doc, ctx) => {
    const seen = new Map<string, number>();
    doc.aliases.forEach((id, i) => {
      const first = seen.get(id.toUpperCase());
      if (first === undefined) seen.set(id.toUpperCase(), i);
      else
        ctx.addIssue({ code: 'custom', path: ['aliases', i], message: `is a duplicate of aliases.${first}` });
    });
    doc.affected.forEach((a, i) => {
      checkAffectedIdentity(a, (path, message) =>
        ctx.addIssue({ code: 'custom', path: ['affected', i, ...path], message }),
      );
      a.ranges.forEach((r, j) => {
        const at = ['affected', i, 'ranges', j];
        checkRange(r.type, r.repo, r.events, (path, message) =>
          ctx.addIssue({ code: 'custom', path: [...at, ...path], message }),
        );
      });
    });
    const versions = new Map<string, number>();
    doc.severity.cvss.forEach(({ vector }, i) => {
      const check = checkCvss(vector);
      if (!check.ok) return;
      const first = versions.get(check.parsed.version);
      if (first === undefined) versions.set(check.parsed.version, i);
      else {
        ctx.addIssue({
          code: 'custom',
          path: ['severity', 'cvss', i, 'vector'],
          message: `a second CVSS ${check.parsed.version} vector (the first is severity.cvss.${first}): one vector per version`,
        });
      }
    });
    doc.cwes.forEach((id, i) => {
      if (!cwes.isKnownCwe(id)) {
        ctx.addIssue({ code: 'custom', path: ['cwes', i], message: `'${id}' is not a known CWE` });
      }
    });
  });

export type AdvisoryDocument = z.infer<typeof advisoryDocumentSchema>;
export type AdvisoryDocumentInput = z.input<typeof advisoryDocumentSchema>;
export type AffectedEntry = AdvisoryDocument['affected'][number];

/** An entry's package and ecosystem, or null for an entry identified by its GIT repository only. */
export function packageOf(a: AffectedEntry): { ecosystem: string; package: string } | null {
  return a.ecosystem !== undefined && a.package !== undefined
    ? { ecosystem: a.ecosystem, package: a.package }
    : null;
}

/** The repository of an entry's first GIT range (for a package-less entry, what identifies it). */
export function repositoryOf(a: AffectedEntry): string | null {
  return a.ranges.find((r) => r.type === 'GIT' && r.repo)?.repo ?? null;
}

/**
 * A repository URL's short name, `owner/name` (`graylog2/graylog2-server`), or the last path
 * segment(s) when the URL has fewer; `.git` and trailing slashes dropped. The URL itself when it
 * has no path.
 */
export function repositoryName(url: string): string {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return url;
  }
  const segments = path
    .replace(/\.git\/?$/, '')
    .split('/')
    .filter(Boolean)
    .map(decodeSegment);
  return segments.length ? segments.slice(-2).join('/') : url;
}

/** A path segment decoded, or as written when its escapes are malformed (names must never throw). */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** A package and an ecosystem together, or neither and only GIT ranges with their repository. */
function checkAffectedIdentity(
  a: {
    ecosystem?: string | undefined;
    package?: string | undefined;
    purl?: string | undefined;
    ranges: { type: string; repo?: string | undefined }[];
  },
  report: (path: (string | number)[], message: string) => void,
): void {
  if (a.ecosystem !== undefined && a.package === undefined) {
    report(['package'], 'name the package of this ecosystem');
  } else if (a.package !== undefined && a.ecosystem === undefined) {
    report(['ecosystem'], 'name the ecosystem of this package');
  } else if (a.package === undefined) {
    const gitOnly = a.ranges.length > 0 && a.ranges.every((r) => r.type === 'GIT' && r.repo);
    if (!gitOnly)
      report(['package'], 'name the package and its ecosystem, or list GIT ranges with their repository');
    if (a.purl !== undefined) report(['purl'], 'an entry without a package has no Package URL');
  }
}

/** OSV's rules for one range; `report(path, message)` for each violation. */
function checkRange(
  type: (typeof RANGE_TYPES)[number],
  repo: string | undefined,
  events: RangeEvent[],
  report: (path: (string | number)[], message: string) => void,
): void {
  if (type === 'GIT' && !repo) report(['repo'], 'a GIT range needs the repository URL');
  if (type !== 'GIT' && repo) report(['repo'], 'only a GIT range has a repository');
  if (!events.some((e) => 'introduced' in e)) {
    report(['events'], 'a range needs an introduced event');
  } else if (!(events[0] && 'introduced' in events[0])) {
    report(['events', 0], 'a range starts with an introduced event');
  }
  if (events.some((e) => 'fixed' in e) && events.some((e) => 'last_affected' in e)) {
    report(['events'], 'a range has fixed or last_affected events, not both');
  }
  if (type === 'SEMVER') {
    events.forEach((e, k) => {
      const [key, value] = Object.entries(e)[0] ?? ['', ''];
      const ok = isSemver(value) || (key === 'introduced' && value === '0');
      if (!ok) report(['events', k, key], `'${value}' is not a semantic version (1.2.3, no leading v)`);
    });
  }
}

/** Parses a document, or throws a ValidationError naming each offending path (for non-HTTP callers). */
export function parseAdvisoryDocument(input: unknown): AdvisoryDocument {
  const r = advisoryDocumentSchema.safeParse(input);
  if (r.success) return r.data;
  const issues: FieldIssue[] = r.error.issues.map((i) => ({
    path: ['document', ...i.path].map(String).join('.'),
    message: i.message,
  }));
  throw new ValidationError(
    `The advisory is invalid: ${issues.map((i) => i.path).join(', ')}.`,
    issues.slice(0, 50),
  );
}

/**
 * The patched versions of each affected package, derived from the `fixed` events of SEMVER and
 * ECOSYSTEM ranges. Fixed commits are not versions: an entry identified by its repository only
 * (GIT ranges, no package) has none, and is left out.
 */
export function patchedVersions(
  doc: AdvisoryDocument,
): { ecosystem: string; package: string; versions: string[] }[] {
  return doc.affected.flatMap((a) => {
    const pkg = packageOf(a);
    if (!pkg) return [];
    const versions = a.ranges
      .filter((r) => r.type !== 'GIT')
      .flatMap((r) => r.events.flatMap((e) => ('fixed' in e ? [e.fixed] : [])));
    return [{ ...pkg, versions }];
  });
}

const CVE_ID = /^CVE-\d{4}-\d{4,19}$/;

export const saveRevisionInput = z.strictObject({
  document: advisoryDocumentSchema,
  /** The revision the edit started from: a stale one is refused (409). */
  baseRevision: z.int().min(1).max(1_000_000),
});

export const cveInput = z.strictObject({
  cveId: z.string().trim().toUpperCase().pipe(z.string().regex(CVE_ID, 'must be CVE-YYYY-NNNN')),
});

export const cveRequestInput = z.strictObject({
  cna: line(200).min(1),
  requestedAt: z.iso.datetime({ offset: true }).optional(),
});

export const reasonInput = z.strictObject({ reason: text(5000).trim().min(1) });

export const advisoryParams = z.object({ id: z.string().min(1).max(64) });
export const revisionParams = advisoryParams.extend({ n: z.coerce.number().int().min(1).max(1_000_000) });
export const diffQuery = z.object({
  from: z.coerce.number().int().min(1).max(1_000_000),
  to: z.coerce.number().int().min(1).max(1_000_000),
});

const documentOut = z.object({
  title: z.string(),
  summary: z.string(),
  description: z.string(),
  affected: z.array(
    z.object({
      /** Absent, with `package`, for an entry identified by its GIT ranges' repository only. */
      ecosystem: z.string().optional(),
      package: z.string().optional(),
      purl: z.string().optional(),
      ranges: z.array(
        z.object({
          type: z.enum(RANGE_TYPES),
          repo: z.string().optional(),
          /** One kind each, as saved. */
          events: z.array(
            z.union([
              z.object({ introduced: z.string() }),
              z.object({ fixed: z.string() }),
              z.object({ last_affected: z.string() }),
              z.object({ limit: z.string() }),
            ]),
          ),
        }),
      ),
      versions: z.array(z.string()).optional(),
    }),
  ),
  workarounds: z.string(),
  mitigations: z.string(),
  amIVulnerable: z.string(),
  references: z.array(z.object({ type: z.enum(REFERENCE_TYPES), url: z.string() })),
  credits: z.array(
    z.object({ name: z.string(), contact: z.array(z.string()).optional(), type: z.enum(CREDIT_TYPES) }),
  ),
  severity: z.object({ cvss: z.array(z.object({ vector: z.string() })) }),
  cwes: z.array(z.string()),
  /** Other public ids of the same vulnerability (never the CVE id). */
  aliases: z.array(z.string()),
});

const scoredVectorOut = z.object({
  vector: z.string(),
  version: z.enum(CVSS_VERSIONS),
  score: z.number(),
  severity: z.enum(['none', 'low', 'medium', 'high', 'critical']),
});

export const advisorySchema = z.object({
  id: z.string(),
  advisoryId: z.string(),
  caseId: z.string(),
  caseHumanId: z.string(),
  state: z.enum(ADVISORY_STATES),
  stateReason: z.string().nullable(),
  cveId: z.string().nullable(),
  cveRequest: z.object({ cna: z.string(), requestedAt: z.string(), requestedBy: z.string() }).nullable(),
  revision: z.number(),
  document: documentOut,
  /** The document's affected products, at the top for readers of the record (the document is what is saved). */
  affected: documentOut.shape.affected,
  /** The document's credits, at the top likewise. */
  credits: documentOut.shape.credits,
  /** The document's CWE ids with MITRE's names. */
  cwes: z.array(z.object({ id: z.string(), name: z.string() })),
  /** Each vector of `document.severity.cvss` with its computed score, in the document's order. */
  cvss: z.array(scoredVectorOut),
  /** The highest-version vector's score and band (v4.0 over v3.1 over v3.0 over v2.0); null without one. */
  severity: scoredVectorOut.nullable(),
  descriptionHtml: z.string(),
  patchedVersions: z.array(
    z.object({ ecosystem: z.string(), package: z.string(), versions: z.array(z.string()) }),
  ),
  createdAt: z.string(),
  updatedAt: z.string(),
  abilities: abilityMapSchema(UI_ABILITIES.advisory),
});

export const revisionSummarySchema = z.object({
  revision: z.number(),
  author: z.object({ userId: z.string().nullable(), name: z.string() }),
  createdAt: z.string(),
});

export const revisionSchema = revisionSummarySchema.extend({
  document: documentOut,
  descriptionHtml: z.string(),
});

export const diffSchema = z.object({
  from: z.number(),
  to: z.number(),
  changes: z.array(z.object({ path: z.string(), before: z.unknown(), after: z.unknown() })),
  descriptionDiff: z.string(),
});
