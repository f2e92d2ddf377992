/**
 * The OSV export (schema 1.7, valid against ossf/osv-schema's `validation/schema.json`): a pure
 * function of the advisory record, with no database or clock.
 *
 * Embargo: the CVE id is private until publication (PROCESS.md §4, §7), so it is an alias only of
 * a published advisory; any other export has every occurrence of it in its text replaced (see
 * `redactCve`). The document's other ids (GHSA, PYSEC...) are public and aliases in every state. Unpublished exports are marked `database_specific.tlp: 'AMBER'`, published ones
 * `'CLEAR'`.
 */
import { ValidationError, type FieldIssue } from '../../../lib/errors.js';
import { overallSeverity, scoreVectors, type ScoredVector } from '../advisory-severity.js';
import type { AdvisoryDocument, AdvisoryState } from '../advisory.schemas.js';

/** What an export needs of an advisory: its metadata and current document. */
export interface AdvisoryExportInput {
  /** The Vigil advisory id, `CTR-ADV-2026-0001`. */
  advisoryId: string;
  state: AdvisoryState;
  /** Private until the advisory is published. */
  cveId: string | null;
  createdAt: string;
  updatedAt: string;
  /** When it was published; `createdAt` stands in for a published advisory without one. */
  publishedAt?: string | null;
  /** When it was withdrawn or rejected; `updatedAt` stands in without one. */
  withdrawnAt?: string | null;
  document: AdvisoryDocument;
}

/** The project around the advisory. */
export interface AdvisoryExportContext {
  project: { slug: string; name: string; repositoryUrl?: string | null };
}

export type OsvEvent =
  { introduced: string } | { fixed: string } | { last_affected: string } | { limit: string };

export interface OsvRange {
  type: 'SEMVER' | 'ECOSYSTEM' | 'GIT';
  repo?: string;
  events: OsvEvent[];
  database_specific?: Record<string, unknown>;
}

export interface OsvAffected {
  /** Absent for an entry identified by its GIT ranges' repository only (OSV allows it). */
  package?: { ecosystem: string; name: string; purl?: string };
  ranges?: OsvRange[];
  versions?: string[];
  database_specific?: Record<string, unknown>;
}

export interface OsvSeverity {
  type: 'CVSS_V2' | 'CVSS_V3' | 'CVSS_V4';
  score: string;
}

/** An OSV record as Vigil writes it. */
export interface OsvRecord {
  schema_version: string;
  id: string;
  modified: string;
  published?: string;
  withdrawn?: string;
  aliases?: string[];
  summary?: string;
  details?: string;
  severity?: OsvSeverity[];
  affected?: OsvAffected[];
  references?: { type: string; url: string }[];
  credits?: { name: string; contact?: string[]; type: string }[];
  database_specific: Record<string, unknown>;
}

export const OSV_SCHEMA_VERSION = '1.7.0';

/**
 * The OSV id of a Vigil advisory. OSV ids start with a registered database prefix or `x_`
 * (ossf/osv-schema `$defs/prefix`); Vigil is not a registered database, so `x_` + the advisory id.
 */
export function osvId(advisoryId: string): string {
  return `x_${advisoryId}`;
}

/** The TLP marking of an export: CLEAR once published, AMBER for anything still private. */
export function tlpOf(state: AdvisoryState): 'AMBER' | 'CLEAR' {
  return state === 'published' ? 'CLEAR' : 'AMBER';
}

/** The CVE id when it may be shown: only for a published advisory. */
export function publicCveId(advisory: Pick<AdvisoryExportInput, 'state' | 'cveId'>): string | null {
  return advisory.state === 'published' ? advisory.cveId : null;
}

const iso = (t: string) => new Date(t).toISOString();

/** The OSV severity entries: one per CVSS type, the highest version of v3.x; vectors in normal form. */
export function osvSeverity(scored: readonly ScoredVector[]): OsvSeverity[] {
  const pick = (versions: string[]) =>
    versions.flatMap((v) => scored.filter((s) => s.version === v)).slice(0, 1);
  return [
    ...pick(['4.0']).map((s) => ({ type: 'CVSS_V4' as const, score: s.normalized })),
    ...pick(['3.1', '3.0']).map((s) => ({ type: 'CVSS_V3' as const, score: s.normalized })),
    ...pick(['2.0']).map((s) => ({ type: 'CVSS_V2' as const, score: s.normalized })),
  ];
}

/** OSV's GIT ranges take full commit hashes (40 or 64 hex digits), or `0` for introduced. */
const FULL_COMMIT = /^(0|[a-f0-9]{40}|[a-f0-9]{64})$/;

/**
 * The affected packages in OSV form; an entry without a package (GIT ranges only) has no
 * `package`, as OSV writes commits-only projects. Throws a ValidationError naming each GIT event that is not a
 * full commit hash (the advisory record accepts short ones, OSV does not).
 */
