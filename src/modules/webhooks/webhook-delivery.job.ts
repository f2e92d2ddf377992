/**
 * One webhook delivery: the published advisory's message (public data only; nothing while it is
 * not published) or a case event's (link-only: the case's human id and its link in Vigil, read at
 * send time; nothing for a case held as a possible flood), signed with the webhook's secret, posted once it succeeds. A delivered or failed
 * row is never posted again; a retry (5xx, 429, a timeout, a refused connection) comes with the
 * runner's backoff and the same `X-Vigil-Delivery`; a 4xx or an address that is not public fails
 * it at once. The log keeps the status code, the attempts and the last error (never the URL).
 */
import { z } from 'zod';
import type { Db } from '../../db/connection.js';
import { PermanentJobError, defineJobHandler, type JobContext } from '../../jobs/job.runner.js';
import type { Keyring } from '../../lib/crypto/keyring.js';
import { VIGIL_VERSION } from '../../lib/version.js';
import { loadPublishedAdvisory, publishedAdvisoryEvent } from '../embargo/publication/published-advisory.js';
import {
  signWebhook,
  webhookBody,
  type CaseEvent,
  type CaseWebhookEvent,
  type PublishedAdvisoryEvent,
  type WebhookKind,
} from './webhook-message.js';
import { postWebhook, WebhookPostError } from './webhook-post.js';
import { WEBHOOK_DELIVERY_JOB } from './webhooks.steps.js';
import * as repo from './webhooks.repo.js';
import { openWebhook } from './webhooks.service.js';

export interface WebhookDeliveryDeps {
  db: Db;
  cipher: Pick<Keyring, 'decryptField'>;
  /** Where Vigil is reached: the public advisory's address and the case's link are under it. */
  publicUrl: string;
  /** Loopback receivers are allowed (VIGIL_ALLOW_LOCAL_WEBHOOKS=true). */
  allowLocalWebhooks?: boolean | undefined;
  timeoutMs?: number | undefined;
}

/** The handler of `webhook.deliver` jobs (registered on every instance: no mail involved). */
export function webhookDeliveryHandlers(deps: WebhookDeliveryDeps) {
  const k = deps.db.kysely;
  const options = { allowLocal: deps.allowLocalWebhooks === true, timeoutMs: deps.timeoutMs };

  /** The event's message, or why there is none to post. */
  async function messageOf(d: repo.WebhookDeliveryRow): Promise<PublishedAdvisoryEvent | CaseEvent | string> {
    if (d.event === 'advisory.published') {
      const found = await loadPublishedAdvisory(k, deps.cipher, d.case_id);
      if (!found) return 'The advisory is not published: nothing was posted.';
      return publishedAdvisoryEvent(found, deps.publicUrl);
    }
    const subject = await repo.findCaseEventSubject(k, d.case_id);
    if (!subject) return 'The case is gone: nothing was posted.';
    if (subject.held_at !== null) return 'The report is held as a possible flood: nothing was posted.';
    return {
      event: d.event as CaseWebhookEvent,
      project: { slug: subject.slug, name: subject.name },
      case: {
        humanId: subject.human_id,
        url: `${deps.publicUrl}/cases/${encodeURIComponent(subject.human_id)}`,
        ...(d.detail !== null && { state: d.detail }),
      },
      at: d.created_at,
    };
  }

  async function deliver(deliveryId: string, ctx: JobContext): Promise<void> {
    const d = await repo.findDelivery(k, deliveryId);
    if (!d || d.state !== 'queued') return;
    const now = () => ctx.clock.now().toISOString();
    const fail = (error: string) =>
      repo.recordDeliveryAttempt(k, d.id, { state: 'failed', last_error: error, updated_at: now() });
    const hook = await repo.findWebhook(k, d.project_id, d.webhook_id);
    if (!hook || hook.state !== 'active')
      return void (await fail('The webhook was removed before delivery.'));
    const message = await messageOf(d);
    if (typeof message === 'string') return void (await fail(message));
    const body = webhookBody(hook.kind as WebhookKind, message);
    const { url, secret } = openWebhook(deps.cipher, hook);
    const timestamp = Math.floor(ctx.clock.now().getTime() / 1000);
    try {
      const status = await postWebhook(
        url,
        {
          'content-type': 'application/json',
          'user-agent': `Vigil/${VIGIL_VERSION} (webhook)`,
          'x-vigil-event': d.event,
          'x-vigil-delivery': d.id,
          'x-vigil-timestamp': String(timestamp),
          'x-vigil-signature': signWebhook(secret, timestamp, body),
        },
        body,
        options,
      );
      await repo.recordDeliveryAttempt(k, d.id, {
        state: 'sent',
        status_code: status,
        last_error: null,
        delivered_at: now(),
        updated_at: now(),
      });
    } catch (err) {
      const e =
        err instanceof WebhookPostError
          ? err
          : new WebhookPostError(`The delivery failed: ${String(err)}`, true);
      const last = !e.retryable || ctx.attempt >= ctx.maxAttempts;
      await repo.recordDeliveryAttempt(k, d.id, {
        state: last ? 'failed' : 'queued',
        status_code: e.statusCode,
        last_error: e.message.slice(0, 500),
        updated_at: now(),
      });
      if (!e.retryable) throw new PermanentJobError(e.message);
      throw e;
    }
  }

  return {
    [WEBHOOK_DELIVERY_JOB]: defineJobHandler(
      z.object({ deliveryId: z.string().max(64) }),
      ({ deliveryId }, ctx) => deliver(deliveryId, ctx),
    ),
  };
}
