/**
 * The fix repository's steps inside a caller's transaction (PROCESS.md §6, §8): created when the
 * case is accepted (seeded by a job after commit), frozen when it is published (on disk by a job
 * after commit). Each writes its audit event in the same transaction.
 */
import { appendAuditEvent } from '../../../audit/audit.log.js';
import type { Actor } from '../../../audit/audit.events.js';
import type { DbTransaction } from '../../../db/connection.js';
import { enqueueJob } from '../../../jobs/job.queue.js';
import type { Clock } from '../../../lib/clock.js';
import type { Policy } from '../../policy/policy.schema.js';
import type { GitStore } from './git-store.js';
import * as repo from './repository.repo.js';

/** The job that creates the repository on disk and fetches the release branches from upstream. */
export const SEED_JOB = 'fix.repository.seed';

/** Enqueues a seed of the case's repository; `attempt` names a retry (a job key is never reused). */
export async function enqueueSeed(
  trx: DbTransaction,
  clock: Clock,
  caseId: string,
  attempt?: string,
): Promise<void> {
  await enqueueJob(trx, clock, {
    kind: SEED_JOB,
    payload: { caseId },
    uniqueKey: attempt ? `${SEED_JOB}:${caseId}:${attempt}` : `${SEED_JOB}:${caseId}`,
    maxAttempts: 3,
  });
}

/**
 * Gives the case its private fix repository: the row (seeding, from the policy's upstream), the
 * audit event, and the job that seeds it. Nothing happens when the case has one already.
 */
export async function createCaseRepository(
  trx: DbTransaction,
  clock: Clock,
  c: { id: string; project_id: string },
  policy: Policy,
  actor: Actor,
): Promise<boolean> {
  const upstream = policy.fix.upstreamRepository;
  const created = await repo.insertCaseRepository(trx, {
    case_id: c.id,
    project_id: c.project_id,
    upstream,
    created_at: clock.now().toISOString(),
  });
  if (!created) return false;
  await appendAuditEvent(trx, clock, {
    actor,
    action: 'case.repository_created',
    subject: { type: 'case', id: c.id },
    projectId: c.project_id,
    data: { upstream: upstream !== null },
  });
  await enqueueSeed(trx, clock, c.id);
  return true;
}

/** The job that refuses pushes on disk too, once the repository's freeze has committed. */
export const FREEZE_JOB = 'fix.repository.freeze';

/**
 * Makes the case's repository read-only at release (§8): kept for the retrospective, never deleted.
 * Only the row changes here: the bridge refuses pushes by this state. The on-disk freeze (git's
 * `http.receivepack false`) is a job that runs after commit, so a transition that rolls back leaves
 * nothing frozen. `store` names the branches in the audit event.
 */
export async function freezeRepository(
  trx: DbTransaction,
  clock: Clock,
  c: { id: string; project_id: string },
  actor: Actor,
  store?: Pick<GitStore, 'branchNames' | 'exists'>,
): Promise<boolean> {
  const frozen = await repo.updateCaseRepository(trx, c.id, ['seeding', 'ready', 'failed'], {
    state: 'read-only',
    frozen_at: clock.now().toISOString(),
  });
  if (!frozen) return false;
  const branches = store && (await store.exists(c.id)) ? await store.branchNames(c.id) : [];
  await appendAuditEvent(trx, clock, {
    actor,
    action: 'case.repository_frozen',
    subject: { type: 'case', id: c.id },
    projectId: c.project_id,
    data: { branches },
  });
  await enqueueJob(trx, clock, {
    kind: FREEZE_JOB,
    payload: { caseId: c.id },
    uniqueKey: `${FREEZE_JOB}:${c.id}`,
    maxAttempts: 5,
  });
  return true;
}
