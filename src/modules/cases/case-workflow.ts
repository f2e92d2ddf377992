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
import { enqueueCaseWebhooks } from '../webhooks/webhooks.steps.js';
import type { TransitionInput } from './cases.schemas.js';
import { calendarOf, resumedDue } from './response-clock.js';
import type { Policy } from '../policy/policy.schema.js';
import {
  findTransition,
  type CaseState,
  type FixGuard,
  type Transition,
  type TransitionActor,
} from './case-transitions.js';

/**
 * What the fix phase adds to the engine, from the fix module: the facts the table's guards ask
 * about, and what entering a state sets off (a Fix Lead on acceptance, access ended on
 * publication). Both run inside the transition's transaction.
 */
export interface CaseLifecycle {
  /** One sentence per guard of `guards` that does not hold of `c`; empty when all hold. */
  unmetGuards(
    trx: DbTransaction,
    c: repo.CaseRow,
    policy: Policy,
    guards: readonly FixGuard[],
  ): Promise<string[]>;
  /**
   * The disclosure instant the team decided for `c` (the disclosure date's newest decision), or null:
   * the transition to `disclosure-scheduled` takes it when its body gives none.
   */
  decidedDisclosureAt?(trx: DbTransaction, c: repo.CaseRow): Promise<string | null>;
  /**
   * One sentence per guardrail that refuses `at` as the disclosure instant of `c` at `now`: in the
   * past or beyond the maximum embargo always; a release-window day (Friday, weekend, holiday) too
   * unless `decided` (a recorded decision took it over those, with its overrides).
   */
  disclosureRefusals?(
    c: repo.CaseRow,
    policy: Policy,
    at: Date,
    opts: { now: Date; decided: boolean },
  ): string[];
  /** Called after `c` entered `to` and the transition's audit event was written. */
  entered(
    trx: DbTransaction,
    c: repo.CaseRow,
    change: { from: CaseState; to: CaseState; actor: TransitionBy; policy: Policy; now: Date },
  ): Promise<void>;
}

export interface WorkflowDeps {
  clock: Clock;
  crypto: CaseCrypto;
  /** Required for the fix and release states' guards and effects. */
  lifecycle?: CaseLifecycle | undefined;
}

export interface TransitionResult {
  row: repo.CaseRow;
  from: CaseState;
  to: CaseState;
  /** The team message sent to the reporter, if the transition carries one. */
  messageId: string | null;
}

const OUTCOMES: readonly CaseState[] = ['accepted', 'rejected', 'duplicate', 'not-security'];

/** Who moves the case: the kind the table checks, the audit actor, the team member if any. */
export interface TransitionBy {
  kind: TransitionActor;
  audit: Actor;
  userId: string | null;
}

/** What the requirements checks yield for the later steps. */
interface Checked {
  /** The question for needs-info (given as `question`, or as `reason`). */
  question: string | undefined;
  /** The original, when marking a duplicate. */
  duplicateOf: repo.CaseRow | undefined;
}

/** Moves `c` to `input.to` as `actor`; throws `invalid_transition` (409) or a ValidationError (422). */
export async function applyTransition(
  trx: DbTransaction,
  deps: WorkflowDeps,
  c: repo.CaseRow,
  policy: Policy,
  actor: TransitionBy,
  input: TransitionInput,
): Promise<TransitionResult> {
  const from = c.state as CaseState;
  const t = allowedTransition(c, from, actor.kind, input.to);
  input = await withDecidedDisclosure(trx, deps, c, policy, t, input);
  const checked = await checkTransitionRequirements(trx, c, policy, t, input);
  await checkGuards(trx, deps, c, policy, t);
  const now = deps.clock.now();
  await repo.updateCase(trx, c.id, statePatch(c, from, t, policy, { ...checked, input }, now));
  const words = t.to === 'needs-info' ? checked.question : input.reason;
  const messageId = t.tellsReporter && words ? await tellReporter(trx, deps, c, actor, words, now) : null;
  await recordTransitionAudit(trx, deps, c, actor, { from, t, input, duplicateOf: checked.duplicateOf });
  let row = await repo.findCaseById(trx, c.id);
  if (!row) throw new Error(`case ${c.id} vanished inside its own transaction`);
  if (deps.lifecycle) {
    await deps.lifecycle.entered(trx, row, { from, to: t.to, actor, policy, now });
    row = (await repo.findCaseById(trx, c.id)) ?? row;
  }
  await enqueueCaseWebhooks(trx, deps.clock, row, 'case.transition', {
    occurrence: `${t.to}:${now.toISOString()}`,
    detail: t.to,
  });
  return { row, from, to: t.to, messageId };
}

/**
 * A transition that requires `disclosureAt` takes the instant the team decided (the disclosure
 * date's record) when the body gives none; a body instant that differs from a recorded decision is
 * refused (409): the team decides again, so that the record and the schedule agree. A decided
 * instant that has passed meanwhile (the case went back to fixing) is refused too (409), whether
 * the body repeats it or not. Whatever its source, the instant must pass the guardrails (400 naming
 * `disclosureAt`): never in the past nor beyond the maximum embargo, and without a recorded
 * decision, which alone can override them, not on a day the policy's release window avoids.
 */
