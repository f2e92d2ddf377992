/** Data access for CI runs and runners. Queries only. */
import type { DbTransaction } from '../../../db/connection.js';
import type { CiRunsTable } from '../../../db/schema.js';

/** Inserts a queued run unless that (case, branch, commit) has one; true when inserted. */
export async function insertQueuedRun(
  db: DbTransaction,
  run: Pick<CiRunsTable, 'id' | 'case_id' | 'branch' | 'commit_sha' | 'created_at'>,
): Promise<boolean> {
  const r = await db
    .insertInto('ci_runs')
    .values({
      ...run,
      state: 'queued',
      runner_id: null,
      lease_until: null,
      attempts: 0,
      exit_code: null,
      timed_out: 0,
      log_enc: null,
      started_at: null,
      finished_at: null,
    })
    .onConflict((oc) => oc.columns(['case_id', 'branch', 'commit_sha']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
}
