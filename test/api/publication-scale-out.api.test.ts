/**
 * Two Vigil instances on one database (on PostgreSQL each with its own connection pool), each with
 * its own job runner: the publication fires once at the instant, and every message goes out once.
 * Then the worst case of at-least-once delivery: the publication job run by both instances at the
 * same moment (a lease lost while the first still works) still publishes once.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/db/connection.js';
import { createJobRunner, type JobContext, type JobHandlers } from '../../src/jobs/job.runner.js';
import { createKeyring } from '../../src/lib/crypto/keyring.js';
import { createMailer } from '../../src/mail/outbound/mailer.js';
import { publicationJobHandlers } from '../../src/modules/embargo/publication/publication.job.js';
import { publicationMailHandlers } from '../../src/modules/embargo/publication/publication-mail.job.js';
import { PUBLISH_JOB } from '../../src/modules/embargo/publication/publication.steps.js';
import { webhookDeliveryHandlers } from '../../src/modules/webhooks/webhook-delivery.job.js';
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
import { describeEachDb } from '../support/db.js';
import {
  publicationPolicy,
  readyCase,
  shareWithDistributor,
  startHookReceiver,
  type HookReceiver,
} from '../support/publication.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

const DAY = 24 * 3_600_000;
const ADDRESSES = ['all@lists.example.org', 'news@example.org', 'ops@example.org'];

describeEachDb('publication with two instances', (get, dialect) => {
  let a: TestApp;
  let b: TestApp;
  let dbB: Db;
  let team: Client;
  let sink: SmtpSink;
  let receiver: HookReceiver;
  const handlers: Record<'a' | 'b', JobHandlers> = { a: {}, b: {} };
  let cves = 0;

  const instances = () =>
    [
      { t: a, db: get().db, h: handlers.a },
      { t: b, db: dbB, h: handlers.b },
    ] as const;
  /** Both instances' runners at once, until neither finds a due job. */
  async function runBoth(): Promise<void> {
    for (;;) {
      const ran = await Promise.all(
        instances().map(({ t, db, h }, i) =>
          createJobRunner({ db, clock: t.clock, handlers: h, workerId: `instance-${i}` }).runDueJobsOnce(),
        ),
      );
      if (ran.every((r) => r.ran === 0)) return;
    }
  }
  const setClocks = (iso: string) => {
    a.clock.set(iso);
    b.clock.set(iso);
  };

  beforeAll(async () => {
    const cipher = createKeyring({ current: randomBytes(32) });
    // PostgreSQL: the second instance has its own pool. SQLite serves one host: the same file handle.
    dbB =
      dialect === 'postgres' ? openDb({ databaseUrl: get().location.databaseUrl, poolSize: 5 }) : get().db;
    a = await buildTestApp(get().db, cipher, { allowLocalWebhooks: true });
    b = await buildTestApp(dbB, cipher, { allowLocalWebhooks: true });
    sink = await startSmtpSink();
    receiver = await startHookReceiver();
    for (const [name, t, db] of [
      ['a', a, get().db],
      ['b', b, dbB],
    ] as const) {
      const mailer = createMailer({
        smtpUrl: sink.url,
        from: 'Vigil <vigil@vigil.test>',
        replyDomain: 'vigil.test',
        publicUrl: PUBLIC_URL,
        clock: t.clock,
      });
      handlers[name] = {
        ...publicationJobHandlers({ db, cipher }),
        ...publicationMailHandlers({ db, cipher, mailer }),
        ...webhookDeliveryHandlers({ db, cipher, publicUrl: PUBLIC_URL, allowLocalWebhooks: true }),
      };
    }
    await a.services.projects.createProject(OPERATOR, {
      slug: 'twice',
      name: 'Twice',
      policyYaml: publicationPolicy(getPresetYaml('emissary'), ADDRESSES),
    });
    const member = await createUser(a);
    await seedTeamMember(a.db, 'twice', member.email);
    team = await tokenClient(a, member.id);
    const hook = await team.request('POST', '/api/v1/projects/twice/webhooks', {
      url: receiver.url('/twice'),
      kind: 'json',
      label: 'Twice',
      events: ['advisory.published'],
    });
    expect(hook.statusCode, hook.body).toBe(201);
  });
  afterAll(async () => {
    await a.app.close();
    await b.app.close();
    if (dbB !== get().db) await dbB.close();
    await sink.close();
    await receiver.close();
  });

  async function expectPublishedOnce(c: { caseId: string; advisoryId: string }, followUps: string[]) {
    const k = get().db.kysely;
    const published = await k
      .selectFrom('audit_events')
      .select('action')
      .where('subject_id', '=', c.caseId)
      .where('action', 'in', ['case.published', 'publication.published'])
      .execute();
    expect(published.map((p) => p.action).sort()).toEqual(['case.published', 'publication.published']);
    const mails = sink.messages.filter((m) => m.rawHeaders.get('x-vigil-advisory')?.[0] === c.advisoryId);
    const announced = mails.filter((m) => m.subject.includes('fixed in')).flatMap((m) => m.envelope.to);
    expect(announced.sort()).toEqual([...ADDRESSES].sort());
    const followed = mails
      .filter((m) => m.subject.includes('Releases are out'))
      .flatMap((m) => m.envelope.to);
    expect(followed.sort()).toEqual([...followUps].sort());
    expect(receiver.hits.filter((h) => h.body.includes(c.advisoryId))).toHaveLength(1);
    const advisory = await k
      .selectFrom('advisories')
      .select('state')
      .where('case_id', '=', c.caseId)
      .executeTakeFirstOrThrow();
    expect(advisory.state).toBe('published');
  }

  it('fires the publication once at the instant, with both runners polling', async () => {
    const instant = new Date(a.clock.now().getTime() + DAY).toISOString();
    const c = await readyCase(a, team, 'twice', {
      title: 'Both runners',
      at: instant,
      cveId: `CVE-2026-${String(63000 + (cves += 1))}`,
      released: true,
    });
    const people = await shareWithDistributor(a, get().db, 'twice', c.caseId, 2);
    setClocks(new Date(Date.parse(instant) - 1).toISOString());
    await runBoth();
    expect(sink.messages.filter((m) => m.subject.includes('fixed in'))).toEqual([]);
    setClocks(instant);
    await runBoth();
    await expectPublishedOnce(c, people.active);
  });

  it('publishes once when both instances run the same publication job at the same moment', async () => {
    const instant = new Date(a.clock.now().getTime() + DAY).toISOString();
    const c = await readyCase(a, team, 'twice', {
      title: 'Lost lease',
      at: instant,
      cveId: `CVE-2026-${String(63000 + (cves += 1))}`,
      released: true,
    });
    const people = await shareWithDistributor(a, get().db, 'twice', c.caseId, 1);
    setClocks(instant);
    const job = await get()
      .db.kysely.selectFrom('jobs')
      .select(['id', 'payload_json'])
      .where('kind', '=', PUBLISH_JOB)
      .where('payload_json', 'like', `%${c.caseId}%`)
      .executeTakeFirstOrThrow();
    const payload = JSON.parse(job.payload_json) as { caseId: string; generation: number };
    const ctx = (t: TestApp): JobContext => ({
      jobId: job.id,
      kind: PUBLISH_JOB,
      attempt: 1,
      maxAttempts: 5,
      clock: t.clock,
      signal: new AbortController().signal,
    });
    // The handler itself, twice at once from each instance (what a lost lease can lead to).
    const outcomes = await Promise.allSettled(
      instances().flatMap(({ t, h }) => [0, 1].map(() => h[PUBLISH_JOB]?.handle(payload, ctx(t)))),
    );
    // A loser may fail (a serialisation refusal is retried by the runner), but none publishes twice.
    for (const o of outcomes) {
      if (o.status === 'rejected') expect(String(o.reason)).not.toMatch(/unique|duplicate/i);
    }
    await runBoth();
    await expectPublishedOnce(c, people.active);
    const pub = await get()
      .db.kysely.selectFrom('case_publications')
      .select(['state', 'generation'])
      .where('case_id', '=', c.caseId)
      .executeTakeFirstOrThrow();
    expect(pub).toEqual({ state: 'published', generation: 1 });
    const holds = await get()
      .db.kysely.selectFrom('publication_holds')
      .select('id')
      .where('case_id', '=', c.caseId)
      .execute();
    expect(holds).toEqual([]);
  });
});
