/**
 * The case's life as data (PROCESS.md §11): every state, every allowed transition with who may
 * take it and what it requires. The engine (case-workflow.ts) is the only code that changes a
 * case's state, and it consults nothing but this table. The fix and release states (§6, §8) carry guards: facts
 * about the case that must hold, which the engine asks of the fix module.
 */
import type { CaseTransitionAction } from '../../audit/audit.events.js';

export const CASE_STATES = [
  'received',
  'triage',
  'needs-info',
  'accepted',
  'rejected',
  'duplicate',
  'not-security',
  // The fix phase (PROCESS.md §6): a Fix Lead and Fix Team develop the fix in the case's private
  // repository; "fix ready" when it is in every release branch that needs it.
  'fixing',
  'fix-ready',
  // Release (§8): a disclosure instant is set and the patch releases are built and published.
  'disclosure-scheduled',
  // Disclosed: the advisory is public. Imported history is born here (`vigil advisory import`).
  'published',
  // The retrospective is done (§9), or the project holds none.
  'closed',
] as const;
export type CaseState = (typeof CASE_STATES)[number];

/** Why a report is rejected (PROCESS.md §3; the seeds' reasons for not acting). */
export const REJECTION_CATEGORIES = [
  'not-a-vulnerability',
  'lack-of-safe-defaults',
  'only-unsupported-versions',
  'ordinary-resource-use',
  'out-of-scope',
] as const;
export type RejectionCategory = (typeof REJECTION_CATEGORIES)[number];

/** Who takes a transition: a security-team member, or Vigil itself (a reporter's answer, a job). */
export type TransitionActor = 'team' | 'system';

/** What the caller must supply. */
export type Requirement = 'reasonCategory' | 'reason' | 'duplicateOf' | 'question' | 'disclosureAt';

/**
 * What must be true of the case beyond the caller's input (the engine asks the fix module's facts):
 * - `fixLeadAssigned`: the case has a Fix Lead;
 * - `fixInEveryLine`: every release line the matrix requires has a green CI run on its fix branch's
 *   head, or the Fix Lead overrode that line with a reason;
 * - `releasesPublished`: every release the matrix requires is published;
 * - `retrospectiveClosed`: the retrospective is closed, if the policy holds one.
 */
/** Guards the fix module answers (through the case lifecycle). */
export type FixGuard = 'fixLeadAssigned' | 'fixInEveryLine' | 'releasesPublished' | 'retrospectiveClosed';
/**
 * Guards on the case's own row, which the engine answers: `notHeld`, a report held as possibly a
 * flood (issue 11) is released or closed by a triage outcome, nothing between.
 */
export type CaseGuard = 'notHeld';
export type Guard = FixGuard | CaseGuard;

export interface Transition {
  from: readonly CaseState[];
  to: CaseState;
  /** The audit action recorded for it. */
  action: CaseTransitionAction;
  actors: readonly TransitionActor[];
  requires: readonly Requirement[];
  /** What must hold of the case (checked by the engine, named in the 409 when it does not). */
  guards?: readonly Guard[];
  /** The text supplied is sent to the reporter as a team message (and so counts as a response). */
  tellsReporter: boolean;
}

const OPEN: readonly CaseState[] = ['received', 'triage', 'needs-info'];
/** The triage outcomes that close a case (also a held one). */
export const CLOSED_BY_TRIAGE: readonly CaseState[] = ['rejected', 'duplicate', 'not-security'];