export function osvAffected(doc: AdvisoryDocument): OsvAffected[] {
  const issues: FieldIssue[] = [];
  const affected = doc.affected.map((a, i): OsvAffected => {
    a.ranges.forEach((r, j) => {
      if (r.type !== 'GIT') return;
      r.events.forEach((e, k) => {
        for (const [key, value] of Object.entries(e)) {
          if (!FULL_COMMIT.test(value)) {
            issues.push({
              path: `document.affected.${i}.ranges.${j}.events.${k}.${key}`,
              message: `OSV needs a full commit hash (40 hex digits) in a GIT range, not '${value}'`,
            });
          }
        }
      });
    });
    return {
      ...(a.ecosystem !== undefined && a.package !== undefined
        ? { package: { ecosystem: a.ecosystem, name: a.package, ...(a.purl ? { purl: a.purl } : {}) } }
        : {}),
      ...(a.ranges.length
        ? {
            ranges: a.ranges.map((r) => ({
              type: r.type,
              ...(r.repo ? { repo: r.repo } : {}),
              events: r.events.map((e) => ({ ...e }) as OsvEvent),
            })),
          }
        : {}),
      ...(a.versions?.length ? { versions: [...a.versions] } : {}),
    };
  });
  if (issues.length) {
    throw new ValidationError(
      `The advisory cannot be exported: ${issues.map((i) => i.path).join(', ')}.`,
      issues.slice(0, 50),
    );
  }
  return affected;
}

/** OSV `details`: the Markdown description, then the workarounds, mitigations and "Am I vulnerable?". */
export function osvDetails(doc: AdvisoryDocument): string {
  const sections: [string, string][] = [
    ['Am I vulnerable?', doc.amIVulnerable],
    ['Workarounds', doc.workarounds],
    ['Mitigations', doc.mitigations],
  ];
  const parts = [doc.description.trim()];
  for (const [heading, body] of sections) {
    if (body.trim()) parts.push(`## ${heading}\n\n${body.trim()}`);
  }
  return parts.filter(Boolean).join('\n\n');
}

/**
 * Replaces the CVE id everywhere in an unpublished export's strings (the team may have written it
 * into the description or a reference), so that a draft never carries it. Identity when the id
 * may be shown.
 */
export function redactCve<T>(value: T, advisory: Pick<AdvisoryExportInput, 'state' | 'cveId'>): T {
  const cve = advisory.cveId;
  if (!cve || publicCveId(advisory)) return value;
  const pattern = new RegExp(cve.replace(/[-]/g, '\\-'), 'gi');
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(pattern, 'CVE-ID-EMBARGOED');
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  return walk(value) as T;
}

/**
 * OSV `aliases`: the CVE id when it may be shown, then the document's other ids (never CVE-shaped:
 * the schema refuses those), each once. Other ids are public, so a draft lists them too.
 */
export function osvAliases(publicCve: string | null, doc: AdvisoryDocument): string[] {
  const out: string[] = publicCve ? [publicCve] : [];
  for (const id of doc.aliases) {
    if (!out.some((x) => x.toUpperCase() === id.toUpperCase())) out.push(id);
  }
  return out;
}

/**
 * The advisory as an OSV record. Throws a ValidationError when the record cannot be expressed in
 * OSV (a GIT range with a short commit hash).
 */
export function toOsv(advisory: AdvisoryExportInput, context: AdvisoryExportContext): OsvRecord {
  const doc = advisory.document;
  const scored = scoreVectors(doc);
  const overall = overallSeverity(scored);
  const cve = publicCveId(advisory);
  const closed = advisory.state === 'withdrawn' || advisory.state === 'rejected';
  const severity = osvSeverity(scored);
  const details = osvDetails(doc);
  const references = doc.references.map((r) => ({ type: r.type, url: r.url }));
  const aliases = osvAliases(cve, doc);
  const repo = context.project.repositoryUrl;
  if (repo && !references.some((r) => r.url === repo)) references.push({ type: 'PACKAGE', url: repo });

  const record: OsvRecord = {
    schema_version: OSV_SCHEMA_VERSION,
    id: osvId(advisory.advisoryId),
    modified: iso(advisory.updatedAt),
    ...(advisory.state !== 'draft' ? { published: iso(advisory.publishedAt ?? advisory.createdAt) } : {}),
    ...(closed ? { withdrawn: iso(advisory.withdrawnAt ?? advisory.updatedAt) } : {}),
    ...(aliases.length ? { aliases } : {}),
    summary: doc.summary || doc.title,
    ...(details ? { details } : {}),
    ...(severity.length ? { severity } : {}),
    affected: osvAffected(doc),
    ...(references.length ? { references } : {}),
    ...(doc.credits.length
      ? {
          credits: doc.credits.map((c) => ({
            name: c.name,
            ...(c.contact?.length ? { contact: [...c.contact] } : {}),
            type: c.type,
          })),
        }
      : {}),
    database_specific: {
      cwe_ids: [...doc.cwes],
      tlp: tlpOf(advisory.state),
      vigil_advisory_id: advisory.advisoryId,
      vigil_state: advisory.state,
      project: { slug: context.project.slug, name: context.project.name },
      title: doc.title,
      ...(overall
        ? {
            cvss: {
              version: overall.version,
              vector: overall.normalized,
              score: overall.score,
              severity: overall.severity,
            },
          }
        : {}),
    },
  };
  return redactCve(record, advisory);
}
