/**
 * Data access for CI runs and the runners that claim them. Queries only.
 * A run is `queued`, then `running` under a runner's lease (`runner_id`, `lease_until`, fenced by
 * `attempts`), then `passed`, `failed` or `error`. Nothing lives in a process's memory: a runner
 * that disappears leaves a lease that expires, and the next claim takes the run again.
 */
import type { DbReader, DbTransaction, DbWriter, Dialect } from '../../../db/connection.js';
import type { CiBranchHeadsTable, CiRunsTable, RunnersTable } from '../../../db/schema.js';

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

/** Sets a fix branch's head (its last push). */
export async function upsertBranchHead(db: DbTransaction, head: CiBranchHeadsTable): Promise<void> {
  await db
    .insertInto('ci_branch_heads')
    .values(head)
    .onConflict((oc) =>
      oc
        .columns(['case_id', 'branch'])
        .doUpdateSet({ commit_sha: head.commit_sha, pushed_at: head.pushed_at }),
    )
    .execute();
}

/** The heads Vigil recorded for the case's branches (branch -> commit). */
export async function listBranchHeads(db: DbReader, caseId: string): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('ci_branch_heads')
    .select(['branch', 'commit_sha'])
    .where('case_id', '=', caseId)
    .execute();
  return new Map(rows.map((r) => [r.branch, r.commit_sha]));
}

/** Forgets the heads of deleted fix branches. */
export async function deleteBranchHeads(db: DbTransaction, caseId: string, branches: readonly string[]) {
  if (branches.length === 0) return;
  await db
    .deleteFrom('ci_branch_heads')
    .where('case_id', '=', caseId)
    .where('branch', 'in', branches)
    .execute();
}

// ---- Runners -------------------------------------------------------------------------------------

export type RunnerRow = Omit<RunnersTable, 'token_hash'>;
const RUNNER_COLUMNS = [
  'id',
  'name',
  'token_prefix',
  'created_at',
  'last_seen_at',
  'revoked_at',
  'project_id',
] as const;

export async function insertRunner(db: DbTransaction, row: RunnersTable): Promise<void> {
  await db.insertInto('runners').values(row).execute();
}

/** Every runner, revoked ones included, oldest first; never the token's hash. */
export function listRunners(db: DbReader): Promise<RunnerRow[]> {
  return db.selectFrom('runners').select(RUNNER_COLUMNS).orderBy('created_at').orderBy('id').execute();
}

export function findRunner(db: DbReader, id: string): Promise<RunnerRow | undefined> {
  return db.selectFrom('runners').select(RUNNER_COLUMNS).where('id', '=', id).executeTakeFirst();
}

