/**
 * The phase clocks' vocabulary (PROCESS.md §6, §8, §9; §10's table), shared by the phase clocks,
 * the retrospective's timeline and the case page. Pure types and names: no logic here.
 */

/** The phases a policy can set windows for, in the order they happen. */
export const PHASES = [
  'fix-team-organised',
  'fix-developed',
  'users-told-of-fix',
  'release',
  'retrospective',
] as const;
export type PhaseName = (typeof PHASES)[number];

/**
 * - `pending`: not started (its start instant has not happened);
 * - `running`: started, not done, before its due instant;
 * - `overdue`: started, not done, past its due instant;
 * - `met` / `missed`: done on or before / after its due instant;
 * - `done`: done, with no due instant (the policy sets no window, or the team slowed down);
 * - `relaxed`: running without a due instant, by a recorded low-severity decision (§4).
 */
export const PHASE_STATUSES = ['pending', 'running', 'overdue', 'met', 'missed', 'done', 'relaxed'] as const;
export type PhaseStatus = (typeof PHASE_STATUSES)[number];

export interface PhaseView {
  name: PhaseName;
  /** In words: "Fix Team organised". */
  label: string;
  /** When the window opened (acceptance, or the release for the retrospective); null while pending. */
  startedAt: string | null;
  /** The window's earliest end, if the policy sets one (minDays); informative. */
  earliestAt: string | null;
  /** When it is due; null without a window or when relaxed. "As soon as possible" is due at its start. */
  dueAt: string | null;
  /** When it was done. */
  doneAt: string | null;
  status: PhaseStatus;
  /** Hours past due (overdue or missed), rounded down; 0 otherwise. */
  hoursLate: number;
}
