/**
 * Notifications while mail waits (issue 13, item 3): on an instance without SMTP the team is still
 * told in Vigil. The sweep (waiting-mail.job.ts) runs the team notices' own handlers dry with the
 * unconfigured mailer: every member gets the notification, the mail job stays as it was (pending,
 * no attempt), a second sweep writes nothing, and once an instance with SMTP runs the job, the mail
 * goes out and no notification is written twice. The reporter's receipt is never run dry.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createJobRunner } from '../../src/jobs/job.runner.js';
import { fixedClock } from '../../src/lib/clock.js';
import { createKeyring } from '../../src/lib/crypto/keyring.js';
import { instanceSecret } from '../../src/lib/instance-secrets.js';
import { createMailer, type Mailer } from '../../src/mail/outbound/mailer.js';
import { caseMailHandlers } from '../../src/modules/cases/case-mail.job.js';
import { WAITING_MAIL_JOB, waitingMailHandler } from '../../src/modules/notifications/waiting-mail.job.js';
import { buildApp } from '../../src/server/app.js';
import { createServices } from '../../src/server/services.js';
import {
  CHEAP_PASSWORDS,
  createUser,
  OPERATOR,
  PUBLIC_URL,
  seedTeamMember,
  tokenClient,
  type Client,
  type TestApp,
} from '../support/app.js';
import { describeEachDb } from '../support/db.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

describeEachDb('notifications while mail waits', (get) => {
  let sink: SmtpSink;
  let t: TestApp;
  const mailers: Mailer[] = [];
  const clock = fixedClock('2026-12-21T14:00:00Z');
  const members: { email: string; client: Client }[] = [];
  let cipher: ReturnType<typeof createKeyring>;

  const mailerFor = (smtpUrl: string | undefined) => {
    const m = createMailer({
      smtpUrl,
      from: 'Vigil <vigil@vigil.test>',
      replyDomain: 'vigil.test',
      publicUrl: PUBLIC_URL,
      clock,
    });
    mailers.push(m);
    return m;
  };
  const handlersWith = (mailer: Mailer) =>
    caseMailHandlers({
      db: t.db,
      cipher,
      mailer,
      replySecret: () => instanceSecret(t.db, cipher, clock, 'mail.reply'),
      repliesByMail: false,
    });
  const notificationsOf = async (c: Client) => {
    const res = await c.request('GET', '/api/v1/me/notifications');
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { notifications: { event: string; link: string }[] }).notifications;
  };

  beforeAll(async () => {
    sink = await startSmtpSink();
    const db = get().db;
    cipher = createKeyring({ current: randomBytes(32) });
    const services = createServices({ db, clock, cipher, publicUrl: PUBLIC_URL, passwords: CHEAP_PASSWORDS });
    const app = await buildApp({ db, services, publicUrl: PUBLIC_URL, trustProxy: false, logger: false });
    t = { app, db, services, clock };
    const { getPresetYaml } = await import('../../src/modules/policy/policy.presets.js');
    await services.projects.createProject(OPERATOR, {
      slug: 'contour',
      name: 'Contour',
      policyYaml: getPresetYaml('contour'),
    });
    for (let i = 0; i < 2; i++) {
      const u = await createUser(t);
      await seedTeamMember(db, 'contour', u.email);
      members.push({ email: u.email, client: await tokenClient(t, u.id) });
    }
  });
  afterAll(async () => {
    await t.app.close();
    for (const m of mailers) m.close();
    await sink.close();
  });

  it('tells the team in Vigil without SMTP, leaves the mail waiting, and sends it once mail is set', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/projects/contour/reports',
      payload: {
        subject: 'Heap overflow in the xDS parser',
        reporter: { name: 'Ada Reporter', email: 'ada.reporter@example.org' },
        reproduction: 'Send a crafted ClusterLoadAssignment.',
      },
    });
    expect(res.statusCode).toBe(201);
    const { humanId } = res.json() as { humanId: string };
    const mailJobs = () =>
      t.db.kysely
        .selectFrom('jobs')
        .select(['id', 'state', 'attempts', 'payload_json'])
        .where('kind', '=', 'case.mail')
        .execute();
    const before = await mailJobs();
    expect(before.length).toBeGreaterThan(1);
    for (const m of members) expect(await notificationsOf(m.client)).toHaveLength(0);

    // The instance without SMTP: only the sweep runs (the mail handlers are not registered).
    const dry = handlersWith(mailerFor(undefined));
    const withoutMail = createJobRunner({
      db: t.db,
      clock,
      handlers: { [WAITING_MAIL_JOB]: waitingMailHandler(t.db, dry) },
    });
    await t.db.kysely.transaction().execute(async (trx) => {
      const { enqueueJob } = await import('../../src/jobs/job.queue.js');
      await enqueueJob(trx, clock, { kind: WAITING_MAIL_JOB, payload: {}, uniqueKey: 'sweep-now' });
    });
    expect(await withoutMail.runDueJobsOnce()).toMatchObject({ failed: 0 });
    for (const m of members) {
      const told = await notificationsOf(m.client);
      expect(told).toHaveLength(1);
      expect(told[0]).toMatchObject({ event: 'report-received.team', link: `/cases/${humanId}` });
    }
    // The mail jobs are as they were: pending, never attempted.
    const after = await mailJobs();
    expect(after.map((j) => [j.id, j.state, j.attempts])).toEqual(
      before.map((j) => [j.id, j.state, j.attempts]),
    );
    expect(after.every((j) => j.state === 'pending' && j.attempts === 0)).toBe(true);
    // Looked at once: a second sweep (the next minute's) writes nothing and leaves them alone.
    clock.advance(60_000);
    expect(await withoutMail.runDueJobsOnce()).toMatchObject({ failed: 0 });
    const swept = await t.db.kysely.selectFrom('notification_sweeps').select('job_id').execute();
    expect(swept.map((s) => s.job_id).sort()).toEqual(before.map((j) => j.id).sort());
    for (const m of members) expect(await notificationsOf(m.client)).toHaveLength(1);
    expect(sink.messages).toHaveLength(0);

    // SMTP is set (an instance with mail runs the jobs): the mail goes, the notification stays one.
    const withMail = createJobRunner({ db: t.db, clock, handlers: handlersWith(mailerFor(sink.url)) });
    expect(await withMail.runDueJobsOnce()).toMatchObject({ failed: 0 });
    await sink.waitFor((m) => m.envelope.to.includes(members[0]!.email) && m.subject.includes(humanId));
    expect(sink.messages.some((m) => m.envelope.to.includes('ada.reporter@example.org'))).toBe(true);
    for (const m of members) expect(await notificationsOf(m.client)).toHaveLength(1);
    // Their sweep marks are forgotten once the jobs are no longer waiting.
    clock.advance(60_000);
    expect(await withoutMail.runDueJobsOnce()).toMatchObject({ failed: 0 });
    expect(await t.db.kysely.selectFrom('notification_sweeps').select('job_id').execute()).toHaveLength(0);
  });
});
