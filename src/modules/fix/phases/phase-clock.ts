/**
 * The phase clocks (PROCESS.md §6, §8, §9; §10's table): from the policy's windows and the case's
 * instants, each phase's start, due instant, completion and status. Pure.
 *
 * - Windows open at acceptance (Fix Team organised, fix developed, users told, release) or at the
 *   release (the retrospective). A window of days counts real days of 24 hours: the policy's
 *   windows are calendar days (`minDays`/`maxDays`), the Fix Team's hours (`withinHours`). Due is
 *   the window's end (`maxDays`); `earliestAt` its start (`minDays`), for information.
 * - A phase the policy sets no window for: Fix Team organised and users told are left out unless
 *   the team recorded them anyway; fix developed and release (every case has them) are shown
 *   without a due instant; the retrospective is shown when the policy holds one.
 * - Publicly known (and the policy's `publicDisclosure.allTimelinesAsap`, unless the advisory
 *   scores below its `minimumCvss`): every phase is due "as soon as possible", at its start, so an
 *   open one is overdue from the first hour.
 * - A recorded low-severity slow-down (§4) relaxes every phase not done when it was decided: no due
 *   instant (`relaxed` while open, `done` once done). It never applies to "as soon as possible" clocks.
 * - An upstream project's disclosure instant (§6: "the case follows that timeline") is a lower
 *   bound of the release: its due instant and earliest instant are never before it (an "as soon as
 *   possible" release is due at it). It does not give a due instant to a release without a window.
 */
import type { Policy } from '../../policy/policy.schema.js';
import type { PhaseName, PhaseStatus, PhaseView } from './phase.types.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The case's fields the clocks read. */
export interface PhaseCaseFields {
  accepted_at: string | null;
  team_organised_at: string | null;
  fix_ready_at: string | null;
  users_told_at: string | null;
  released_at: string | null;
  closed_at: string | null;
  publicly_known: number;
  slowdown_json: string | null;
  /** The advisory's CVSS score (the case's severity), if scored. */
  cvss_score: number | null;
}

/** What the case row does not hold in clear: the retrospective's closing, the upstream's date. */
export interface PhaseExtra {
  retrospectiveClosedAt?: string | null | undefined;
  upstreamDisclosureAt?: string | null | undefined;
}

/** A recorded slow-down (`cases.slowdown_json`). */
export interface Slowdown {
  cvss: number | null;
  reason: string;
  decidedBy: string;
  decidedAt: string;
}

export type PhasePolicy = Pick<Policy, 'fix' | 'severity'>;

export const PHASE_LABELS: Record<PhaseName, string> = {
  'fix-team-organised': 'Fix Team organised',
  'fix-developed': 'Fix developed',
  'users-told-of-fix': 'Users told a fix is coming',
  release: 'Release',
  retrospective: 'Retrospective',
};

/** The slow-down recorded on the case, or null (also for a value that does not parse). */
export function parseSlowdown(json: string | null): Slowdown | null {
  if (!json) return null;
  try {
    const v = JSON.parse(json) as Partial<Slowdown>;
    return typeof v.decidedAt === 'string' && typeof v.reason === 'string'
      ? {
          cvss: typeof v.cvss === 'number' ? v.cvss : null,
          reason: v.reason,
          decidedBy: String(v.decidedBy ?? ''),
          decidedAt: v.decidedAt,
        }
      : null;
  } catch {
    return null;
  }
}

/** Whether the case's clocks are "as soon as possible" (publicly known, see the module comment). */
export function asapClocks(
  c: Pick<PhaseCaseFields, 'publicly_known' | 'cvss_score'>,
  policy: PhasePolicy,
): boolean {
  const rule = policy.severity.publicDisclosure;
  if (!c.publicly_known || !rule.allTimelinesAsap) return false;
  return !(rule.minimumCvss !== null && c.cvss_score !== null && c.cvss_score < rule.minimumCvss);
}

/**
 * Why the team may not slow this case down (§4), or null when it may: the policy must allow it,
 * the advisory must be scored below the low-severity threshold, and the clocks must not be "as
 * soon as possible".
 */
export function slowdownRefusal(
  c: Pick<PhaseCaseFields, 'publicly_known' | 'cvss_score'>,
  policy: PhasePolicy,
): string | null {
  const threshold = policy.severity.lowSeverityThreshold.toFixed(1);
  if (!policy.severity.lowSeveritySlowDown)
    return "The project's policy does not allow a low-severity slow-down.";
  if (c.cvss_score === null)
    return `Score the advisory first: only a case below CVSS ${threshold} may slow down.`;
  if (c.cvss_score >= policy.severity.lowSeverityThreshold)
    return `CVSS ${c.cvss_score.toFixed(1)} is not below the low-severity threshold ${threshold}.`;
  if (asapClocks(c, policy)) return 'The case is publicly known: its clocks are as soon as possible.';
  return null;
}

