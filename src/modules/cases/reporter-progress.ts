/**
 * The case's progress as its reporter reads it (issue 13): one sentence in plain words for the
 * state it is in, and the steps of a report's life (received, triage, fix, disclosure, published)
 * with where the case stands. Pure: the case's facts in, words out. Every state of the transition
 * table has its sentence and its step (the Records make a new state a type error; a test iterates
 * CASE_STATES).
 */
import { formatInstant } from '../../lib/format-instant.js';
import type { CaseState } from './case-transitions.js';
import { clockStatus, type ClockFields } from './response-clock.js';

export const REPORTER_STEPS = ['received', 'triage', 'fix', 'disclosure', 'published'] as const;
export type ReporterStep = (typeof REPORTER_STEPS)[number];

/**
 * - `done`: behind the case; `current`: where it is; `upcoming`: still ahead;
 * - `not-reached`: the case ended before it (rejected, duplicate, not a security issue).
 */
export const STEP_STATUSES = ['done', 'current', 'upcoming', 'not-reached'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const STEP_LABELS: Record<ReporterStep, string> = {
  received: 'Received',
  triage: 'Triage',
  fix: 'Fix',
  disclosure: 'Disclosure',
  published: 'Published',
};

/** Where each state stands on the reporter's steps; `ended` when the case stops at that step. */
const STEP_OF: Record<CaseState, { step: ReporterStep; ended?: true }> = {
  received: { step: 'received' },
  triage: { step: 'triage' },
  'needs-info': { step: 'triage' },
  accepted: { step: 'fix' },
  rejected: { step: 'triage', ended: true },
  duplicate: { step: 'triage', ended: true },
  'not-security': { step: 'triage', ended: true },
  fixing: { step: 'fix' },
  'fix-ready': { step: 'fix' },
  'disclosure-scheduled': { step: 'disclosure' },
  published: { step: 'published' },
  closed: { step: 'published' },
};

/** A rejection's category as the reporter reads it (REJECTION_CATEGORIES). */
const REJECTION_WORDS: Record<string, string> = {
  'not-a-vulnerability': 'not a vulnerability',
  'lack-of-safe-defaults': 'the project does not treat a lack of safe defaults as a vulnerability',
  'only-unsupported-versions': 'only unsupported versions are affected',
  'ordinary-resource-use': 'ordinary resource use, to be fixed in the open',
  'out-of-scope': 'out of the project’s scope',
};

export interface ProgressFacts extends ClockFields {
  state: CaseState;
  /** Held as possibly a flood, until the reporter confirms it. */
  held: boolean;
  disclosure_at: string | null;
  released_at: string | null;
  /** The latest rejection's category, if the case is rejected. */
  rejectionCategory: string | null;
  timeZone: string;
}

export interface ReporterProgress {
  sentence: string;
  step: ReporterStep;
  steps: { step: ReporterStep; label: string; status: StepStatus }[];
  /** The first answer: when it is due (null: no deadline or "as soon as possible"), and whether it is late. */
  firstResponse: {
    status: 'answered' | 'waiting' | 'paused' | 'none';
    asap: boolean;
    dueAt: string | null;
    late: boolean;
  };
}

const date = (iso: string, zone: string) => formatInstant(new Date(iso), zone, 'long');

/**
 * Whether an unanswered clock is late: past its due instant, or, "as soon as possible" (the issue
 * is public, due at once), past its first hour: the grace within which the team's own clock counts
 * an answer as met (response-clock.ts).
 */
export function isLate(clock: ReturnType<typeof clockStatus>): boolean {
  return clock.status === 'overdue' || (clock.status === 'asap' && clock.hoursLate >= 1);
}

/** The first answer, as the reporter is told of it while the team has not written yet. */
function waitingForAnswer(f: ProgressFacts, now: Date): string {
  const clock = clockStatus(f, now);
  const waiting = 'the security team has not answered yet';
  switch (clock.status) {
    case 'met':
    case 'missed':
      return 'the security team has answered you: see the conversation below.';
    case 'paused':
      return 'the security team is waiting for your answer.';
    case 'asap':
      // Due at once (the issue is public); late after its first hour, as the team's clock counts it.
      return isLate(clock)
        ? `${waiting}; the issue is already public, so the answer is due as soon as possible, and it is late.`
        : `${waiting}; the issue is already public, so they aim to answer as soon as possible.`;
    case 'running':
      return `${waiting}; they aim to answer by ${date(clock.dueAt ?? '', f.timeZone)}.`;
    case 'overdue':
      return `${waiting}; they aimed to answer by ${date(clock.dueAt ?? '', f.timeZone)}, and the answer is late.`;
    case 'none':
      return `${waiting}; they answer as soon as they can.`;
  }
}

const SENTENCES: Record<CaseState, (f: ProgressFacts, now: Date) => string> = {
  received: (f, now) =>
    f.held
      ? 'Received, but held: confirm your report (below) and the security team is told of it.'
      : `Received: ${waitingForAnswer(f, now)}`,
  triage: () => 'Being triaged: the security team is assessing your report.',
  'needs-info': () =>
    'Waiting for you: the security team asked for more information (see the conversation below).',
  accepted: () => 'Accepted: the team is working on a fix.',
  rejected: (f) =>
    `Rejected: ${f.rejectionCategory ? `${REJECTION_WORDS[f.rejectionCategory] ?? f.rejectionCategory}. ` : ''}The team explained why in the conversation below.`,
  duplicate: () => 'Duplicate: the team already had a report of this issue, and handles it there.',
  'not-security': () =>
    'Not a security issue: it belongs in the project’s public issue tracker, as the team explained below.',
  fixing: () => 'Accepted: the team is developing the fix.',
  'fix-ready': () => 'Fix ready: the team is preparing the releases.',
  'disclosure-scheduled': (f) =>
    f.disclosure_at
      ? `Disclosure scheduled: the fix and the advisory are to be public on ${date(f.disclosure_at, f.timeZone)}.`
      : 'Disclosure scheduled: the fix and the advisory are to be public soon.',
  published: (f) => {
    const at = f.disclosure_at ?? f.released_at;
    return at
      ? `Published on ${date(at, f.timeZone)}: the fix and the advisory are public.`
      : 'Published: the fix and the advisory are public.';
  },
  closed: (f) => {
    const at = f.disclosure_at ?? f.released_at;
    return `Published${at ? ` on ${date(at, f.timeZone)}` : ''} and closed: the team has finished with this report. Thank you.`;
  },
};

/** The case's progress for its reporter at `now`. */
export function reporterProgress(f: ProgressFacts, now: Date): ReporterProgress {
  const { step, ended } = STEP_OF[f.state];
  const at = REPORTER_STEPS.indexOf(step);
  const clock = clockStatus(f, now);
  const late = !f.held && isLate(clock);
  return {
    sentence: SENTENCES[f.state](f, now),
    step,
    steps: REPORTER_STEPS.map((s, i) => ({
      step: s,
      label: STEP_LABELS[s],
      status: i < at ? 'done' : i === at ? 'current' : ended ? 'not-reached' : 'upcoming',
    })),
    firstResponse: {
      status:
        clock.status === 'met' || clock.status === 'missed'
          ? 'answered'
          : clock.status === 'paused'
            ? 'paused'
            : clock.status === 'none'
              ? 'none'
              : 'waiting',
      asap: f.publicly_known === 1,
      dueAt: f.publicly_known === 1 ? null : clock.dueAt,
      late,
    },
  };
}
