import { describe, expect, it } from 'vitest';
import { getPresetPolicy } from '../../policy/policy.presets.js';
import {
  asapClocks,
  computePhases,
  nextDueAt,
  slowdownRefusal,
  type PhaseCaseFields,
  type PhasePolicy,
} from './phase-clock.js';
import { PHASES, type PhaseName, type PhaseView } from './phase.types.js';

const emissary = getPresetPolicy('emissary');
const k8s = getPresetPolicy('k8spolicy');
const contour = getPresetPolicy('contour');

const ACCEPTED = '2026-03-02T10:00:00.000Z';
const at = (iso: string) => new Date(iso);
const hours = (h: number) => new Date(Date.parse(ACCEPTED) + h * 3_600_000).toISOString();
const days = (d: number) => hours(d * 24);

const accepted = (over: Partial<PhaseCaseFields> = {}): PhaseCaseFields => ({
  accepted_at: ACCEPTED,
  team_organised_at: null,
  fix_ready_at: null,
  users_told_at: null,
  released_at: null,
  closed_at: null,
  publicly_known: 0,
  slowdown_json: null,
  cvss_score: 7.5,
  ...over,
});

function phase(list: PhaseView[], name: PhaseName): PhaseView {
  const p = list.find((x) => x.name === name);
  if (!p) throw new Error(`no phase ${name} in ${list.map((x) => x.name).join(', ')}`);
  return p;
}

