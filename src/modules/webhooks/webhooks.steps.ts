/**
 * The step a change runs in its own transaction: one delivery per active webhook of the project
 * that receives the event, each with its job, so nothing is posted for a change rolled back and
 * nothing is lost for one committed. The delivery row is unique per webhook, case, event and
 * occurrence, and the job is keyed by the delivery, so running the step twice posts nothing twice.
 */
import type { DbTransaction } from '../../db/connection.js';
import { enqueueJob } from '../../jobs/job.queue.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import { WEBHOOK_EVENTS, type CaseWebhookEvent, type WebhookEvent } from './webhook-message.js';
import * as repo from './webhooks.repo.js';

export const WEBHOOK_DELIVERY_JOB = 'webhook.deliver';
/** About 40 minutes of retries with the runner's backoff (10 s doubling, jittered). */
export const WEBHOOK_MAX_ATTEMPTS = 8;

/** The events a webhook receives: its stored list, or every event when it has none. */
export function subscribedEvents(hook: Pick<repo.WebhookRow, 'events_json'>): WebhookEvent[] {
  if (hook.events_json === null) return [...WEBHOOK_EVENTS];
  const stored = JSON.parse(hook.events_json) as string[];
  return WEBHOOK_EVENTS.filter((e) => stored.includes(e));
}

/** Which occurrence of the event, and its one fact (a transition's new state). */
export interface WebhookOccurrence {
  /** A message id, `<state>:<instant>`, a due instant; '' (the default) for once per case. */
  occurrence?: string | undefined;
  detail?: string | null | undefined;
}

/** Queues `event` about case `c` to every active webhook of its project that receives it; how many were queued. */
export async function enqueueWebhookDeliveries(
  trx: DbTransaction,
  clock: Clock,
  c: { id: string; project_id: string },
  event: WebhookEvent,
  at: WebhookOccurrence = {},
): Promise<number> {
  return queueTo(trx, clock, await repo.listActiveWebhooks(trx, c.project_id), c, event, at);
}

async function queueTo(
  trx: DbTransaction,
  clock: Clock,
  hooks: readonly repo.WebhookRow[],
  c: { id: string; project_id: string },
  event: WebhookEvent,
  at: WebhookOccurrence,
): Promise<number> {
  const now = clock.now().toISOString();
  let queued = 0;
  for (const hook of hooks) {
    if (!subscribedEvents(hook).includes(event)) continue;
    const id = newId();
    const added = await repo.insertDelivery(trx, {
      id,
      webhook_id: hook.id,
      project_id: c.project_id,
      case_id: c.id,
      event,
      occurrence: at.occurrence ?? '',
      detail: at.detail ?? null,
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

type CaseSubject = { id: string; project_id: string; held_at?: string | null | undefined };

/**
 * Queues a team case event (link-only: the delivery job reads the case's human id and project at
 * send time). A held report (possibly a flood) tells the team nothing until it is released, as
 * its mail does not.
 */
export async function enqueueCaseWebhooks(
  trx: DbTransaction,
  clock: Clock,
  c: CaseSubject,
  event: CaseWebhookEvent,
  at: WebhookOccurrence = {},
): Promise<void> {
  if (c.held_at) return;
  await enqueueWebhookDeliveries(trx, clock, c, event, at);
}

/** `case.received` for a batch of filed reports (intake's commit group): each project's webhooks read once. */
export async function enqueueReceivedWebhooks(
  trx: DbTransaction,
  clock: Clock,
  cases: readonly CaseSubject[],
): Promise<void> {
  const byProject = new Map<string, CaseSubject[]>();
  for (const c of cases) {
    if (c.held_at) continue;
    byProject.set(c.project_id, [...(byProject.get(c.project_id) ?? []), c]);
  }
  for (const [projectId, filed] of byProject) {
    const hooks = await repo.listActiveWebhooks(trx, projectId);
    if (hooks.length === 0) continue;
    for (const c of filed) await queueTo(trx, clock, hooks, c, 'case.received', {});
  }
}
