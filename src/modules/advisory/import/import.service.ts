/**
 * Advisory import: OSV and GitHub advisory records become published advisories of a project, so a
 * team brings its history along. Each record gets a case (state `published`, channel `import`, no
 * reporter) and an advisory whose revision 1 is the mapped document, in one transaction per
 * record: a record that fails writes nothing, and the others stand. The source id is kept in the
 * `advisory.imported` audit event (which tells a re-import: skipped) and the case's report note,
 * and, with the record's other non-CVE ids, in the document's `aliases`.
 */
import { appendAuditEvent } from '../../../audit/audit.log.js';
import type { Principal } from '../../../authz/authz.policy.js';
import type { Db } from '../../../db/connection.js';
import type { NewCaseRow } from '../../cases/cases.repo.js';
import type { Clock } from '../../../lib/clock.js';
import { AppError, ValidationError, type FieldIssue } from '../../../lib/errors.js';
import { hashSecret, newSecret, newSortableId } from '../../../lib/ids.js';
import { actorOf, loadProjectFor } from '../../../authz/access.js';
import { projectContextById, type ProjectContext } from '../../cases/case-context.js';
import { caseCrypto, type CaseCipher, type CaseCrypto } from '../../cases/case-view.js';
import { caseSearchKey, indexCaseTitle } from '../../cases/search/case-search.js';
import * as casesRepo from '../../cases/cases.repo.js';
import { insertAdvisoryRecord } from '../advisory-record.js';
import { cveIndexKey } from '../advisory-cve.js';
import * as repo from '../advisory.repo.js';
import { mapImportRecord, type MappedRecord } from './detect.js';
import type { ImportFormat, UnmappedField } from './imported-record.js';

export interface AdvisoryImportDeps {
  db: Db;
  clock: Clock;
  cipher: CaseCipher;
}

/** The most records one import takes (a folder of GitHub's advisories for one project is far fewer). */
export const MAX_IMPORT_RECORDS = 2000;

/** One record to import: parsed JSON, or the text of a file. `name` is shown in the report. */
export type ImportSource = { name: string; json: unknown } | { name: string; text: string };

export interface ImportedEntry {
  name: string;
  sourceId: string;
  format: ImportFormat;
  advisoryId: string;
  caseHumanId: string;
  state: 'published' | 'withdrawn';
  unmapped: UnmappedField[];
}

export interface SkippedEntry {
  name: string;
  sourceId: string;
  advisoryId: string;
  reason: string;
}

export interface FailedEntry {
  name: string;
  sourceId: string | null;
  issues: FieldIssue[];
}

export interface ImportReport {
  imported: ImportedEntry[];
  skipped: SkippedEntry[];
  failed: FailedEntry[];
}

export interface ImportProgress {
  done: number;
  total: number;
  name: string;
  sourceId: string | null;
  outcome: 'imported' | 'skipped' | 'failed';
}

export type AdvisoryImportService = ReturnType<typeof createAdvisoryImportService>;

/** The record's JSON, or a ValidationError when a file's text is not JSON. */
function jsonOf(source: ImportSource): unknown {
  if ('json' in source) return source.json;
  try {
    return JSON.parse(source.text) as unknown;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new ValidationError(`${source.name} is not JSON.`, [
      { path: '(file)', message: `not JSON: ${why.slice(0, 200)}` },
    ]);
  }
}

/**
 * The case an imported record gets: state `published`, channel `import`, public, and no reporter
 * (its link token is the hash of a secret nobody keeps, so no reporter link ever opens it).
 */
function importedCaseRow(
  cases: CaseCrypto,
  c: { id: string; humanId: string; projectId: string; sourceName: string },
  r: MappedRecord,
  dates: { publishedAt: string; updatedAt: string },
): NewCaseRow {
  return {
    id: c.id,
    project_id: c.projectId,
    human_id: c.humanId,
    state: 'published',
    channel: 'import',
    title_enc: cases.title.seal(c.id, r.document.title),
    report_enc: cases.report.seal(c.id, {
      reproduction: `Imported from ${c.sourceName} (${r.sourceId}).`,
      effects: '',
      impact: '',
      dependencies: '',
      publicDetails: '',
    }),
    reporter_email_enc: null,
    reporter_credit_enc: null,
    reporter_token_hash: hashSecret(newSecret('vrt')),
    reporter_token_enc: cases.reporterToken.seal(c.id, ''),
    publicly_known: 1,
    private_handling: 'not-asked',
    severity: null,
    duplicate_of: null,
    flags_json: JSON.stringify(['imported']),
    received_at: dates.publishedAt,
    updated_at: dates.updatedAt,
    first_response_due_at: null,
    first_responded_at: null,
    triaged_at: null,
    clock_paused_at: null,
    paused_ms: 0,
  };
}

