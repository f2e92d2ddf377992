/**
 * The mail queue and the mail banner's status (issue 13, item 3): with SMTP unset, mail waits and
 * says so; the admins list the waiting mail jobs (ids, kinds, states and errors, never an address or
 * the report); a team member sees the status, nobody else; mail that waits or fails is "failing".
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createJobRunner } from '../../src/jobs/job.runner.js';
import { createKeyring } from '../../src/lib/crypto/keyring.js';
import { createMailQueueService } from '../../src/modules/mail-queue/mail-queue.service.js';
import { describeEachDb } from '../support/db.js';
import {
  buildTestApp,
  createUser,
  OPERATOR,
  seedTeamMember,
  signIn,
  tokenClient,
  type Client,
  type TestApp,
} from '../support/app.js';

const SECRET = 'Use-after-free in the mail queue test';
const REPORTER = 'queue.reporter@example.org';

describeEachDb('mail queue', (get) => {
  let t: TestApp;
  let admin: Client;
  let team: Client;
  let outsider: Client;
  let humanId: string;
  let memberEmail: string;
  let otherEmail: string;
  const cipher = createKeyring({ current: randomBytes(32) });

  beforeAll(async () => {
    t = await buildTestApp(get().db, cipher);
    await t.services.projects.createProject(OPERATOR, {
      slug: 'contour',
      name: 'Contour',
      policyYaml: (await import('../../src/modules/policy/policy.presets.js')).getPresetYaml('contour'),
    });
    const a = await createUser(t, { isAdmin: true });
    const member = await createUser(t);
    const other = await createUser(t);
    await seedTeamMember(t.db, 'contour', member.email);
    memberEmail = member.email;
    otherEmail = other.email;
    admin = await tokenClient(t, a.id);
    team = await tokenClient(t, member.id);
    outsider = await tokenClient(t, other.id);
  });
  afterAll(async () => {
    await t.app.close();
  });

  let before = 0;
  it('says mail is not configured', async () => {
    const res = await team.request('GET', '/api/v1/mail-status');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ state: 'not-configured', failed: 0 });
    // The accounts made above announced themselves to their owners: those mails wait too.
    before = (res.json() as { queued: number }).queued;
  });

  it('lists the mails a report queued while SMTP is unset, with the case and no address', async () => {
    const filed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/projects/contour/reports',
      payload: { subject: SECRET, reporter: { name: 'Ada', email: REPORTER }, reproduction: 'Steps.' },
    });
    expect(filed.statusCode).toBe(201);
    humanId = (filed.json() as { humanId: string }).humanId;

    const status = await team.request('GET', '/api/v1/mail-status');
    expect(status.json()).toMatchObject({ state: 'not-configured', since: '2026-11-23T09:00:00.000Z' });
    const waiting = (status.json() as { queued: number }).queued;
    expect(waiting).toBeGreaterThanOrEqual(before + 2);

    const res = await admin.request('GET', '/api/v1/admin/mail-queue');
    expect(res.statusCode).toBe(200);
    const body = res.json() as {
      summary: Record<string, unknown>;
      jobs: { kind: string; state: string; caseHumanId: string | null; attempts: number }[];
      nextCursor: string | null;
    };
    expect(body.summary).toEqual({
      configured: false,
      state: 'not-configured',
      queued: waiting,
      scheduled: expect.any(Number) as unknown,
      failed: 0,
      oldestQueuedAt: '2026-11-23T09:00:00.000Z',
    });
    const caseMails = body.jobs.filter((j) => j.kind === 'case.mail');
    expect(caseMails.length).toBeGreaterThanOrEqual(2);
    for (const j of caseMails)
      expect(j).toMatchObject({ state: 'queued', caseHumanId: humanId, attempts: 0 });
    // Reminders are mail too: the first-response reminders of the new case wait for their time,
    // scheduled, and are not counted as waiting (nor could they make mail "failing").
    const reminders = body.jobs.filter((j) => j.kind === 'case.first-response-reminder');
    expect(reminders.length).toBeGreaterThanOrEqual(1);
    for (const j of reminders) expect(j).toMatchObject({ state: 'scheduled', caseHumanId: humanId });
    expect(body.summary.scheduled).toBe(reminders.length);
    for (const s of [SECRET, REPORTER, 'Ada']) expect(res.body).not.toContain(s);
  });

  it('pages the queue with a cursor', async () => {
    const first = (await admin.request('GET', '/api/v1/admin/mail-queue?limit=1')).json() as {
      jobs: { id: string }[];
      nextCursor: string | null;
    };
    expect(first.jobs).toHaveLength(1);
    expect(first.nextCursor).not.toBeNull();
    const second = (
      await admin.request(
        'GET',
        `/api/v1/admin/mail-queue?limit=1&cursor=${encodeURIComponent(first.nextCursor ?? '')}`,
      )
    ).json() as { jobs: { id: string }[] };
    expect(second.jobs).toHaveLength(1);
    expect(second.jobs[0]?.id).not.toBe(first.jobs[0]?.id);
    const forged = await admin.request('GET', '/api/v1/admin/mail-queue?cursor=forged');
    expect(forged.statusCode).toBe(400);
  });

  it('answers 404 to a non-admin on the queue, and to a signed-in user on no team on the status', async () => {
    for (const c of [team, outsider]) {
      expect((await c.request('GET', '/api/v1/admin/mail-queue')).statusCode).toBe(404);
    }
    expect((await outsider.request('GET', '/api/v1/mail-status')).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/mail-status' })).statusCode).toBe(401);
    expect((await admin.request('GET', '/api/v1/mail-status')).statusCode).toBe(200);
  });

  it("tells the web who may see the banner: the session's instance abilities", async () => {
    const ability = async (email: string) => {
      const c = await signIn(t, email);
      const res = await c.request('GET', '/api/v1/auth/session');
      return (res.json() as { abilities: Record<string, boolean> }).abilities;
    };
    expect(await ability(memberEmail)).toMatchObject({
      'instance.mail-status.read': true,
      'instance.mail-queue.read': false,
    });
    expect(await ability(otherEmail)).toMatchObject({
      'instance.mail-status.read': false,
      'instance.mail-queue.read': false,
    });
  });

  it('calls configured mail failing when mail waits over 15 minutes or failed within the hour', async () => {
    const configured = createMailQueueService({ db: t.db, clock: t.clock, cipher, mailConfigured: true });
    expect((await configured.mailStatus(OPERATOR)).state).toBe('ok');
    t.clock.advance(16 * 60_000);
    expect(await configured.mailStatus(OPERATOR)).toMatchObject({
      state: 'failing',
      since: '2026-11-23T09:00:00.000Z',
    });
    // A runner whose SMTP refuses for good: the mails fail, and are listed failed with the error.
    const runner = createJobRunner({
      db: t.db,
      clock: t.clock,
      handlers: {
        'case.mail': {
          payload: (await import('zod')).z.object({}).loose(),
          handle: async () => {
            const { PermanentJobError } = await import('../../src/jobs/job.runner.js');
            throw new PermanentJobError('MailError: the SMTP server answered 550 (mailbox unavailable)');
          },
        },
      },
    });
    await runner.runDueJobsOnce();
    const page = (await admin.request('GET', '/api/v1/admin/mail-queue')).json() as {
      summary: { failed: number };
      jobs: { kind: string; state: string; lastError: string | null }[];
    };
    expect(page.summary.failed).toBeGreaterThanOrEqual(2);
    const failed = page.jobs.filter((j) => j.kind === 'case.mail');
    for (const j of failed) {
      expect(j).toMatchObject({ state: 'failed', lastError: expect.stringContaining('550') as unknown });
    }
    const status = await configured.mailStatus(OPERATOR);
    expect(status.state).toBe('failing');
    expect(status.failed).toBeGreaterThanOrEqual(2);
  });
});
