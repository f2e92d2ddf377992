/**
 * The case's life as data (PROCESS.md §11): every state, every allowed transition with who may
 * take it and what it requires. The engine (case-workflow.ts) is the only code that changes a
 * case's state, and it consults nothing but this table. Later issues add the fix, disclosure and
 * publication states here.
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
  // Disclosed: the advisory is public. Imported history is born here (`vigil advisory import`);
  // the fix and disclosure issues add the road to it from `accepted`.
  'published',
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
export type Requirement = 'reasonCategory' | 'reason' | 'duplicateOf' | 'question';

export interface Transition {
  from: readonly CaseState[];
  to: CaseState;
  /** The audit action recorded for it. */
  action: CaseTransitionAction;
  actors: readonly TransitionActor[];
  requires: readonly Requirement[];
  /** The text supplied is sent to the reporter as a team message (and so counts as a response). */
  tellsReporter: boolean;
}

const OPEN: readonly CaseState[] = ['received', 'triage', 'needs-info'];
const CLOSED_BY_TRIAGE: readonly CaseState[] = ['rejected', 'duplicate', 'not-security'];

export const TRANSITIONS: readonly Transition[] = [
  {
    from: ['received'],
    to: 'triage',
    action: 'case.triage_started',
    actors: ['team'],
    requires: [],
    tellsReporter: false,
  },
  {
    from: OPEN,
    to: 'accepted',
    action: 'case.accepted',
    actors: ['team'],
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
    requires: ['question'],
    tellsReporter: true,
  },
  // The reporter answered (system), or the team stops waiting.
  {
    from: ['needs-info'],
    to: 'triage',
    action: 'case.info_received',
    actors: ['team', 'system'],
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

/** The state in plain words, as the reporter sees it. */
export const STATE_FOR_REPORTER: Record<CaseState, string> = {
  received: 'Received: the security team has not looked at it yet.',
  triage: 'Being assessed by the security team.',
  'needs-info': 'The security team needs more information from you.',
  accepted: 'Accepted as a vulnerability: the team is working on it.',
  rejected: 'Not accepted: the team explained why in the conversation.',
  duplicate: 'A duplicate of a report the team already has.',
  'not-security': 'Not a security issue: it belongs in the public issue tracker.',
  published: 'Fixed and disclosed: the advisory is public.',
};

export function isCaseState(value: string): value is CaseState {
  return (CASE_STATES as readonly string[]).includes(value);
}
