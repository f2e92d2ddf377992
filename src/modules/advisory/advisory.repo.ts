/** Data access for advisories and their revisions. Queries only. */
import { sql } from 'kysely';
import type { DbReader, DbTransaction } from '../../db/connection.js';
import { containsPattern } from '../../db/like.js';
import type { AdvisoriesTable, AdvisoryRevisionsTable } from '../../db/schema.js';

export type AdvisoryRow = AdvisoriesTable;
export type RevisionRow = AdvisoryRevisionsTable;

/** Takes the next advisory number for `prefix` in `year` (atomic: the upsert locks the counter row). */
export async function nextAdvisoryNumber(db: DbTransaction, prefix: string, year: number): Promise<number> {
  const row = await db
    .insertInto('advisory_counters')
    .values({ prefix, year, last_seq: 1 })
    .onConflict((oc) =>
      oc
        .columns(['prefix', 'year'])
        .doUpdateSet((eb) => ({ last_seq: eb('advisory_counters.last_seq', '+', 1) })),
    )
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  return row.last_seq;
}

export function findAdvisoryByCase(db: DbReader, caseId: string): Promise<AdvisoryRow | undefined> {
  return db.selectFrom('advisories').selectAll().where('case_id', '=', caseId).executeTakeFirst();
}

export function findAdvisoryByAdvisoryId(db: DbReader, advisoryId: string): Promise<AdvisoryRow | undefined> {
  return db.selectFrom('advisories').selectAll().where('advisory_id', '=', advisoryId).executeTakeFirst();
}

/**
 * A live (draft or published) advisory whose CVE id has keyed index `cveIdIndex`, if any (at most
 * one draft, by the unique index; imported history may hold it more than once).
 */
export function findLiveAdvisoryByCveIndex(
  db: DbReader,
  cveIdIndex: string,
): Promise<AdvisoryRow | undefined> {
  return db
    .selectFrom('advisories')
    .selectAll()
    .where('cve_id_index', '=', cveIdIndex)
    .where('state', 'in', ['draft', 'published'])
    .orderBy('created_at')
    .executeTakeFirst();
}

export async function insertAdvisory(db: DbTransaction, row: AdvisoryRow): Promise<void> {
  await db.insertInto('advisories').values(row).execute();
}

export async function insertRevision(db: DbTransaction, row: RevisionRow): Promise<void> {
  await db.insertInto('advisory_revisions').values(row).execute();
}

/**
 * Moves `current_revision` from `expected` to the next number; undefined when someone saved in
 * between (the compare-and-set that keeps two editors from overwriting each other).
 */
export async function bumpRevision(
  db: DbTransaction,
  id: string,
  expected: number,
  at: string,
): Promise<number | undefined> {
  const row = await db
    .updateTable('advisories')
    .set((eb) => ({ current_revision: eb('current_revision', '+', 1), updated_at: at }))
    .where('id', '=', id)
    .where('current_revision', '=', expected)
    .returning('current_revision')
    .executeTakeFirst();
  return row?.current_revision;
}

export async function updateAdvisory(
  db: DbTransaction,
  id: string,
  patch: Partial<Omit<AdvisoryRow, 'id' | 'case_id' | 'project_id' | 'advisory_id'>>,
): Promise<void> {
  await db.updateTable('advisories').set(patch).where('id', '=', id).execute();
}

/** Sets the state if it is still `from`; false when someone changed it in between. */
export async function closeAdvisory(
  db: DbTransaction,
  id: string,
  from: string,
  patch: { state: string; state_reason_enc: string; updated_at: string },
): Promise<boolean> {
  const r = await db
    .updateTable('advisories')
    .set(patch)
    .where('id', '=', id)
    .where('state', '=', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** A draft becomes published (publication, PROCESS.md §8); false when it was not a draft any more. */
export async function publishAdvisory(db: DbTransaction, id: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('advisories')
    .set({ state: 'published', updated_at: at })
    .where('id', '=', id)
    .where('state', '=', 'draft')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export function findRevision(
  db: DbReader,
  advisoryId: string,
  revision: number,
): Promise<RevisionRow | undefined> {
  return db
    .selectFrom('advisory_revisions')
    .selectAll()
    .where('advisory_id', '=', advisoryId)
    .where('revision', '=', revision)
    .executeTakeFirst();
}

/**
 * A page of the revisions' metadata (never the document), oldest first: those after revision
 * `after`, through the unique index (advisory_id, revision).
 */
export function listRevisions(db: DbReader, advisoryId: string, after: number | undefined, limit: number) {
  return db
    .selectFrom('advisory_revisions')
    .select(['revision', 'author_user_id', 'author_name', 'created_at'])
    .where('advisory_id', '=', advisoryId)
    .$if(after !== undefined, (qb) => qb.where('revision', '>', after ?? 0))
    .orderBy('revision')
    .limit(limit)
    .execute();
}

/**
 * The advisory an earlier import of `sourceId` created in the project, found through its
 * `advisory.imported` audit event (the record of every import; no column holds source ids).
 */
export async function findImportedAdvisoryId(
  db: DbReader,
  projectId: string,
  sourceId: string,
): Promise<string | undefined> {
  // LIKE narrows the scan (the parse below decides): the id matched literally and bounded (a
  // 60,000-character id made SQLite refuse the pattern: a 500). An id that long was never imported.
  const pattern = containsPattern(JSON.stringify(sourceId));
  if (pattern === undefined) return undefined;
  const rows = await db
    .selectFrom('audit_events')
    .select('data_json')
    .where('action', '=', 'advisory.imported')
    .where('project_id', '=', projectId)
    .where(sql<boolean>`data_json like ${pattern} escape '\\'`)
    .execute();
  for (const row of rows) {
    const data = JSON.parse(row.data_json) as { sourceId?: unknown; advisoryId?: unknown };
    if (data.sourceId === sourceId && typeof data.advisoryId === 'string') return data.advisoryId;
  }
  return undefined;
}