interface Window {
  name: PhaseName;
  start: string | null;
  /** Milliseconds after the start: the earliest end and the due instant; null without a window. */
  minMs: number | null;
  maxMs: number | null;
  done: string | null;
}

const days = (r: { minDays: number; maxDays: number } | null) =>
  r ? { minMs: r.minDays * DAY_MS, maxMs: r.maxDays * DAY_MS } : { minMs: null, maxMs: null };

/** The phases' windows, in order, as the policy sets them (see the module comment for which are shown). */
function windowsOf(c: PhaseCaseFields, policy: PhasePolicy, extra: PhaseExtra): Window[] {
  const { fix } = policy;
  const windows: (Window | null)[] = [
    fix.fixTeamOrganised || c.team_organised_at
      ? {
          name: 'fix-team-organised',
          start: c.accepted_at,
          minMs: null,
          maxMs: fix.fixTeamOrganised ? fix.fixTeamOrganised.withinHours * HOUR_MS : null,
          done: c.team_organised_at,
        }
      : null,
    { name: 'fix-developed', start: c.accepted_at, ...days(fix.fixDeveloped), done: c.fix_ready_at },
    fix.usersToldOfFix || c.users_told_at
      ? {
          name: 'users-told-of-fix',
          start: c.accepted_at,
          ...days(fix.usersToldOfFix),
          done: c.users_told_at,
        }
      : null,
    { name: 'release', start: c.accepted_at, ...days(fix.release), done: c.released_at },
    fix.retrospective.enabled || extra.retrospectiveClosedAt
      ? {
          name: 'retrospective',
          start: c.released_at,
          ...days(fix.retrospective.afterRelease),
          done: extra.retrospectiveClosedAt ?? c.closed_at,
        }
      : null,
  ];
  return windows.filter((w): w is Window => w !== null);
}

const iso = (ms: number) => new Date(ms).toISOString();
const later = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

/** Every phase of the case at `now` (see the module comment). */
export function computePhases(
  c: PhaseCaseFields,
  policy: PhasePolicy,
  now: Date,
  extra: PhaseExtra = {},
): PhaseView[] {
  const asap = asapClocks(c, policy);
  const slowdown = asap ? null : parseSlowdown(c.slowdown_json);
  const upstream = extra.upstreamDisclosureAt ? Date.parse(extra.upstreamDisclosureAt) : null;
  return windowsOf(c, policy, extra).map((w): PhaseView => {
    const label = PHASE_LABELS[w.name];
    const doneMs = w.done ? Date.parse(w.done) : null;
    if (!w.start || Date.parse(w.start) > now.getTime()) {
      const status: PhaseStatus = w.done ? 'done' : 'pending';
      return {
        name: w.name,
        label,
        startedAt: null,
        earliestAt: null,
        dueAt: null,
        doneAt: w.done,
        status,
        hoursLate: 0,
      };
    }
    const start = Date.parse(w.start);
    let earliest = asap || w.minMs === null ? null : start + w.minMs;
    let due = asap ? start : w.maxMs === null ? null : start + w.maxMs;
    if (w.name === 'release' && upstream !== null) {
      earliest = later(earliest, upstream);
      if (due !== null) due = Math.max(due, upstream);
    }
    const relaxed = slowdown !== null && (doneMs === null || doneMs > Date.parse(slowdown.decidedAt));
    if (relaxed) due = null;
    const view = {
      name: w.name,
      label,
      startedAt: w.start,
      earliestAt: earliest === null ? null : iso(earliest),
      dueAt: due === null ? null : iso(due),
      doneAt: w.done,
    };
    if (doneMs !== null) {
      if (due === null) return { ...view, status: 'done', hoursLate: 0 };
      return doneMs <= due
        ? { ...view, status: 'met', hoursLate: 0 }
        : { ...view, status: 'missed', hoursLate: Math.floor((doneMs - due) / HOUR_MS) };
    }
    if (relaxed) return { ...view, status: 'relaxed', hoursLate: 0 };
    if (due === null || now.getTime() < due) return { ...view, status: 'running', hoursLate: 0 };
    return { ...view, status: 'overdue', hoursLate: Math.floor((now.getTime() - due) / HOUR_MS) };
  });
}

/** The earliest due instant of a phase still open (running or overdue), or null. */
export function nextDueAt(phases: readonly PhaseView[]): string | null {
  let next: string | null = null;
  for (const p of phases) {
    if ((p.status === 'running' || p.status === 'overdue') && p.dueAt && (next === null || p.dueAt < next))
      next = p.dueAt;
  }
  return next;
}
