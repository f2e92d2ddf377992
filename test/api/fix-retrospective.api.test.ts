/**
 * The retrospective (PROCESS.md §9) through the API, on both databases: drafted when the case is
 * published, read and added to by everyone who took part (a Fix Team engineer whose access ended
 * too), written by the team, closed with the case in one transaction, and encrypted at rest.
 *
 * How a case reaches `published` here: it is filed and accepted through the API (the Fix Lead comes
 * by rotation) and moved to `fixing` through the API; its fix-phase facts (instants, CI runs,
 * releases, with the audit events the fix modules write) are then set directly in the database,
 * and it is published through the real workflow engine and the real lifecycle, whose
 * `fixInEveryLine` and `releasesPublished` guards alone are answered "met" (they belong to the CI
 * and release modules, tested there). Publication's `entered()` drafts the retrospective.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { appendAuditEvent } from '../../src/audit/audit.log.js';
import type { Db } from '../../src/db/connection.js';
import { createKeyring } from '../../src/lib/crypto/keyring.js';
import { fieldAad } from '../../src/lib/crypto/encrypted-fields.js';
import { newId, newSortableId } from '../../src/lib/ids.js';
import { loadPrincipal } from '../../src/modules/accounts/user-view.js';
import { MAX_FEEDBACK } from '../../src/modules/fix/retrospective/retrospective.repo.js';
import { createRetrospectiveService } from '../../src/modules/fix/retrospective/retrospective.service.js';
import { createCaseLifecycle } from '../../src/modules/fix/case-lifecycle.js';
import { draftRetrospective } from '../../src/modules/fix/retrospective/retrospective.steps.js';
import { projectContextById } from '../../src/modules/cases/case-context.js';
import { caseCrypto } from '../../src/modules/cases/case-view.js';
import { applyTransition } from '../../src/modules/cases/case-workflow.js';
import { findCaseByHumanId, type CaseRow } from '../../src/modules/cases/cases.repo.js';
import { describeEachDb } from '../support/db.js';
import {
  acceptedCase,
  buildTestApp,
  createUser,
  projectWithTeam,
  tokenClient,
  uniqueEmail,
  type Client,
  type TestApp,
} from '../support/app.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SHA_GREEN = 'abc1234def5678abc1234def5678abc1234def56';
const SHA_RED = 'fedcba9876543210fedcba9876543210fedcba98';
const SYSTEM = { type: 'system', id: 'test' } as const;

describeEachDb('the retrospective API', (get) => {
  const cipher = createKeyring({ current: randomBytes(32) });
  let t: TestApp;
  let db: Db;
  let team: Client;
  let noRetroTeam: Client;
  let lead: { id: string; email: string };
  let outsider: Client;
  let former: Client;
  let formerUser: { id: string; email: string };

  beforeAll(async () => {
    db = get().db;
    t = await buildTestApp(db, cipher);
    ({ team, member: lead } = await projectWithTeam(t, 'retro', { preset: 'emissary' }));
    ({ team: noRetroTeam } = await projectWithTeam(t, 'no-retro', { preset: 'k8spolicy' }));
    outsider = await tokenClient(t, (await createUser(t)).id);
    formerUser = await createUser(t);
    former = await tokenClient(t, formerUser.id);
  });
  afterAll(async () => {
    await t.app.close();
  });

  const caseOf = async (humanId: string): Promise<CaseRow> => {
    const c = await findCaseByHumanId(db.kysely, humanId);
    if (!c) throw new Error(`no case ${humanId}`);
    return c;
  };
  const url = (humanId: string, tail = '') => `/api/v1/cases/${humanId}/retrospective${tail}`;
  const auditOf = async (caseId: string) =>
    db.kysely
      .selectFrom('audit_events')
      .select(['action', 'actor_type', 'actor_id', 'data_json'])
      .where('subject_id', '=', caseId)
      .orderBy('seq')
      .execute();

  /**
   * A case of `slug` accepted at T0 and in `fixing`, with its fix phase recorded as the fix modules
   * would (Fix Team organised after 2 hours: met; fix ready after 8 days: missed against 7; a
   * green run on release-1.28 and a red one on main; 1.28.3 published), then published at T0 + 9 days.
   */
  async function publishedCase(
    slug: string,
    client: Client,
    opts: { invite?: boolean; reporter?: { id: string } } = {},
  ) {
    const t0 = t.clock.now().getTime();
    const humanId = await acceptedCase(t, slug, client, 'Heap overflow in the retrospective test');
    const moved = await client.request('POST', `/api/v1/cases/${humanId}/transitions`, { to: 'fixing' });
    expect(moved.statusCode, moved.body).toBe(200);
    const c = await caseOf(humanId);
    const at = (ms: number) => new Date(t0 + ms).toISOString();
    const greenRun = newId();
    const redRun = newId();
    await db.kysely.transaction().execute(async (trx) => {
      const audit = (action: Parameters<typeof appendAuditEvent>[2]) =>
        appendAuditEvent(trx, t.clock, action);
      const subject = { type: 'case', id: c.id };
      if (opts.invite) {
        // An engineer of the Fix Team who accepted the terms; their access ended at publication.
        await trx
          .insertInto('case_members')
          .values({
            id: newId(),
            case_id: c.id,
            user_id: formerUser.id,
            role: 'fix-team',
            invited_by: lead.id,
            invited_at: at(HOUR),
            terms_hash: 'a'.repeat(64),
            terms_accepted_at: at(HOUR),
            ended_at: at(9 * DAY),
            ended_reason: 'published',
          })
          .execute();
        await audit({
          actor: { type: 'user', id: lead.id },
          action: 'case.member_invited',
          subject,
          projectId: c.project_id,
          data: { userId: formerUser.id, role: 'fix-team', newAccount: false },
        });
      }
      if (opts.reporter) {
        // The reporter, invited as such; their access ended at publication too.
        await trx
          .insertInto('case_members')
          .values({
            id: newId(),
            case_id: c.id,
            user_id: opts.reporter.id,
            role: 'reporter',
            invited_by: lead.id,
            invited_at: at(HOUR),
            terms_hash: 'a'.repeat(64),
            terms_accepted_at: at(HOUR),
            ended_at: at(9 * DAY),
            ended_reason: 'published',
          })
          .execute();
        await audit({
          actor: { type: 'user', id: lead.id },
          action: 'case.member_invited',
          subject,
          projectId: c.project_id,
          data: { userId: opts.reporter.id, role: 'reporter', newAccount: true },
        });
      }
      for (const [id, branch, sha, state] of [
        [greenRun, 'release-1.28', SHA_GREEN, 'passed'],
        [redRun, 'main', SHA_RED, 'failed'],
      ] as const) {
        await trx
          .insertInto('ci_runs')
          .values({
            id,
            case_id: c.id,
            branch,
            commit_sha: sha,
            state,
            runner_id: null,
            lease_until: null,
            attempts: 1,
            exit_code: state === 'passed' ? 0 : 1,
            timed_out: 0,
            log_enc: null,
            created_at: at(5 * DAY),
            started_at: at(5 * DAY),
            finished_at: at(5 * DAY + HOUR),
          })
          .execute();
        await audit({
          actor: SYSTEM,
          action: 'ci.run_finished',
          subject: { type: 'ci_run', id },
          projectId: c.project_id,
          data: { runId: id, status: state, exitCode: state === 'passed' ? 0 : 1, durationMs: 1000 },
        });
      }
      await trx
        .insertInto('case_releases')
        .values({
          id: newId(),
          case_id: c.id,
          line: '1.28',
          version: '1.28.3',
          planned_at: null,
          state: 'published',
          url: 'https://example.org/releases/1.28.3',
          override_reason_enc: null,
          override_by: null,
          override_at: null,
          updated_at: at(9 * DAY),
        })
        .execute();
      await audit({
        actor: SYSTEM,
        action: 'case.release_recorded',
        subject,
        projectId: c.project_id,
        data: { line: '1.28', version: '1.28.3', state: 'published' },
      });
      await trx
        .updateTable('cases')
        .set({
          state: 'disclosure-scheduled',
          team_organised_at: at(2 * HOUR),
          users_told_at: at(3 * DAY),
          fix_ready_at: at(8 * DAY),
          disclosure_at: at(9 * DAY),
        })
        .where('id', '=', c.id)
        .execute();
    });
    t.clock.set(new Date(t0 + 9 * DAY));
    await publishThroughEngine(humanId);
    return { humanId, caseId: c.id };
  }

  /** `disclosure-scheduled -> published` through the engine, the release and CI guards answered "met". */
  async function publishThroughEngine(humanId: string) {
    const c = await caseOf(humanId);
    const { policy } = await projectContextById(db.kysely, c.project_id);
    const real = createCaseLifecycle({ clock: t.clock, cipher });
    await db.kysely.transaction().execute(async (trx) => {
      await applyTransition(
        trx,
        { clock: t.clock, crypto: caseCrypto(cipher), lifecycle: { ...real, unmetGuards: async () => [] } },
        c,
        policy,
        { kind: 'system', audit: SYSTEM, userId: null },
        { to: 'published' },
      );
    });
  }

  it('has none before publication, and takes no feedback, edit or close', async () => {
    const humanId = await acceptedCase(t, 'retro', team, 'Not yet published');
    const res = await team.request('GET', url(humanId));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      humanId,
      state: 'none',
      message: `The retrospective of case ${humanId} is drafted when the case is published.`,
      participants: [],
      timeline: [],
      feedback: [],
    });
    for (const [method, tail, body] of [
      ['POST', '/feedback', { body: 'Too early.' }],
      ['PUT', '', { sections: { wentWell: 'Too early.' } }],
      ['POST', '/close', undefined],
    ] as const) {
      const refused = await team.request(method, url(humanId, tail), body);
      expect(refused.statusCode, refused.body).toBe(409);
      expect(refused.json().detail).toContain('has no retrospective yet');
    }
    expect(await db.kysely.selectFrom('retrospectives').select('case_id').execute()).toEqual([]);
  });

  let published: { humanId: string; caseId: string };

  it('is drafted at publication from the audit log: who, the timeline, the phases met and missed, the links', async () => {
    published = await publishedCase('retro', team, { invite: true });
    const { humanId, caseId } = published;
    const res = await team.request('GET', url(humanId));
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r).toMatchObject({
      state: 'draft',
      blameless: true,
      message: null,
      closedAt: null,
      closedBy: null,
    });
    expect(r.draftedAt).toBe(t.clock.now().toISOString());
    const leadName = lead.email.split('@')[0];
    const formerName = formerUser.email.split('@')[0];
    expect(r.participants).toEqual([
      // Accepted (and so chose the Fix Lead by rotation and created the fix repository), moved to fixing, invited the engineer.
      { userId: lead.id, name: leadName, roles: ['fix-lead', 'security-team'], actions: 5 },
      { userId: formerUser.id, name: formerName, roles: ['fix-team'], actions: 0 },
    ]);
    const what = (r.timeline as { what: string }[]).map((e) => e.what);
    expect(what).toEqual([
      'Report received',
      `Accepted by ${leadName}`,
      `Fix Lead: ${leadName} (rotation)`,
      `Fix repository created by ${leadName}`,
      `Fix started by ${leadName}`,
      `${formerName} invited to the Fix Team by ${leadName}`,
      'CI passed on release-1.28 at abc1234',
      'CI failed on main at fedcba9',
      'Release 1.28.3 published',
      'Published',
      'Fix repository made read-only',
      'Retrospective drafted',
    ]);
    const phases = Object.fromEntries((r.phases as { name: string }[]).map((p) => [p.name, p]));
    expect(phases['fix-team-organised']).toMatchObject({ status: 'met' });
    expect(phases['fix-developed']).toMatchObject({ status: 'missed', hoursLate: 24 });
    expect(phases.release).toMatchObject({ status: 'met' });
    expect(phases.retrospective).toMatchObject({ status: 'running', startedAt: r.draftedAt });
    expect(r.links).toEqual({
      introducedBy: [],
      fixedBy: [
        { branch: 'main', commit: SHA_RED, state: 'failed' },
        { branch: 'release-1.28', commit: SHA_GREEN, state: 'passed' },
      ],
      releases: [
        { line: '1.28', version: '1.28.3', url: 'https://example.org/releases/1.28.3', state: 'published' },
      ],
    });
    expect(r.sections.map((s: { key: string }) => s.key)).toEqual([
      'wentWell',
      'wentWrong',
      'luck',
      'actionItems',
      'introducedBy',
    ]);
    expect(r.sections.every((s: { questions: string[] }) => s.questions.length > 0)).toBe(true);
    expect(r.abilities).toEqual({ 'case.retrospective.feedback': true, 'case.retrospective.manage': true });

    // Drafting again (a replayed publication) changes nothing.
    const c = await caseOf(humanId);
    const { policy } = await projectContextById(db.kysely, c.project_id);
    const again = await db.kysely
      .transaction()
      .execute((trx) => draftRetrospective(trx, t.clock, c, policy, SYSTEM));
    expect(again).toBe(false);
    const drafted = (await auditOf(caseId)).filter((e) => e.action === 'retrospective.drafted');
    expect(drafted).toEqual([
      {
        action: 'retrospective.drafted',
        actor_type: 'system',
        actor_id: 'test',
        data_json: JSON.stringify({ caseId }),
      },
    ]);
  });

  it('lets the team write the sections as plain text, encrypted, the audit naming sections only', async () => {
    const { humanId, caseId } = published;
    const words = '<b>Review</b> caught it & CI ran on every line';
    const res = await team.request('PUT', url(humanId), {
      sections: { wentWell: words, introducedByLinks: ['https://github.com/example/project/pull/42'] },
    });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.sections.find((s: { key: string }) => s.key === 'wentWell')).toMatchObject({
      text: words,
      questions: [],
    });
    expect(r.links.introducedBy).toEqual(['https://github.com/example/project/pull/42']);
    // A second write keeps what it does not name.
    const second = await team.request('PUT', url(humanId), { sections: { actionItems: 'Fuzz the parser.' } });
    expect(second.json().sections.find((s: { key: string }) => s.key === 'wentWell').text).toBe(words);

    const updates = (await auditOf(caseId)).filter((e) => e.action === 'retrospective.updated');
    expect(updates.map((e) => JSON.parse(e.data_json))).toEqual([
      { caseId, sections: ['wentWell', 'introducedByLinks'] },
      { caseId, sections: ['actionItems'] },
    ]);
    const row = await db.kysely
      .selectFrom('retrospectives')
      .select('sections_enc')
      .where('case_id', '=', caseId)
      .executeTakeFirstOrThrow();
    expect(row.sections_enc).toMatch(/^v1\./);
    expect(row.sections_enc).not.toContain('Review');
    expect(row.sections_enc).not.toContain('github.com');

    for (const bad of [
      { sections: { introducedByLinks: ['javascript:alert(1)'] } },
      { sections: { notASection: 'x' } },
      { sections: { wentWrong: 'x'.repeat(20_001) } },
      { sections: { luck: 'nul \0 byte' } },
    ]) {
      const refused = await team.request('PUT', url(humanId), bad);
      expect(refused.statusCode, JSON.stringify(bad).slice(0, 80)).toBe(400);
    }
    // Only the security team writes the sections.
    expect((await former.request('PUT', url(humanId), { sections: { luck: 'x' } })).statusCode).toBe(404);
  });

  it('takes feedback from the team and from an engineer whose access ended; an outsider sees nothing', async () => {
    const { humanId, caseId } = published;
    const fromTeam = await team.request('POST', url(humanId, '/feedback'), {
      body: 'The rotation worked well.',
    });
    expect(fromTeam.statusCode, fromTeam.body).toBe(201);
    const secret = `The staging cluster was reachable ${randomBytes(4).toString('hex')}`;
    const fromFormer = await former.request('POST', url(humanId, '/feedback'), { body: secret });
    expect(fromFormer.statusCode, fromFormer.body).toBe(201);
    expect(fromFormer.json()).toMatchObject({
      author: { userId: formerUser.id, name: formerUser.email.split('@')[0] },
      body: secret,
    });

    // The engineer whose access ended reads the retrospective, but the case no more.
    const read = await former.request('GET', url(humanId));
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json().feedback.map((f: { body: string }) => f.body)).toEqual([
      'The rotation worked well.',
      secret,
    ]);
    expect(read.json().abilities).toEqual({
      'case.retrospective.feedback': true,
      'case.retrospective.manage': false,
    });
    expect((await former.request('GET', `/api/v1/cases/${humanId}`)).statusCode).toBe(404);
    expect(read.json().timeline.map((e: { what: string }) => e.what)).toContain(
      `Feedback by ${formerUser.email.split('@')[0]}`,
    );

    for (const [method, tail, body] of [
      ['GET', '', undefined],
      ['POST', '/feedback', { body: 'From outside.' }],
      ['PUT', '', { sections: { luck: 'From outside.' } }],
      ['POST', '/close', undefined],
    ] as const) {
      const res = await outsider.request(method, url(humanId, tail), body);
      expect(res.statusCode, `${method} ${tail}`).toBe(404);
      expect(res.json().code).toBe('not_found');
    }

    const tooLong = await team.request('POST', url(humanId, '/feedback'), { body: 'é'.repeat(10_241) });
    expect(tooLong.statusCode).toBe(400);
    expect((await team.request('POST', url(humanId, '/feedback'), { body: '   ' })).statusCode).toBe(400);

    const rows = await db.kysely
      .selectFrom('retrospective_feedback')
      .select(['author_user_id', 'body_enc'])
      .where('case_id', '=', caseId)
      .execute();
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row.body_enc).toMatch(/^v1\./);
    expect(JSON.stringify(rows)).not.toContain('staging cluster');
    const added = (await auditOf(caseId)).filter((e) => e.action === 'retrospective.feedback_added');
    expect(added).toHaveLength(2);
    expect(added.map((e) => e.data_json).join()).not.toContain('staging');
  });

  it('keeps the case open while the retrospective is; closing it closes the case, in one transaction', async () => {
    const { humanId, caseId } = published;
    const blocked = await team.request('POST', `/api/v1/cases/${humanId}/transitions`, { to: 'closed' });
    expect(blocked.statusCode, blocked.body).toBe(409);
    expect(blocked.json()).toMatchObject({ code: 'transition_blocked' });
    expect(blocked.json().detail).toContain('retrospective is still open');
    expect((await former.request('POST', url(humanId, '/close'))).statusCode).toBe(404);

    // A case that cannot move (here: no longer published) leaves the retrospective open too.
    await db.kysely
      .updateTable('cases')
      .set({ state: 'disclosure-scheduled' })
      .where('id', '=', caseId)
      .execute();
    const refused = await team.request('POST', url(humanId, '/close'));
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().code).toBe('invalid_transition');
    expect((await team.request('GET', url(humanId))).json().state).toBe('draft');
    await db.kysely.updateTable('cases').set({ state: 'published' }).where('id', '=', caseId).execute();

    t.clock.advance(2 * DAY);
    const closed = await team.request('POST', url(humanId, '/close'));
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toEqual({
      state: 'closed',
      closedAt: t.clock.now().toISOString(),
      caseState: 'closed',
    });
    expect((await caseOf(humanId)).state).toBe('closed');
    const tail = (await auditOf(caseId)).slice(-2);
    expect(tail.map((e) => [e.action, e.actor_id])).toEqual([
      ['retrospective.closed', lead.id],
      ['case.closed', lead.id],
    ]);

    const r = (await team.request('GET', url(humanId))).json();
    expect(r).toMatchObject({
      state: 'closed',
      closedAt: t.clock.now().toISOString(),
      closedBy: { userId: lead.id, name: lead.email.split('@')[0] },
    });
    const phases = Object.fromEntries((r.phases as { name: string }[]).map((p) => [p.name, p]));
    expect(phases.retrospective).toMatchObject({ status: 'met', doneAt: t.clock.now().toISOString() });

    for (const [client, method, tail, body] of [
      [team, 'PUT', '', { sections: { luck: 'Late.' } }],
      [team, 'POST', '/feedback', { body: 'Late.' }],
      [former, 'POST', '/feedback', { body: 'Late.' }],
      [team, 'POST', '/close', undefined],
    ] as const) {
      const res = await client.request(method, url(humanId, tail), body);
      expect(res.statusCode, `${method} ${tail}`).toBe(409);
      expect(res.json().detail).toContain('is closed');
    }
  });

  it('holds none when the policy has no retrospective: the case closes by its transition', async () => {
    const { humanId } = await publishedCase('no-retro', noRetroTeam);
    const r = (await noRetroTeam.request('GET', url(humanId))).json();
    expect(r).toMatchObject({ state: 'none', message: "This project's policy holds no retrospective." });
    expect((await noRetroTeam.request('POST', url(humanId, '/feedback'), { body: 'x' })).statusCode).toBe(
      409,
    );
    const closed = await noRetroTeam.request('POST', `/api/v1/cases/${humanId}/transitions`, {
      to: 'closed',
    });
    expect(closed.statusCode, closed.body).toBe(200);
    expect((await caseOf(humanId)).state).toBe('closed');
  });

  it('names the reporter "The reporter" to the members, and by name to the team', async () => {
    const reporterUser = await createUser(t, { email: uniqueEmail('marker-reporter') });
    const reporter = await tokenClient(t, reporterUser.id);
    const { humanId } = await publishedCase('retro', team, { invite: true, reporter: reporterUser });
    const said = await reporter.request('POST', url(humanId, '/feedback'), { body: 'Thanks for the fix.' });
    expect(said.statusCode, said.body).toBe(201);
    const reporterName = reporterUser.email.split('@')[0] as string;

    const asFormer = await former.request('GET', url(humanId));
    expect(asFormer.statusCode, asFormer.body).toBe(200);
    for (const s of [reporterUser.id, reporterUser.email, reporterName])
      expect(asFormer.body).not.toContain(s);
    const view = asFormer.json() as {
      participants: { userId: string | null; name: string; roles: string[] }[];
      timeline: { what: string }[];
      feedback: { author: { userId: string | null; name: string } }[];
    };
    expect(view.participants).toContainEqual(
      expect.objectContaining({ userId: null, name: 'The reporter', roles: ['reporter'] }),
    );
    expect(view.participants).toContainEqual(expect.objectContaining({ userId: formerUser.id }));
    expect(view.timeline.map((e) => e.what)).toContain(
      `The reporter invited as the reporter by ${lead.email.split('@')[0]}`,
    );
    expect(view.feedback.map((f) => f.author)).toContainEqual({ userId: null, name: 'The reporter' });

    const asTeam = await team.request('GET', url(humanId));
    expect(asTeam.statusCode, asTeam.body).toBe(200);
    expect(asTeam.json().participants).toContainEqual(
      expect.objectContaining({ userId: reporterUser.id, name: reporterName, roles: ['reporter'] }),
    );
    expect(asTeam.json().feedback.map((f: { author: unknown }) => f.author)).toContainEqual({
      userId: reporterUser.id,
      name: reporterName,
    });
  });

  it('keeps the newest events when the timeline is full, and says older ones were left out', async () => {
    const { humanId } = published;
    const principal = await loadPrincipal(db.kysely, lead.id);
    if (!principal) throw new Error('no principal');
    const whole = await createRetrospectiveService({ db, clock: t.clock, cipher }).getRetrospective(
      principal,
      humanId,
    );
    expect(whole.timelineTruncated).toBe(false);
    const short = await createRetrospectiveService({
      db,
      clock: t.clock,
      cipher,
      maxTimelineEvents: 3,
    }).getRetrospective(principal, humanId);
    expect(short.timelineTruncated).toBe(true);
    // The end of the story is kept: publication and what followed, never the first events.
    const actions = short.timeline.map((e) => e.action);
    expect(actions).toEqual(whole.timeline.map((e) => e.action).slice(-actions.length));
    expect(actions).not.toContain('case.received');
    expect(whole.timeline.map((e) => e.action)).toContain('case.received');
    expect((await team.request('GET', url(humanId))).json().timelineTruncated).toBe(false);
  });

  it('refuses feedback past the most a retrospective takes, hiding none', async () => {
    const { humanId, caseId } = await publishedCase('retro', team);
    await db.kysely.transaction().execute(async (trx) => {
      for (let i = 0; i < MAX_FEEDBACK; i++) {
        const id = newSortableId();
        await trx
          .insertInto('retrospective_feedback')
          .values({
            id,
            case_id: caseId,
            author_user_id: lead.id,
            author_name: 'Lead',
            body_enc: cipher.encryptField(
              `Feedback ${i}`,
              fieldAad('retrospective_feedback', 'body_enc', id),
            ),
            created_at: t.clock.now().toISOString(),
          })
          .execute();
      }
    });
    const refused = await team.request('POST', url(humanId, '/feedback'), { body: 'One more.' });
    expect(refused.statusCode, refused.body).toBe(409);
    const read = await team.request('GET', url(humanId));
    expect(read.json().feedback).toHaveLength(MAX_FEEDBACK);
    expect(read.body).not.toContain('One more.');
  });
});
