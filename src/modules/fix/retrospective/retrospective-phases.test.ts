import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../policy/policy.parser.js';
import { getPresetYaml } from '../../policy/policy.presets.js';
import { phasesFromInstants, type PhaseInstants } from './retrospective-phases.js';

const emissary = parsePolicy(getPresetYaml('emissary'));
const ACCEPTED = '2026-12-01T09:00:00.000Z';

function instants(p: Partial<PhaseInstants> = {}): PhaseInstants {
  return {
    accepted_at: ACCEPTED,
    team_organised_at: null,
    fix_ready_at: null,
    users_told_at: null,
    released_at: null,
    closed_at: null,
    publicly_known: 0,
    slowdown_json: null,
    ...p,
  };
}

const byName = (phases: ReturnType<typeof phasesFromInstants>) =>
  Object.fromEntries(phases.map((p) => [p.name, p]));

describe('the phases the retrospective reads', () => {
  it("follows Emissary's windows: met, missed, overdue and pending", () => {
    const phases = phasesFromInstants(
      instants({
        team_organised_at: '2026-12-01T20:00:00.000Z', // within 24 hours
        fix_ready_at: '2026-12-09T11:00:00.000Z', // 7 days and 26 hours
      }),
      emissary,
      new Date('2026-12-30T09:00:00.000Z'),
    );
    expect(phases.map((p) => p.name)).toEqual([
      'fix-team-organised',
      'fix-developed',
      'users-told-of-fix',
      'release',
      'retrospective',
    ]);
    const p = byName(phases);
    expect(p['fix-team-organised']).toMatchObject({
      dueAt: '2026-12-02T09:00:00.000Z',
      doneAt: '2026-12-01T20:00:00.000Z',
      status: 'met',
      hoursLate: 0,
    });
    expect(p['fix-developed']).toMatchObject({
      earliestAt: '2026-12-02T09:00:00.000Z',
      dueAt: '2026-12-08T09:00:00.000Z',
      status: 'missed',
      hoursLate: 26,
    });
    expect(p.release).toMatchObject({ dueAt: '2026-12-22T09:00:00.000Z', status: 'overdue', hoursLate: 192 });
    expect(p.retrospective).toMatchObject({ startedAt: null, dueAt: null, status: 'pending' });
  });

  it('starts the retrospective at the release, due within its window, done at closing', () => {
    const p = byName(
      phasesFromInstants(
        instants({ released_at: '2026-12-10T09:00:00.000Z', closed_at: '2026-12-12T09:00:00.000Z' }),
        emissary,
        new Date('2026-12-20T09:00:00.000Z'),
      ),
    );
    expect(p.release).toMatchObject({ doneAt: '2026-12-10T09:00:00.000Z', status: 'met' });
    expect(p.retrospective).toMatchObject({
      startedAt: '2026-12-10T09:00:00.000Z',
      dueAt: '2026-12-13T09:00:00.000Z',
      doneAt: '2026-12-12T09:00:00.000Z',
      status: 'met',
    });
  });

  it('makes a publicly known case due at once, and a slowed-down one relaxed', () => {
    const now = new Date('2026-12-01T12:30:00.000Z');
    const known = byName(phasesFromInstants(instants({ publicly_known: 1 }), emissary, now));
    expect(known['fix-developed']).toMatchObject({ dueAt: ACCEPTED, status: 'overdue', hoursLate: 3 });
    const slowed = byName(phasesFromInstants(instants({ slowdown_json: '{"cvss":3.1}' }), emissary, now));
    expect(slowed['fix-developed']).toMatchObject({ dueAt: null, status: 'relaxed' });
  });

  it('leaves out what the policy sets no window for', () => {
    const k8s = parsePolicy(getPresetYaml('k8spolicy'));
    const names = phasesFromInstants(instants(), k8s, new Date(ACCEPTED)).map((p) => p.name);
    expect(names).not.toContain('retrospective');
    expect(names).not.toContain('fix-team-organised');
    expect(names).toContain('fix-developed');
  });
});