export const TRANSITIONS: readonly Transition[] = [
  {
    from: ['received'],
    to: 'triage',
    action: 'case.triage_started',
    actors: ['team'],
    guards: ['notHeld'],
    requires: [],
    tellsReporter: false,
  },
  {
    from: OPEN,
    to: 'accepted',
    action: 'case.accepted',
    actors: ['team'],
    guards: ['notHeld'],
    requires: [],
    tellsReporter: false,
  },
  {
    from: OPEN,
    to: 'rejected',
    action: 'case.rejected',
    actors: ['team'],
    requires: ['reasonCategory', 'reason'],
    tellsReporter: true,
  },
  {
    from: OPEN,
    to: 'duplicate',
    action: 'case.marked_duplicate',
    actors: ['team'],
    requires: ['duplicateOf'],
    tellsReporter: false,
  },
  {
    from: OPEN,
    to: 'not-security',
    action: 'case.redirected',
    actors: ['team'],
    requires: ['reason'],
    tellsReporter: true,
  },
  {
    from: ['received', 'triage'],
    to: 'needs-info',
    action: 'case.info_requested',
    actors: ['team'],
    guards: ['notHeld'],
    requires: ['question'],
    tellsReporter: true,
  },
  // The reporter answered (system), or the team stops waiting.
  {
    from: ['needs-info'],
    to: 'triage',
    action: 'case.info_received',
    actors: ['team', 'system'],
    guards: ['notHeld'],
    requires: [],
    tellsReporter: false,
  },
  // A triage outcome can be reopened.
  {
    from: CLOSED_BY_TRIAGE,
    to: 'triage',
    action: 'case.reopened',
    actors: ['team'],
    requires: [],
    tellsReporter: false,
  },
  // The fix phase starts: the Fix Lead (chosen on acceptance) organises the Fix Team.
  {
    from: ['accepted'],
    to: 'fixing',
    action: 'case.fix_started',
    actors: ['team'],
    requires: [],
    guards: ['fixLeadAssigned'],
    tellsReporter: false,
  },
  // The fix is in every release branch that needs it (§6), tested or overridden with a reason.
  {
    from: ['fixing'],
    to: 'fix-ready',
    action: 'case.fix_ready',
    actors: ['team'],
    requires: [],
    guards: ['fixInEveryLine'],
    tellsReporter: false,
  },
  // Back to work: a review or a distributor found a problem with the fix.
  {
    from: ['fix-ready', 'disclosure-scheduled'],
    to: 'fixing',
    action: 'case.fix_reopened',
    actors: ['team'],
    requires: ['reason'],
    tellsReporter: false,
  },
  // The disclosure instant is set; the releases are built against it (§7, §8).
  {
    from: ['fix-ready'],
    to: 'disclosure-scheduled',
    action: 'case.disclosure_scheduled',
    actors: ['team'],
    requires: ['disclosureAt'],
    guards: ['fixInEveryLine'],
    tellsReporter: false,
  },
  // Every required release is out: the advisory goes public, the Fix Team's access ends (§8).
  {
    from: ['disclosure-scheduled'],
    to: 'published',
    action: 'case.published',
    actors: ['team', 'system'],
    requires: [],
    guards: ['fixInEveryLine', 'releasesPublished'],
    tellsReporter: false,
  },
  // The retrospective is closed by the Fix Lead (§9), and with it the case.
  {
    from: ['published'],
    to: 'closed',
    action: 'case.closed',
    actors: ['team'],
    requires: [],
    guards: ['retrospectiveClosed'],
    tellsReporter: false,
  },
];

/** The transition from `from` to `to`, if the table has one. */
export function findTransition(from: CaseState, to: CaseState): Transition | undefined {
  return TRANSITIONS.find((t) => t.to === to && t.from.includes(from));
}

/** Where a case in `state` may go next, for `actor`. */
export function nextStates(state: CaseState, actor: TransitionActor): CaseState[] {
  return TRANSITIONS.filter((t) => t.from.includes(state) && t.actors.includes(actor)).map((t) => t.to);
}

/** States in which the team still owes the triage outcome. */
export const TRIAGE_OPEN_STATES: readonly CaseState[] = OPEN;

/** States of the fix phase, from acceptance until the advisory is public: the case's workspace is open. */
export const FIX_OPEN_STATES: readonly CaseState[] = [
  'accepted',
  'fixing',
  'fix-ready',
  'disclosure-scheduled',
];

/** States after disclosure: per-case access has ended and the fix repository is read-only. */
export const DISCLOSED_STATES: readonly CaseState[] = ['published', 'closed'];

/** The state in plain words, as the reporter sees it. */
export const STATE_FOR_REPORTER: Record<CaseState, string> = {
  received: 'Received: the security team has not looked at it yet.',
  triage: 'Being assessed by the security team.',
  'needs-info': 'The security team needs more information from you.',
  accepted: 'Accepted as a vulnerability: the team is working on it.',
  rejected: 'Not accepted: the team explained why in the conversation.',
  duplicate: 'A duplicate of a report the team already has.',
  'not-security': 'Not a security issue: it belongs in the public issue tracker.',
  fixing: 'Accepted: the team is developing the fix.',
  'fix-ready': 'The fix is ready; the team is preparing the releases.',
  'disclosure-scheduled': 'The fix is ready and a disclosure date is set.',
  published: 'Fixed and disclosed: the advisory is public.',
  closed: 'Fixed, disclosed and closed.',
};

export function isCaseState(value: string): value is CaseState {
  return (CASE_STATES as readonly string[]).includes(value);
}
