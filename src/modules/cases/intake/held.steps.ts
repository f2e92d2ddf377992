/**
 * The steps that end a held report's hold, inside the caller's transaction, each audited
 * (`case.hold_ended`): a release (the reporter confirmed, or the team released it), which starts
 * the response clock and sends what was withheld; or a triage outcome that closes the case.
 */
import { appendAuditEvent } from '../../../audit/audit.log.js';
import type { Actor } from '../../../audit/audit.events.js';
import type { DbTransaction } from '../../../db/connection.js';
import type { Clock } from '../../../lib/clock.js';
import { newSortableId } from '../../../lib/ids.js';
import type { ProjectContext } from '../case-context.js';
import { enqueueCaseMail, scheduleFirstResponseReminders } from '../case-notify.js';
import { enqueueCaseWebhooks } from '../../webhooks/webhooks.steps.js';
import type { CaseCrypto } from '../case-view.js';
import * as repo from '../cases.repo.js';
import { firstResponseDue } from '../response-clock.js';
import { receiptText } from './report-filing.js';

export type ReleasedBy = 'reporter-mail' | 'reporter-proof' | 'team';

/**
 * Releases a held case: its response clock starts now (the team could not answer a report it was
 * not shown), the reporter reads in the conversation when the team will answer, and the team gets
 * the new-report mail that was withheld, with the reminders. False when it was not held (any more):
 * the case's row lock makes two releases at once release it once.
 */
export async function releaseHold(
  trx: DbTransaction,
  deps: { clock: Clock; crypto: CaseCrypto },
  caseId: string,
  project: ProjectContext,
  release: { by: ReleasedBy; actor: Actor },
): Promise<boolean> {
  await repo.lockCase(trx, caseId);
  const c = await repo.findCaseById(trx, caseId);
  if (!c?.held_at) return false;
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  const publiclyKnown = c.publicly_known === 1;
  const due = firstResponseDue(now, project.policy, publiclyKnown);
  await repo.updateCase(trx, c.id, {
    held_at: null,
    held_reason: null,
    first_response_due_at: due?.toISOString() ?? null,
    updated_at: nowIso,
  });
  const messageId = newSortableId();
  await repo.insertMessage(trx, {
    id: messageId,
    case_id: c.id,
    visibility: 'conversation',
    author_type: 'system',
    author_user_id: null,
    body_enc: deps.crypto.message.seal(messageId, receiptText(c.human_id, project, due, publiclyKnown)),
    automatic: 1,
    channel: 'web',
    email_message_id: null,
    flags_json: '[]',
    created_at: nowIso,
  });
  await appendAuditEvent(trx, deps.clock, {
    actor: release.actor,
    action: 'case.hold_ended',
    subject: { type: 'case', id: c.id },
    projectId: c.project_id,
    data: { outcome: 'released', by: release.by },
  });
  await enqueueCaseMail(trx, deps.clock, c.id, 'report-received.team');
  const released = await repo.findCaseById(trx, c.id);
  if (released) await scheduleFirstResponseReminders(trx, deps.clock, released);
  if (released) await enqueueCaseWebhooks(trx, deps.clock, released, 'case.received');
  return true;
}

/** Ends the hold of a case the team closed by a triage outcome (rejected, duplicate, not security). */
export async function closeHold(
  trx: DbTransaction,
  clock: Clock,
  c: { id: string; project_id: string },
  actor: Actor,
  state: string,
): Promise<void> {
  await repo.updateCase(trx, c.id, {
    held_at: null,
    held_reason: null,
    updated_at: clock.now().toISOString(),
  });
  await appendAuditEvent(trx, clock, {
    actor,
    action: 'case.hold_ended',
    subject: { type: 'case', id: c.id },
    projectId: c.project_id,
    data: { outcome: 'closed', by: 'team', state },
  });
}
