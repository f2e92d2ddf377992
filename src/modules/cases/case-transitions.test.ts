import { describe, expect, it } from 'vitest';
import {
  CASE_STATES,
  findTransition,
  nextStates,
  STATE_FOR_REPORTER,
  TRANSITIONS,
  type CaseState,
} from './case-transitions.js';

// The whole table as a matrix: a change to the case's life must change this test.
const expected: Record<CaseState, CaseState[]> = {
  received: ['triage', 'accepted', 'rejected', 'duplicate', 'not-security', 'needs-info'],
  triage: ['accepted', 'rejected', 'duplicate', 'not-security', 'needs-info'],
  'needs-info': ['accepted', 'rejected', 'duplicate', 'not-security', 'triage'],
  accepted: ['fixing'],
  rejected: ['triage'],
  duplicate: ['triage'],
  'not-security': ['triage'],
  fixing: ['fix-ready'],
  'fix-ready': ['fixing', 'disclosure-scheduled'],
  'disclosure-scheduled': ['fixing', 'published'],
  published: ['closed'],
  closed: [],
};

describe('the case transition table', () => {
  it.each(CASE_STATES)('lets the team move a case in %s exactly where PROCESS.md §11 allows', (state) => {
    expect(nextStates(state, 'team').sort()).toEqual([...expected[state]].sort());
  });

  it('lets the system only resume a case whose reporter answered', () => {
    for (const state of CASE_STATES) {
      // Publication at the scheduled instant is Vigil's to take too (a job, when the releases are out).
      const system: Partial<Record<CaseState, CaseState[]>> = {
        'needs-info': ['triage'],
        'disclosure-scheduled': ['published'],
      };
      expect(nextStates(state, 'system')).toEqual(system[state] ?? []);
    }
  });

  it('has no transition to the same state and no unknown state', () => {
    for (const t of TRANSITIONS) {
      expect(CASE_STATES).toContain(t.to);
      for (const f of t.from) {
        expect(CASE_STATES).toContain(f);
        expect(f).not.toBe(t.to);
      }
    }
  });

  it('requires a category and a reason to reject, the original to mark a duplicate, a question to ask', () => {
    expect(findTransition('triage', 'rejected')?.requires).toEqual(['reasonCategory', 'reason']);
    expect(findTransition('triage', 'duplicate')?.requires).toEqual(['duplicateOf']);
    expect(findTransition('received', 'needs-info')?.requires).toEqual(['question']);
    expect(findTransition('triage', 'not-security')?.requires).toEqual(['reason']);
  });

  it('finds each pair at most once, and has plain words for every state', () => {
    for (const from of CASE_STATES) {
      for (const to of CASE_STATES) {
        expect(TRANSITIONS.filter((t) => t.to === to && t.from.includes(from)).length).toBeLessThanOrEqual(1);
      }
      expect(STATE_FOR_REPORTER[from].length).toBeGreaterThan(10);
    }
  });
});
