/**
 * Early-disclosure steps that run inside a caller's transaction: the portal marks a person's copies
 * of a case opened and acknowledged (first time only, one audit event per copy), and a send hands
 * each copy to the job runner.
 */
import { appendAuditEvent } from '../../../audit/audit.log.js';
import type { Actor } from '../../../audit/audit.events.js';
import type { DbTransaction } from '../../../db/connection.js';
import { enqueueJob } from '../../../jobs/job.queue.js';
import type { Clock } from '../../../lib/clock.js';
import { findCaseById } from '../../cases/cases.repo.js';
import * as repo from './early-disclosure.repo.js';

/** The job that mails one copy. */
export const COPY_DELIVERY_JOB = 'early-disclosure.copy';
/** Attempts before a copy is failed for good: with the runner's backoff, about 20 minutes of refusals. */
export const COPY_DELIVERY_ATTEMPTS = 8;

async function recordFirst(
  trx: DbTransaction,
  clock: Clock,
  input: { caseId: string; userId: string },
  mark: typeof repo.markOpened,
  action: 'early_disclosure.copy_opened' | 'early_disclosure.copy_acknowledged',
): Promise<void> {
  const ids = await mark(trx, input.caseId, input.userId, clock.now().toISOString());
  if (ids.length === 0) return;
  const c = await findCaseById(trx, input.caseId);
  const actor: Actor = { type: 'user', id: input.userId };
  for (const copyId of ids) {
    await appendAuditEvent(trx, clock, {
      actor,
      action,
      subject: { type: 'case', id: input.caseId },
      projectId: c?.project_id ?? null,
      data: { copyId, userId: input.userId },
    });
  }
}

/** Marks the person's copies of the case opened in the portal (those not opened before). */
export async function markCopiesOpened(
  trx: DbTransaction,
  clock: Clock,
  input: { caseId: string; userId: string },
): Promise<void> {
  await recordFirst(trx, clock, input, repo.markOpened, 'early_disclosure.copy_opened');
}

/** Marks the person's copies of the case acknowledged (and opened, if they were not). */
export async function markCopiesAcknowledged(
  trx: DbTransaction,
  clock: Clock,
  input: { caseId: string; userId: string },
): Promise<void> {
  await recordFirst(trx, clock, input, repo.markAcknowledged, 'early_disclosure.copy_acknowledged');
}

/** Queues the mail of one copy (one job per copy, keyed by it). */
export async function enqueueCopyDelivery(trx: DbTransaction, clock: Clock, copyId: string): Promise<void> {
  await enqueueJob(trx, clock, {
    kind: COPY_DELIVERY_JOB,
    payload: { copyId },
    uniqueKey: `${COPY_DELIVERY_JOB}:${copyId}`,
    maxAttempts: COPY_DELIVERY_ATTEMPTS,
  });
}