/** Builds the advisory import service. */
export function createAdvisoryImportService(deps: AdvisoryImportDeps) {
  const { db, clock, cipher } = deps;
  const k = db.kysely;
  const cases = caseCrypto(cipher);
  const indexKey = cveIndexKey(deps);
  const searchKey = caseSearchKey(deps);

  /** Writes the case, the advisory, its first revision and the audit event, all or nothing. */
  async function insertRecord(
    principal: Principal,
    project: ProjectContext,
    name: string,
    r: MappedRecord,
  ): Promise<{ skipped: string } | Omit<ImportedEntry, 'name' | 'sourceId' | 'format' | 'unmapped'>> {
    // Imported history may repeat a CVE id (one vulnerability's OSV and GitHub records, or two
    // projects'): the uniqueness rule is for the ids a team sets (advisory.service setCve).
    // The key is read before the transaction: on SQLite a query outside it would wait forever.
    const cveIndexKey = r.cveId === null ? undefined : await indexKey();
    const titleKey = await searchKey();
    return k.transaction().execute(async (trx) => {
      const already = await repo.findImportedAdvisoryId(trx, project.id, r.sourceId);
      if (already) return { skipped: already };
      const now = clock.now();
      const nowIso = now.toISOString();
      const year = now.getUTCFullYear();
      const casePrefix = project.policy.intake.caseIdPrefix ?? 'VGL';
      const caseSeq = await casesRepo.nextCaseNumber(trx, casePrefix, year);
      const caseHumanId = `${casePrefix}-${year}-${String(caseSeq).padStart(4, '0')}`;
      const publishedAt = r.publishedAt ?? nowIso;
      const updatedAt = r.withdrawnAt ?? r.modifiedAt ?? publishedAt;
      const state = r.withdrawnAt ? ('withdrawn' as const) : ('published' as const);
      const caseId = newSortableId();
      const caseRow = { id: caseId, humanId: caseHumanId, projectId: project.id, sourceName: name };
      await casesRepo.insertCase(trx, importedCaseRow(cases, caseRow, r, { publishedAt, updatedAt }));
      await indexCaseTitle(trx, titleKey, { id: caseId, project_id: project.id }, r.document.title);
      const { id, advisoryId } = await insertAdvisoryRecord(trx, cipher, principal, {
        caseId,
        projectId: project.id,
        casePrefix,
        year,
        state,
        stateReason: r.withdrawnAt
          ? `Withdrawn in the source record ${r.sourceId} on ${r.withdrawnAt}.`
          : undefined,
        cveId: r.cveId,
        cveIndexKey,
        document: r.document,
        createdAt: publishedAt,
        updatedAt,
        revisionAt: nowIso,
      });
      await appendAuditEvent(trx, clock, {
        actor: actorOf(principal),
        action: 'advisory.imported',
        subject: { type: 'advisory', id },
        projectId: project.id,
        data: {
          advisoryId,
          caseId,
          caseHumanId,
          sourceId: r.sourceId,
          format: r.format,
          state,
          unmapped: r.unmapped.length,
        },
      });
      return { advisoryId, caseHumanId, state };
    });
  }

  /**
   * Maps and imports one record in its own transaction and notes it in `report` (imported, skipped
   * as imported before, or failed with its issues). Anything but a refusal of the record is a fault
   * and stops the run.
   */
  async function importOne(
    principal: Principal,
    project: ProjectContext,
    source: ImportSource,
    report: ImportReport,
  ): Promise<Pick<ImportProgress, 'sourceId' | 'outcome'>> {
    let sourceId: string | null = null;
    try {
      const mapped = mapImportRecord(jsonOf(source));
      sourceId = mapped.sourceId;
      const done = await insertRecord(principal, project, source.name, mapped);
      if ('skipped' in done) {
        report.skipped.push({
          name: source.name,
          sourceId,
          advisoryId: done.skipped,
          reason: `already imported as ${done.skipped}`,
        });
        return { sourceId, outcome: 'skipped' };
      }
      report.imported.push({
        name: source.name,
        sourceId,
        format: mapped.format,
        advisoryId: done.advisoryId,
        caseHumanId: done.caseHumanId,
        state: done.state,
        unmapped: mapped.unmapped,
      });
      return { sourceId, outcome: 'imported' };
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      report.failed.push({
        name: source.name,
        sourceId,
        issues: err.issues.length ? err.issues : [{ path: '(document)', message: err.message }],
      });
      return { sourceId, outcome: 'failed' };
    }
  }

  return {
    /**
     * Imports each record into project `projectSlug` (404 unless the caller may `advisory.import`
     * there): one transaction per record, in order. A record that cannot be mapped is reported in
     * `failed` with the field and the reason; one imported before (same source id) in `skipped`.
     */
    async importRecords(
      principal: Principal,
      projectSlug: string,
      records: readonly ImportSource[],
      onProgress?: (p: ImportProgress) => void,
    ): Promise<ImportReport> {
      const row = await loadProjectFor(k, principal, projectSlug, 'advisory.import');
      if (records.length > MAX_IMPORT_RECORDS) {
        throw new ValidationError(`An import takes at most ${MAX_IMPORT_RECORDS} records.`, [
          { path: 'records', message: `${records.length} records; the limit is ${MAX_IMPORT_RECORDS}` },
        ]);
      }
      const project = await projectContextById(k, row.id);
      const report: ImportReport = { imported: [], skipped: [], failed: [] };
      for (const [i, source] of records.entries()) {
        const { sourceId, outcome } = await importOne(principal, project, source, report);
        onProgress?.({ done: i + 1, total: records.length, name: source.name, sourceId, outcome });
      }
      return report;
    },
  };
}
