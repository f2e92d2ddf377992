/**
 * A project's webhooks (issue 10, issue 13): where publication posts the announcement and the
 * team's case events are posted (each webhook receives the events it subscribes to, every event by
 * default), Slack-compatible or generic JSON, each message HMAC-signed with a secret Vigil generates and shows once. The URL and
 * the secret are kept encrypted; only the URL's origin is shown again. Removing a webhook keeps its
 * delivery log. The security team manages them (`project.webhooks.manage`).
 */
import { appendAuditEvent } from '../../audit/audit.log.js';
import { actorOf, loadProjectFor } from '../../authz/access.js';
import type { Principal } from '../../authz/authz.policy.js';
import type { Db } from '../../db/connection.js';
import type { Clock } from '../../lib/clock.js';
import { fieldAad } from '../../lib/crypto/encrypted-fields.js';
import type { Keyring } from '../../lib/crypto/keyring.js';
import { AppError, NotFoundError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { storedActor } from '../fix/actor-name.js';
import { newWebhookSecret, type WebhookEvent, type WebhookKind } from './webhook-message.js';
import { webhookOrigin, webhookUrlProblem } from './webhook-url.js';
import type { CreateWebhookInput, UpdateWebhookInput } from './webhooks.schemas.js';
import { subscribedEvents } from './webhooks.steps.js';
import * as repo from './webhooks.repo.js';
import { cursorKey, keysetPage, lazyCursorCodec } from '../../lib/list-page.js';

export interface WebhooksDeps {
  db: Db;
  clock: Clock;
  cipher: Pick<Keyring, 'encryptField' | 'decryptField'>;
  /** Loopback receivers are allowed, over http too (VIGIL_ALLOW_LOCAL_WEBHOOKS=true). */
  allowLocalWebhooks?: boolean | undefined;
}

export type WebhooksService = ReturnType<typeof createWebhooksService>;

/** How the log shows a webhook; never its URL's path nor its secret. */
export function webhookView(row: repo.WebhookRow) {
  return {
    id: row.id,
    kind: row.kind as WebhookKind,
    label: row.label,
    origin: row.url_origin,
    state: row.state as 'active' | 'removed',
    events: subscribedEvents(row),
    createdAt: row.created_at,
    removedAt: row.removed_at,
  };
}

/** The encrypted URL and secret of a webhook, opened (for its deliveries). */
export function openWebhook(cipher: Pick<Keyring, 'decryptField'>, row: repo.WebhookRow) {
  return {
    url: cipher.decryptField(row.url_enc, fieldAad('webhooks', 'url_enc', row.id)),
    secret: cipher.decryptField(row.secret_enc, fieldAad('webhooks', 'secret_enc', row.id)),
  };
}

export function createWebhooksService(deps: WebhooksDeps) {
  const cursors = lazyCursorCodec(deps);
  const { db, clock, cipher } = deps;
  const k = db.kysely;
  const urlOptions = { allowLocal: deps.allowLocalWebhooks === true };

  const loadProject = (principal: Principal, slug: string) =>
    loadProjectFor(k, principal, slug, 'project.webhooks.manage');

  async function loadWebhook(principal: Principal, slug: string, webhookId: string) {
    const project = await loadProject(principal, slug);
    const hook = await repo.findWebhook(k, project.id, webhookId);
    if (!hook) throw new NotFoundError(`Webhook ${webhookId}`);
    return { project, hook };
  }

  return {
    /** The project's active webhooks. */
    async listWebhooks(principal: Principal, slug: string) {
      const project = await loadProject(principal, slug);
      return { webhooks: (await repo.listActiveWebhooks(k, project.id)).map(webhookView) };
    },

    /**
     * Adds a webhook: an https URL to a public host (400 naming `url` otherwise: server-side
     * request forgery), its kind, label and events (every event when none are given). Answers
     * with its signing secret, shown this once.
     */
    async createWebhook(principal: Principal, slug: string, input: CreateWebhookInput) {
      const project = await loadProject(principal, slug);
      const problem = webhookUrlProblem(input.url, urlOptions);
      if (problem) {
        throw new AppError('validation_failed', 400, `The webhook's URL is refused: it ${problem}.`, [
          { path: 'url', message: problem },
        ]);
      }
      const id = newId();
      const secret = newWebhookSecret();
      const now = clock.now().toISOString();
      const row: repo.WebhookRow = {
        id,
        project_id: project.id,
        kind: input.kind,
        label: input.label,
        url_enc: cipher.encryptField(input.url, fieldAad('webhooks', 'url_enc', id)),
        url_origin: webhookOrigin(input.url),
        secret_enc: cipher.encryptField(secret, fieldAad('webhooks', 'secret_enc', id)),
        events_json: input.events ? JSON.stringify(input.events) : null,
        state: 'active',
        created_by: storedActor(principal),
        created_at: now,
        removed_at: null,
        updated_at: now,
      };
      await k.transaction().execute(async (trx) => {
        await repo.insertWebhook(trx, row);
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'webhook.created',
          subject: { type: 'webhook', id },
          projectId: project.id,
          data: {
            webhookId: id,
            kind: input.kind,
            origin: row.url_origin,
            ...(input.events && { events: input.events }),
          },
        });
      });
      return {
        ...webhookView(row),
        secret,
        signature:
          'X-Vigil-Signature: sha256=<hex HMAC-SHA256, keyed by the secret, of "<X-Vigil-Timestamp>.<body>">',
      };
    },

    /** Sets the events an active webhook receives (404 for a removed one). */
    async updateWebhook(principal: Principal, slug: string, webhookId: string, input: UpdateWebhookInput) {
      const { project, hook } = await loadWebhook(principal, slug, webhookId);
      if (hook.state !== 'active') throw new NotFoundError(`Webhook ${webhookId}`);
      const eventsJson = JSON.stringify(input.events);
      const now = clock.now().toISOString();
      await k.transaction().execute(async (trx) => {
        if (!(await repo.setWebhookEvents(trx, hook.id, eventsJson, now))) {
          throw new NotFoundError(`Webhook ${webhookId}`);
        }
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'webhook.updated',
          subject: { type: 'webhook', id: hook.id },
          projectId: project.id,
          data: { webhookId: hook.id, events: input.events },
        });
      });
      return webhookView({ ...hook, events_json: eventsJson, updated_at: now });
    },

    /** Removes a webhook (no further deliveries; its log stays). Removing it again changes nothing. */
    async removeWebhook(principal: Principal, slug: string, webhookId: string): Promise<void> {
      const { project, hook } = await loadWebhook(principal, slug, webhookId);
      if (hook.state !== 'active') return;
      await k.transaction().execute(async (trx) => {
        if (!(await repo.removeWebhook(trx, hook.id, clock.now().toISOString()))) return;
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'webhook.removed',
          subject: { type: 'webhook', id: hook.id },
          projectId: project.id,
          data: { webhookId: hook.id },
        });
      });
    },

    /** The webhook's delivery log, newest first: status code, attempts, last error, delivered at. */
    async listDeliveries(
      principal: Principal,
      slug: string,
      webhookId: string,
      page: { cursor?: string | undefined; limit: number },
    ) {
      const { hook } = await loadWebhook(principal, slug, webhookId);
      const codec = await cursors();
      const filter = { webhookId: hook.id };
      const before = cursorKey(codec.decode('webhook.deliveries', filter, page.cursor), ['string', 'string']);
      const { rows, nextCursor } = keysetPage(
        await repo.listWebhookDeliveries(k, hook.id, before, page.limit + 1),
        page.limit,
        (last) => codec.encode('webhook.deliveries', filter, [last.created_at, last.id]),
      );
      return {
        nextCursor,
        webhook: webhookView(hook),
        deliveries: rows.map((d) => ({
          id: d.id,
          caseHumanId: d.human_id,
          event: d.event as WebhookEvent,
          detail: d.detail,
          state: d.state as 'queued' | 'sent' | 'failed',
          attempts: d.attempts,
          statusCode: d.status_code,
          lastError: d.last_error,
          deliveredAt: d.delivered_at,
          createdAt: d.created_at,
        })),
      };
    },
  };
}
