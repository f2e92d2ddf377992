/**
 * Bulk triage for floods (issue 12, item 3): `POST /api/v1/cases/bulk-transitions` moves many cases
 * with one transition, each exactly as the single transition route moves it (its audit event, its
 * reporter mail, a held report's hold ended), all or nothing. A flood of 300 reports (a third of
 * them held as possibly a flood) is filed through the intake service with the address limit lifted,
 * as held-intake.api.test.ts files one through the route.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/audit/audit.log.js';
import type { Db } from '../../src/db/connection.js';
import { MAX_BULK_TRANSITION_CASES, reportInput } from '../../src/modules/cases/cases.schemas.js';
import { getPresetYaml } from '../../src/modules/policy/policy.presets.js';
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

const URL = '/api/v1/cases/bulk-transitions';
const REJECTION = {
  to: 'rejected',
  reasonCategory: 'not-a-vulnerability',
  reason: 'This report describes no vulnerability of the project; closed with the rest of the flood.',
};

/** The contour preset with a project quota of `perProject` an hour and no practical address limit. */
function floodPolicy(perProject: number): string {
  return getPresetYaml('contour').replace(
    /^ {2}redirectNonSecurityBugs: true$/m,
    [
      '  redirectNonSecurityBugs: true',
      '  rateLimits:',
      '    perAddress: { count: 1000000, windowSeconds: 3600 }',
      `    perProject: { count: ${perProject}, windowSeconds: 3600 }`,
    ].join('\n'),
  );
}

type Filed = { id: string; humanId: string; held: boolean };

