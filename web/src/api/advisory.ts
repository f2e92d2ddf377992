/**
 * The advisory API of a case (`/api/v1/cases/{id}/advisory...`) and the CWE search, as the
 * advisory editor uses them: types and one function per operation. The vocabularies (OSV
 * ecosystems, reference and credit types, states) are the server's own
 * (src/modules/advisory/advisory.vocabulary.ts), re-exported for the editor.
 */
import type {
  AdvisoryState,
  CREDIT_TYPES,
  REFERENCE_TYPES,
} from '../../../src/modules/advisory/advisory.vocabulary.js';
import { apiRequest } from './client.js';

type Signal = AbortSignal | undefined;
const enc = encodeURIComponent;

// The vocabulary is the server's own, from a dependency-free module shared with the document schema.
export {
  ADVISORY_STATES,
  CREDIT_TYPES,
  OSV_ECOSYSTEMS,
  REFERENCE_TYPES,
  type AdvisoryState,
} from '../../../src/modules/advisory/advisory.vocabulary.js';

export type ReferenceType = (typeof REFERENCE_TYPES)[number];
export type CreditType = (typeof CREDIT_TYPES)[number];

export const RANGE_TYPES = ['SEMVER', 'ECOSYSTEM', 'GIT'] as const;
export type RangeType = (typeof RANGE_TYPES)[number];

export const EVENT_KINDS = ['introduced', 'fixed', 'last_affected', 'limit'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** One OSV range event: exactly one of its kinds. */
export type RangeEvent = Partial<Record<EventKind, string>>;

export interface AffectedRange {
  type: RangeType;
  repo?: string;
  events: RangeEvent[];
}

/**
 * What is affected: a package in an ecosystem, or (with neither) a git repository alone, whose
 * ranges are then all GIT with their `repo`: the form of C/C++ projects whose fixes are commits.
 */
export interface AffectedPackage {
  ecosystem?: string;
  package?: string;
  purl?: string;
  ranges: AffectedRange[];
  versions?: string[];
}

export interface AdvisoryReference {
  type: ReferenceType;
  url: string;
}

export interface AdvisoryCredit {
  name: string;
  contact?: string[];
  type: CreditType;
}

/** The document saved in each revision. */
export interface AdvisoryDocument {
  title: string;
  summary: string;
  /** Markdown; the server renders it (sanitised) as `descriptionHtml`. */
  description: string;
  affected: AffectedPackage[];
  workarounds: string;
  mitigations: string;
  amIVulnerable: string;
  references: AdvisoryReference[];
  credits: AdvisoryCredit[];
  severity: { cvss: { vector: string }[] };
  cwes: string[];
  /** Other public ids of the vulnerability (GHSA-..., PYSEC-...); never the CVE id. */
  aliases?: string[];
}

export interface ScoredVector {
  vector: string;
  version: string;
  score: number;
  severity: 'none' | 'low' | 'medium' | 'high' | 'critical';
}

export interface Advisory {
  id: string;
  advisoryId: string;
  caseId: string;
  caseHumanId: string;
  state: AdvisoryState;
  stateReason: string | null;
  cveId: string | null;
  cveRequest: { cna: string; requestedAt: string; requestedBy: string } | null;
  revision: number;
  document: AdvisoryDocument;
  cvss: ScoredVector[];
  severity: ScoredVector | null;
  /** Already sanitised by the server. */
  descriptionHtml: string;
  patchedVersions: { ecosystem: string; package: string; versions: string[] }[];
  createdAt: string;
  updatedAt: string;
  abilities: { 'advisory.read': boolean; 'advisory.edit': boolean };
}

export interface RevisionSummary {
  revision: number;
  author: { userId: string | null; name: string };
  createdAt: string;
}

export interface RevisionDiff {
  from: number;
  to: number;
  changes: { path: string; before: unknown; after: unknown }[];
  /** A unified diff of the description's Markdown. */
  descriptionDiff: string;
}

export interface CweEntry {
  id: string;
  name: string;
  deprecated: boolean;
}

/** The formats of `GET .../advisory/export`. */
export const EXPORT_FORMATS = [
  { format: 'osv', label: 'OSV' },
  { format: 'cve5', label: 'CVE JSON 5' },
  { format: 'csaf', label: 'CSAF 2.0' },
  { format: 'ghsa', label: 'GitHub advisory' },
  { format: 'vex', label: 'CSAF VEX' },
] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number]['format'];