export function findRunnerByTokenHash(db: DbReader, tokenHash: string): Promise<RunnerRow | undefined> {
  return db
    .selectFrom('runners')
    .select(RUNNER_COLUMNS)
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function revokeRunner(db: DbTransaction, id: string, at: string): Promise<void> {
  await db.updateTable('runners').set({ revoked_at: at }).where('id', '=', id).execute();
}

/** Bookkeeping of a runner's last request (no audit event describes it). */
export async function touchRunner(db: DbWriter, id: string, at: string): Promise<void> {
  await db.updateTable('runners').set({ last_seen_at: at }).where('id', '=', id).execute();
}

// ---- Claiming and leases -------------------------------------------------------------------------

export interface ExpiredLease {
  id: string;
  case_id: string;
  runner_id: string | null;
  attempts: number;
  started_at: string | null;
}

/**
 * Running runs whose lease has passed (their runner stopped reporting), locked for this
 * transaction; PostgreSQL skips rows a concurrent claim holds instead of waiting for them.
 */
export function lockExpiredLeases(
  db: DbTransaction,
  dialect: Dialect,
  now: string,
  limit: number,
): Promise<ExpiredLease[]> {
  return db
    .selectFrom('ci_runs')
    .select(['id', 'case_id', 'runner_id', 'attempts', 'started_at'])
    .where('state', '=', 'running')
    .where('lease_until', '<=', now)
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .$if(dialect === 'postgres', (qb) => qb.forUpdate().skipLocked())
    .execute();
}

/** Puts a run whose lease expired back in the queue; false when it is no longer that run's state. */
export async function requeueRun(db: DbTransaction, id: string, attempts: number, now: string) {
  const r = await db
    .updateTable('ci_runs')
    .set({ state: 'queued', runner_id: null, lease_until: null })
    .where('id', '=', id)
    .where('state', '=', 'running')
    .where('attempts', '=', attempts)
    .where('lease_until', '<=', now)
    .executeTakeFirst();
  return r.numUpdatedRows === 1n;
}

export interface ClaimedRun {
  id: string;
  case_id: string;
  branch: string;
  commit_sha: string;
  attempts: number;
}

/**
 * Claims the oldest queued run for `runnerId` in one statement (as the job runner claims jobs):
 * `UPDATE ... WHERE id = (SELECT ... FOR UPDATE SKIP LOCKED) RETURNING` on PostgreSQL, so that
 * concurrent claims never take the same run; SQLite serialises writers, so the same statement
 * without the lock clause. Sets the lease, `attempts + 1` and `started_at`. A runner scoped to a
 * project claims only the runs of that project's cases.
 */
export async function claimOldestQueuedRun(
  db: DbTransaction,
  dialect: Dialect,
  claim: { runnerId: string; now: string; leaseUntil: string },
  /** The runner's project: only that project's cases' runs; null: any. */
  projectId: string | null,
): Promise<ClaimedRun | undefined> {
  return (
    db
      .updateTable('ci_runs')
      .set((eb) => ({
        state: 'running',
        runner_id: claim.runnerId,
        lease_until: claim.leaseUntil,
        attempts: eb('attempts', '+', 1),
        started_at: claim.now,
      }))
      // `=` and not `in`: PostgreSQL evaluates an uncorrelated scalar subquery once (an InitPlan);
      // under `in` it may run the locking subquery again per scanned row and claim several runs.
      .where('id', '=', (eb) =>
        eb
          .selectFrom('ci_runs')
          .select('id')
          .where('state', '=', 'queued')
          .$if(projectId !== null, (qb) =>
            qb.where('case_id', 'in', (s) =>
              s
                .selectFrom('cases')
                .select('cases.id')
                .where('cases.project_id', '=', projectId ?? ''),
            ),
          )
          .orderBy('created_at')
          .orderBy('id')
          .limit(1)
          .$if(dialect === 'postgres', (qb) => qb.forUpdate().skipLocked()),
      )
      .where('state', '=', 'queued')
      .returning(['id', 'case_id', 'branch', 'commit_sha', 'attempts'])
      .executeTakeFirst()
  );
}

/** What a claimed run's answer names of its case. */
export function findCaseOfRun(db: DbReader, caseId: string) {
  return db
    .selectFrom('cases')
    .select(['id', 'human_id', 'project_id'])
    .where('id', '=', caseId)
    .executeTakeFirst();
}

export type RunRow = Omit<CiRunsTable, 'log_enc'>;
const RUN_COLUMNS = [
  'id',
  'case_id',
  'branch',
  'commit_sha',
  'state',
  'runner_id',
  'lease_until',
  'attempts',
  'exit_code',
  'timed_out',
  'created_at',
  'started_at',
  'finished_at',
] as const;

export function findRun(db: DbReader, id: string): Promise<RunRow | undefined> {
  return db.selectFrom('ci_runs').select(RUN_COLUMNS).where('id', '=', id).executeTakeFirst();
}

/** Extends the lease of a run `runnerId` holds at `attempt` (fenced on both). */
export async function extendLease(
  db: DbWriter,
  lease: { runId: string; runnerId: string; attempt: number; leaseUntil: string },
): Promise<boolean> {
  const r = await db
    .updateTable('ci_runs')
    .set({ lease_until: lease.leaseUntil })
    .where('id', '=', lease.runId)
    .where('state', '=', 'running')
    .where('runner_id', '=', lease.runnerId)
    .where('attempts', '=', lease.attempt)
    .executeTakeFirst();
  return r.numUpdatedRows === 1n;
}

/**
 * Records a run's outcome, only while it is still the running run of `runnerId` at `attempts`
 * (the fence: a runner whose lease was taken over reports into nothing).
 */
export async function finishRun(
  db: DbTransaction,
  fence: { runId: string; runnerId: string | null; attempts: number },
  outcome: Pick<CiRunsTable, 'state' | 'exit_code' | 'timed_out' | 'log_enc' | 'finished_at'> &
    Partial<Pick<CiRunsTable, 'runner_id'>>,
): Promise<boolean> {
  const r = await db
    .updateTable('ci_runs')
    .set({ ...outcome, lease_until: null })
    .where('id', '=', fence.runId)
    .where('state', '=', 'running')
    .where('runner_id', fence.runnerId === null ? 'is' : '=', fence.runnerId)
    .where('attempts', '=', fence.attempts)
    .executeTakeFirst();
  return r.numUpdatedRows === 1n;
}

/** True when `runnerId` holds an unexpired lease on a run of the case: it may clone the case's repository. */
export async function hasActiveLeaseOnCase(
  db: DbReader,
  runnerId: string,
  caseId: string,
  now: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('ci_runs')
    .select('id')
    .where('case_id', '=', caseId)
    .where('runner_id', '=', runnerId)
    .where('state', '=', 'running')
    .where('lease_until', '>', now)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

// ---- Reading -------------------------------------------------------------------------------------

export type RunWithRunner = RunRow & { runner_name: string | null };

/** The case's runs, newest first, with their runner's name; at most `limit`. */
export function listRunsOfCase(db: DbReader, caseId: string, limit: number): Promise<RunWithRunner[]> {
  return db
    .selectFrom('ci_runs as r')
    .leftJoin('runners as n', 'n.id', 'r.runner_id')
    .select([
      'r.id',
      'r.case_id',
      'r.branch',
      'r.commit_sha',
      'r.state',
      'r.runner_id',
      'r.lease_until',
      'r.attempts',
      'r.exit_code',
      'r.timed_out',
      'r.created_at',
      'r.started_at',
      'r.finished_at',
      'n.name as runner_name',
    ])
    .where('r.case_id', '=', caseId)
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(limit)
    .execute();
}

/** The encrypted log of the case's run `runId` (undefined: no such run of that case). */
export function findRunLog(db: DbReader, caseId: string, runId: string) {
  return db
    .selectFrom('ci_runs')
    .select(['id', 'log_enc'])
    .where('id', '=', runId)
    .where('case_id', '=', caseId)
    .executeTakeFirst();
}

export interface LatestRun {
  id: string;
  commit: string;
  /** queued | running | passed | failed | error */
  state: string;
  /** When it was queued (the push). */
  queuedAt: string;
  finishedAt: string | null;
}

/**
 * The run of each branch's current head (as of its last push), for other modules: the release
 * matrix counts a line green when the run of its fix branch's head passed. A branch without a head
 * (deleted, or never pushed since heads were recorded) or whose head has no run is absent.
 */
export async function latestRunsByBranch(db: DbReader, caseId: string): Promise<Map<string, LatestRun>> {
  const rows = await db
    .selectFrom('ci_branch_heads as h')
    .innerJoin('ci_runs as r', (j) =>
      j
        .onRef('r.case_id', '=', 'h.case_id')
        .onRef('r.branch', '=', 'h.branch')
        .onRef('r.commit_sha', '=', 'h.commit_sha'),
    )
    .select(['r.id', 'r.branch', 'r.commit_sha', 'r.state', 'r.created_at', 'r.finished_at'])
    .where('h.case_id', '=', caseId)
    .execute();
  return new Map(
    rows.map((r) => [
      r.branch,
      { id: r.id, commit: r.commit_sha, state: r.state, queuedAt: r.created_at, finishedAt: r.finished_at },
    ]),
  );
}
