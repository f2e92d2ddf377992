import { describe, expect, it } from 'vitest';
import type { PhaseView } from '../phases/phase.types.js';
import {
  buildRetrospectiveDraft,
  describeEvent,
  type DraftEvent,
  type DraftInput,
} from './retrospective-draft.js';
import { EMPTY_SECTIONS, SECTION_GUIDES } from './retrospective-sections.js';

const ALICE = 'u-alice';
const BOB = 'u-bob';
const CAROL = 'u-carol';
const DAN = 'u-dan';
const RUN_GREEN = 'run-1';
const RUN_RED = 'run-2';
const RUN_GREEN_AGAIN = 'run-3';
const SHA_A = 'abc1234def5678abc1234def5678abc1234def56';
const SHA_B = 'fedcba9876543210fedcba9876543210fedcba98';
const SHA_C = '0123456789abcdef0123456789abcdef01234567';

let minute = 0;
function event(action: string, actor: string | null, data: Record<string, unknown> = {}): DraftEvent {
  minute += 1;
  return {
    occurredAt: new Date(Date.UTC(2026, 11, 1, 9, minute)).toISOString(),
    actorType: actor ? 'user' : 'system',
    actorId: actor ?? 'jobs',
    action,
    data,
  };
}

function phase(p: Partial<PhaseView> & Pick<PhaseView, 'name' | 'label' | 'status'>): PhaseView {
  return {
    startedAt: '2026-12-01T09:00:00.000Z',
    earliestAt: null,
    dueAt: null,
    doneAt: null,
    hoursLate: 0,
    ...p,
  };
}

function input(overrides: Partial<DraftInput> = {}): DraftInput {
  minute = 0;
  const transition = (from: string, to: string) => ({ from, to });
  return {
    caseRow: { id: 'case-1', fix_lead_user_id: BOB },
    events: [
      event('case.received', null, { humanId: 'EMS-2026-0001', channel: 'web' }),
      event('case.triage_started', ALICE, transition('received', 'triage')),
      event('case.message_added', ALICE, { messageId: 'm1', visibility: 'conversation' }),
      event('case.accepted', ALICE, transition('triage', 'accepted')),
      event('case.fix_lead_assigned', ALICE, { userId: BOB, previousUserId: null, method: 'rotation' }),
      event('case.member_invited', BOB, { userId: CAROL, role: 'fix-team', newAccount: false }),
      event('case.member_terms_accepted', CAROL, { userId: CAROL, role: 'fix-team', termsHash: 'h' }),
      event('case.fix_started', BOB, transition('accepted', 'fixing')),
      event('case.repository_pushed', CAROL, { refs: ['refs/heads/release-1.28', 'refs/heads/main'] }),
      event('ci.run_queued', CAROL, {
        runId: RUN_GREEN,
        caseId: 'case-1',
        branch: 'release-1.28',
        commit: SHA_A,
      }),
      event('ci.run_claimed', null, { runId: RUN_GREEN, runnerId: 'r1', attempt: 1 }),
      event('ci.run_finished', null, { runId: RUN_GREEN, status: 'passed', exitCode: 0, durationMs: 10 }),
      event('ci.run_finished', null, { runId: RUN_RED, status: 'failed', exitCode: 1, durationMs: 10 }),
      event('case.release_line_overridden', BOB, { line: '1.27', reason: 'no CI there' }),
      event('case.release_recorded', BOB, { line: '1.28', version: '1.28.3', state: 'published' }),
      event('case.release_recorded', BOB, { line: '1.27', version: null, state: 'planned' }),
      event('case.disclosure_scheduled', BOB, {
        from: 'fix-ready',
        to: 'disclosure-scheduled',
        disclosureAt: '2026-12-10T15:00:00.000Z',
      }),
      event('case.published', null, transition('disclosure-scheduled', 'published')),
      event('case.member_access_ended', null, { userId: CAROL, role: 'fix-team', because: 'published' }),
      event('retrospective.drafted', null, { caseId: 'case-1' }),
      event('retrospective.feedback_added', CAROL, { caseId: 'case-1', feedbackId: 'f1' }),
      event('some.future_action', ALICE, {}),
    ],
    users: [
      { id: ALICE, name: 'Alice', email: 'alice@example.org' },
      { id: BOB, name: 'Bob', email: 'bob@example.org' },
      { id: CAROL, name: '', email: 'carol@example.org' },
    ],
    securityTeam: [ALICE, BOB, DAN],
    members: [{ userId: CAROL, role: 'fix-team' }],
    phases: [
      phase({
        name: 'fix-team-organised',
        label: 'Fix Team organised',
        dueAt: '2026-12-02T09:00:00.000Z',
        doneAt: '2026-12-01T15:00:00.000Z',
        status: 'met',
      }),
      phase({
        name: 'fix-developed',
        label: 'Fix developed',
        dueAt: '2026-12-08T09:00:00.000Z',
        doneAt: '2026-12-09T11:00:00.000Z',
        status: 'missed',
        hoursLate: 26,
      }),
    ],
    releases: [
      { line: '1.28', version: '1.28.3', url: 'https://example.org/releases/1.28.3', state: 'published' },
      { line: '1.27', version: null, url: null, state: 'planned' },
    ],
    runs: [
      {
        id: RUN_GREEN,
        branch: 'release-1.28',
        commitSha: SHA_A,
        state: 'passed',
        createdAt: '2026-12-01T09:10:00.000Z',
      },
      {
        id: RUN_RED,
        branch: 'main',
        commitSha: SHA_B,
        state: 'failed',
        createdAt: '2026-12-01T09:11:00.000Z',
      },
      {
        id: RUN_GREEN_AGAIN,
        branch: 'main',
        commitSha: SHA_C,
        state: 'passed',
        createdAt: '2026-12-02T09:00:00.000Z',
      },
    ],
    sections: EMPTY_SECTIONS,
    hideReporter: false,
    ...overrides,
  };
}