async function withDecidedDisclosure(
  trx: DbTransaction,
  deps: WorkflowDeps,
  c: repo.CaseRow,
  policy: Policy,
  t: Transition,
  input: TransitionInput,
): Promise<TransitionInput> {
  if (!t.requires.includes('disclosureAt') || !deps.lifecycle?.decidedDisclosureAt) return input;
  // The case's lock before the decision is read: a decision taken meanwhile (it locks the case
  // first too) is either committed and read here, or waits until this transition commits.
  await repo.lockCase(trx, c.id);
  const decided = await deps.lifecycle.decidedDisclosureAt(trx, c);
  const now = deps.clock.now();
  if (decided && input.disclosureAt && Date.parse(input.disclosureAt) !== Date.parse(decided)) {
    throw new AppError(
      'conflict',
      409,
      `The disclosure date of ${c.human_id} was decided for ${decided}: schedule it without disclosureAt to take that instant, or decide the new one first.`,
      [{ path: 'disclosureAt', message: `differs from the decided instant ${decided}` }],
    );
  }
  if (decided && Date.parse(decided) <= now.getTime()) {
    throw new AppError(
      'conflict',
      409,
      `The disclosure date decided for ${c.human_id} (${decided}) has passed: decide a new one first.`,
      [{ path: 'disclosureAt', message: `the decided instant ${decided} has passed` }],
    );
  }
  const at = decided ?? input.disclosureAt;
  // No instant at all: the requirements check names the missing field.
  if (!at) return input;
  const refusals =
    deps.lifecycle.disclosureRefusals?.(c, policy, new Date(at), { now, decided: decided !== null }) ?? [];
  if (refusals.length > 0) {
    throw new AppError(
      'bad_request',
      400,
      `That instant cannot be the disclosure date of ${c.human_id}: ${refusals.join(' ')}${decided ? '' : ' Decide the disclosure date (with overrides) to take it anyway.'}`,
      refusals.map((message) => ({ path: 'disclosureAt', message })),
    );
  }
  return { ...input, disclosureAt: at };
}

const HELD_MESSAGE =
  'It is held as possibly a flood: release it first, or reject it (or mark it a duplicate or not a security issue).';

/** The table's guards for `t`: the case's own (`notHeld`), the rest asked of the fix module; `transition_blocked` (409) names each unmet one. */
async function checkGuards(
  trx: DbTransaction,
  deps: WorkflowDeps,
  c: repo.CaseRow,
  policy: Policy,
  t: Transition,
): Promise<void> {
  const guards = t.guards ?? [];
  if (guards.length === 0) return;
  const fixGuards = guards.filter((g): g is FixGuard => g !== 'notHeld');
  const unmet = guards.includes('notHeld') && c.held_at !== null ? [HELD_MESSAGE] : [];
  if (fixGuards.length > 0) {
    if (!deps.lifecycle) throw new Error(`the transition to ${t.to} needs the case lifecycle (its guards)`);
    unmet.push(...(await deps.lifecycle.unmetGuards(trx, c, policy, fixGuards)));
  }
  if (unmet.length > 0) {
    throw new AppError(
      'transition_blocked',
      409,
      `Case ${c.human_id} cannot go to ${t.to} yet: ${unmet.join(' ')}`,
      unmet.map((message) => ({ path: 'state', message })),
    );
  }
}

/** The table's row from `from` to `to`, if `kind` may take it; otherwise `invalid_transition` (409). */
function allowedTransition(
  c: repo.CaseRow,
  from: CaseState,
  kind: TransitionActor,
  to: CaseState,
): Transition {
  const t = findTransition(from, to);
  if (!t || !t.actors.includes(kind)) {
    throw new AppError('invalid_transition', 409, `Case ${c.human_id} cannot go from ${from} to ${to}.`);
  }
  return t;
}

/**
 * Checks what the transition requires (a reason category of the project, a reason, a question,
 * the original of a duplicate) and throws one ValidationError (422) naming every missing piece.
 */
async function checkTransitionRequirements(
  trx: DbTransaction,
  c: repo.CaseRow,
  policy: Policy,
  t: Transition,
  input: TransitionInput,
): Promise<Checked> {
  const issues: FieldIssue[] = [];
  if (t.requires.includes('reasonCategory')) issues.push(...reasonCategoryIssues(policy, input));
  if (t.requires.includes('reason') && !input.reason?.trim()) {
    issues.push({
      path: 'reason',
      message: t.tellsReporter
        ? 'is required: it is sent to the reporter'
        : 'is required: it is kept with the case',
    });
  }
  if (t.requires.includes('disclosureAt') && !input.disclosureAt) {
    issues.push({ path: 'disclosureAt', message: 'is required: when the advisory goes public' });
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
    duplicateOf = await resolveDuplicateTarget(trx, c, ref);
    if (!duplicateOf) {
      issues.push({
        path: 'duplicateOf',
        message: `must name another case of the same project (got "${ref}")`,
      });
    }
  }
  if (issues.length > 0)
    throw new ValidationError(`Case ${c.human_id} cannot go to ${input.to} yet.`, issues);
  return { question, duplicateOf };
}

