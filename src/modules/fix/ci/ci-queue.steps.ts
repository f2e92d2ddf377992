/**
 * Queues CI runs: every pushed branch head of a fix repository gets one run (PROCESS.md §6: the fix
 * is tested in private, which GitHub's temporary private forks never did). Runners claim them.
 */
import { appendAuditEvent } from '../../../audit/audit.log.js';
import type { Actor } from '../../../audit/audit.events.js';
import type { DbTransaction } from '../../../db/connection.js';
import type { Clock } from '../../../lib/clock.js';
import { newSortableId } from '../../../lib/ids.js';
import * as repo from './ci.repo.js';

export interface PushedHead {
  branch: string;
  commit: string;
}

/** One queued run per (branch, commit) not run yet; returns the new runs' ids. */
export async function queueRunsForPush(
  trx: DbTransaction,
  clock: Clock,
  c: { id: string; project_id: string },
  heads: readonly PushedHead[],
  actor: Actor,
): Promise<string[]> {
  const ids: string[] = [];
  const now = clock.now().toISOString();
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
