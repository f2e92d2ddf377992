/**
 * A case's publication as the security team sees it (PROCESS.md §8): the agreed instant, the state
 * (scheduled, held, published), the holds with their blockers, and each channel's messages
 * (announcement per address, the "a fix is coming" notice, webhooks, the distributors'
 * follow-ups: queued, sent, failed); and the retry after a hold.
 */
import { appendAuditEvent } from '../../../audit/audit.log.js';
import { actorOf, loadCaseFor } from '../../../authz/access.js';
import type { Principal } from '../../../authz/authz.policy.js';
import type { Db } from '../../../db/connection.js';
import type { Clock } from '../../../lib/clock.js';
import { ConflictError } from '../../../lib/errors.js';
import { projectContextById } from '../../cases/case-context.js';
import type { CaseState } from '../../cases/case-transitions.js';
import type * as casesRepo from '../../cases/cases.repo.js';
import { actorName } from '../../fix/actor-name.js';
import type { Policy } from '../../policy/policy.schema.js';
import type { WebhookKind } from '../../webhooks/webhook-message.js';
import { listCaseDeliveries } from '../../webhooks/webhooks.repo.js';
import type { PublicationView } from './publication.schemas.js';
import * as repo from './publication.repo.js';
import {
  PENDING_STATES,
  RETRY_MINUTES,
  announcementAddresses,
  retryPublication,
  type PublicationState,
} from './publication.steps.js';

export interface PublicationDeps {
  db: Db;
  clock: Clock;
}

export type PublicationService = ReturnType<typeof createPublicationService>;

type MessageState = PublicationView['announcement']['messages'][number]['state'];

const messageView = (d: repo.DeliveryRow) => ({
  id: d.id,
  recipient: d.recipient,
  state: d.state as MessageState,
  attempts: d.attempts,
  lastError: d.last_error,
  sentAt: d.sent_at,
});

/** Whether a retry would do something now (the same test as `retryPublication`'s). */
function retryable(pub: repo.PublicationRow | undefined, c: casesRepo.CaseRow, policy: Policy): boolean {
  if (!pub || !PENDING_STATES.includes(pub.state as PublicationState)) return false;
  if (pub.state === 'held') return true;
  return (
    c.state === 'disclosure-scheduled' &&
    policy.fix.usersToldOfFix !== null &&
    pub.scheduled_for !== null &&
    pub.fix_coming_for !== pub.scheduled_for
  );
}

export function createPublicationService(deps: PublicationDeps) {
  const { db, clock } = deps;
  const k = db.kysely;

  async function view(c: casesRepo.CaseRow): Promise<PublicationView> {
    const { policy } = await projectContextById(k, c.project_id);
    const [pub, holds, messages, hooks] = await Promise.all([
      repo.findPublication(k, c.id),
      repo.listHolds(k, c.id),
      repo.listDeliveries(k, c.id),
      listCaseDeliveries(k, c.id),
    ]);
    const orgs = new Map(
      (await repo.listOrgNames(k, [...new Set(messages.flatMap((m) => (m.org_id ? [m.org_id] : [])))])).map(
        (o) => [o.id, o.name],
      ),
    );
    const of = (channel: string) => messages.filter((m) => m.channel === channel);
    const publishedBy =
      pub?.published_by === 'system'
        ? 'Vigil, at the agreed instant'
        : pub?.published_by
          ? await actorName(k, pub.published_by)
          : null;
    return {
      caseId: c.id,
      humanId: c.human_id,
      caseState: c.state as CaseState,
      state: (pub?.state as PublicationState | undefined) ?? 'not-scheduled',
      scheduledFor: pub?.scheduled_for ?? c.disclosure_at,
      timeZone: policy.timeZone,
      nextAttemptAt:
        pub && PENDING_STATES.includes(pub.state as PublicationState) ? pub.next_attempt_at : null,
      publishedAt: pub?.published_at ?? null,
      publishedBy,
      retryMinutes: RETRY_MINUTES,
      retryable: retryable(pub, c, policy),
      holds: holds.map((h) => ({
        id: h.id,
        startedAt: h.started_at,
        endedAt: h.ended_at,
        endedBy: h.ended_by as 'published' | 'rescheduled' | 'cancelled' | null,
        reasons: JSON.parse(h.reasons_json) as string[],
        attempts: h.attempts,
        lastAttemptAt: h.last_attempt_at,
        alertedAt: h.alerted_at,
      })),
      announcement: {
        addresses: announcementAddresses(policy),
        note: pub?.announcement_note ?? null,
        messages: of('announcement').map(messageView),
      },
      fixComing: {
        wanted: policy.fix.usersToldOfFix !== null,
        queuedFor: pub?.fix_coming_for ?? null,
        usersToldAt: c.users_told_at,
        note: pub?.fix_coming_note ?? null,
        messages: of('fix-coming').map(messageView),
      },
      followUps: of('follow-up').map((m) => ({
        ...messageView(m),
        organisation: m.org_id ? (orgs.get(m.org_id) ?? null) : null,
      })),
      webhooks: hooks.map((d) => ({
        id: d.id,
        webhookId: d.webhook_id,
        label: d.label,
        kind: d.kind as WebhookKind,
        origin: d.url_origin,
        state: d.state as MessageState,
        attempts: d.attempts,
        statusCode: d.status_code,
        lastError: d.last_error,
        deliveredAt: d.delivered_at,
      })),
    };
  }

  return {
    /** The case's publication: instant, state, holds and every channel's messages. */
    async getPublication(principal: Principal, ref: string): Promise<PublicationView> {
      const c = await loadCaseFor(k, principal, ref, 'case.publication.read');
      return view(c);
    },

    /**
     * Tries a held publication now (and queues a "fix is coming" notice still owed), rather than at
     * the next retry. 409 when the publication is not held and no notice is owed.
     */
    async retry(principal: Principal, ref: string): Promise<PublicationView> {
      const c = await loadCaseFor(k, principal, ref, 'case.publication.manage');
      await k.transaction().execute(async (trx) => {
        const queued = await retryPublication(trx, clock, c.id);
        if (!queued.publish && !queued.fixComing) {
          throw new ConflictError(
            `The publication of case ${c.human_id} is not held and owes no notice: there is nothing to retry.`,
          );
        }
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'publication.retry_requested',
          subject: { type: 'case', id: c.id },
          projectId: c.project_id,
          data: { holdId: queued.holdId, fixComing: queued.fixComing },
        });
      });
      return view(c);
    },
  };
}