/** A rejection needs a category, and one of this project's. */
function reasonCategoryIssues(policy: Policy, input: TransitionInput): FieldIssue[] {
  if (!input.reasonCategory) return [{ path: 'reasonCategory', message: 'is required to reject a report' }];
  if ((policy.triage.rejectionReasons as readonly string[]).includes(input.reasonCategory)) return [];
  return [
    {
      path: 'reasonCategory',
      message: `is not one of this project's reasons: ${policy.triage.rejectionReasons.join(', ')}`,
    },
  ];
}

/** The case `ref` names (human id or uuid), if it is another case of the same project. */
async function resolveDuplicateTarget(
  trx: DbTransaction,
  c: repo.CaseRow,
  ref: string,
): Promise<repo.CaseRow | undefined> {
  const target = (await repo.findCaseByHumanId(trx, ref)) ?? (await repo.findCaseById(trx, ref));
  if (!target || target.project_id !== c.project_id || target.id === c.id) return undefined;
  return target;
}

/** The instant each state of the fix phase records on entry (the phase clocks read them). */
const ENTERED_AT = {
  accepted: 'accepted_at',
  'fix-ready': 'fix_ready_at',
  published: 'released_at',
  closed: 'closed_at',
} as const satisfies Partial<Record<CaseState, keyof CasePatch>>;

/** The case row's change: the new state, the triage and phase instants, the original, the paused clock. */
function statePatch(
  c: repo.CaseRow,
  from: CaseState,
  t: Transition,
  policy: Policy,
  given: { duplicateOf: repo.CaseRow | undefined; input: TransitionInput },
  now: Date,
): CasePatch {
  const { duplicateOf, input } = given;
  const nowIso = now.toISOString();
  const patch: CasePatch = { state: t.to, updated_at: nowIso };
  if (OUTCOMES.includes(t.to) && !c.triaged_at) patch.triaged_at = nowIso;
  if (t.to === 'triage' && OUTCOMES.includes(from)) patch.triaged_at = null;
  const enteredAt = (ENTERED_AT as Partial<Record<CaseState, keyof CasePatch>>)[t.to];
  if (enteredAt) Object.assign(patch, { [enteredAt]: nowIso });
  if (t.to === 'disclosure-scheduled' && input.disclosureAt)
    patch.disclosure_at = new Date(input.disclosureAt).toISOString();
  if (duplicateOf) patch.duplicate_of = duplicateOf.id;
  if (t.to === 'needs-info') patch.clock_paused_at = nowIso;
  if (from === 'needs-info' && c.clock_paused_at)
    Object.assign(patch, resumedClock(c, c.clock_paused_at, policy, now));
  return patch;
}

type CasePatch = Parameters<typeof repo.updateCase>[2];

/**
 * Leaving needs-info: waiting for the reporter costs the team nothing. The triage time excludes
 * it and an unanswered first response gets back the business time it had left.
 */
function resumedClock(c: repo.CaseRow, pausedAt: string, policy: Policy, now: Date): CasePatch {
  const patch: CasePatch = {
    clock_paused_at: null,
    paused_ms: c.paused_ms + Math.max(0, now.getTime() - Date.parse(pausedAt)),
  };
  if (!c.first_responded_at && c.first_response_due_at && !c.publicly_known) {
    patch.first_response_due_at = resumedDue(
      new Date(pausedAt),
      new Date(c.first_response_due_at),
      now,
      calendarOf(policy),
    ).toISOString();
  }
  return patch;
}

/** Writes the team's words to the reporter as a message; a first one answers the first-response clock. */
async function tellReporter(
  trx: DbTransaction,
  deps: WorkflowDeps,
  c: repo.CaseRow,
  actor: TransitionBy,
  words: string,
  now: Date,
): Promise<string> {
  const messageId = newSortableId();
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
    created_at: now.toISOString(),
  });
  // A human message from the team to the reporter: it answers the first-response clock.
  if (!c.first_responded_at) await repo.markFirstResponse(trx, c.id, now.toISOString());
  return messageId;
}

/** Appends the transition's audit event (its action from the table; the category and the original, if any). */
async function recordTransitionAudit(
  trx: DbTransaction,
  deps: WorkflowDeps,
  c: repo.CaseRow,
  actor: TransitionBy,
  change: { from: CaseState; t: Transition; input: TransitionInput; duplicateOf: repo.CaseRow | undefined },
): Promise<void> {
  const { from, t, input, duplicateOf } = change;
  const data: CaseTransitionData = { from, to: t.to };
  if (input.reasonCategory && t.requires.includes('reasonCategory'))
    data.reasonCategory = input.reasonCategory;
  if (duplicateOf) data.duplicateOf = duplicateOf.human_id;
  if (t.to === 'disclosure-scheduled' && input.disclosureAt)
    data.disclosureAt = new Date(input.disclosureAt).toISOString();
  await appendAuditEvent(trx, deps.clock, {
    actor: actor.audit,
    action: t.action,
    subject: { type: 'case', id: c.id },
    projectId: c.project_id,
    data,
  });
}
