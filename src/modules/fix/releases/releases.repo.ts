/** Data access for a case's recorded releases and its fix branches' latest CI runs. Queries only. */
import type { DbReader, DbTransaction } from '../../../db/connection.js';
import type { CaseReleasesTable } from '../../../db/schema.js';

export type ReleaseRow = CaseReleasesTable;

const RELEASE_COLUMNS = [
  'id',
  'case_id',
  'line',
  'version',
  'planned_at',
  'state',
  'url',
  'override_reason_enc',
  'override_by',
  'override_at',
  'updated_at',
] as const;

/** Every release row of the case (one per line). */
export function listReleases(db: DbReader, caseId: string): Promise<ReleaseRow[]> {
  return db
    .selectFrom('case_releases')
    .select(RELEASE_COLUMNS)
    .where('case_id', '=', caseId)
    .orderBy('line')
    .execute();
}

export function findRelease(db: DbReader, caseId: string, line: string): Promise<ReleaseRow | undefined> {
  return db
    .selectFrom('case_releases')
    .select(RELEASE_COLUMNS)
    .where('case_id', '=', caseId)
    .where('line', '=', line)
    .executeTakeFirst();
}

export async function insertRelease(db: DbTransaction, row: ReleaseRow): Promise<void> {
  await db.insertInto('case_releases').values(row).execute();
}

export async function updateRelease(
  db: DbTransaction,
  id: string,
  patch: Partial<Omit<ReleaseRow, 'id' | 'case_id' | 'line'>>,
): Promise<void> {
  await db.updateTable('case_releases').set(patch).where('id', '=', id).execute();
}
