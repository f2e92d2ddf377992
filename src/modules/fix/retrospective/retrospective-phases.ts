/**
 * The phases as the retrospective reads them, from the case's recorded instants and the policy's
 * windows (PROCESS.md §6, §8, §9), in calendar time. A stand-in until the phase clocks
 * (`phases/phase-clock.ts`, `computePhases`) are merged: the service should take the phases from
 * there, and this file goes. Pure.
 */
import type { Policy } from '../../policy/policy.schema.js';
import type { PhaseName, PhaseStatus, PhaseView } from '../phases/phase.types.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface PhaseInstants {
  accepted_at: string | null;
  team_organised_at: string | null;
  fix_ready_at: string | null;
  users_told_at: string | null;
  released_at: string | null;
  closed_at: string | null;
  publicly_known: number;
  slowdown_json: string | null;
}

interface Window {
  name: PhaseName;
  label: string;
  start: string | null;
  done: string | null;
  minMs: number | null;
  maxMs: number | null;
  /** A publicly known case makes it "as soon as possible"; a slowed-down case has no due instant. */
  compressible: boolean;
}

/** The phases `policy` sets windows for (and the retrospective, if it holds one), in order. */
export function phasesFromInstants(c: PhaseInstants, policy: Policy, now: Date): PhaseView[] {
  const f = policy.fix;
  const days = (r: { minDays: number; maxDays: number } | null) =>
    r ? { minMs: r.minDays * DAY_MS, maxMs: r.maxDays * DAY_MS } : null;
  const windows: Window[] = [];
  const push = (
    w: Omit<Window, 'minMs' | 'maxMs'>,
    range: { minMs: number | null; maxMs: number | null } | null,
  ) => {
    if (range) windows.push({ ...w, ...range });
  };
  const accepted = c.accepted_at;
  push(
    {
      name: 'fix-team-organised',
      label: 'Fix Team organised',
      start: accepted,
      done: c.team_organised_at,
      compressible: true,
    },
    f.fixTeamOrganised ? { minMs: null, maxMs: f.fixTeamOrganised.withinHours * HOUR_MS } : null,
  );
  push(
    {
      name: 'fix-developed',
      label: 'Fix developed',
      start: accepted,
      done: c.fix_ready_at,
      compressible: true,
    },
    days(f.fixDeveloped),
  );
  push(
    {
      name: 'users-told-of-fix',
      label: 'Users told a fix is coming',
      start: accepted,
      done: c.users_told_at,
      compressible: true,
    },
    days(f.usersToldOfFix),
  );
  push(
    { name: 'release', label: 'Release', start: accepted, done: c.released_at, compressible: true },
    days(f.release),
  );
  if (f.retrospective.enabled) {
    push(
      {
        name: 'retrospective',
        label: 'Retrospective',
        start: c.released_at,
        done: c.closed_at,
        compressible: false,
      },
      days(f.retrospective.afterRelease) ?? { minMs: null, maxMs: null },
    );
  }
  return windows.map((w) => phaseOf(w, c, now));
}

function phaseOf(w: Window, c: PhaseInstants, now: Date): PhaseView {
  const start = w.start ? Date.parse(w.start) : null;
  const slowed = w.compressible && c.slowdown_json !== null && c.publicly_known !== 1;
  const asap = w.compressible && c.publicly_known === 1;
  let due: number | null = null;
  if (start !== null && !slowed && w.maxMs !== null) due = asap ? start : start + w.maxMs;
  const done = w.done ? Date.parse(w.done) : null;
  const status = statusOf(start, due, done, slowed, now.getTime());
  const late = due !== null ? (done ?? now.getTime()) - due : 0;
  return {
    name: w.name,
    label: w.label,
    startedAt: w.start,
    earliestAt: start !== null && w.minMs !== null && !asap ? iso(start + w.minMs) : null,
    dueAt: due !== null ? iso(due) : null,
    doneAt: w.done,
    status,
    hoursLate: status === 'missed' || status === 'overdue' ? Math.floor(late / HOUR_MS) : 0,
  };
}

function statusOf(
  start: number | null,
  due: number | null,
  done: number | null,
  slowed: boolean,
  now: number,
): PhaseStatus {
  if (done !== null) return due === null ? 'done' : done <= due ? 'met' : 'missed';
  if (start === null) return 'pending';
  if (due === null) return slowed ? 'relaxed' : 'running';
  return now > due ? 'overdue' : 'running';
}

const iso = (ms: number) => new Date(ms).toISOString();
