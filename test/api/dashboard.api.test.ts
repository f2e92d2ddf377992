/**
 * The dashboard (issue 13, item 2): the caller's work across their projects in bounded lists, with
 * the clocks in each state; nothing of a project the caller is not on; the Fix Team engineer's
 * invited case; the admin on no team told so plainly; 401 without a session.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { reportInput } from '../../src/modules/cases/cases.schemas.js';
import type { Dashboard } from '../../src/modules/dashboard/dashboard.schemas.js';
import { describeEachDb } from '../support/db.js';
import {
  buildTestApp,
  createUser,
  OPERATOR,
  seedTeamMember,
  tokenClient,
  type Client,
  type TestApp,
} from '../support/app.js';

const NOW = '2026-12-03T10:00:00.000Z';
const hoursFromNow = (h: number) => new Date(Date.parse(NOW) + h * 3_600_000).toISOString();

describeEachDb('the dashboard', (get) => {
  let t: TestApp;
  let team: Client;
  let other: Client;
  let engineer: Client;
  let admin: Client;
  let nobody: Client;
  let teamUserId = '';
  const alpha: Record<string, { id: string; humanId: string }> = {};
  const k = () => get().db.kysely;

  async function file(slug: string, subject: string, patch: Record<string, unknown>) {
    const r = await t.services.intake.submitReport(
      slug,
      reportInput.parse({ subject, reproduction: 'Steps.' }),
      {
        channel: 'email',
      },
    );
    if (Object.keys(patch).length > 0)
      await k().updateTable('cases').set(patch).where('id', '=', r.id).execute();
    return { id: r.id, humanId: r.humanId };
  }
  async function dashboard(client: Client): Promise<{ body: string; json: Dashboard }> {
    const res = await client.request('GET', '/api/v1/me/dashboard');
    expect(res.statusCode, res.body).toBe(200);
    return { body: res.body, json: res.json() as Dashboard };
  }
  const humanIds = (l: { cases: { humanId: string }[] }) => l.cases.map((c) => c.humanId);

  beforeAll(async () => {
    t = await buildTestApp(get().db);
    await t.services.projects.createProject(OPERATOR, { slug: 'alpha', name: 'Alpha', preset: 'contour' });
    await t.services.projects.createProject(OPERATOR, { slug: 'beta', name: 'Beta', preset: 'emissary' });
    const m = await createUser(t);
    teamUserId = m.id;
    const o = await createUser(t);
    const e = await createUser(t);
    const a = await createUser(t, { isAdmin: true });
    const n = await createUser(t);
    await seedTeamMember(t.db, 'alpha', m.email);
    await seedTeamMember(t.db, 'beta', o.email);
    t.clock.set('2026-12-01T10:00:00Z');
    alpha.overdue = await file('alpha', 'Alpha overdue parser crash', {
      first_response_due_at: hoursFromNow(-3),
    });
    alpha.soon = await file('alpha', 'Alpha due soon header smuggling', {
      first_response_due_at: hoursFromNow(5),
    });
    alpha.later = await file('alpha', 'Alpha due later path traversal', {
      first_response_due_at: hoursFromNow(72),
    });
    alpha.paused = await file('alpha', 'Alpha paused timing leak', {
      clock_paused_at: '2026-12-02T10:00:00.000Z',
    });
    alpha.answered = await file('alpha', 'Alpha answered redirect', {
      first_responded_at: '2026-12-01T12:00:00.000Z',
    });
    alpha.fixing = await file('alpha', 'Alpha fixing deserialisation', {
      state: 'fixing',
      first_responded_at: '2026-12-01T12:00:00.000Z',
      fix_lead_user_id: m.id,
      disclosure_at: hoursFromNow(5 * 24),
    });
    alpha.farEmbargo = await file('alpha', 'Alpha far embargo', {
      state: 'disclosure-scheduled',
      first_responded_at: '2026-12-01T12:00:00.000Z',
      disclosure_at: hoursFromNow(30 * 24),
    });
    // Published (the embargo is over) and held as possibly a flood: on no list, in no count.
    alpha.published = await file('alpha', 'Alpha published long ago', {
      state: 'published',
      first_responded_at: '2026-12-01T12:00:00.000Z',
      disclosure_at: hoursFromNow(48),
    });
    alpha.held = await file('alpha', 'Alpha held flood', {
      first_response_due_at: hoursFromNow(-1),
      held_at: '2026-12-01T10:00:00.000Z',
      held_reason: 'project-quota',
    });
    // Beta: more overdue cases than a list holds, none of which Alpha's member may see.
    for (let i = 0; i < 23; i++) {
      await file('beta', `Beta secret overdue ${i}`, { first_response_due_at: hoursFromNow(-10 - i) });
    }
    // The engineer: on the Fix Team of Alpha's fixing case (terms accepted), on no team.
    await k()
      .insertInto('case_members')
      .values({
        id: crypto.randomUUID(),
        case_id: alpha.fixing.id,
        user_id: e.id,
        role: 'fix-team',
        invited_by: m.id,
        invited_at: '2026-12-02T10:00:00.000Z',
        terms_hash: 'a'.repeat(64),
        terms_accepted_at: '2026-12-02T11:00:00.000Z',
        ended_at: null,
        ended_reason: null,
        ended_note_enc: null,
      })
      .execute();
    t.clock.set(NOW);
    team = await tokenClient(t, m.id);
    other = await tokenClient(t, o.id);
    engineer = await tokenClient(t, e.id);
    admin = await tokenClient(t, a.id);
    nobody = await tokenClient(t, n.id);
  });
  afterAll(async () => {
    await t.app.close();
  });

  it('lists the team member’s cases by clock, their fix work, embargoes ending soon and counts per project', async () => {
    const { json, body } = await dashboard(team);
    expect(json.role).toBe('team');
    expect(json.message).toBeNull();
    expect(humanIds(json.overdue)).toEqual([alpha.overdue?.humanId]);
    expect(json.overdue.cases[0]).toMatchObject({
      title: 'Alpha overdue parser crash',
      project: { slug: 'alpha', name: 'Alpha' },
      clock: { status: 'overdue', dueAt: hoursFromNow(-3), hoursLate: 3 },
    });
    expect(json.overdue).toMatchObject({
      total: 1,
      totalIsEstimate: false,
      inboxPath: '/cases?clock=overdue',
    });
    expect(humanIds(json.dueSoon)).toEqual([alpha.soon?.humanId]);
    expect(json.dueSoon.cases[0]?.clock).toMatchObject({ status: 'running', dueAt: hoursFromNow(5) });
    expect(json.dueSoon.inboxPath).toBe('/cases?clock=due-24h');
    // The rest of the unanswered: due later first, then paused; never the answered one.
    expect(humanIds(json.waiting)).toEqual([alpha.later?.humanId, alpha.paused?.humanId]);
    expect(json.waiting.cases.map((c) => c.clock.status)).toEqual(['running', 'paused']);
    expect(json.fixWork.cases.map((c) => [c.humanId, c.yourRole])).toEqual([
      [alpha.fixing?.humanId, 'fix-lead'],
    ]);
    expect(json.embargoes).toMatchObject({ days: 14, total: 1 });
    expect(json.embargoes.cases).toEqual([
      {
        id: alpha.fixing?.id,
        humanId: alpha.fixing?.humanId,
        project: { slug: 'alpha', name: 'Alpha' },
        state: 'fixing',
        title: 'Alpha fixing deserialisation',
        disclosureAt: hoursFromNow(120),
      },
    ]);
    expect(json.projects).toEqual([
      { slug: 'alpha', name: 'Alpha', unanswered: 4, overdue: 1, dueWithin24h: 1 },
    ]);
    expect(body).not.toContain('Beta');
    expect(body).not.toContain(alpha.answered?.humanId);
    expect(body).not.toContain(alpha.published?.humanId);
    expect(body).not.toContain(alpha.held?.humanId);
  });

  it('bounds each list and counts the rest, and shows nothing of another project', async () => {
    const { json, body } = await dashboard(other);
    expect(json.overdue.cases).toHaveLength(20);
    expect(json.overdue.total).toBe(23);
    expect(json.overdue.cases[0]?.title).toBe('Beta secret overdue 22'); // most overdue first
    expect(json.projects).toEqual([
      { slug: 'beta', name: 'Beta', unanswered: 23, overdue: 23, dueWithin24h: 0 },
    ]);
    expect(body).not.toContain('Alpha');
    expect(json.fixWork.cases).toEqual([]);
    expect(json.embargoes.cases).toEqual([]);
  });

  it('shows the Fix Team engineer the invited case and its embargo, nothing else of the project', async () => {
    const { json, body } = await dashboard(engineer);
    expect(json.role).toBe('team');
    expect(json.fixWork.cases.map((c) => [c.humanId, c.yourRole])).toEqual([
      [alpha.fixing?.humanId, 'fix-team'],
    ]);
    expect(humanIds(json.embargoes)).toEqual([alpha.fixing?.humanId]);
    expect(json.overdue.cases).toEqual([]);
    expect(json.waiting.cases).toEqual([]);
    expect(json.projects).toEqual([]);
    expect(body).not.toContain('Alpha overdue');
    expect(body).not.toContain('Beta');
  });

  it('counts a case once when one is both its Fix Lead and on its Fix Team', async () => {
    await k()
      .insertInto('case_members')
      .values({
        id: crypto.randomUUID(),
        case_id: alpha.fixing?.id ?? '',
        user_id: teamUserId,
        role: 'fix-team',
        invited_by: teamUserId,
        invited_at: '2026-12-02T10:00:00.000Z',
        terms_hash: 'b'.repeat(64),
        terms_accepted_at: '2026-12-02T11:00:00.000Z',
        ended_at: null,
        ended_reason: null,
        ended_note_enc: null,
      })
      .execute();
    const { json } = await dashboard(team);
    expect(json.fixWork.cases.map((c) => [c.humanId, c.yourRole])).toEqual([
      [alpha.fixing?.humanId, 'fix-lead'],
    ]);
    expect(json.fixWork).toMatchObject({ total: 1, totalIsEstimate: false });
  });

  it('tells an admin on no team that admins do not read cases, not that there are none', async () => {
    const { json, body } = await dashboard(admin);
    expect(json.role).toBe('admin-only');
    expect(json.message).toBe("You are on no project's security team; admins do not read cases.");
    expect(json.overdue.cases).toEqual([]);
    expect(json.projects).toEqual([]);
    expect(body).not.toContain('Alpha');
    expect(body).not.toContain('Beta');
  });

  it('tells someone on no team and in no case how to get access', async () => {
    const { json } = await dashboard(nobody);
    expect(json.role).toBe('no-access');
    expect(json.message).toMatch(/Ask a project's security team or an admin/);
  });

  it('answers 401 without a session', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/me/dashboard' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });
});
