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

/** The newest CI run of a branch: its state and the commit it tested. */
export interface LatestRun {
  branch: string;
  id: string;
  commit_sha: string;
  state: string;
  created_at: string;
  finished_at: string | null;
}

/**
 * The newest run (by queue time, then id) of each of `branches` in the case; a branch without any
 * run is absent from the map. One query: the rows of those branches, newest first.
 */
export async function latestRunsByBranch(
  db: DbReader,
  caseId: string,
  branches: readonly string[],
): Promise<Map<string, LatestRun>> {
  const latest = new Map<string, LatestRun>();
  if (branches.length === 0) return latest;
  const rows = await db
    .selectFrom('ci_runs')
    .select(['branch', 'id', 'commit_sha', 'state', 'created_at', 'finished_at'])
    .where('case_id', '=', caseId)
    .where('branch', 'in', [...branches])
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  for (const r of rows) if (!latest.has(r.branch)) latest.set(r.branch, r);
  return latest;
}
