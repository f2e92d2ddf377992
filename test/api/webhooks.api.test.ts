/**
 * A project's webhooks (issue 10): https to a public host only (server-side request forgery is
 * refused when the webhook is added and again at each delivery), a signing secret shown once and
 * kept encrypted with the URL (at-rest canaries in the SQLite files and a pg_dump), deliveries to a
 * real local HTTP server retried with backoff on a 5xx and failed at once on a 4xx, nothing posted
 * to a removed webhook, and the delivery log.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createJobRunner, type JobHandlers } from '../../src/jobs/job.runner.js';
import { createKeyring } from '../../src/lib/crypto/keyring.js';
import { webhookDeliveryHandlers } from '../../src/modules/webhooks/webhook-delivery.job.js';
import { verifyWebhook } from '../../src/modules/webhooks/webhook-message.js';
import { getPresetYaml } from '../../src/modules/policy/policy.presets.js';
import {
  buildTestApp,
  createUser,
  OPERATOR,
  PUBLIC_URL,
  tokenClient,
  type Client,
  type TestApp,
  seedTeamMember,
} from '../support/app.js';
import { dumpDatabase } from '../support/db-dump.js';
import { describeEachDb } from '../support/db.js';
import {
  publicationPolicy,
  readyCase,
  startHookReceiver,
  type HookReceiver,
} from '../support/publication.js';

describeEachDb('project webhooks', (get) => {
  let t: TestApp;
  let strictApp: TestApp;
  let team: Client;
  let strictTeam: Client;
  let receiver: HookReceiver;
  let handlers: JobHandlers;
  let strictHandlers: JobHandlers;
  const slug = 'hooks';
  const marker = randomBytes(6).toString('hex');
  let cves = 0;

  const runJobs = (h = handlers) =>
    createJobRunner({ db: get().db, clock: t.clock, handlers: h }).runDueJobsOnce();
  const at = (ms: number) => new Date(t.clock.now().getTime() + ms).toISOString();
  // These webhooks receive the publication only (the case events: webhook-case-events.api.test.ts).
  const add = (client: Client, body: object) =>
    client.request('POST', `/api/v1/projects/${slug}/webhooks`, { events: ['advisory.published'], ...body });
  const publishCase = async (title: string) => {
    const c = await readyCase(t, team, slug, {
      title,
      at: at(10 * 24 * 3_600_000),
      cveId: `CVE-2026-${String(52000 + (cves += 1))}`,
      released: true,
    });
    const res = await team.request('POST', `/api/v1/cases/${c.humanId}/transitions`, { to: 'published' });
    expect(res.statusCode, res.body).toBe(200);
    return c;
  };

  beforeAll(async () => {
    const cipher = createKeyring({ current: randomBytes(32) });
    t = await buildTestApp(get().db, cipher, { allowLocalWebhooks: true });
    // The same database, served by an instance that does not allow local webhooks (the default).
    strictApp = await buildTestApp(get().db, cipher);
    receiver = await startHookReceiver();
    await t.services.projects.createProject(OPERATOR, {
      slug,
      name: 'Hooks',
      policyYaml: publicationPolicy(getPresetYaml('emissary'), []),
    });
    const member = await createUser(t);
    await seedTeamMember(t.db, slug, member.email);
    team = await tokenClient(t, member.id);
    strictTeam = await tokenClient(strictApp, member.id);
    const db = get().db;
    handlers = webhookDeliveryHandlers({ db, cipher, publicUrl: PUBLIC_URL, allowLocalWebhooks: true });
    strictHandlers = webhookDeliveryHandlers({ db, cipher, publicUrl: PUBLIC_URL });
  });
  afterAll(async () => {
    await t.app.close();
    await strictApp.app.close();
    await receiver.close();
  });

  it('refuses a URL that is not https to a public host, naming the field', async () => {
    for (const [url, problem] of [
      ['http://hooks.example.org/x', 'must use https'],
      ['https://127.0.0.1/x', 'must not name a private, loopback or reserved address'],
      ['https://10.0.0.8/x', 'must not name a private, loopback or reserved address'],
      ['https://169.254.169.254/latest/meta-data/', 'must not name a private, loopback or reserved address'],
      ['https://[::ffff:192.168.0.1]/x', 'must not name a private, loopback or reserved address'],
      ['ftp://hooks.example.org/x', 'must use https'],
      ['file:///etc/passwd', 'must use https'],
      ['https://0.0.0.0/x', 'must not name a private, loopback or reserved address'],
      ['https://172.16.4.2/x', 'must not name a private, loopback or reserved address'],
      ['https://[::1]/x', 'must not name a private, loopback or reserved address'],
      ['https://[fe80::1]/x', 'must not name a private, loopback or reserved address'],
      ['https://[fd00::1]/x', 'must not name a private, loopback or reserved address'],
      ['https://localhost/x', 'must not name this host (localhost)'],
      ['https://localhost../x', 'must not name this host (localhost)'],
      ['https://[::127.0.0.1]/x', 'must not name a private, loopback or reserved address'],
      ['https://[::ffff:0:a9fe:a9fe]/x', 'must not name a private, loopback or reserved address'],
      ['https://metadata/x', 'must name a fully qualified host (a name with a dot)'],
      ['https://u:p@hooks.example.org/x', 'must not carry a user name or password'],
      [receiver.url('/x'), 'must use https'],
    ] as const) {
      const res = await add(strictTeam, { url, kind: 'json', label: 'Refused' });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().issues, url).toEqual([{ path: 'url', message: problem }]);
    }
    expect(
      (await add(strictTeam, { url: 'https://x.example.org', kind: 'xml', label: 'K' })).statusCode,
    ).toBe(400);
    expect(
      (await add(strictTeam, { url: 'https://x.example.org', kind: 'json', label: '' })).statusCode,
    ).toBe(400);
    const list = await strictTeam.request('GET', `/api/v1/projects/${slug}/webhooks`);
    expect(list.json().webhooks).toEqual([]);
  });

  it('shows the secret once and keeps it and the URL encrypted at rest', async () => {
    const url = `https://hooks.example.org/services/CANARY-PATH-${marker}`;
    const created = await add(team, { url, kind: 'slack', label: 'Slack #announce' });
    expect(created.statusCode, created.body).toBe(201);
    const { id, secret } = created.json() as { id: string; secret: string };
    expect(secret).toMatch(/^vwhsec_/);
    expect(created.json()).toMatchObject({
      kind: 'slack',
      label: 'Slack #announce',
      origin: 'https://hooks.example.org',
    });
    expect(created.body).not.toContain('CANARY-PATH');
    const list = await team.request('GET', `/api/v1/projects/${slug}/webhooks`);
    expect(list.json().webhooks).toEqual([
      {
        id,
        kind: 'slack',
        label: 'Slack #announce',
        origin: 'https://hooks.example.org',
        state: 'active',
        events: ['advisory.published'],
        createdAt: t.clock.now().toISOString(),
        removedAt: null,
      },
    ]);
    expect(list.body).not.toContain(secret);
    const audit = await get()
      .db.kysely.selectFrom('audit_events')
      .select('data_json')
      .where('action', '=', 'webhook.created')
      .execute();
    expect(audit.map((a) => JSON.parse(a.data_json))).toEqual([
      { webhookId: id, kind: 'slack', origin: 'https://hooks.example.org', events: ['advisory.published'] },
    ]);
    const dump = await dumpDatabase(get());
    // The dump holds the webhook's row (its origin is shown in clear), not its secret nor its path.
    expect(dump).toContain('Slack #announce');
    expect(dump).not.toContain(secret);
    expect(dump).not.toContain(secret.slice('vwhsec_'.length));
    expect(dump).not.toContain(`CANARY-PATH-${marker}`);
    // Removed: no further delivery (the other tests' publications post nothing to it).
    expect((await team.request('DELETE', `/api/v1/projects/${slug}/webhooks/${id}`)).statusCode).toBe(204);
    expect((await team.request('DELETE', `/api/v1/projects/${slug}/webhooks/${id}`)).statusCode).toBe(204);
    expect((await team.request('GET', `/api/v1/projects/${slug}/webhooks`)).json().webhooks).toEqual([]);
    const log = await team.request('GET', `/api/v1/projects/${slug}/webhooks/${id}/deliveries`);
    expect(log.json()).toMatchObject({ webhook: { id, state: 'removed' }, deliveries: [] });
  });

  it('retries a 5xx with backoff, fails a 4xx at once, and logs each delivery', async () => {
    const flaky = (await add(team, { url: receiver.url('/flaky'), kind: 'json', label: 'Flaky' })).json();
    const gone = (await add(team, { url: receiver.url('/gone'), kind: 'json', label: 'Gone' })).json();
    receiver.answerNext('/flaky', 503);
    const c = await publishCase('Retried hook');
    await runJobs();
    const flakyHits = () => receiver.hits.filter((h) => h.path === '/flaky');
    expect(flakyHits()).toHaveLength(1);
    let log = await team.request('GET', `/api/v1/projects/${slug}/webhooks/${flaky.id}/deliveries`);
    expect(log.json().deliveries).toMatchObject([
      {
        caseHumanId: c.humanId,
        state: 'queued',
        attempts: 1,
        statusCode: 503,
        lastError: 'The receiver answered 503.',
        deliveredAt: null,
      },
    ]);
    t.clock.advance(60_000);
    await runJobs();
    expect(flakyHits()).toHaveLength(2);
    log = await team.request('GET', `/api/v1/projects/${slug}/webhooks/${flaky.id}/deliveries`);
    expect(log.json().deliveries).toMatchObject([
      {
        state: 'sent',
        attempts: 2,
        statusCode: 204,
        lastError: null,
        deliveredAt: t.clock.now().toISOString(),
      },
    ]);
    // Both attempts carry the same delivery id, each its own valid signature.
    const [first, second] = flakyHits();
    expect(first?.headers['x-vigil-delivery']).toBe(second?.headers['x-vigil-delivery']);
    expect(
      verifyWebhook(
        flaky.secret,
        {
          signature: String(second?.headers['x-vigil-signature']),
          timestamp: String(second?.headers['x-vigil-timestamp']),
        },
        second?.body ?? '',
        t.clock.now(),
      ),
    ).toBe(true);

    // A 4xx: failed at once, no retry.
    receiver.answerNext('/gone', 410);
    const d = await publishCase('Refused hook');
    await runJobs();
    t.clock.advance(10 * 60_000);
    await runJobs();
    const goneLog = await team.request('GET', `/api/v1/projects/${slug}/webhooks/${gone.id}/deliveries`);
    expect(goneLog.json().deliveries[0]).toMatchObject({
      caseHumanId: d.humanId,
      state: 'failed',
      attempts: 1,
      statusCode: 410,
      lastError: 'The receiver answered 410.',
    });
    expect(receiver.hits.filter((h) => h.path === '/gone' && h.body.includes(d.advisoryId))).toHaveLength(1);
    expect(receiver.hits.filter((h) => h.path === '/flaky' && h.body.includes(d.advisoryId))).toHaveLength(1);
  });

  it('refuses at delivery a URL the instance does not allow (checked again, not only when added)', async () => {
    const local = (
      await add(team, { url: receiver.url('/local-only'), kind: 'json', label: 'Local' })
    ).json();
    await publishCase('Checked again');
    // Delivered by an instance that does not allow local webhooks: refused, never posted.
    await runJobs(strictHandlers);
    expect(receiver.hits.filter((h) => h.path === '/local-only')).toEqual([]);
    const log = await team.request('GET', `/api/v1/projects/${slug}/webhooks/${local.id}/deliveries`);
    expect(log.json().deliveries).toMatchObject([
      {
        state: 'failed',
        attempts: 1,
        statusCode: null,
        lastError: "The webhook's URL is refused: it must use https.",
      },
    ]);
  });

  it('answers 404 for a webhook of another project or none', async () => {
    await t.services.projects.createProject(OPERATOR, {
      slug: 'hooks-other',
      name: 'Other',
      policyYaml: publicationPolicy(getPresetYaml('emissary'), []),
    });
    const mine = (
      await add(team, { url: 'https://hooks.example.org/mine', kind: 'json', label: 'Mine' })
    ).json();
    // The team of `hooks` is not on `hooks-other`: the project itself is not found.
    const other = await team.request('GET', `/api/v1/projects/hooks-other/webhooks/${mine.id}/deliveries`);
    expect(other.statusCode).toBe(404);
    const none = await team.request('DELETE', `/api/v1/projects/${slug}/webhooks/${randomUUID()}`);
    expect(none.statusCode).toBe(404);
    expect(none.json().code).toBe('not_found');
  });
});