/** What a refused or denied bulk call must leave as it was: states, holds, audit, jobs, messages. */
async function snapshot(db: Db): Promise<string> {
  const k = db.kysely;
  const [cases, audit, jobs, messages] = await Promise.all([
    k
      .selectFrom('cases')
      .select(['id', 'state', 'held_at', 'duplicate_of', 'updated_at', 'first_responded_at'])
      .orderBy('id')
      .execute(),
    k
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
    k
      .selectFrom('jobs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
    k
      .selectFrom('case_messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return JSON.stringify({
    cases,
    audit: Number(audit.n),
    jobs: Number(jobs.n),
    messages: Number(messages.n),
  });
}

describeEachDb('bulk transitions', (get) => {
  let t: TestApp;
  let team: Client;
  let otherTeam: Client;
  let address = 0;

  beforeAll(async () => {
    t = await buildTestApp(get().db);
    // A quota of 200 an hour: a flood's first 200 reports reach the team, the rest are held.
    await t.services.projects.createProject(OPERATOR, {
      slug: 'flood',
      name: 'Flood',
      policyYaml: floodPolicy(200),
    });
    await t.services.projects.createProject(OPERATOR, {
      slug: 'dupes',
      name: 'Dupes',
      policyYaml: floodPolicy(100_000),
    });
    await t.services.projects.createProject(OPERATOR, { slug: 'other', name: 'Other', preset: 'contour' });
    const member = await createUser(t);
    const outsider = await createUser(t);
    for (const slug of ['flood', 'dupes']) await seedTeamMember(t.db, slug, member.email);
    await seedTeamMember(t.db, 'other', outsider.email);
    team = await tokenClient(t, member.id);
    otherTeam = await tokenClient(t, outsider.id);
  });
  afterAll(async () => {
    await t.app.close();
  });

  /**
   * `n` reports filed to `slug` through the intake service, each from its own address, with a
   * reporter address. One at a time (which of them are held depends on the order): the tests that
   * file hundreds get two minutes, for a loaded machine.
   */
  async function flood(slug: string, n: number): Promise<Filed[]> {
    const filed: Filed[] = [];
    for (let i = 0; i < n; i++) {
      address += 1;
      const input = reportInput.parse({
        subject: `Critical RCE in everything, found by my AI (#${address})`,
        reproduction: 'Run the scanner. It says so.',
        reporter: { email: `flooder${address}@example.org` },
      });
      filed.push(
        await t.services.intake.submitReport(slug, input, {
          channel: 'web',
          ip: `10.${Math.floor(address / 65536)}.${Math.floor(address / 256) % 256}.${address % 256}`,
        }),
      );
    }
    return filed;
  }

  /** The mails queued about `caseId`, by kind, in a stable order. */
  async function mailsOf(caseIds: string[]): Promise<Map<string, string[]>> {
    const jobs = await t.db.kysely
      .selectFrom('jobs')
      .select(['payload_json'])
      .where('kind', '=', 'case.mail')
      .execute();
    const ids = new Set(caseIds);
    const out = new Map<string, string[]>(caseIds.map((id) => [id, []]));
    for (const j of jobs) {
      const p = JSON.parse(j.payload_json) as { caseId: string; mail: string };
      if (ids.has(p.caseId)) out.get(p.caseId)?.push(p.mail);
    }
    for (const list of out.values()) list.sort();
    return out;
  }

  async function auditOf(action: string, caseIds: string[]) {
    return t.db.kysely
      .selectFrom('audit_events')
      .select(['subject_id', 'data_json', 'actor_id'])
      .where('action', '=', action)
      .where('subject_id', 'in', caseIds)
      .execute();
  }

  async function statesOf(caseIds: string[]) {
    const rows = await t.db.kysely
      .selectFrom('cases')
      .select(['id', 'state', 'held_at', 'duplicate_of'])
      .where('id', 'in', caseIds)
      .execute();
    return new Map(rows.map((r) => [r.id, r]));
  }

  it('rejects a flood of 300 reports in one request: one audit event and the reporter mails per case', async () => {
    const filed = await flood('flood', 301);
    const held = filed.filter((f) => f.held);
    expect(held.length).toBe(101);
    // One of them through the single route: what each of the others must get as well.
    const single = filed[250];
    if (!single?.held) throw new Error('the 251st report should be held');
    const one = await team.request('POST', `/api/v1/cases/${single.humanId}/transitions`, REJECTION);
    expect(one.statusCode, one.body).toBe(200);
    const flooded = filed.filter((f) => f !== single);
    expect(flooded).toHaveLength(300);

    // Named by human id and by uuid (lower case too), alternately.
    const ids = flooded.map((f, i) =>
      i % 3 === 0 ? f.id : i % 3 === 1 ? f.humanId : f.humanId.toLowerCase(),
    );
    const res = await team.request('POST', URL, { ...REJECTION, ids });
    expect(res.statusCode, res.body).toBe(200);
    const answer = res.json() as { cases: { id: string; humanId: string; state: string }[] };
    expect(answer.cases).toEqual(flooded.map((f) => ({ id: f.id, humanId: f.humanId, state: 'rejected' })));

    const caseIds = flooded.map((f) => f.id);
    const states = await statesOf(caseIds);
    expect([...states.values()].every((c) => c.state === 'rejected' && c.held_at === null)).toBe(true);

    // Exactly one transition event per case, each naming its case, as the single route writes it.
    const events = await auditOf('case.rejected', caseIds);
    expect(events).toHaveLength(300);
    expect(new Set(events.map((e) => e.subject_id))).toEqual(new Set(caseIds));
    const [singleEvent] = await auditOf('case.rejected', [single.id]);
    for (const e of events) {
      expect(JSON.parse(e.data_json)).toEqual({
        from: 'received',
        to: 'rejected',
        reasonCategory: 'not-a-vulnerability',
      });
      expect(e.actor_id).toBe(singleEvent?.actor_id);
    }
    // A held report's hold ends with it, as it does by the single route.
    const holds = await auditOf('case.hold_ended', caseIds);
    expect(holds).toHaveLength(100);
    expect(new Set(holds.map((e) => e.subject_id))).toEqual(
      new Set(held.filter((f) => f !== single).map((f) => f.id)),
    );
    expect(holds.every((e) => JSON.parse(e.data_json).outcome === 'closed')).toBe(true);

    // The reporter is told of each, as of the one rejected alone: the reason and the new state.
    const mails = await mailsOf([...caseIds, single.id]);
    const singleMails = mails.get(single.id);
    expect(singleMails).toEqual(['message.reporter', 'report-received.reporter', 'transition.reporter']);
    for (const f of flooded) {
      const expected = f.held ? singleMails : [...(singleMails ?? []), 'report-received.team'].sort();
      expect(mails.get(f.id), f.humanId).toEqual(expected);
    }
    const reasons = await t.db.kysely
      .selectFrom('case_messages')
      .select(['case_id'])
      .where('author_type', '=', 'team')
      .where('case_id', 'in', caseIds)
      .execute();
    expect(reasons).toHaveLength(300);
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });

    // The case page shows a bulk-rejected case as it shows the one rejected alone.
    const page = (await team.request('GET', `/api/v1/cases/${flooded[7]?.humanId}`)).json();
    expect(page.state).toBe('rejected');
    expect(page.messages.map((m: { body: string }) => m.body)).toContain(REJECTION.reason);
  }, 120_000);

  it('marks many reports duplicates of one case', async () => {
    const [original, ...copies] = await flood('dupes', 60);
    if (!original) throw new Error('no original');
    const res = await team.request('POST', URL, {
      to: 'duplicate',
      duplicateOf: original.humanId,
      ids: copies.map((c) => c.humanId),
    });
    expect(res.statusCode, res.body).toBe(200);
    const states = await statesOf(copies.map((c) => c.id));
    for (const c of copies)
      expect(states.get(c.id)).toMatchObject({ state: 'duplicate', duplicate_of: original.id });
    const events = await auditOf(
      'case.marked_duplicate',
      copies.map((c) => c.id),
    );
    expect(events).toHaveLength(59);
    expect(events.every((e) => JSON.parse(e.data_json).duplicateOf === original.humanId)).toBe(true);
    expect((await statesOf([original.id])).get(original.id)?.state).toBe('received');
    const mails = await mailsOf(copies.map((c) => c.id));
    for (const c of copies) expect(mails.get(c.id)).toContain('transition.reporter');
  });

  it('refuses the whole batch when one case cannot take the transition, naming it, and changes nothing', async () => {
    const fresh = await flood('dupes', 5);
    const [a, b, c] = fresh;
    if (!a || !b || !c) throw new Error('no cases');
    // c is a duplicate already: it cannot become one again.
    const first = await team.request('POST', URL, {
      to: 'duplicate',
      duplicateOf: a.humanId,
      ids: [c.humanId],
    });
    expect(first.statusCode, first.body).toBe(200);

    const before = await snapshot(t.db);
    const ids = fresh.slice(1).map((f) => f.humanId);
    const res = await team.request('POST', URL, { ...REJECTION, ids });
    expect(res.statusCode, res.body).toBe(409);
    const problem = res.json() as {
      code: string;
      detail: string;
      issues: { path: string; message: string }[];
    };
    expect(problem.code).toBe('invalid_transition');
    expect(problem.detail).toContain('body.ids.1');
    expect(problem.issues).toEqual([
      { path: 'body.ids.1', message: `Case ${c.humanId} cannot go from duplicate to rejected.` },
    ]);
    expect(await snapshot(t.db)).toBe(before);

    // The original among its duplicates: that one is named, the others stay as they were.
    const self = await team.request('POST', URL, {
      to: 'duplicate',
      duplicateOf: a.humanId,
      ids: [b.humanId, a.humanId],
    });
    expect(self.statusCode, self.body).toBe(422);
    const selfProblem = self.json() as { issues: { path: string; message: string }[] };
    expect(selfProblem.issues.map((i) => i.path)).toEqual(['body.ids.1', 'duplicateOf']);
    // A missing requirement names the body's field once, and every case.
    const bare = await team.request('POST', URL, { to: 'rejected', reason: 'No.', ids });
    expect(bare.statusCode, bare.body).toBe(422);
    const bareProblem = bare.json() as { issues: { path: string }[] };
    expect(bareProblem.issues.map((i) => i.path)).toEqual([
      'body.ids.0',
      'body.ids.1',
      'body.ids.2',
      'body.ids.3',
      'reasonCategory',
    ]);
    // Acceptance starts work per case (a Fix Lead, a repository): never for many at once.
    const accept = await team.request('POST', URL, { to: 'accepted', ids });
    expect(accept.statusCode, accept.body).toBe(400);
    expect((accept.json() as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual(['body.to']);
    expect(await snapshot(t.db)).toBe(before);
  });

  it('moves each case once when two overlapping batches run at the same time', async () => {
    const fresh = await flood('dupes', 60);
    const ids = fresh.map((f) => f.humanId);
    const [x, y] = await Promise.all([
      team.request('POST', URL, { ...REJECTION, ids: ids.slice(0, 40) }),
      team.request('POST', URL, { ...REJECTION, ids: ids.slice(20) }),
    ]);
    expect([x.statusCode, y.statusCode].sort(), `${x.body} ${y.body}`).toEqual([200, 409]);
    // The later batch found 20 of its cases rejected already, and moved none.
    const later = x.statusCode === 409 ? x : y;
    const refused = (later.json() as { issues: { path: string; message: string }[] }).issues;
    expect(refused).toHaveLength(20);
    expect(refused.every((i) => i.message.includes('cannot go from rejected to rejected'))).toBe(true);
    const events = await auditOf(
      'case.rejected',
      fresh.map((f) => f.id),
    );
    expect(events).toHaveLength(40);
    expect(new Set(events.map((e) => e.subject_id)).size).toBe(40);
  }, 120_000);

  it('keeps a held report out of every state but release and a closing outcome', async () => {
    // The flood project's quota is spent: these are held.
    const fresh = await flood('flood', 3);
    expect(fresh.every((f) => f.held)).toBe(true);
    const before = await snapshot(t.db);
    const res = await team.request('POST', URL, { to: 'triage', ids: fresh.map((f) => f.id) });
    expect(res.statusCode, res.body).toBe(409);
    const problem = res.json() as { code: string; issues: { path: string; message: string }[] };
    expect(problem.code).toBe('transition_blocked');
    expect(problem.issues.map((i) => i.path)).toEqual(['body.ids.0', 'body.ids.1', 'body.ids.2']);
    expect(problem.issues[0]?.message).toContain('held as possibly a flood');
    expect(await snapshot(t.db)).toBe(before);
  });

  it('answers a list naming a case the caller may not triage exactly as one naming no case, and changes nothing', async () => {
    const mine = await flood('dupes', 3);
    const theirs = await flood('other', 1);
    const foreign = theirs[0];
    if (!foreign) throw new Error('no case');
    const before = await snapshot(t.db);
    for (const ref of [foreign.humanId, foreign.id]) {
      const nothing = ref === foreign.id ? randomUUID() : foreign.humanId.replace(/\d+$/, '9999');
      const ids = (named: string) => [mine[0]?.humanId, named, mine[1]?.humanId, mine[2]?.id];
      const denied = await team.request('POST', URL, { ...REJECTION, ids: ids(ref) });
      const absent = await team.request('POST', URL, { ...REJECTION, ids: ids(nothing) });
      expect(denied.statusCode, denied.body).toBe(404);
      expect(denied.body.split(ref).join('<ref>')).toBe(absent.body.split(nothing).join('<ref>'));
      expect(denied.json()).toMatchObject({ code: 'not_found' });
    }
    // The other team may not triage ours either; an outsider's list is all foreign.
    const outsider = await otherTeam.request('POST', URL, { ...REJECTION, ids: mine.map((m) => m.humanId) });
    expect(outsider.statusCode, outsider.body).toBe(404);
    expect(await snapshot(t.db)).toBe(before);
    // What they may triage, they may.
    const own = await otherTeam.request('POST', URL, { ...REJECTION, ids: [foreign.humanId] });
    expect(own.statusCode, own.body).toBe(200);
  });

  it('refuses more than 500 cases, an empty list and a case named twice, naming the field', async () => {
    const [a, b] = await flood('dupes', 2);
    if (!a || !b) throw new Error('no cases');
    const before = await snapshot(t.db);
    const paths = (res: { json(): unknown }) =>
      (res.json() as { issues: { path: string }[] }).issues.map((i) => i.path);
    const tooMany = [a.humanId, ...Array.from({ length: MAX_BULK_TRANSITION_CASES }, () => randomUUID())];
    const over = await team.request('POST', URL, { ...REJECTION, ids: tooMany });
    expect(over.statusCode, over.body).toBe(400);
    expect(paths(over)).toEqual(['body.ids']);
    const empty = await team.request('POST', URL, { ...REJECTION, ids: [] });
    expect(empty.statusCode, empty.body).toBe(400);
    expect(paths(empty)).toEqual(['body.ids']);
    const twice = await team.request('POST', URL, { ...REJECTION, ids: [a.humanId, b.humanId, a.humanId] });
    expect(twice.statusCode, twice.body).toBe(400);
    expect(paths(twice)).toEqual(['body.ids.2']);
    // The same case by its human id and its uuid.
    const aliased = await team.request('POST', URL, { ...REJECTION, ids: [a.humanId, b.humanId, a.id] });
    expect(aliased.statusCode, aliased.body).toBe(400);
    expect(aliased.json()).toMatchObject({
      issues: [{ path: 'body.ids.2', message: 'names the same case as ids.0' }],
    });
    expect(await snapshot(t.db)).toBe(before);
  });
});
