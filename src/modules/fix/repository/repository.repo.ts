/** Data access for the cases' fix repositories. Queries only. */
import type { DbReader, DbTransaction } from '../../../db/connection.js';
import type { CaseRepositoriesTable } from '../../../db/schema.js';

export type CaseRepositoryRow = CaseRepositoriesTable;

/** The repository states (case_repositories.state). */
export const REPOSITORY_STATES = ['seeding', 'ready', 'failed', 'read-only'] as const;
export type RepositoryState = (typeof REPOSITORY_STATES)[number];

const COLUMNS = [
  'case_id',
  'project_id',
  'state',
  'upstream',
  'error',
  'seed_refs_json',
  'created_at',
  'seeded_at',
  'frozen_at',
] as const;

/** Inserts the case's repository row unless it has one; true when inserted. */
export async function insertCaseRepository(
  db: DbTransaction,
  row: Pick<CaseRepositoriesTable, 'case_id' | 'project_id' | 'upstream' | 'created_at'>,
): Promise<boolean> {
  const r = await db
    .insertInto('case_repositories')
    .values({ ...row, state: 'seeding', error: null, seed_refs_json: '{}', seeded_at: null, frozen_at: null })
    .onConflict((oc) => oc.column('case_id').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
}

export function findCaseRepository(db: DbReader, caseId: string): Promise<CaseRepositoryRow | undefined> {
  return db.selectFrom('case_repositories').select(COLUMNS).where('case_id', '=', caseId).executeTakeFirst();
}

/**
 * Changes the repository of `caseId` if it is in one of `from` (so that a second run of a job, or
 * two requests at once, change it once); true when it did.
 */
export async function updateCaseRepository(
  db: DbTransaction,
  caseId: string,
  from: readonly RepositoryState[],
  patch: Partial<
    Pick<CaseRepositoriesTable, 'state' | 'error' | 'seed_refs_json' | 'seeded_at' | 'frozen_at' | 'upstream'>
  >,
): Promise<boolean> {
  const r = await db
    .updateTable('case_repositories')
    .set(patch)
    .where('case_id', '=', caseId)
    .where('state', 'in', [...from])
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
