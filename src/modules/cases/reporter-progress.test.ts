import { describe, expect, it } from 'vitest';
import { CASE_STATES, TRANSITIONS, type CaseState } from './case-transitions.js';
import { REPORTER_STEPS, reporterProgress, type ProgressFacts } from './reporter-progress.js';

const RECEIVED = '2026-12-07T15:00:00.000Z';
const base: ProgressFacts = {
  state: 'received',
  held: false,
  received_at: RECEIVED,
  first_response_due_at: '2026-12-10T15:00:00.000Z',
  first_responded_at: null,
  clock_paused_at: null,
  publicly_known: 0,
  disclosure_at: '2027-01-12T14:00:00.000Z',
  released_at: null,
  rejectionCategory: null,
  timeZone: 'Europe/Berlin',
};
const NOW = new Date('2026-12-08T10:00:00Z');
const at = (state: CaseState, more: Partial<ProgressFacts> = {}) =>
  reporterProgress({ ...base, state, ...more }, NOW);

describe('the progress a reporter reads', () => {
  // Every state the transition table knows (also those only reached, never left): a new state
  // without its wording fails here.
  const tableStates = new Set<CaseState>([...CASE_STATES, ...TRANSITIONS.flatMap((t) => [...t.from, t.to])]);

  it.each([...tableStates])('says where a case in %s stands, in words and on the steps', (state) => {
    const p = at(state);
    expect(p.sentence.length).toBeGreaterThan(20);
    expect(p.sentence).not.toMatch(/undefined|null|NaN|Invalid/);
    expect(p.steps.map((s) => s.step)).toEqual([...REPORTER_STEPS]);
    expect(p.steps.filter((s) => s.status === 'current').map((s) => s.step)).toEqual([p.step]);
    const current = REPORTER_STEPS.indexOf(p.step);
    for (const [i, s] of p.steps.entries()) {
      if (i < current) expect(s.status).toBe('done');
      if (i > current) expect(['upcoming', 'not-reached']).toContain(s.status);
    }
  });

  it('gives every state its own sentence', () => {
    const sentences = CASE_STATES.map((s) => at(s).sentence);
    expect(new Set(sentences).size).toBe(CASE_STATES.length);
  });

  it('promises the first answer by the policy’s deadline, and says when it is late', () => {
    expect(at('received').sentence).toBe(
      'Received: the security team has not answered yet; they aim to answer by Thursday, 10 December 2026 at 16:00 (Europe/Berlin).',
    );
    const late = reporterProgress(base, new Date('2026-12-11T09:00:00Z'));
    expect(late.sentence).toContain('and the answer is late');
    expect(late.firstResponse).toMatchObject({ status: 'waiting', late: true });
    expect(at('received', { first_response_due_at: null }).sentence).toContain('as soon as they can');
    expect(at('received', { first_responded_at: '2026-12-08T09:00:00Z' }).sentence).toContain(
      'has answered you',
    );
    expect(at('received', { held: true }).sentence).toContain('confirm your report');
  });

  it('says "as soon as possible" for a public issue, never "by" the instant it arrived, and late after an hour', () => {
    const asap = { publicly_known: 1, first_response_due_at: RECEIVED };
    const fresh = reporterProgress({ ...base, ...asap }, new Date('2026-12-07T15:40:00Z'));
    expect(fresh.sentence).toContain('as soon as possible');
    expect(fresh.sentence).not.toContain(' by ');
    expect(fresh.firstResponse).toEqual({ status: 'waiting', asap: true, dueAt: null, late: false });
    const late = reporterProgress({ ...base, ...asap }, new Date('2026-12-07T17:00:00Z'));
    expect(late.sentence).toContain('as soon as possible, and it is late');
    expect(late.firstResponse.late).toBe(true);
  });

  it('names a rejection’s category, the disclosure date and the publication date', () => {
    expect(at('rejected', { rejectionCategory: 'out-of-scope' }).sentence).toMatch(
      /^Rejected: out of the project’s scope\. /,
    );
    expect(at('rejected').sentence).toMatch(/^Rejected: The team explained why/);
    expect(at('disclosure-scheduled').sentence).toContain(
      'on Tuesday, 12 January 2027 at 15:00 (Europe/Berlin)',
    );
    expect(at('published').sentence).toMatch(/^Published on Tuesday, 12 January 2027/);
    expect(at('published', { disclosure_at: null }).sentence).toBe(
      'Published: the fix and the advisory are public.',
    );
  });

  it('marks the steps a case that ended at triage never reaches', () => {
    expect(at('rejected').steps.map((s) => s.status)).toEqual([
      'done',
      'current',
      'not-reached',
      'not-reached',
      'not-reached',
    ]);
    expect(at('fixing').steps.map((s) => s.status)).toEqual([
      'done',
      'done',
      'current',
      'upcoming',
      'upcoming',
    ]);
  });
});
