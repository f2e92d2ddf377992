/**
 * Notifications (issue 13, item 3), end to end through the job runner and a real SMTP server: a
 * report filed gives every member of the security team an in-app notification and a mail; a member
 * who chose `none` gets the notification and no mail; one who chose `digest` gets the daily digest
 * instead; a job run again writes no second notification. The settings refuse an event that does
 * not exist, naming it; the list is one's own, paged, with the unread count; marking read only
 * touches one's own rows.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobRunner, type JobRunner } from '../../src/jobs/job.runner.js';
import { createKeyring } from '../../src/lib/crypto/keyring.js';
import { fixedClock } from '../../src/lib/clock.js';
import { instanceSecret } from '../../src/lib/instance-secrets.js';
import { createMailer, type Mailer } from '../../src/mail/outbound/mailer.js';
import { caseMailHandlers } from '../../src/modules/cases/case-mail.job.js';
import {
  DIGEST_DAY_JOB,
  digestDayJobHandler,
  digestMailHandlers,
  scheduleDigest,
} from '../../src/modules/notifications/digest.job.js';
import { buildApp } from '../../src/server/app.js';
import { createServices } from '../../src/server/services.js';
import { describeEachDb } from '../support/db.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
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

const SECRET = 'Heap overflow in the xDS parser';

interface Page {
  notifications: {
    id: string;
    event: string;
    label: string;
    link: string;
    projectName: string;
    caseHumanId: string | null;
    createdAt: string;
    readAt: string | null;
  }[];
  nextCursor: string | null;
  unread: number;
}

describeEachDb('notifications', (get) => {
  let sink: SmtpSink;
  let t: TestApp;
  let mailer: Mailer;
  let runner: JobRunner;
  const clock = fixedClock('2026-12-21T14:00:00Z');
  const members: { email: string; client: Client }[] = [];
  let outsider: Client;

  beforeAll(async () => {
    sink = await startSmtpSink();
    const db = get().db;
    const cipher = createKeyring({ current: randomBytes(32) });
    const services = createServices({ db, clock, cipher, publicUrl: PUBLIC_URL, passwords: CHEAP_PASSWORDS });
    const app = await buildApp({ db, services, publicUrl: PUBLIC_URL, trustProxy: false, logger: false });
    t = { app, db, services, clock };
    mailer = createMailer({
      smtpUrl: sink.url,
      from: 'Vigil <vigil@vigil.test>',
      replyDomain: 'vigil.test',
      publicUrl: PUBLIC_URL,
      clock,
    });
    runner = createJobRunner({
      db,
      clock,
      handlers: {
        ...caseMailHandlers({
          db,
          cipher,
          mailer,
          replySecret: () => instanceSecret(db, cipher, clock, 'mail.reply'),
          repliesByMail: false,
        }),
        [DIGEST_DAY_JOB]: digestDayJobHandler(db),
        ...digestMailHandlers({ db, mailer }),
      },
    });
    const { getPresetYaml } = await import('../../src/modules/policy/policy.presets.js');
    await services.projects.createProject(OPERATOR, {
      slug: 'contour',
      name: 'Contour',
      policyYaml: getPresetYaml('contour'),
    });
    for (let i = 0; i < 3; i++) {
      const u = await createUser(t);
      await seedTeamMember(db, 'contour', u.email);
      members.push({ email: u.email, client: await tokenClient(t, u.id) });
    }
    outsider = await tokenClient(t, (await createUser(t)).id);
  });
  afterAll(async () => {
    await t.app.close();
    mailer.close();
    await sink.close();
  });

  async function submit() {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/projects/contour/reports',
      payload: {
        subject: SECRET,
        reporter: { name: 'Ada Reporter', email: 'ada.reporter@example.org' },
        reproduction: 'Send a crafted ClusterLoadAssignment.',
      },
    });
    expect(res.statusCode).toBe(201);
    return res.json() as { humanId: string; id: string };
  }

  async function list(c: Client, query = ''): Promise<Page> {
    const res = await c.request('GET', `/api/v1/me/notifications${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Page;
  }

  const teamMailsOf = (email: string, humanId: string) =>
    sink.messages.filter((m) => m.envelope.to.includes(email) && m.subject.includes(humanId));

  describe('settings', () => {
    it('answers mail for every team event by default', async () => {
      const res = await members[0]!.client.request('GET', '/api/v1/me/notification-settings');
      expect(res.statusCode).toBe(200);
      const body = res.json() as { events: Record<string, string> };
      expect(body.events['report-received.team']).toBe('mail');
      expect(body.events['digest.team']).toBeUndefined();
      expect(Object.values(body.events).every((m) => m === 'mail')).toBe(true);
    });

    it('refuses an event that does not exist, naming it, and a mode that does not', async () => {
      const res = await members[0]!.client.request('PUT', '/api/v1/me/notification-settings', {
        events: { 'report-received.team': 'none', 'coffee-ready.team': 'mail' },
      });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).toContain('body.events.coffee-ready.team');
      const bad = await members[0]!.client.request('PUT', '/api/v1/me/notification-settings', {
        events: { 'report-received.team': 'pigeon' },
      });
      expect(bad.statusCode).toBe(400);
      // Nothing of the refused request was kept.
      const after = await members[0]!.client.request('GET', '/api/v1/me/notification-settings');
      expect((after.json() as { events: Record<string, string> }).events['report-received.team']).toBe(
        'mail',
      );
    });

    it('keeps the change, with an audit event in its transaction', async () => {
      const res = await members[1]!.client.request('PUT', '/api/v1/me/notification-settings', {
        events: { 'report-received.team': 'none' },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect((res.json() as { events: Record<string, string> }).events['report-received.team']).toBe('none');
      const digest = await members[2]!.client.request('PUT', '/api/v1/me/notification-settings', {
        events: { 'report-received.team': 'digest' },
      });
      expect(digest.statusCode).toBe(200);
      const audit = await t.db.kysely
        .selectFrom('audit_events')
        .select(['action'])
        .where('action', '=', 'user.notification_settings_set')
        .execute();
      expect(audit).toHaveLength(2);
    });
  });

  describe('a report filed', () => {
    let humanId: string;

    beforeAll(async () => {
      sink.clear();
      humanId = (await submit()).humanId;
      expect(await runner.runDueJobsOnce()).toMatchObject({ failed: 0 });
    });

    it('gives every member a notification, link-only, and mails those who want mail', async () => {
      await sink.waitFor((m) => m.envelope.to.includes(members[0]!.email));
      for (const m of members) {
        const page = await list(m.client);
        expect(page.unread).toBe(1);
        expect(page.notifications).toHaveLength(1);
        const n = page.notifications[0]!;
        expect(n).toMatchObject({
          event: 'report-received.team',
          link: `/cases/${humanId}`,
          projectName: 'Contour',
          caseHumanId: humanId,
          readAt: null,
        });
        expect(n.label).toContain(humanId);
        expect(JSON.stringify(page)).not.toContain(SECRET);
        expect(JSON.stringify(page)).not.toContain('Ada Reporter');
      }
      expect(teamMailsOf(members[0]!.email, humanId)).toHaveLength(1);
      // `none`: told in Vigil only; `digest`: not now, in the daily digest.
      expect(teamMailsOf(members[1]!.email, humanId)).toHaveLength(0);
      expect(teamMailsOf(members[2]!.email, humanId)).toHaveLength(0);
      // The reporter's own receipt still goes.
      expect(sink.messages.some((m) => m.envelope.to.includes('ada.reporter@example.org'))).toBe(true);
    });

    it('writes no second notification when the job runs again', async () => {
      const job = await t.db.kysely
        .selectFrom('jobs')
        .select(['id'])
        .where('kind', '=', 'case.mail')
        .where('payload_json', 'like', '%report-received.team%')
        .orderBy('created_at', 'desc')
        .executeTakeFirstOrThrow();
      // As when a runner died after the handler ran and its lease expired: the job runs again.
      await t.db.kysely
        .updateTable('jobs')
        .set({ state: 'pending', run_at: clock.now().toISOString(), locked_by: null, locked_until: null })
        .where('id', '=', job.id)
        .execute();
      await runner.runDueJobsOnce();
      for (const m of members) expect((await list(m.client)).notifications).toHaveLength(1);
      // At least once: the mail went again, with the same Message-ID.
      const again = teamMailsOf(members[0]!.email, humanId);
      expect(again).toHaveLength(2);
      expect(again[0]!.parsed.messageId).toBe(again[1]!.parsed.messageId);
    });

    it('sends the daily digest to the member who chose it, once, listing the link', async () => {
      await scheduleDigest(t.db, clock);
      clock.set('2026-12-22T07:00:00Z');
      await runner.runDueJobsOnce(); // the day's run enqueues the digests
      await runner.runDueJobsOnce(); // which go
      const digests = sink.messages.filter((m) => m.subject.includes('daily digest'));
      expect(digests.map((m) => m.envelope.to)).toEqual([[members[2]!.email]]);
      expect(digests[0]!.text).toContain(`${PUBLIC_URL}/cases/${humanId}`);
      expect(digests[0]!.text).toContain(`[Contour] ${humanId}: a new report`);
      expect(digests[0]!.raw.toString('utf8')).not.toContain(SECRET);
      // The next day has nothing new: no mail.
      clock.set('2026-12-23T07:00:00Z');
      await runner.runDueJobsOnce();
      await runner.runDueJobsOnce();
      expect(sink.messages.filter((m) => m.subject.includes('daily digest'))).toHaveLength(1);
    });

    it('pages the list and marks read only one’s own notifications', async () => {
      const m = members[0]!;
      // By now the first report's reminders came too: all read, then a second report.
      const cleared = await m.client.request('POST', '/api/v1/me/notifications/read', { all: true });
      expect((cleared.json() as { updated: number }).updated).toBeGreaterThanOrEqual(1);
      expect((cleared.json() as { unread: number }).unread).toBe(0);
      clock.set('2026-12-23T08:00:00Z');
      const second = (await submit()).humanId;
      await runner.runDueJobsOnce();
      const first = await list(m.client, '?limit=1');
      expect(first.unread).toBe(1);
      expect(first.notifications[0]!.caseHumanId).toBe(second);
      expect(first.nextCursor).not.toBeNull();
      const next = await list(m.client, `?limit=1&cursor=${encodeURIComponent(first.nextCursor!)}`);
      expect(next.notifications[0]!.createdAt < first.notifications[0]!.createdAt).toBe(true);
      const unreadPage = await list(m.client, '?limit=1&unread=true');
      expect(unreadPage.notifications.map((n) => n.caseHumanId)).toEqual([second]);

      // Another person's id: not found, and nothing changed.
      const theirs = (await list(members[1]!.client)).notifications[0]!.id;
      const before = (await list(members[1]!.client)).unread;
      const foreign = await outsider.request('POST', '/api/v1/me/notifications/read', { ids: [theirs] });
      expect(foreign.statusCode).toBe(404);
      expect((await list(members[1]!.client)).unread).toBe(before);

      const one = await m.client.request('POST', '/api/v1/me/notifications/read', {
        ids: [first.notifications[0]!.id, theirs],
      });
      expect(one.json()).toEqual({ updated: 1, unread: 0 });
      // Each change of read state is audited, in its transaction; marking again changes nothing.
      const again = await m.client.request('POST', '/api/v1/me/notifications/read', {
        ids: [first.notifications[0]!.id],
      });
      expect(again.json()).toEqual({ updated: 0, unread: 0 });
      const readEvents = await t.db.kysely
        .selectFrom('audit_events')
        .select(['data_json'])
        .where('action', '=', 'user.notifications_read')
        .orderBy('seq')
        .execute();
      expect(readEvents.slice(-2).map((e) => JSON.parse(e.data_json) as unknown)).toEqual([
        { count: cleared.json<{ updated: number }>().updated, all: true },
        { count: 1, all: false },
      ]);
      expect((await list(m.client, '?unread=true')).notifications).toEqual([]);
      expect((await list(members[1]!.client)).unread).toBe(before);

      const tooMany = await m.client.request('POST', '/api/v1/me/notifications/read', {
        ids: Array.from({ length: 201 }, (_, i) => `id-${i}`),
      });
      expect(tooMany.statusCode).toBe(400);
      // The outsider, on no team, has none.
      expect(await list(outsider)).toMatchObject({ notifications: [], unread: 0 });
    });
  });
});
