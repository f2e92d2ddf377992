/**
 * The team's case events on project webhooks (issue 13): a filed report, the reporter's message,
 * the first-response reminders and escalation, each transition with its new state, posted to a
 * real local HTTP receiver, signed, link-only (canary title, report, reporter name and address
 * never in a body), only to the webhooks that subscribe to the event; a 500 retried with backoff
 * then sent, an always-500 receiver failed after the last attempt, a receiver that never answers
 * timed out and retried; the subscriptions changed with PATCH, refused for an unknown event.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createJobRunner } from '../../src/jobs/job.runner.js';
import { createKeyring } from '../../src/lib/crypto/keyring.js';
import { instanceSecret } from '../../src/lib/instance-secrets.js';
import { createMailer, type Mailer } from '../../src/mail/outbound/mailer.js';
import { caseMailHandlers } from '../../src/modules/cases/case-mail.job.js';
import { webhookDeliveryHandlers } from '../../src/modules/webhooks/webhook-delivery.job.js';
import { verifyWebhook, WEBHOOK_EVENTS } from '../../src/modules/webhooks/webhook-message.js';
import { WEBHOOK_MAX_ATTEMPTS } from '../../src/modules/webhooks/webhooks.steps.js';
import {
  buildTestApp,
  createUser,
  OPERATOR,
  PUBLIC_URL,
  seedTeamMember,
  tokenClient,
  type Client,
  type TestApp,
} from '../support/app.js';
import { describeEachDb } from '../support/db.js';
import { startHookReceiver, type HookReceiver, type ReceivedHook } from '../support/publication.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

const CANARY = `CANARY-${randomBytes(6).toString('hex')}`;
const TIMEOUT_MS = 300;

describeEachDb('webhooks: the team case events', (get) => {
  let t: TestApp;
  let receiver: HookReceiver;
  let sink: SmtpSink;
  let mailer: Mailer;
  let runJobs: () => Promise<unknown>;
  let projects = 0;

  beforeAll(async () => {
    const cipher = createKeyring({ current: randomBytes(32) });
    const db = get().db;
    t = await buildTestApp(db, cipher, { allowLocalWebhooks: true });
    receiver = await startHookReceiver();
    sink = await startSmtpSink();
    mailer = createMailer({
      smtpUrl: sink.url,
      from: 'Vigil <vigil@vigil.test>',
      replyDomain: 'vigil.test',
      publicUrl: PUBLIC_URL,
      clock: t.clock,
    });
    const handlers = {
      ...webhookDeliveryHandlers({
        db,
        cipher,
        publicUrl: PUBLIC_URL,
        allowLocalWebhooks: true,
        timeoutMs: TIMEOUT_MS,
      }),
      ...caseMailHandlers({
        db,
        cipher,
        mailer,
        replySecret: () => instanceSecret(db, cipher, t.clock, 'mail.reply'),
        repliesByMail: false,
      }),
    };
    runJobs = () => createJobRunner({ db, clock: t.clock, handlers }).runDueJobsOnce();
  });
  afterAll(async () => {
    await t.app.close();
    mailer.close();
    await sink.close();
    await receiver.close();
  });

  /** A project of its own (its webhooks see only its cases), with a team member's client. */
  async function project(): Promise<{ slug: string; team: Client }> {
    const slug = `ev${(projects += 1)}`;
    await t.services.projects.createProject(OPERATOR, { slug, name: `Events ${slug}`, preset: 'contour' });
    const member = await createUser(t);
    await seedTeamMember(t.db, slug, member.email);
    return { slug, team: await tokenClient(t, member.id) };
  }

  async function addHook(team: Client, slug: string, path: string, extra: object = {}) {
    const res = await team.request('POST', `/api/v1/projects/${slug}/webhooks`, {
      url: receiver.url(path),
      kind: 'json',
      label: path,
      ...extra,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; secret: string; events: string[] };
  }

  async function file(slug: string) {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/projects/${slug}/reports`,
      payload: {
        subject: `${CANARY} title`,
        reporter: { name: `${CANARY} Reporter`, email: `${CANARY.toLowerCase()}@example.org` },
        reproduction: `${CANARY} report`,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { humanId: string; reporterLink: string };
  }

  const hitsOf = (path: string) => receiver.hits.filter((h) => h.path === path);
  const bodyOf = (h: ReceivedHook | undefined) => JSON.parse(h?.body ?? '{}') as Record<string, unknown>;
  const deliveries = async (team: Client, slug: string, id: string) =>
    (await team.request('GET', `/api/v1/projects/${slug}/webhooks/${id}/deliveries`)).json().deliveries as {
      event: string;
      state: string;
      attempts: number;
      statusCode: number | null;
      lastError: string | null;
      detail: string | null;
    }[];

  it('posts a filed report to the webhooks that receive it: signed, link-only', async () => {
    const { slug, team } = await project();
    const json = await addHook(team, slug, '/received/json');
    const slack = await addHook(team, slug, '/received/slack', { kind: 'slack' });
    const other = await addHook(team, slug, '/received/transitions-only', { events: ['case.transition'] });
    // By default a webhook receives every event.
    expect(json.events).toEqual([...WEBHOOK_EVENTS]);
    expect(other.events).toEqual(['case.transition']);
    const filedAt = t.clock.now().toISOString();
    const { humanId } = await file(slug);
    await runJobs();

    const [hit] = hitsOf('/received/json');
    expect(hitsOf('/received/json')).toHaveLength(1);
    expect(bodyOf(hit)).toEqual({
      version: 1,
      event: 'case.received',
      project: { slug, name: `Events ${slug}` },
      case: { humanId, url: `${PUBLIC_URL}/cases/${humanId}` },
      at: filedAt,
    });
    expect(hit?.headers['x-vigil-event']).toBe('case.received');
    const signed = (h: ReceivedHook | undefined) => ({
      signature: String(h?.headers['x-vigil-signature']),
      timestamp: String(h?.headers['x-vigil-timestamp']),
    });
    expect(verifyWebhook(json.secret, signed(hit), hit?.body ?? '', t.clock.now())).toBe(true);
    expect(verifyWebhook(slack.secret, signed(hit), hit?.body ?? '', t.clock.now())).toBe(false);
    const [slackHit] = hitsOf('/received/slack');
    expect(verifyWebhook(slack.secret, signed(slackHit), slackHit?.body ?? '', t.clock.now())).toBe(true);
    const text = bodyOf(slackHit).text as string;
    expect(text).toContain(humanId);
    expect(text).toContain(`<${PUBLIC_URL}/cases/${humanId}|`);
    // Not subscribed to case.received: nothing.
    expect(hitsOf('/received/transitions-only')).toEqual([]);
    // Link-only: nothing of the report, its title or its reporter.
    for (const h of receiver.hits) {
      expect(h.body.toLowerCase()).not.toContain(CANARY.toLowerCase());
      expect(JSON.stringify(h.headers).toLowerCase()).not.toContain(CANARY.toLowerCase());
    }
    expect(await deliveries(team, slug, json.id)).toMatchObject([
      { event: 'case.received', state: 'sent', attempts: 1, statusCode: 204, detail: null },
    ]);
  });

  it('posts the reminders, the reporter’s message and each transition with its new state', async () => {
    const { slug, team } = await project();
    const hook = await addHook(team, slug, '/flow');
    const { humanId, reporterLink } = await file(slug);
    await runJobs();
    // Past the first-response deadline: the reminders (at half and 80 percent) and the escalation.
    t.clock.advance(60 * 24 * 3_600_000);
    await runJobs();
    const token = reporterLink.split('/r/')[1] ?? '';
    const wrote = await t.app.inject({
      method: 'POST',
      url: `/api/v1/reporter/cases/${token}/messages`,
      payload: { body: `${CANARY} more details` },
    });
    expect(wrote.statusCode, wrote.body).toBe(201);
    const moved = await team.request('POST', `/api/v1/cases/${humanId}/transitions`, { to: 'accepted' });
    expect(moved.statusCode, moved.body).toBe(200);
    await runJobs();

    const events = hitsOf('/flow').map((h) => bodyOf(h));
    // The runner posts several at once: in any order.
    expect(events.map((e) => e.event as string).sort()).toEqual([
      'case.first-response-due',
      'case.first-response-due',
      'case.overdue',
      'case.received',
      'case.reporter-message',
      'case.transition',
    ]);
    expect(events.find((e) => e.event === 'case.transition')).toEqual({
      version: 1,
      event: 'case.transition',
      project: { slug, name: `Events ${slug}` },
      case: { humanId, url: `${PUBLIC_URL}/cases/${humanId}`, state: 'accepted' },
      at: t.clock.now().toISOString(),
    });
    for (const h of hitsOf('/flow')) {
      expect(h.body.toLowerCase()).not.toContain(CANARY.toLowerCase());
      const ok = verifyWebhook(
        hook.secret,
        {
          signature: String(h.headers['x-vigil-signature']),
          timestamp: String(h.headers['x-vigil-timestamp']),
        },
        h.body,
        t.clock.now(),
        100 * 24 * 3600,
      );
      expect(ok).toBe(true);
    }
    const log = await deliveries(team, slug, hook.id);
    expect(log.find((d) => d.event === 'case.transition')).toMatchObject({
      detail: 'accepted',
      state: 'sent',
    });
    expect(log.every((d) => d.state === 'sent')).toBe(true);
    // Running the jobs again posts nothing twice.
    await runJobs();
    expect(hitsOf('/flow')).toHaveLength(6);
  });

  it('retries a 500 with backoff, then sends; fails an always-500 receiver after the last attempt', async () => {
    const { slug, team } = await project();
    const flaky = await addHook(team, slug, '/flaky', { events: ['case.received'] });
    const broken = await addHook(team, slug, '/broken', { events: ['case.received'] });
    receiver.answerNext('/flaky', 500);
    receiver.answerNext('/broken', ...Array.from({ length: WEBHOOK_MAX_ATTEMPTS + 2 }, () => 500));
    await file(slug);
    await runJobs();
    expect(await deliveries(team, slug, flaky.id)).toMatchObject([
      { state: 'queued', attempts: 1, statusCode: 500, lastError: 'The receiver answered 500.' },
    ]);
    // Not before the backoff: nothing more is posted at the same instant.
    await runJobs();
    expect(hitsOf('/flaky')).toHaveLength(1);
    for (let i = 0; i < WEBHOOK_MAX_ATTEMPTS + 2; i++) {
      t.clock.advance(3_600_000);
      await runJobs();
    }
    expect(hitsOf('/flaky')).toHaveLength(2);
    expect(hitsOf('/flaky')[0]?.headers['x-vigil-delivery']).toBe(
      hitsOf('/flaky')[1]?.headers['x-vigil-delivery'],
    );
    expect(await deliveries(team, slug, flaky.id)).toMatchObject([
      { state: 'sent', attempts: 2, statusCode: 204, lastError: null },
    ]);
    expect(hitsOf('/broken')).toHaveLength(WEBHOOK_MAX_ATTEMPTS);
    expect(await deliveries(team, slug, broken.id)).toMatchObject([
      {
        state: 'failed',
        attempts: WEBHOOK_MAX_ATTEMPTS,
        statusCode: 500,
        lastError: 'The receiver answered 500.',
      },
    ]);
  });

  it('times out a receiver that never answers and retries it', async () => {
    const { slug, team } = await project();
    const slow = await addHook(team, slug, '/slow', { events: ['case.received'] });
    receiver.hold();
    try {
      await file(slug);
      await runJobs();
    } finally {
      receiver.release(false);
    }
    const [first] = await deliveries(team, slug, slow.id);
    expect(first).toMatchObject({ state: 'queued', attempts: 1, statusCode: null });
    expect(first?.lastError).toContain(`no answer within ${TIMEOUT_MS} ms`);
    expect(hitsOf('/slow')).toEqual([]);
    t.clock.advance(3_600_000);
    await runJobs();
    expect(hitsOf('/slow')).toHaveLength(1);
    expect(await deliveries(team, slug, slow.id)).toMatchObject([
      { state: 'sent', attempts: 2, statusCode: 204, lastError: null },
    ]);
  });

  it('changes what a webhook receives, and refuses an event that does not exist', async () => {
    const { slug, team } = await project();
    const hook = await addHook(team, slug, '/changed', { events: ['advisory.published'] });
    const url = `/api/v1/projects/${slug}/webhooks/${hook.id}`;
    const bad = await team.request('PATCH', url, { events: ['case.received', 'case.exploded'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues[0].path).toMatch(/^body\.events\.1/);
    expect((await team.request('PATCH', url, { events: [] })).statusCode).toBe(400);
    const created = await team.request('POST', `/api/v1/projects/${slug}/webhooks`, {
      url: receiver.url('/x'),
      kind: 'json',
      label: 'X',
      events: ['case.nope'],
    });
    expect(created.statusCode).toBe(400);
    const ok = await team.request('PATCH', url, { events: ['case.transition', 'case.received'] });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().events).toEqual(['case.received', 'case.transition']);
    const list = await team.request('GET', `/api/v1/projects/${slug}/webhooks`);
    expect(list.json().webhooks[0].events).toEqual(['case.received', 'case.transition']);
    await file(slug);
    await runJobs();
    expect(hitsOf('/changed').map((h) => bodyOf(h).event)).toEqual(['case.received']);
    // A removed webhook is not changed.
    expect((await team.request('DELETE', url)).statusCode).toBe(204);
    expect((await team.request('PATCH', url, { events: ['case.received'] })).statusCode).toBe(404);
  });
});
