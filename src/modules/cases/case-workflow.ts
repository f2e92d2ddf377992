/**
 * The one engine that moves a case: checks the transition table, the actor and the requirements,
 * changes the state and the clocks, records the team's words to the reporter, and writes the audit
 * event, all inside the caller's transaction. Services and jobs move cases only through here.
 */
import { appendAuditEvent } from '../../audit/audit.log.js';
import type { Actor, CaseTransitionData } from '../../audit/audit.events.js';
import type { DbTransaction } from '../../db/connection.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, ValidationError, type FieldIssue } from '../../lib/errors.js';
import { newSortableId } from '../../lib/ids.js';
import type { CaseCrypto } from './case-view.js';
import * as repo from './cases.repo.js';
import type { TransitionInput } from './cases.schemas.js';
import { calendarOf, resumedDue } from './response-clock.js';
import type { Policy } from '../policy/policy.schema.js';
import { findTransition, type CaseState, type TransitionActor } from './case-transitions.js';

export interface WorkflowDeps {
  clock: Clock;
  crypto: CaseCrypto;
}

export interface TransitionResult {
  row: repo.CaseRow;
  from: CaseState;
  to: CaseState;
  /** The team message sent to the reporter, if the transition carries one. */
  messageId: string | null;
}

const OUTCOMES: readonly CaseState[] = ['accepted', 'rejected', 'duplicate', 'not-security'];

/** Moves `c` to `input.to` as `actor`; throws `invalid_transition` (409) or a ValidationError (422). */
export async function applyTransition(
  trx: DbTransaction,
  deps: WorkflowDeps,
  c: repo.CaseRow,
  policy: Policy,
  actor: { kind: TransitionActor; audit: Actor; userId: string | null },
  input: TransitionInput,
): Promise<TransitionResult> {
  const from = c.state as CaseState;
  const t = findTransition(from, input.to);
  if (!t || !t.actors.includes(actor.kind)) {
    throw new AppError(
      'invalid_transition',
      409,
      `Case ${c.human_id} cannot go from ${from} to ${input.to}.`,
    );
  }
  const issues: FieldIssue[] = [];
  if (t.requires.includes('reasonCategory')) {
    if (!input.reasonCategory)
      issues.push({ path: 'reasonCategory', message: 'is required to reject a report' });
    else if (!(policy.triage.rejectionReasons as readonly string[]).includes(input.reasonCategory)) {
      issues.push({
        path: 'reasonCategory',
        message: `is not one of this project's reasons: ${policy.triage.rejectionReasons.join(', ')}`,
      });
    }
  }
  if (t.requires.includes('reason') && !input.reason?.trim()) {
    issues.push({ path: 'reason', message: 'is required: it is sent to the reporter' });
  }
  // The question may come as `question` or, as for the other outcomes, as `reason`.
  const question = input.question?.trim() ? input.question : input.reason;
  if (t.requires.includes('question') && !question?.trim()) {
    issues.push({
      path: 'question',
      message: 'is required (or send it as reason): it is what the reporter is asked',
    });
  }
  let duplicateOf: repo.CaseRow | undefined;
  if (t.requires.includes('duplicateOf')) {
    const ref = input.duplicateOf ?? '';
    duplicateOf = (await repo.findCaseByHumanId(trx, ref)) ?? (await repo.findCaseById(trx, ref));
    if (!duplicateOf || duplicateOf.project_id !== c.project_id || duplicateOf.id === c.id) {
      issues.push({
        path: 'duplicateOf',
        message: `must name another case of the same project (got "${ref}")`,
      });
    }
  }
  if (issues.length > 0)
    throw new ValidationError(`Case ${c.human_id} cannot go to ${input.to} yet.`, issues);

  const now = deps.clock.now();
  const nowIso = now.toISOString();
  const patch: Parameters<typeof repo.updateCase>[2] = { state: t.to, updated_at: nowIso };
  if (OUTCOMES.includes(t.to) && !c.triaged_at) patch.triaged_at = nowIso;
  if (t.to === 'triage' && OUTCOMES.includes(from)) patch.triaged_at = null;
  if (duplicateOf) patch.duplicate_of = duplicateOf.id;
  if (t.to === 'needs-info') patch.clock_paused_at = nowIso;
  if (from === 'needs-info' && c.clock_paused_at) {
    // Waiting for the reporter costs the team nothing: the triage time excludes it and an
    // unanswered first response gets back the business time it had left.
    patch.clock_paused_at = null;
    patch.paused_ms = c.paused_ms + Math.max(0, now.getTime() - Date.parse(c.clock_paused_at));
    if (!c.first_responded_at && c.first_response_due_at && !c.publicly_known) {
      patch.first_response_due_at = resumedDue(
        new Date(c.clock_paused_at),
        new Date(c.first_response_due_at),
        now,
        calendarOf(policy),
      ).toISOString();
    }
  }
  await repo.updateCase(trx, c.id, patch);

  let messageId: string | null = null;
  const words = t.to === 'needs-info' ? question : input.reason;
  if (t.tellsReporter && words) {
    messageId = newSortableId();
    await repo.insertMessage(trx, {
      id: messageId,
      case_id: c.id,
      visibility: 'conversation',
      author_type: 'team',
      author_user_id: actor.userId,
      body_enc: deps.crypto.message.seal(messageId, words),
      automatic: 0,
      channel: 'web',
      email_message_id: null,
      flags_json: '[]',
      created_at: nowIso,
    });
    // A human message from the team to the reporter: it answers the first-response clock.
    if (!c.first_responded_at) await repo.markFirstResponse(trx, c.id, nowIso);
  }

  const data: CaseTransitionData = { from, to: t.to };
  if (input.reasonCategory && t.requires.includes('reasonCategory'))
    data.reasonCategory = input.reasonCategory;
  if (duplicateOf) data.duplicateOf = duplicateOf.human_id;
  await appendAuditEvent(trx, deps.clock, {
    actor: actor.audit,
    action: t.action,
    subject: { type: 'case', id: c.id },
    projectId: c.project_id,
    data,
  });
  const row = await repo.findCaseById(trx, c.id);
  if (!row) throw new Error(`case ${c.id} vanished inside its own transaction`);
  return { row, from, to: t.to, messageId };
}
