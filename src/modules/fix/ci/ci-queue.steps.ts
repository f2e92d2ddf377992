/**
 * Queues CI runs: every pushed branch head of a fix repository gets one run (PROCESS.md §6: the fix
 * is tested in private, which GitHub's temporary private forks never did). Runners claim them.
 * These steps run inside the caller's transaction and write its audit events.
 */
import { appendAuditEvent } from '../../../audit/audit.log.js';
import type { Actor } from '../../../audit/audit.events.js';
import type { DbTransaction, Dialect } from '../../../db/connection.js';
import type { Clock } from '../../../lib/clock.js';
import { newSortableId } from '../../../lib/ids.js';
import { projectContextById } from '../../cases/case-context.js';
import type { RunLogCipher } from './ci-log.js';
import * as repo from './ci.repo.js';

export interface PushedHead {
  branch: string;
  commit: string;
}

/**
 * Records each pushed branch's new head (CI counts a branch by its head: a force-push back to a
 * commit already run, or a deleted branch, must not keep another commit's green), forgets the
 * heads of the `deleted` branches, and queues one run per (branch, commit) not run yet; returns
 * the new runs' ids. A project whose current policy names no `fix.testCommand` has no CI: heads are
 * recorded, nothing is queued (and a run queued before the command was removed is finished as
 * `error` when claimed, see claimRun in ci.service.ts).
 */
export async function queueRunsForPush(
  trx: DbTransaction,
  clock: Clock,
  c: { id: string; project_id: string },
  heads: readonly PushedHead[],
  actor: Actor,
  deleted: readonly string[] = [],
): Promise<string[]> {
  const now = clock.now().toISOString();
  for (const head of heads) {
    await repo.upsertBranchHead(trx, {
      case_id: c.id,
      branch: head.branch,
      commit_sha: head.commit,
      pushed_at: now,
    });
  }
  await repo.deleteBranchHeads(trx, c.id, deleted);
  if (heads.length === 0) return [];
  const { policy } = await projectContextById(trx, c.project_id);
  if (!policy.fix.testCommand) return [];
  const ids: string[] = [];
  for (const head of heads) {
    const id = newSortableId();
    const row = { id, case_id: c.id, branch: head.branch, commit_sha: head.commit, created_at: now };
    if (!(await repo.insertQueuedRun(trx, row))) continue;
    ids.push(id);
    await appendAuditEvent(trx, clock, {
      actor,
      action: 'ci.run_queued',
      subject: { type: 'case', id: c.id },
      projectId: c.project_id,
      data: { runId: id, caseId: c.id, branch: head.branch, commit: head.commit },
    });
  }
  return ids;
}

/** A run whose runner disappeared this many times is finished as `error` instead of queued again. */
export const MAX_RUN_ATTEMPTS = 3;

/**
 * Takes back runs whose lease expired (their runner stopped heartbeating): each is queued again
 * (`ci.run_requeued`), or, after MAX_RUN_ATTEMPTS claims, finished as `error` (`ci.run_finished`).
 * Runs before every claim, so nothing depends on a process remembering a lease.
 */
export async function releaseExpiredLeases(
  trx: DbTransaction,
  clock: Clock,
  dialect: Dialect,
  logs: RunLogCipher,
  actor: Actor,
): Promise<void> {
  const now = clock.now().toISOString();
  for (const run of await repo.lockExpiredLeases(trx, dialect, now, 20)) {
    const c = await repo.findCaseOfRun(trx, run.case_id);
    const subject = { type: 'case', id: run.case_id };
    if (run.attempts < MAX_RUN_ATTEMPTS) {
      if (!(await repo.requeueRun(trx, run.id, run.attempts, now))) continue;
      await appendAuditEvent(trx, clock, {
        actor,
        action: 'ci.run_requeued',
        subject,
        projectId: c?.project_id ?? null,
        data: { runId: run.id, runnerId: run.runner_id, attempt: run.attempts },
      });
      continue;
    }
    const message = `The runner stopped reporting during ${run.attempts} attempts; the run is not queued again. Push again to retry.\n`;
    const finished = await repo.finishRun(
      trx,
      { runId: run.id, runnerId: run.runner_id, attempts: run.attempts },
      // Without its runner: the one that disappeared may come back, and its report is refused.
      {
        state: 'error',
        exit_code: null,
        timed_out: 0,
        log_enc: logs.seal(run.id, message),
        finished_at: now,
        runner_id: null,
      },
    );
    if (!finished) continue;
    await appendAuditEvent(trx, clock, {
      actor,
      action: 'ci.run_finished',
      subject,
      projectId: c?.project_id ?? null,
      data: { runId: run.id, status: 'error', exitCode: null, durationMs: durationMs(run.started_at, now) },
    });
  }
}

/** Milliseconds from a run's start to `end` (0 when it never started). */
export function durationMs(startedAt: string | null, end: string): number {
  return startedAt ? Math.max(0, Date.parse(end) - Date.parse(startedAt)) : 0;
}