const base = (caseId: string) => `/cases/${enc(caseId)}/advisory`;

/** The advisory of a case; an ApiError with status 404 when none was started. */
export function getAdvisory(caseId: string, signal?: Signal): Promise<Advisory> {
  return apiRequest('GET', base(caseId), { signal });
}

/** Starts the advisory of an accepted case (or returns the one that exists). */
export function startAdvisory(caseId: string): Promise<Advisory> {
  return apiRequest('POST', base(caseId));
}

/** Saves `document` as a new revision; 409 when `baseRevision` is no longer the current one. */
export function saveAdvisory(
  caseId: string,
  document: AdvisoryDocument,
  baseRevision: number,
): Promise<Advisory> {
  return apiRequest('PUT', base(caseId), { body: { document, baseRevision } });
}

/** Every revision, newest last as the server lists them. */
export function listRevisions(caseId: string, signal?: Signal): Promise<{ revisions: RevisionSummary[] }> {
  return apiRequest('GET', `${base(caseId)}/revisions`, { signal });
}

/** What changed from revision `from` to revision `to`. */
export function diffRevisions(
  caseId: string,
  from: number,
  to: number,
  signal?: Signal,
): Promise<RevisionDiff> {
  return apiRequest('GET', `${base(caseId)}/diff?from=${from}&to=${to}`, { signal });
}

/** Records the CVE id (kept private until publication). */
export function setCveId(caseId: string, cveId: string): Promise<Advisory> {
  return apiRequest('PUT', `${base(caseId)}/cve`, { body: { cveId } });
}

/** Records that a CVE was requested from `cna`, now, by the signed-in user. */
export function recordCveRequest(caseId: string, cna: string): Promise<Advisory> {
  return apiRequest('POST', `${base(caseId)}/cve-request`, { body: { cna } });
}

/** Withdraws (a published advisory) or rejects (a draft), with the reason. */
export function endAdvisory(caseId: string, how: 'withdraw' | 'reject', reason: string): Promise<Advisory> {
  return apiRequest('POST', `${base(caseId)}/${how}`, { body: { reason } });
}

/** The same-origin URL that downloads the advisory in `format` (with the session cookie). */
export function exportUrl(caseId: string, format: ExportFormat): string {
  return `/api/v1${base(caseId)}/export?format=${format}`;
}

/** Why the listed products are not affected: CSAF's VEX justification flags. */
export const VEX_JUSTIFICATIONS = [
  { value: 'component_not_present', label: 'The vulnerable component is not present' },
  { value: 'vulnerable_code_not_present', label: 'The vulnerable code is not present' },
  { value: 'vulnerable_code_not_in_execute_path', label: 'The vulnerable code is never executed' },
  {
    value: 'vulnerable_code_cannot_be_controlled_by_adversary',
    label: 'The vulnerable code cannot be controlled by an attacker',
  },
  { value: 'inline_mitigations_already_exist', label: 'Mitigations are already built in' },
] as const;
export type VexJustification = (typeof VEX_JUSTIFICATIONS)[number]['value'];

/** The VEX export of a case's advisory: its products not affected, for `justification`, as `impact` says. */
export function vexExportUrl(caseId: string, justification: VexJustification, impact: string): string {
  return `${exportUrl(caseId, 'vex')}&justification=${justification}&impact=${enc(impact)}`;
}

/** CWE entries matching words or an id (`cross-site scripting`, `79`, `CWE-79`). */
export function searchCwe(q: string, signal?: Signal): Promise<{ results: CweEntry[] }> {
  return apiRequest('GET', `/cwe?q=${enc(q)}&limit=10`, { signal });
}
