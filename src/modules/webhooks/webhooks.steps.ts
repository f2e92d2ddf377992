/**
 * The step publication runs in its transaction: one delivery per active webhook of the project,
 * each with its job. The delivery row is unique per webhook, case and event and the job is keyed
 * by the delivery, so running the step twice posts nothing twice.
 */
import type { DbTransaction } from '../../db/connection.js';
import { enqueueJob } from '../../jobs/job.queue.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { WebhookEvent } from './webhook-message.js';
import * as repo from './webhooks.repo.js';

export const WEBHOOK_DELIVERY_JOB = 'webhook.deliver';
/** About 40 minutes of retries with the runner's backoff (10 s doubling, jittered). */
export const WEBHOOK_MAX_ATTEMPTS = 8;

/** Queues `event` about case `c` to every active webhook of its project; how many were queued. */
export async function enqueueWebhookDeliveries(
  trx: DbTransaction,
  clock: Clock,
  c: { id: string; project_id: string },
  event: WebhookEvent,
): Promise<number> {
  const now = clock.now().toISOString();
  let queued = 0;
  for (const hook of await repo.listActiveWebhooks(trx, c.project_id)) {
    const id = newId();
    const added = await repo.insertDelivery(trx, {
      id,
      webhook_id: hook.id,
      project_id: c.project_id,
      case_id: c.id,
      event,
      state: 'queued',
      attempts: 0,
      status_code: null,
      last_error: null,
      delivered_at: null,
      created_at: now,
      updated_at: now,
    });
    if (!added) continue;
    await enqueueJob(trx, clock, {
      kind: WEBHOOK_DELIVERY_JOB,
      payload: { deliveryId: id },
      uniqueKey: `${WEBHOOK_DELIVERY_JOB}:${id}`,
      maxAttempts: WEBHOOK_MAX_ATTEMPTS,
    });
    queued += 1;
  }
  return queued;
}
