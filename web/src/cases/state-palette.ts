/**
 * One palette for a case's states, by what each state means to the team (issue 13): a new report
 * (information), waiting for the reporter, work in progress (accepted to disclosure), done
 * (published, closed) and closed without a fix (muted grey). No state is red: red is kept for what
 * needs attention now, an overdue clock. Every badge shows the state's words, never colour alone.
 */
import type { CaseState } from '../api/types.js';

export type StateTone = 'new' | 'waiting' | 'progress' | 'done' | 'muted';

/** The tone of each state; `Record` makes a state without one a type error. */
export const STATE_TONES: Record<CaseState, StateTone> = {
  received: 'new',
  triage: 'new',
  'needs-info': 'waiting',
  accepted: 'progress',
  fixing: 'progress',
  'fix-ready': 'progress',
  'disclosure-scheduled': 'progress',
  published: 'done',
  closed: 'done',
  rejected: 'muted',
  duplicate: 'muted',
  'not-security': 'muted',
};

/** The badge's classes for a state: `state state-<tone>` (its words go inside the badge). */
export function stateClass(state: CaseState): string {
  return `state state-${STATE_TONES[state]}`;
}
