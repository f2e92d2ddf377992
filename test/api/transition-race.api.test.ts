/**
 * A case moved by one person's transition while a teammate's bulk transition moves it too (issue 12
 * review): the bulk route locks its cases and reads them again in its transaction, but the single
 * route moved the case it had read before its transaction. Run together, both moved the case from
 * the same state: a rejected report went on to triage, and its audit trail holds two moves out of
 * `received`. Every move must start from the state the case has when it is moved.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { reportInput } from '../../src/modules/cases/cases.schemas.js';
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

describeEachDb('a single transition racing a bulk one', (get) => {
  let t: TestApp;
  let alice: Client;
  let bob: Client;

  beforeAll(async () => {
    t = await buildTestApp(get().db);
    await t.services.projects.createProject(OPERATOR, { slug: 'race', name: 'Race', preset: 'contour' });
    const a = await createUser(t);
    const b = await createUser(t);
    await seedTeamMember(t.db, 'race', a.email);
    await seedTeamMember(t.db, 'race', b.email);
    alice = await tokenClient(t, a.id);
    bob = await tokenClient(t, b.id);
  });
  afterAll(async () => {
    await t.app.close();
  });

  /** Where the audit trail of the case's moves and its stored state disagree. */
  async function trail(caseId: string, humanId: string): Promise<string[]> {
    const broken: string[] = [];
    const events = await t.db.kysely
      .selectFrom('audit_events')
      .select(['seq', 'data_json'])
      .where('subject_id', '=', caseId)
      .where('action', 'like', 'case.%')
      .orderBy('seq')
      .execute();
    let state = 'received';
    for (const e of events) {
      const m = JSON.parse(e.data_json) as { from?: string; to?: string };
      if (m.from === undefined || m.to === undefined) continue;
      if (m.from !== state) broken.push(`${humanId}: ${m.from} -> ${m.to} while ${state}`);
      state = m.to;
    }
    const row = await t.db.kysely
      .selectFrom('cases')
      .select('state')
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow();
    if (row.state !== state) broken.push(`${humanId}: stored ${row.state}, audited ${state}`);
    return broken;
  }

  it('moves each case from the state it has when it is moved', async () => {
    const broken: string[] = [];
    for (let round = 0; round < 8; round++) {
      const filed = await t.services.intake.submitReport(
        'race',
        reportInput.parse({ subject: `Report ${round}`, reproduction: 'Steps.' }),
        { channel: 'email' },
      );
      const single = () =>
        alice.request('POST', `/api/v1/cases/${filed.humanId}/transitions`, { to: 'triage' });
      const bulk = () =>
        bob.request('POST', '/api/v1/cases/bulk-transitions', {
          ids: [filed.humanId],
          to: 'rejected',
          reasonCategory: 'not-a-vulnerability',
          reason: 'Not a vulnerability.',
        });
      const answers = await Promise.all(round % 2 === 0 ? [single(), bulk()] : [bulk(), single()]);
      for (const r of answers) expect([200, 409], r.body).toContain(r.statusCode);
      const events = await t.db.kysely
        .selectFrom('audit_events')
        .select(['seq', 'data_json'])
        .where('subject_id', '=', filed.id)
        .where('action', 'like', 'case.%')
        .orderBy('seq')
        .execute();
      const moves = events
        .map((e) => JSON.parse(e.data_json) as { from?: string; to?: string })
        .filter((d) => d.from !== undefined && d.to !== undefined);
      let state = 'received';
      for (const m of moves) {
        if (m.from !== state) broken.push(`${filed.humanId}: ${m.from} -> ${m.to} while ${state}`);
        state = m.to ?? state;
      }
      const row = await t.db.kysely
        .selectFrom('cases')
        .select('state')
        .where('id', '=', filed.id)
        .executeTakeFirstOrThrow();
      if (row.state !== state) broken.push(`${filed.humanId}: stored ${row.state}, audited ${state}`);
    }
    expect(broken).toEqual([]);
  });

  // The same with the reporter's answer, which moves a case waiting for it back to triage: read by
  // its link before the transaction, it moved a case the team had meanwhile rejected.
  it("moves a case back to triage on the reporter's answer only if it still waits for one", async () => {
    const broken: string[] = [];
    for (let round = 0; round < 8; round++) {
      const filed = await t.services.intake.submitReport(
        'race',
        reportInput.parse({ subject: `Answered ${round}`, reproduction: 'Steps.' }),
        { channel: 'email' },
      );
      const asked = await alice.request('POST', `/api/v1/cases/${filed.humanId}/transitions`, {
        to: 'needs-info',
        question: 'Which version?',
      });
      expect(asked.statusCode, asked.body).toBe(200);
      const token = filed.reporterLink.split('/').at(-1) ?? '';
      const answer = () =>
        t.app.inject({
          method: 'POST',
          url: `/api/v1/reporter/cases/${token}/messages`,
          payload: { body: 'Version 1.2.3.' },
        });
      const reject = () =>
        bob.request('POST', '/api/v1/cases/bulk-transitions', {
          ids: [filed.humanId],
          to: 'rejected',
          reasonCategory: 'not-a-vulnerability',
          reason: 'Not a vulnerability.',
        });
      const answers = await Promise.all(round % 2 === 0 ? [answer(), reject()] : [reject(), answer()]);
      for (const r of answers) expect([200, 201, 409], r.body).toContain(r.statusCode);
      broken.push(...(await trail(filed.id, filed.humanId)));
    }
    expect(broken).toEqual([]);
  });
});
