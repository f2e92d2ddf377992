/**
 * The advisory API of a case (`/api/v1/cases/{id}/advisory...`) and the CWE search, as the
 * advisory editor uses them: types read from the API document, and one function per operation.
 * The vocabularies (OSV ecosystems, range, reference and credit types, states) are the server's
 * own (src/modules/advisory/advisory.vocabulary.ts), re-exported for the editor.
 */
import { answer, api, linkTo } from './client.js';
import { allPages } from './pages.js';
import type { Answer, Query } from './types.js';

type Signal = AbortSignal | undefined;

// The vocabulary is the server's own, from a dependency-free module shared with the document schema.
export {
  ADVISORY_STATES,
  CREDIT_TYPES,
  OSV_ECOSYSTEMS,
  RANGE_TYPES,
  REFERENCE_TYPES,
  type AdvisoryState,
} from '../../../src/modules/advisory/advisory.vocabulary.js';

export type Advisory = Answer<'getAdvisory'>;
/** The document saved in each revision; its description is Markdown (the server renders it as `descriptionHtml`). */
export type AdvisoryDocument = Advisory['document'];
/**
 * What is affected: a package in an ecosystem, or (with neither) a git repository alone, whose
 * ranges are then all GIT with their `repo`: the form of C/C++ projects whose fixes are commits.
 */
export type AffectedPackage = AdvisoryDocument['affected'][number];
export type AffectedRange = AffectedPackage['ranges'][number];
export type RangeType = AffectedRange['type'];
/** One OSV range event: exactly one of its kinds. */
export type RangeEvent = AffectedRange['events'][number];
export type EventKind = RangeEvent extends infer E ? (E extends unknown ? keyof E : never) : never;

/** The kinds of range event, in the order of a range's life. */
export const EVENT_KINDS = [
  'introduced',
  'fixed',
  'last_affected',
  'limit',
] as const satisfies readonly EventKind[];

/** The event of `kind` at `version`. */
export function rangeEvent(kind: EventKind, version: string): RangeEvent {
  switch (kind) {
    case 'introduced':
      return { introduced: version };
    case 'fixed':
      return { fixed: version };
    case 'last_affected':
      return { last_affected: version };
    case 'limit':
      return { limit: version };
  }
}

/** An event's kind and version. */
export function readRangeEvent(event: RangeEvent): { kind: EventKind; version: string } {
  const kind = EVENT_KINDS.find((k) => k in event) ?? 'introduced';
  return { kind, version: Object.values(event)[0] ?? '' };
}
export type AdvisoryReference = AdvisoryDocument['references'][number];
export type ReferenceType = AdvisoryReference['type'];
export type AdvisoryCredit = AdvisoryDocument['credits'][number];
export type CreditType = AdvisoryCredit['type'];
export type ScoredVector = Advisory['cvss'][number];
export type RevisionSummary = Answer<'listAdvisoryRevisions'>['revisions'][number];
export type RevisionDiff = Answer<'diffAdvisoryRevisions'>;
export type CweEntry = Answer<'searchCwe'>['results'][number];

type ExportQuery = Query<'exportAdvisory'>;
export type ExportFormat = ExportQuery['format'];
export type VexJustification = NonNullable<ExportQuery['justification']>;

/** The formats of `GET .../advisory/export`. */
export const EXPORT_FORMATS = [
  { format: 'osv', label: 'OSV' },
  { format: 'cve5', label: 'CVE JSON 5' },
  { format: 'csaf', label: 'CSAF 2.0' },
  { format: 'ghsa', label: 'GitHub advisory' },
  { format: 'vex', label: 'CSAF VEX' },
] as const satisfies readonly { format: ExportFormat; label: string }[];

/** The path parameters of every advisory route: the case, by id or human id. */
const ofCase = (id: string) => ({ path: { id } });

/** The advisory of a case; an ApiError with status 404 when none was started. */
export function getAdvisory(caseId: string, signal?: Signal): Promise<Advisory> {
  return answer(api.GET('/api/v1/cases/{id}/advisory', { params: ofCase(caseId), signal }));
}

/** Starts the advisory of an accepted case (or returns the one that exists). */
export function startAdvisory(caseId: string): Promise<Advisory> {
  return answer(api.POST('/api/v1/cases/{id}/advisory', { params: ofCase(caseId) }));
}

/** Saves `document` as a new revision; 409 when `baseRevision` is no longer the current one. */
export function saveAdvisory(
  caseId: string,
  document: AdvisoryDocument,
  baseRevision: number,
): Promise<Advisory> {
  return answer(
    api.PUT('/api/v1/cases/{id}/advisory', { params: ofCase(caseId), body: { document, baseRevision } }),
  );
}

/** Every revision, newest last as the server lists them (page after page). */
export async function listRevisions(
  caseId: string,
  signal?: Signal,
): Promise<{ revisions: RevisionSummary[] }> {
  const revisions = await allPages(
    (cursor) =>
      answer(
        api.GET('/api/v1/cases/{id}/advisory/revisions', {
          params: { ...ofCase(caseId), query: { limit: 500, ...(cursor !== undefined && { cursor }) } },
          signal,
        }),
      ),
    (page) => page.revisions,
  );
  return { revisions };
}

/** What changed from revision `from` to revision `to`. */
export function diffRevisions(
  caseId: string,
  from: number,
  to: number,
  signal?: Signal,
): Promise<RevisionDiff> {
  return answer(
    api.GET('/api/v1/cases/{id}/advisory/diff', {
      params: { ...ofCase(caseId), query: { from, to } },
      signal,
    }),
  );
}

/** Records the CVE id (kept private until publication). */
export function setCveId(caseId: string, cveId: string): Promise<Advisory> {
  return answer(api.PUT('/api/v1/cases/{id}/advisory/cve', { params: ofCase(caseId), body: { cveId } }));
}

/** Records that a CVE was requested from `cna`, now, by the signed-in user. */
export function recordCveRequest(caseId: string, cna: string): Promise<Advisory> {
  return answer(
    api.POST('/api/v1/cases/{id}/advisory/cve-request', { params: ofCase(caseId), body: { cna } }),
  );
}

/** Withdraws (a published advisory) or rejects (a draft), with the reason. */
export function endAdvisory(caseId: string, how: 'withdraw' | 'reject', reason: string): Promise<Advisory> {
  return answer(api.POST(`/api/v1/cases/{id}/advisory/${how}`, { params: ofCase(caseId), body: { reason } }));
}

/** The same-origin URL that downloads the advisory in `format` (with the session cookie). */
export function exportUrl(
  caseId: string,
  format: ExportFormat,
  more: Omit<ExportQuery, 'format'> = {},
): string {
  return linkTo('/api/v1/cases/{id}/advisory/export', { id: caseId }, { format, ...more });
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
] as const satisfies readonly { value: VexJustification; label: string }[];

/** The VEX export of a case's advisory: its products not affected, for `justification`, as `impact` says. */
export function vexExportUrl(caseId: string, justification: VexJustification, impact: string): string {
  return exportUrl(caseId, 'vex', { justification, impact });
}

/** CWE entries matching words or an id (`cross-site scripting`, `79`, `CWE-79`). */
export function searchCwe(q: string, signal?: Signal): Promise<{ results: CweEntry[] }> {
  return answer(api.GET('/api/v1/cwe', { params: { query: { q, limit: 10 } }, signal }));
}
