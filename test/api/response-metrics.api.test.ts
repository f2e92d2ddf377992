/**
 * The project's response tiles (issue 13): the share that met the deadline counts the open cases'
 * clocks too, so 100 reports waiting unanswered never read as "100 % met". Every unanswered open
 * case counts, however long ago it came in (the 90-day window is for the answered ones' times).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createKeyring } from '../../src/lib/crypto/keyring.js';
import { describeEachDb } from '../support/db.js';
import { buildTestApp, projectWithTeam, type Client, type TestApp } from '../support/app.js';

const DAY = 24 * 3_600_000;

describeEachDb('response metrics with open clocks', (get) => {
  let t: TestApp;
  let team: Client;

  const file = async (subject: string): Promise<string> => {
    const filed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/projects/metrics/reports',
      payload: { subject, reporter: { name: 'Ada Lovelace' }, reproduction: 'steps' },
    });
    expect(filed.statusCode, filed.body).toBe(201);
    return filed.json().humanId as string;
  };
  const setCase = (humanId: string, patch: Record<string, string | null>) =>
    get().db.kysely.updateTable('cases').set(patch).where('human_id', '=', humanId).execute();

  beforeAll(async () => {
    t = await buildTestApp(get().db, createKeyring({ current: Buffer.alloc(32, 9) }));
    ({ team } = await projectWithTeam(t, 'metrics'));
    const now = t.clock.now().getTime();
    const iso = (ms: number) => new Date(ms).toISOString();
    // Answered within its deadline.
    const met = await file('Answered in time');
    await setCase(met, {
      received_at: iso(now - 10 * DAY),
      first_response_due_at: iso(now - 7 * DAY),
      first_responded_at: iso(now - 9 * DAY),
    });
    // Waiting, its clock still running.
    await file('Waiting, not yet due');
    // Waiting past its deadline.
    const overdue = await file('Waiting, overdue');
    await setCase(overdue, { received_at: iso(now - 6 * DAY), first_response_due_at: iso(now - 3 * DAY) });
    // Waiting since long before the 90-day window: still overdue, still counted.
    const ancient = await file('Waiting for four months');
    await setCase(ancient, {
      received_at: iso(now - 120 * DAY),
      first_response_due_at: iso(now - 117 * DAY),
    });
    // Waiting for the reporter: its clock is paused, neither running nor overdue.
    const paused = await file('Waiting for the reporter');
    await setCase(paused, {
      received_at: iso(now - 8 * DAY),
      first_response_due_at: iso(now - 5 * DAY),
      clock_paused_at: iso(now - 7 * DAY),
    });
  });
  afterAll(async () => {
    await t.app.close();
  });

  it('counts met, missed, running, paused and overdue, and the share over the answered and the overdue', async () => {
    const res = await team.request('GET', '/api/v1/projects/metrics/metrics/response');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().firstResponse).toMatchObject({
      answered: 1,
      metDeadline: 1,
      missedDeadline: 0,
      running: 1,
      paused: 1,
      overdueOpen: 2,
      // met ÷ (answered with a deadline + overdue unanswered): 1 of 3, never "100 %".
      withDeadline: 3,
      metShare: 0.333,
    });
  });
});