describe('phase clocks (PROCESS.md §6, §8, §9)', () => {
  it('opens the Emissary windows at acceptance: 24 h, 1-7 days, 1-7 days, 1-21 days; the retrospective pending', () => {
    const list = computePhases(accepted(), emissary, at(hours(1)));
    expect(list.map((p) => p.name)).toEqual([...PHASES]);
    expect(phase(list, 'fix-team-organised')).toEqual({
      name: 'fix-team-organised',
      label: 'Fix Team organised',
      startedAt: ACCEPTED,
      earliestAt: null,
      dueAt: hours(24),
      doneAt: null,
      status: 'running',
      hoursLate: 0,
    });
    expect(phase(list, 'fix-developed')).toMatchObject({
      earliestAt: days(1),
      dueAt: days(7),
      status: 'running',
    });
    expect(phase(list, 'users-told-of-fix')).toMatchObject({ dueAt: days(7) });
    expect(phase(list, 'release')).toMatchObject({ earliestAt: days(1), dueAt: days(21) });
    expect(phase(list, 'retrospective')).toMatchObject({ startedAt: null, dueAt: null, status: 'pending' });
    expect(nextDueAt(list)).toBe(hours(24));
  });

  it('is all pending before acceptance', () => {
    const list = computePhases(accepted({ accepted_at: null }), emissary, at(ACCEPTED));
    expect(list.every((p) => p.status === 'pending' && p.startedAt === null)).toBe(true);
    expect(nextDueAt(list)).toBeNull();
  });

  it('says overdue by the hour, met on or before the due instant, missed after it', () => {
    const late = computePhases(accepted(), emissary, at(hours(24 + 5.9)));
    expect(phase(late, 'fix-team-organised')).toMatchObject({ status: 'overdue', hoursLate: 5 });
    expect(phase(computePhases(accepted(), emissary, at(hours(24))), 'fix-team-organised').status).toBe(
      'overdue',
    );
    const met = computePhases(accepted({ team_organised_at: hours(24) }), emissary, at(days(3)));
    expect(phase(met, 'fix-team-organised')).toMatchObject({
      status: 'met',
      doneAt: hours(24),
      hoursLate: 0,
    });
    const missed = computePhases(accepted({ fix_ready_at: days(9) }), emissary, at(days(10)));
    expect(phase(missed, 'fix-developed')).toMatchObject({ status: 'missed', hoursLate: 48 });
  });

  it('times the retrospective from the release, done when it closes', () => {
    const released = accepted({ released_at: days(10), fix_ready_at: days(5), users_told_at: days(4) });
    const running = computePhases(released, emissary, at(days(11)));
    expect(phase(running, 'release')).toMatchObject({ status: 'met', doneAt: days(10) });
    expect(phase(running, 'retrospective')).toMatchObject({
      startedAt: days(10),
      earliestAt: days(11),
      dueAt: days(13),
      status: 'running',
    });
    const closed = computePhases(released, emissary, at(days(20)), { retrospectiveClosedAt: days(14) });
    expect(phase(closed, 'retrospective')).toMatchObject({ status: 'missed', hoursLate: 24 });
    const byCase = computePhases({ ...released, closed_at: days(12) }, emissary, at(days(20)));
    expect(phase(byCase, 'retrospective').status).toBe('met');
  });

  it('leaves out phases the policy does not set, and shows fix and release without a due instant', () => {
    // k8spolicy: no Fix Team window, no users-told window, no retrospective.
    const list = computePhases(accepted(), k8s, at(hours(1)));
    expect(list.map((p) => p.name)).toEqual(['fix-developed', 'release']);
    expect(phase(list, 'fix-developed').dueAt).toBe(days(14));
    // Contour: no windows at all; the fix and the release still run, with no due instant.
    const c = computePhases(accepted({ fix_ready_at: days(30) }), contour, at(days(40)));
    expect(phase(c, 'fix-developed')).toMatchObject({ dueAt: null, status: 'done' });
    expect(phase(c, 'release')).toMatchObject({ dueAt: null, status: 'running', hoursLate: 0 });
    // Recorded anyway: shown, without a due instant.
    const told = computePhases(accepted({ users_told_at: days(2) }), k8s, at(days(3)));
    expect(phase(told, 'users-told-of-fix')).toMatchObject({ status: 'done', dueAt: null });
  });

  it('makes every open phase of a publicly known case due at its start, overdue by the hour', () => {
    const c = accepted({ publicly_known: 1, team_organised_at: hours(2) });
    const list = computePhases(c, emissary, at(hours(3.5)));
    expect(phase(list, 'fix-team-organised')).toMatchObject({
      dueAt: ACCEPTED,
      status: 'missed',
      hoursLate: 2,
    });
    expect(phase(list, 'fix-developed')).toMatchObject({
      dueAt: ACCEPTED,
      earliestAt: null,
      status: 'overdue',
      hoursLate: 3,
    });
    expect(phase(list, 'release')).toMatchObject({ dueAt: ACCEPTED, status: 'overdue', hoursLate: 3 });
    // Emissary: "all timelines become ASAP (assuming the vulnerability has a CVSS score >= 4)".
    expect(asapClocks({ publicly_known: 1, cvss_score: 3.1 }, emissary)).toBe(false);
    expect(asapClocks({ publicly_known: 1, cvss_score: null }, emissary)).toBe(true);
    expect(asapClocks({ publicly_known: 1, cvss_score: 3.1 }, contour)).toBe(true);
    expect(asapClocks({ publicly_known: 0, cvss_score: 9 }, contour)).toBe(false);
    const low = computePhases({ ...c, cvss_score: 3.1 }, emissary, at(hours(3.5)));
    expect(phase(low, 'release').dueAt).toBe(days(21));
  });

  it('relaxes the phases open when a low-severity slow-down was recorded', () => {
    const slowdown = JSON.stringify({ cvss: 3.1, reason: 'Holidays', decidedBy: 'u1', decidedAt: days(2) });
    const c = accepted({ cvss_score: 3.1, slowdown_json: slowdown, team_organised_at: hours(30) });
    const list = computePhases(c, emissary, at(days(30)));
    // Done before the decision: judged by its window.
    expect(phase(list, 'fix-team-organised')).toMatchObject({ status: 'missed', hoursLate: 6 });
    expect(phase(list, 'fix-developed')).toMatchObject({ status: 'relaxed', dueAt: null, hoursLate: 0 });
    expect(phase(list, 'release')).toMatchObject({ status: 'relaxed', dueAt: null });
    const done = computePhases({ ...c, fix_ready_at: days(25) }, emissary, at(days(30)));
    expect(phase(done, 'fix-developed')).toMatchObject({ status: 'done', dueAt: null });
    expect(nextDueAt(list)).toBeNull();
  });

  it('allows a slow-down only below the threshold, by a policy that has one, on clocks that are not ASAP', () => {
    expect(slowdownRefusal({ publicly_known: 0, cvss_score: 3.9 }, emissary)).toBeNull();
    expect(slowdownRefusal({ publicly_known: 0, cvss_score: 4.0 }, emissary)).toContain('not below');
    expect(slowdownRefusal({ publicly_known: 0, cvss_score: null }, emissary)).toContain(
      'Score the advisory',
    );
    expect(slowdownRefusal({ publicly_known: 0, cvss_score: 2 }, contour)).toContain('does not allow');
    const asapPolicy: PhasePolicy = {
      ...emissary,
      severity: {
        ...emissary.severity,
        publicDisclosure: { ...emissary.severity.publicDisclosure, minimumCvss: null },
      },
    };
    expect(slowdownRefusal({ publicly_known: 1, cvss_score: 2 }, asapPolicy)).toContain('publicly known');
  });

  it("bounds the release by the upstream project's disclosure", () => {
    const upstreamDisclosureAt = days(30);
    const list = computePhases(accepted(), emissary, at(days(22)), { upstreamDisclosureAt });
    expect(phase(list, 'release')).toMatchObject({
      earliestAt: days(30),
      dueAt: days(30),
      status: 'running',
    });
    // An upstream date inside the window moves only the earliest instant.
    const inside = computePhases(accepted(), emissary, at(days(2)), { upstreamDisclosureAt: days(5) });
    expect(phase(inside, 'release')).toMatchObject({ earliestAt: days(5), dueAt: days(21) });
    // An ASAP release is due when upstream discloses, not before.
    const asap = computePhases(accepted({ publicly_known: 1 }), emissary, at(days(2)), {
      upstreamDisclosureAt: days(5),
    });
    expect(phase(asap, 'release')).toMatchObject({ dueAt: days(5), status: 'running' });
    // Other phases are not bounded by it.
    expect(phase(list, 'fix-developed').dueAt).toBe(days(7));
  });
});