describe('the retrospective draft', () => {
  it('lists who took part with their roles and actions, the Fix Lead first', () => {
    const { participants } = buildRetrospectiveDraft(input());
    expect(participants).toEqual([
      { userId: BOB, name: 'Bob', roles: ['fix-lead', 'security-team'], actions: 6 },
      // Five events, the unknown action and the message to the reporter included.
      { userId: ALICE, name: 'Alice', roles: ['security-team'], actions: 5 },
      // No name on the account: the email stands in.
      { userId: CAROL, name: 'carol@example.org', roles: ['fix-team'], actions: 4 },
    ]);
    // Dan is on the team but did nothing on the case: not a participant.
    expect(participants.map((p) => p.userId)).not.toContain(DAN);
  });

  it('names a distributors-list person by what they did: the portal, an answer on the date', () => {
    const base = input();
    const ERIN = 'user-erin';
    const FRED = 'user-fred';
    const { participants } = buildRetrospectiveDraft({
      ...base,
      events: [
        ...base.events,
        event('portal.case_acknowledged', ERIN, { orgId: 'o1' }),
        event('disclosure_date.responded', FRED, {
          proposalId: 'p1',
          party: 'distributor',
          answer: 'object',
        }),
        event('disclosure_date.responded', ALICE, { proposalId: 'p1', party: 'reporter', answer: 'accept' }),
      ],
    });
    const rolesOf = (id: string) => participants.find((p) => p.userId === id)?.roles;
    expect(rolesOf(ERIN)).toEqual(['distributor']);
    expect(rolesOf(FRED)).toEqual(['distributor']);
    expect(rolesOf(ALICE)).toEqual(['security-team']);
  });

  it('names the reporter "The reporter", without their id, in the member view only', () => {
    const REPORTER = 'user-reporter';
    const withReporter = (hideReporter: boolean) => {
      const base = input();
      return buildRetrospectiveDraft({
        ...base,
        hideReporter,
        events: [
          ...base.events,
          event('case.member_invited', BOB, { userId: REPORTER, role: 'reporter', newAccount: true }),
          event('case.member_terms_accepted', REPORTER, {
            userId: REPORTER,
            role: 'reporter',
            termsHash: 'h',
          }),
        ],
        users: [...base.users, { id: REPORTER, name: 'Ada Lovelace', email: 'ada@example.net' }],
        members: [...base.members, { userId: REPORTER, role: 'reporter' }],
      });
    };
    const hidden = withReporter(true);
    const text = JSON.stringify(hidden);
    for (const s of [REPORTER, 'Ada', 'ada@example.net']) expect(text).not.toContain(s);
    expect(hidden.participants).toContainEqual({
      userId: null,
      name: 'The reporter',
      roles: ['reporter'],
      actions: 1,
    });
    expect(hidden.timeline.map((e) => e.what)).toContain('The reporter invited as the reporter by Bob');
    // Everyone else keeps their name; the team sees the reporter's.
    expect(hidden.participants.map((p) => p.name)).toContain('Bob');
    const shown = withReporter(false);
    expect(shown.participants).toContainEqual(
      expect.objectContaining({ userId: REPORTER, name: 'Ada Lovelace' }),
    );
    expect(shown.timeline.map((e) => e.what)).toContain('Ada Lovelace invited as the reporter by Bob');
  });

  it('names a removed account, and a former Fix Lead by the assignment', () => {
    const { participants } = buildRetrospectiveDraft(
      input({
        caseRow: { id: 'case-1', fix_lead_user_id: ALICE },
        users: [{ id: ALICE, name: 'Alice', email: 'alice@example.org' }],
      }),
    );
    expect(participants.find((p) => p.userId === BOB)).toEqual({
      userId: BOB,
      name: 'a removed account',
      roles: ['fix-lead', 'security-team'],
      actions: 6,
    });
    expect(participants[0]?.userId).toBe(ALICE);
  });

  it('tells the timeline in words, leaving out messages, claims and what it does not know', () => {
    const { timeline } = buildRetrospectiveDraft(input());
    expect(timeline.map((e) => e.what)).toEqual([
      'Report received',
      'Triage started by Alice',
      'Accepted by Alice',
      'Fix Lead: Bob (rotation)',
      'carol@example.org invited to the Fix Team by Bob',
      'carol@example.org accepted the embargo terms',
      'Fix started by Bob',
      'Pushed release-1.28, main by carol@example.org',
      'CI passed on release-1.28 at abc1234',
      'CI failed on main at fedcba9',
      'Release line 1.27 may ship without a green CI run by Bob',
      'Release 1.28.3 published',
      'Release on 1.27 planned by Bob',
      'Disclosure scheduled for 2026-12-10 15:00 UTC by Bob',
      'Published',
      "carol@example.org's access to the case ended",
      'Retrospective drafted',
      'Feedback by carol@example.org',
    ]);
    expect(timeline[0]).toEqual({
      at: '2026-12-01T09:01:00.000Z',
      action: 'case.received',
      what: 'Report received',
    });
    // Free-text reasons in the audit data (an override's reason) never reach the timeline.
    expect(JSON.stringify(timeline)).not.toContain('no CI there');
  });

  it('words a manual Fix Lead, a push by the system and a run it cannot find', () => {
    const { timeline } = buildRetrospectiveDraft(
      input({
        events: [
          event('case.fix_lead_assigned', ALICE, {
            userId: BOB,
            previousUserId: ALICE,
            method: 'manual',
            reason: 'away',
          }),
          event('case.repository_pushed', null, { refs: ['refs/heads/release-1.28'] }),
          event('ci.run_finished', null, { runId: 'gone', status: 'error', exitCode: null, durationMs: 1 }),
          event('case.closed', BOB, { from: 'published', to: 'closed' }),
        ],
      }),
    );
    expect(timeline.map((e) => e.what)).toEqual([
      'Fix Lead: Bob (chosen by Alice)',
      'Pushed release-1.28',
      'CI ended (error)',
      'Closed by Bob',
    ]);
  });

  it('shows each phase with its due and actual instants, met and missed', () => {
    const { phases } = buildRetrospectiveDraft(input());
    expect(phases).toEqual([
      {
        name: 'fix-team-organised',
        label: 'Fix Team organised',
        startedAt: '2026-12-01T09:00:00.000Z',
        dueAt: '2026-12-02T09:00:00.000Z',
        doneAt: '2026-12-01T15:00:00.000Z',
        status: 'met',
        hoursLate: 0,
      },
      {
        name: 'fix-developed',
        label: 'Fix developed',
        startedAt: '2026-12-01T09:00:00.000Z',
        dueAt: '2026-12-08T09:00:00.000Z',
        doneAt: '2026-12-09T11:00:00.000Z',
        status: 'missed',
        hoursLate: 26,
      },
    ]);
  });

  it('links what introduced the issue (the team wrote), the fix per branch (its last head) and the releases', () => {
    const { links } = buildRetrospectiveDraft(
      input({
        sections: {
          text: { introducedBy: 'The parser rewrite in 1.20.' },
          introducedByLinks: ['https://github.com/example/project/pull/42'],
        },
      }),
    );
    expect(links).toEqual({
      introducedBy: ['https://github.com/example/project/pull/42'],
      fixedBy: [
        { branch: 'main', commit: SHA_C, state: 'passed' },
        { branch: 'release-1.28', commit: SHA_A, state: 'passed' },
      ],
      releases: [
        { line: '1.27', version: null, url: null, state: 'planned' },
        { line: '1.28', version: '1.28.3', url: 'https://example.org/releases/1.28.3', state: 'published' },
      ],
    });
  });

  it('guides every empty section with questions, and drops them once written', () => {
    const empty = buildRetrospectiveDraft(input()).sections;
    expect(empty.map((s) => s.key)).toEqual(['wentWell', 'wentWrong', 'luck', 'actionItems', 'introducedBy']);
    for (const s of empty) {
      expect(s.text).toBe('');
      expect(s.questions).toEqual(SECTION_GUIDES[s.key].questions);
      expect(s.questions.length).toBeGreaterThan(0);
    }
    const written = buildRetrospectiveDraft(
      input({
        sections: { text: { wentWell: 'CI caught a regression.', luck: '   ' }, introducedByLinks: [] },
      }),
    ).sections;
    expect(written.find((s) => s.key === 'wentWell')).toEqual({
      key: 'wentWell',
      title: 'What went well',
      text: 'CI caught a regression.',
      questions: [],
    });
    // Whitespace is not an answer.
    expect(written.find((s) => s.key === 'luck')?.questions.length).toBeGreaterThan(0);
  });
});

describe('the disclosure date in the timeline', () => {
  const nameOf = (id: string) => (id === BOB ? 'Bob' : id);
  it('says when a date was proposed and decided, and what the decision overrode', () => {
    const at = '2026-12-04T11:00:00.000Z';
    expect(
      describeEvent(event('disclosure_date.proposed', BOB, { at, timeZone: 'UTC' }), nameOf, new Map()),
    ).toMatch(/^Disclosure date proposed for .*2026.* by Bob$/);
    expect(
      describeEvent(event('disclosure_date.decided', BOB, { at, overrides: ['friday'] }), nameOf, new Map()),
    ).toMatch(/^Disclosure date decided: .*2026.* \(over: friday\) by Bob$/);
    expect(
      describeEvent(event('disclosure_date.decided', BOB, { at, overrides: [] }), nameOf, new Map()),
    ).not.toContain('over');
  });
});
