/**
 * The inbox as an attacker sees it (issue 12 review): a member of project A learns nothing of
 * project B through the search, the filters, the counts or a cursor given out to someone else;
 * someone invited to one case of B searches that case alone; a bulk transition cannot point a
 * duplicate at B's case.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { reportInput } from '../../src/modules/cases/cases.schemas.js';
import { describeEachDb } from '../support/db.js';
import {
  acceptedCase,
  buildTestApp,
  createUser,
  OPERATOR,
  seedTeamMember,
  tokenClient,
  type Client,
  type TestApp,
} from '../support/app.js';

interface Page {
  cases: { id: string; humanId: string; title: string; project: { slug: string } }[];
  nextCursor: string | null;
  total: number;
  totalIsEstimate: boolean;
  heldCount: number;
}

describeEachDb('the inbox keeps projects apart', (get) => {
  let t: TestApp;
  /** Team of A only. */
  let onlyA: Client;
  /** Team of A and of B. */
  let both: Client;
  /** Team of B, who invites the engineer. */
  let teamB: Client;
  /** A Fix Team engineer invited to one case of B. */
  let engineer: Client;
  let invitedHumanId: string;
  const bIds: string[] = [];
  const aIds: string[] = [];

  async function file(slug: string, subject: string) {
    t.clock.set(new Date(t.clock.now().getTime() + 60_000));
    return t.services.intake.submitReport(slug, reportInput.parse({ subject, reproduction: 'Steps.' }), {
      channel: 'email',
    });
  }
  async function page(client: Client, url: string): Promise<Page> {
    const res = await client.request('GET', url);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Page;
  }

  beforeAll(async () => {
    t = await buildTestApp(get().db);
    t.clock.set('2026-12-01T10:00:00Z');
    await t.services.projects.createProject(OPERATOR, { slug: 'alpha', name: 'Alpha', preset: 'contour' });
    await t.services.projects.createProject(OPERATOR, { slug: 'beta', name: 'Beta', preset: 'contour' });
    const a = await createUser(t);
    const ab = await createUser(t);
    const b = await createUser(t);
    await seedTeamMember(t.db, 'alpha', a.email);
    await seedTeamMember(t.db, 'alpha', ab.email);
    await seedTeamMember(t.db, 'beta', ab.email);
    await seedTeamMember(t.db, 'beta', b.email);
    onlyA = await tokenClient(t, a.id);
    both = await tokenClient(t, ab.id);
    teamB = await tokenClient(t, b.id);
    for (let i = 0; i < 7; i++) aIds.push((await file('alpha', `Shared overflow in alpha ${i}`)).id);
    for (let i = 0; i < 9; i++) bIds.push((await file('beta', `Shared overflow secretword beta ${i}`)).id);
    invitedHumanId = await acceptedCase(t, 'beta', teamB, 'Invited secretword case of beta');
    const user = await createUser(t);
    const invited = await teamB.request('POST', `/api/v1/cases/${invitedHumanId}/members`, {
      email: user.email,
      role: 'fix-team',
    });
    expect(invited.statusCode, invited.body).toBe(201);
    const memberId = String((invited.json() as { memberId: string }).memberId);
    const e = await tokenClient(t, user.id);
    const list = (await e.request('GET', '/api/v1/me/invitations')).json() as {
      invitations: { memberId: string; terms: { hash: string } }[];
    };
    const termsHash = list.invitations.find((i) => i.memberId === memberId)?.terms.hash;
    const accepted = await e.request('POST', `/api/v1/me/invitations/${memberId}/accept`, { termsHash });
    expect(accepted.statusCode, accepted.body).toBeLessThan(300);
    engineer = await tokenClient(t, user.id);
  });
  afterAll(async () => {
    await t.app.close();
  });

  it("finds nothing of B's titles, nor counts them, for a member of A alone", async () => {
    const onlyB = await page(onlyA, '/api/v1/cases?q=secretword');
    expect(onlyB).toMatchObject({ cases: [], total: 0, nextCursor: null, totalIsEstimate: false });
    const shared = await page(onlyA, '/api/v1/cases?q=shared+overflow&limit=500');
    expect(shared.total).toBe(aIds.length);
    expect(shared.cases.map((c) => c.project.slug).every((s) => s === 'alpha')).toBe(true);
    // B's human id as the query: nothing either.
    const bCase = await page(both, '/api/v1/projects/beta/cases?q=secretword&limit=1');
    const byHumanId = await page(onlyA, `/api/v1/cases?q=${bCase.cases[0]?.humanId ?? 'X'}`);
    expect(byHumanId).toMatchObject({ cases: [], total: 0 });
    // And every filter's count is A's alone.
    for (const q of [
      '',
      'state=received',
      'clock=overdue',
      'channel=email',
      'severity=unscored',
      'sort=received',
    ]) {
      const mine = await page(onlyA, `/api/v1/cases?${q}&limit=500`);
      const asA = await page(both, `/api/v1/projects/alpha/cases?${q}&limit=500`);
      expect(mine.total, q).toBe(asA.total);
      expect(mine.heldCount, q).toBe(asA.heldCount);
    }
    expect((await onlyA.request('GET', '/api/v1/projects/beta/cases?q=secretword')).statusCode).toBe(404);
  });

  it("continues another user's cursor over the caller's own cases only", async () => {
    // The cursor of a member of A and B, after a case of B...
    const first = await page(both, '/api/v1/cases?q=overflow&limit=1&sort=received');
    expect(first.cases[0]?.project.slug).toBe('beta');
    expect(first.nextCursor).not.toBeNull();
    // ...used by a member of A alone: A's cases after that point, nothing of B.
    const next = await page(
      onlyA,
      `/api/v1/cases?q=overflow&limit=500&sort=received&cursor=${encodeURIComponent(first.nextCursor ?? '')}`,
    );
    expect(next.cases.every((c) => c.project.slug === 'alpha')).toBe(true);
    expect(next.total).toBe(aIds.length);
  });

  it('lets someone invited to one case find that case, and no other case of its project', async () => {
    const found = await page(engineer, '/api/v1/cases?q=secretword&limit=500');
    expect(found.cases.map((c) => c.humanId)).toEqual([invitedHumanId]);
    expect(found.total).toBe(1);
    expect(found.heldCount).toBe(0);
    const all = await page(engineer, '/api/v1/cases?limit=500');
    expect(all.cases.map((c) => c.humanId)).toEqual([invitedHumanId]);
    expect(all.total).toBe(1);
    expect((await engineer.request('GET', '/api/v1/projects/beta/cases')).statusCode).toBe(404);
    // A search of stop words only, or of words no title can hold: empty, for them as for a team.
    for (const q of ['the', 'x'.repeat(65), Array.from({ length: 70 }, (_, i) => `w${i}`).join(' ')]) {
      expect(await page(engineer, `/api/v1/cases?q=${encodeURIComponent(q)}`)).toMatchObject({
        cases: [],
        total: 0,
      });
      expect(await page(both, `/api/v1/cases?q=${encodeURIComponent(q)}`)).toMatchObject({
        cases: [],
        total: 0,
      });
    }
  });

  it("refuses a bulk duplicate of B's case for A's cases exactly as one of no case", async () => {
    const bCase = await page(both, '/api/v1/projects/beta/cases?q=secretword&limit=1');
    const foreign = bCase.cases[0]?.humanId ?? '';
    const nothing = 'ALP-2026-9999';
    const ids = aIds.slice(0, 2);
    const denied = await onlyA.request('POST', '/api/v1/cases/bulk-transitions', {
      ids,
      to: 'duplicate',
      duplicateOf: foreign,
    });
    const absent = await onlyA.request('POST', '/api/v1/cases/bulk-transitions', {
      ids,
      to: 'duplicate',
      duplicateOf: nothing,
    });
    expect(denied.statusCode).toBeGreaterThanOrEqual(400);
    expect(denied.statusCode).toBe(absent.statusCode);
    expect(denied.body.split(foreign).join('<ref>')).toBe(absent.body.split(nothing).join('<ref>'));
    const states = await t.db.kysely
      .selectFrom('cases')
      .select(['state', 'duplicate_of'])
      .where('id', 'in', ids)
      .execute();
    expect(states.every((s) => s.duplicate_of === null && s.state === 'received')).toBe(true);
  });
});
