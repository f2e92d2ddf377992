/**
 * Publication at the agreed instant (PROCESS.md §8; issue 10, item 6), with a real SMTP sink and a
 * real HTTP receiver for the webhooks: nothing before the instant; at it, the advisory is published
 * with its CVE id and every message (announcement per address, webhook, distributors' follow-up)
 * goes out once; a hold while a release is unpublished (one alert, retries, publication once the
 * release is recorded); the team's own publication has the same effects once; the "a fix is
 * coming" notice ahead of the instant; an SMTP server refusing, then accepting; the publication
 * record the team reads.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createJobRunner, type JobHandlers } from '../../src/jobs/job.runner.js';
import { createKeyring } from '../../src/lib/crypto/keyring.js';
import { createMailer } from '../../src/mail/outbound/mailer.js';
import { publicationJobHandlers } from '../../src/modules/embargo/publication/publication.job.js';
import { publicationMailHandlers } from '../../src/modules/embargo/publication/publication-mail.job.js';
import { schedulePublication } from '../../src/modules/embargo/publication/publication.steps.js';
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
import { describeEachDb } from '../support/db.js';
import {
  publicationPolicy,
  readyCase,
  recordRelease,
  shareWithDistributor,
  startHookReceiver,
  type HookReceiver,
} from '../support/publication.js';
import { startSmtpSink, type ParsedSinkMessage, type SmtpSink } from '../support/smtp-sink.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ADDRESSES = ['users@lists.example.org', 'announce@example.org'];

describeEachDb('publication at the agreed instant', (get) => {
  let t: TestApp;
  let team: Client;
  let teamEmail: string;
  let sink: SmtpSink;
  let receiver: HookReceiver;
  let handlers: JobHandlers;
  let cves = 0;

  const k = () => get().db.kysely;
  const runJobs = () => createJobRunner({ db: get().db, clock: t.clock, handlers }).runDueJobsOnce();
  const at = (ms: number) => new Date(t.clock.now().getTime() + ms).toISOString();
  const nextCve = () => `CVE-2026-${String(41000 + (cves += 1))}`;
  const header = (m: ParsedSinkMessage, name: string) => m.rawHeaders.get(name)?.[0];
  const mailsAbout = (advisoryId: string) =>
    sink.messages.filter((m) => header(m, 'x-vigil-advisory') === advisoryId);
  const to = (m: ParsedSinkMessage) => m.envelope.to.join(',');
  const audits = async (caseId: string, action: string) =>
    (
      await k()
        .selectFrom('audit_events')
        .select('id')
        .where('subject_id', 'in', [caseId])
        .where('action', '=', action)
        .execute()
    ).length;
  const publication = async (humanId: string) => {
    const res = await team.request('GET', `/api/v1/cases/${humanId}/publication`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const caseState = async (caseId: string) =>
    (await k().selectFrom('cases').select('state').where('id', '=', caseId).executeTakeFirstOrThrow()).state;
  /** The advisory's state, and its CVE id as the team reads it (stored encrypted). */
  const advisoryState = async (caseId: string) => {
    const { state } = await k()
      .selectFrom('advisories')
      .select('state')
      .where('case_id', '=', caseId)
      .executeTakeFirstOrThrow();
    const view = await team.request('GET', `/api/v1/cases/${caseId}/advisory`);
    expect(view.statusCode, view.body).toBe(200);
    return { state, cve_id: (view.json() as { cveId: string | null }).cveId };
  };

  async function project(slug: string, addresses: string[]): Promise<void> {
    await t.services.projects.createProject(OPERATOR, {
      slug,
      name: `Emissary ${slug}`,
      policyYaml: publicationPolicy(getPresetYaml('emissary'), addresses),
    });
    await seedTeamMember(t.db, slug, teamEmail);
  }

  async function webhook(slug: string, kind: 'json' | 'slack', path: string) {
    const res = await team.request('POST', `/api/v1/projects/${slug}/webhooks`, {
      url: receiver.url(path),
      kind,
      label: `${kind} receiver`,
      events: ['advisory.published'],
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; secret: string };
  }

  beforeAll(async () => {
    const cipher = createKeyring({ current: randomBytes(32) });
    t = await buildTestApp(get().db, cipher, { allowLocalWebhooks: true });
    sink = await startSmtpSink();
    receiver = await startHookReceiver();
    const mailer = createMailer({
      smtpUrl: sink.url,
      from: 'Vigil <vigil@vigil.test>',
      replyDomain: 'vigil.test',
      publicUrl: PUBLIC_URL,
      clock: t.clock,
    });
    const db = get().db;
    handlers = {
      ...publicationJobHandlers({ db, cipher }),
      ...publicationMailHandlers({ db, cipher, mailer }),
      ...webhookDeliveryHandlers({ db, cipher, publicUrl: PUBLIC_URL, allowLocalWebhooks: true }),
    };
    const member = await createUser(t);
    teamEmail = member.email;
    team = await tokenClient(t, member.id);
  });
  afterAll(async () => {
    await t.app.close();
    await sink.close();
    await receiver.close();
  });

  it('publishes at the instant, not before, and sends every message once', async () => {
    await project('pub-once', ADDRESSES);
    const json = await webhook('pub-once', 'json', '/hooks/json');
    const slack = await webhook('pub-once', 'slack', '/hooks/slack');
    const instant = at(2 * DAY);
    const c = await readyCase(t, team, 'pub-once', {
      title: 'Header crash',
      at: instant,
      cveId: nextCve(),
      released: true,
    });
    const distributors = await shareWithDistributor(t, get().db, 'pub-once', c.caseId, 2);
    expect(await publication(c.humanId)).toMatchObject({ state: 'scheduled', scheduledFor: instant });

    // The "fix is coming" notice: not before the policy's window opens (a day after acceptance).
    t.clock.advance(DAY - HOUR);
    await runJobs();
    expect(sink.messages.filter((m) => m.subject.includes('will be released'))).toEqual([]);
    t.clock.advance(HOUR);
    await runJobs();
    const notices = sink.messages.filter((m) => m.subject.includes('a security fix will be released'));
    expect(notices.map(to).sort()).toEqual([...ADDRESSES].sort());
    expect(notices[0]?.text).toContain('Put a header size limit in front of the listener.');
    expect(notices[0]?.text).not.toContain(c.cveId);
    const told = await k()
      .selectFrom('cases')
      .select('users_told_at')
      .where('id', '=', c.caseId)
      .executeTakeFirstOrThrow();
    expect(told.users_told_at).toBe(t.clock.now().toISOString());
    expect(await audits(c.caseId, 'case.users_told_of_fix')).toBe(1);

    // One second before the instant: nothing is public.
    t.clock.set(new Date(Date.parse(instant) - 1000));
    await runJobs();
    expect(await caseState(c.caseId)).toBe('disclosure-scheduled');
    expect((await advisoryState(c.caseId)).state).toBe('draft');
    expect(mailsAbout(c.advisoryId).filter((m) => !m.subject.includes('will be released'))).toEqual([]);
    expect(receiver.hits).toEqual([]);

    // At the instant.
    t.clock.set(instant);
    await runJobs();
    await runJobs();
    expect(await caseState(c.caseId)).toBe('published');
    expect(await advisoryState(c.caseId)).toEqual({ state: 'published', cve_id: c.cveId });
    const announcements = mailsAbout(c.advisoryId).filter(
      (m) => m.subject.startsWith('[SECURITY]') && m.subject.includes('fixed in'),
    );
    expect(announcements.map(to).sort()).toEqual([...ADDRESSES].sort());
    expect(announcements[0]?.subject).toContain(c.cveId);
    expect(announcements[0]?.subject).toContain('1.28.4');
    const followUps = mailsAbout(c.advisoryId).filter((m) => m.subject.includes('Releases are out'));
    expect(followUps.map(to).sort()).toEqual([...distributors.active].sort());
    expect(followUps[0]?.text).toContain(`${PUBLIC_URL}/p/pub-once/advisories/${c.advisoryId}`);
    expect(followUps[0]?.text).toContain('1.28.4');
    expect(followUps.map(to)).not.toContain(distributors.removed);

    // The webhooks: each posted once, signed with its own secret, only public data.
    expect(receiver.hits.map((h) => h.path).sort()).toEqual(['/hooks/json', '/hooks/slack']);
    for (const [hook, path] of [
      [json, '/hooks/json'],
      [slack, '/hooks/slack'],
    ] as const) {
      const hit = receiver.hits.find((h) => h.path === path);
      if (!hit) throw new Error(`no hit on ${path}`);
      const headers = {
        signature: String(hit.headers['x-vigil-signature']),
        timestamp: String(hit.headers['x-vigil-timestamp']),
      };
      expect(verifyWebhook(hook.secret, headers, hit.body, t.clock.now())).toBe(true);
      expect(verifyWebhook(hook.secret, headers, hit.body.replace('Header', 'Footer'), t.clock.now())).toBe(
        false,
      );
      expect(
        verifyWebhook(json === hook ? slack.secret : json.secret, headers, hit.body, t.clock.now()),
      ).toBe(false);
    }
    const body = JSON.parse(receiver.hits.find((h) => h.path === '/hooks/json')?.body ?? '{}');
    expect(body).toEqual({
      version: 1,
      event: 'advisory.published',
      project: { slug: 'pub-once', name: 'Emissary pub-once' },
      advisory: {
        id: c.advisoryId,
        cveId: c.cveId,
        title: 'Header crash',
        summary: 'Header crash: a crafted header crashes the listener',
        severity: { score: 9.6, severity: 'critical', vector: expect.stringContaining('CVSS:3.1/') },
        url: `${PUBLIC_URL}/p/pub-once/advisories/${c.advisoryId}`,
        publishedAt: instant,
      },
    });
    const slackText = JSON.parse(receiver.hits.find((h) => h.path === '/hooks/slack')?.body ?? '{}').text;
    expect(slackText).toContain(c.cveId);

    // Running again (another instance, a lost lease) sends nothing more.
    const before = sink.messages.length;
    await runJobs();
    expect(sink.messages.length).toBe(before);
    expect(receiver.hits).toHaveLength(2);
    expect(await audits(c.caseId, 'case.published')).toBe(1);
    expect(await audits(c.caseId, 'publication.published')).toBe(1);

    // The export of the published advisory is public: TLP:CLEAR with its CVE id.
    const osv = await team.request('GET', `/api/v1/cases/${c.humanId}/advisory/export?format=osv`);
    expect(osv.json().aliases).toContain(c.cveId);
    expect(osv.json().database_specific.tlp).toBe('CLEAR');

    const view = await publication(c.humanId);
    expect(view).toMatchObject({
      state: 'published',
      publishedAt: instant,
      publishedBy: 'Vigil, at the agreed instant',
      holds: [],
      announcement: { note: null },
      fixComing: { wanted: true, queuedFor: instant },
    });
    expect(view.announcement.messages.map((m: { state: string }) => m.state)).toEqual(['sent', 'sent']);
    expect(view.fixComing.messages.map((m: { state: string }) => m.state)).toEqual(['sent', 'sent']);
    expect(view.followUps.map((m: { state: string }) => m.state)).toEqual(['sent', 'sent']);
    expect(view.webhooks.map((w: { state: string; statusCode: number }) => [w.state, w.statusCode])).toEqual([
      ['sent', 204],
      ['sent', 204],
    ]);

    // The notice went once, whatever ran since.
    expect(sink.messages.filter((m) => m.subject.includes('a security fix will be released'))).toHaveLength(
      2,
    );

    // The webhook's own delivery log.
    const log = await team.request('GET', `/api/v1/projects/pub-once/webhooks/${json.id}/deliveries`);
    expect(log.json().deliveries).toMatchObject([
      { caseHumanId: c.humanId, event: 'advisory.published', state: 'sent', attempts: 1, statusCode: 204 },
    ]);
    receiver.hits.length = 0;
  });

  it('holds while a release is unpublished: one alert, retries, then publishes once the release is out', async () => {
    await project('pub-hold', ['hold-users@example.org']);
    const instant = at(DAY);
    const c = await readyCase(t, team, 'pub-hold', {
      title: 'Held release',
      at: instant,
      cveId: nextCve(),
      released: false,
    });
    t.clock.set(instant);
    await runJobs();
    expect(await caseState(c.caseId)).toBe('disclosure-scheduled');
    const alerts = () => sink.messages.filter((m) => m.subject.includes(`${c.humanId}: publication held`));
    expect(alerts()).toHaveLength(1);
    expect(alerts()[0]?.envelope.to).toEqual([teamEmail]);
    expect(alerts()[0]?.text).not.toContain('1.28');
    let view = await publication(c.humanId);
    expect(view).toMatchObject({ state: 'held', nextAttemptAt: at(15 * 60_000), retryable: true });
    expect(view.holds).toMatchObject([
      { endedAt: null, attempts: 1, reasons: ['The patch release on 1.28 is not published (not recorded).'] },
    ]);
    expect(await audits(c.caseId, 'publication.held')).toBe(1);

    // Fifteen minutes later it tries again, still held: no second alert.
    t.clock.advance(15 * 60_000);
    await runJobs();
    view = await publication(c.humanId);
    expect(view.holds).toMatchObject([{ attempts: 2, endedAt: null }]);
    expect(alerts()).toHaveLength(1);

    // The release is recorded: the publication is tried at once and goes out.
    await recordRelease(team, c.humanId);
    await runJobs();
    await runJobs();
    expect(await caseState(c.caseId)).toBe('published');
    view = await publication(c.humanId);
    expect(view).toMatchObject({ state: 'published', nextAttemptAt: null, retryable: false });
    expect(view.holds).toMatchObject([{ endedAt: t.clock.now().toISOString(), endedBy: 'published' }]);
    expect(
      mailsAbout(c.advisoryId)
        .filter((m) => m.subject.includes('fixed in'))
        .map(to),
    ).toEqual(['hold-users@example.org']);
    // The retry that was queued for later finds it published and does nothing.
    t.clock.advance(15 * 60_000);
    await runJobs();
    expect(await audits(c.caseId, 'case.published')).toBe(1);
    expect((await publication(c.humanId)).holds).toHaveLength(1);
    expect(alerts()).toHaveLength(1);
  });

  it('retries a held publication on request, and refuses a retry with nothing to retry', async () => {
    await project('pub-retry', []);
    const instant = at(DAY);
    const c = await readyCase(t, team, 'pub-retry', {
      title: 'Retry',
      at: instant,
      cveId: nextCve(),
      released: false,
    });
    // Scheduled, not held, and the notice's window opens only at the instant: nothing to retry.
    const early = await team.request('POST', `/api/v1/cases/${c.humanId}/publication/retry`);
    expect(early.statusCode, early.body).toBe(409);
    t.clock.set(instant);
    await runJobs();
    expect((await publication(c.humanId)).state).toBe('held');
    // Recorded directly (as an import or a fix to the data would), so that only the retry tries again.
    await k()
      .insertInto('case_releases')
      .values({
        id: randomUUID(),
        case_id: c.caseId,
        line: '1.28',
        version: '1.28.4',
        planned_at: null,
        state: 'published',
        url: null,
        override_reason_enc: null,
        override_by: null,
        override_at: null,
        updated_at: t.clock.now().toISOString(),
      })
      .execute();
    const retried = await team.request('POST', `/api/v1/cases/${c.humanId}/publication/retry`);
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json()).toMatchObject({ state: 'held', nextAttemptAt: t.clock.now().toISOString() });
    await runJobs();
    const view = await publication(c.humanId);
    expect(view).toMatchObject({
      state: 'published',
      announcement: {
        addresses: [],
        note: 'The policy names no announcement address (disclosure.announcement.addresses): no announcement was mailed.',
        messages: [],
      },
    });
    const again = await team.request('POST', `/api/v1/cases/${c.humanId}/publication/retry`);
    expect(again.statusCode).toBe(409);
    expect(await audits(c.caseId, 'publication.retry_requested')).toBe(1);
  });

  it('gives the team’s own publication the same effects, once', async () => {
    await project('pub-team', ['team-users@example.org']);
    await webhook('pub-team', 'json', '/hooks/team');
    const c = await readyCase(t, team, 'pub-team', {
      title: 'By hand',
      at: at(10 * DAY),
      cveId: nextCve(),
      released: true,
    });
    const distributors = await shareWithDistributor(t, get().db, 'pub-team', c.caseId, 1);
    const published = await team.request('POST', `/api/v1/cases/${c.humanId}/transitions`, {
      to: 'published',
    });
    expect(published.statusCode, published.body).toBe(200);
    expect(await advisoryState(c.caseId)).toEqual({ state: 'published', cve_id: c.cveId });
    await runJobs();
    const mails = mailsAbout(c.advisoryId).filter((m) => !m.subject.includes('will be released'));
    expect(mails.map(to).sort()).toEqual(['team-users@example.org', ...distributors.active].sort());
    expect(receiver.hits.filter((h) => h.path === '/hooks/team')).toHaveLength(1);
    expect((await publication(c.humanId)).publishedBy).not.toBe('Vigil, at the agreed instant');

    // The scheduled instant comes: the job finds it published and does nothing.
    t.clock.set(at(10 * DAY + HOUR));
    await runJobs();
    expect(mailsAbout(c.advisoryId).filter((m) => !m.subject.includes('will be released'))).toHaveLength(2);
    expect(receiver.hits.filter((h) => h.path === '/hooks/team')).toHaveLength(1);
    expect(await audits(c.caseId, 'publication.published')).toBe(1);
    receiver.hits.length = 0;
  });

  it('refuses the team’s publication when the announcement cannot be written, naming what it lacks', async () => {
    await project('pub-lacks', ['lacks@example.org']);
    const c = await readyCase(t, team, 'pub-lacks', {
      title: 'Lacks',
      at: at(5 * DAY),
      cveId: nextCve(),
      released: true,
    });
    const adv = await team.request('GET', `/api/v1/cases/${c.humanId}/advisory`);
    const saved = await team.request('PUT', `/api/v1/cases/${c.humanId}/advisory`, {
      baseRevision: adv.json().revision,
      document: { ...adv.json().document, summary: '' },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const refused = await team.request('POST', `/api/v1/cases/${c.humanId}/transitions`, { to: 'published' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().issues).toEqual([
      { path: 'document.summary', message: expect.stringContaining('announcement') },
    ]);
    expect(await caseState(c.caseId)).toBe('disclosure-scheduled');
    expect((await advisoryState(c.caseId)).state).toBe('draft');
    // At the instant the schedule holds it, with the same reason.
    t.clock.set(at(5 * DAY));
    await runJobs();
    const view = await publication(c.humanId);
    expect(view.state).toBe('held');
    expect(view.holds[0].reasons.join(' ')).toContain('document.summary');
  });

  it('retries a mail the SMTP server refuses, and sends it once', async () => {
    await project('pub-smtp', ['smtp-users@example.org']);
    const instant = at(DAY);
    const c = await readyCase(t, team, 'pub-smtp', {
      title: 'SMTP',
      at: instant,
      cveId: nextCve(),
      released: true,
    });
    t.clock.set(instant);
    sink.failNext(1);
    await runJobs();
    expect(await caseState(c.caseId)).toBe('published');
    const announcement = () => mailsAbout(c.advisoryId).filter((m) => m.subject.includes('fixed in'));
    expect(announcement()).toEqual([]);
    let view = await publication(c.humanId);
    expect(view.announcement.messages).toMatchObject([
      {
        recipient: 'smtp-users@example.org',
        state: 'queued',
        attempts: 1,
        lastError: expect.stringContaining('451'),
      },
    ]);
    t.clock.advance(60_000);
    await runJobs();
    t.clock.advance(60_000);
    await runJobs();
    expect(announcement().map(to)).toEqual(['smtp-users@example.org']);
    view = await publication(c.humanId);
    expect(view.announcement.messages).toMatchObject([{ state: 'sent', attempts: 2, lastError: null }]);
  });

  it('names in the follow-up only the versions it can, and fails a message that cannot be written, with the reason', async () => {
    await project('pub-versions', ['versions-users@example.org']);
    const publishOnly = () =>
      createJobRunner({
        db: get().db,
        clock: t.clock,
        handlers: { 'publication.publish': handlers['publication.publish'] } as JobHandlers,
      }).runDueJobsOnce();
    const instant = at(DAY);
    const cases = [];
    for (const title of ['Epoch version', 'Odd advisory id']) {
      const c = await readyCase(t, team, 'pub-versions', {
        title,
        at: instant,
        cveId: nextCve(),
        released: true,
      });
      await shareWithDistributor(t, get().db, 'pub-versions', c.caseId, 1);
      cases.push(c);
    }
    const [epoch, odd] = cases as [(typeof cases)[number], (typeof cases)[number]];
    t.clock.set(instant);
    await publishOnly();
    for (const c of cases) expect(await caseState(c.caseId)).toBe('published');
    // A version the follow-up's template does not accept (a Debian epoch): left out, not a failure.
    await k()
      .updateTable('case_releases')
      .set({ version: '1:2.3-4' })
      .where('case_id', '=', epoch.caseId)
      .execute();
    // An advisory id the template refuses: the follow-up cannot be written at all.
    await k()
      .updateTable('advisories')
      .set({ advisory_id: 'not an id' })
      .where('case_id', '=', odd.caseId)
      .execute();
    await runJobs();
    await runJobs();

    const followUp = mailsAbout(epoch.advisoryId).filter((m) => m.subject.includes('Releases are out'));
    expect(followUp).toHaveLength(1);
    expect(followUp[0]?.text.replace(/\s+/g, ' ')).toContain(
      'The releases with the fix are out: the advisory lists them.',
    );
    expect((await publication(epoch.humanId)).followUps.map((m: { state: string }) => m.state)).toEqual([
      'sent',
    ]);

    const failed = (await publication(odd.humanId)).followUps;
    expect(failed).toEqual([
      expect.objectContaining({
        state: 'failed',
        attempts: 1,
        lastError: expect.stringMatching(/could not be written.*advisoryId/),
      }),
    ]);
    // Failed for good: later runs try nothing more.
    t.clock.advance(HOUR);
    await runJobs();
    expect((await publication(odd.humanId)).followUps).toEqual([
      expect.objectContaining({ state: 'failed', attempts: 1 }),
    ]);
  });

  it('moves with a new instant, and stops when the case goes back to work', async () => {
    await project('pub-move', ['move-users@example.org']);
    const first = at(DAY);
    const c = await readyCase(t, team, 'pub-move', {
      title: 'Moved',
      at: first,
      cveId: nextCve(),
      released: true,
    });
    const second = at(3 * DAY);
    // Part C's decision moves the instant of a case already scheduled: it calls the same step.
    await k()
      .transaction()
      .execute(async (trx) => {
        await trx.updateTable('cases').set({ disclosure_at: second }).where('id', '=', c.caseId).execute();
        await schedulePublication(trx, t.clock, c.caseId, second);
      });
    // Scheduling the same instant again changes nothing.
    await k()
      .transaction()
      .execute((trx) => schedulePublication(trx, t.clock, c.caseId, second));
    expect(await audits(c.caseId, 'publication.scheduled')).toBe(2);
    t.clock.set(first);
    await runJobs();
    expect(await caseState(c.caseId)).toBe('disclosure-scheduled');
    expect((await publication(c.humanId)).scheduledFor).toBe(second);

    // Back to fixing: the publication is cancelled; scheduling again starts anew.
    const reopened = await team.request('POST', `/api/v1/cases/${c.humanId}/transitions`, {
      to: 'fixing',
      reason: 'A distributor found a regression.',
    });
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect((await publication(c.humanId)).state).toBe('cancelled');
    t.clock.set(second);
    await runJobs();
    expect(await caseState(c.caseId)).toBe('fixing');
    expect(mailsAbout(c.advisoryId).filter((m) => m.subject.includes('fixed in'))).toEqual([]);

    const third = at(DAY);
    for (const step of [{ to: 'fix-ready' }, { to: 'disclosure-scheduled', disclosureAt: third }]) {
      const moved = await team.request('POST', `/api/v1/cases/${c.humanId}/transitions`, step);
      expect(moved.statusCode, moved.body).toBe(200);
    }
    expect(await publication(c.humanId)).toMatchObject({ state: 'scheduled', scheduledFor: third });
    t.clock.set(third);
    await runJobs();
    await runJobs();
    expect(await caseState(c.caseId)).toBe('published');
    expect(
      mailsAbout(c.advisoryId)
        .filter((m) => m.subject.includes('fixed in'))
        .map(to),
    ).toEqual(['move-users@example.org']);
    // The fix-coming notice named the instant in force when it went (the second); none for the
    // third, whose instant came before the notice could go.
    const utc = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
    const notices = mailsAbout(c.advisoryId).filter((m) => m.subject.includes('will be released'));
    expect(notices.map((m) => m.subject)).toEqual([expect.stringContaining(utc(second))]);
  });

  it('tells users again when the instant moves back: A, then B, then A sends three notices, the last for A', async () => {
    await project('pub-aba', ['aba-users@example.org']);
    const a = at(3 * DAY);
    const b = at(5 * DAY);
    const c = await readyCase(t, team, 'pub-aba', {
      title: 'Back and forth',
      at: a,
      cveId: nextCve(),
      released: true,
    });
    const moveTo = (instant: string) =>
      k()
        .transaction()
        .execute(async (trx) => {
          await trx.updateTable('cases').set({ disclosure_at: instant }).where('id', '=', c.caseId).execute();
          await schedulePublication(trx, t.clock, c.caseId, instant);
        });
    const utc = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
    const notices = () =>
      mailsAbout(c.advisoryId)
        .filter((m) => m.subject.includes('will be released'))
        .map((m) => m.subject);
    // The window opens a day after acceptance.
    t.clock.advance(DAY);
    await runJobs();
    await runJobs();
    expect(notices()).toEqual([expect.stringContaining(utc(a))]);
    await moveTo(b);
    await runJobs();
    await runJobs();
    expect(notices()).toEqual([expect.stringContaining(utc(a)), expect.stringContaining(utc(b))]);
    await moveTo(a);
    await runJobs();
    await runJobs();
    expect(notices()).toEqual([
      expect.stringContaining(utc(a)),
      expect.stringContaining(utc(b)),
      expect.stringContaining(utc(a)),
    ]);
    const view = await publication(c.humanId);
    expect(view.fixComing).toMatchObject({ queuedFor: a });
    expect(view.fixComing.messages.map((m: { state: string }) => m.state)).toEqual(['sent', 'sent', 'sent']);
  });

  it("sends only the newest schedule's notice when an older one for the same instant is still queued (A, B, A)", async () => {
    await project('pub-aba-queued', ['aba-queued@example.org']);
    const a = at(3 * DAY);
    const b = at(5 * DAY);
    const c = await readyCase(t, team, 'pub-aba-queued', {
      title: 'Back and forth, unsent',
      at: a,
      cveId: nextCve(),
      released: true,
    });
    const moveTo = (instant: string) =>
      k()
        .transaction()
        .execute(async (trx) => {
          await trx.updateTable('cases').set({ disclosure_at: instant }).where('id', '=', c.caseId).execute();
          await schedulePublication(trx, t.clock, c.caseId, instant);
        });
    // Everything but the mail: the notices are queued and wait.
    const { ['publication.mail']: _mail, ...withoutMail } = handlers;
    const queueOnly = () =>
      createJobRunner({ db: get().db, clock: t.clock, handlers: withoutMail }).runDueJobsOnce();
    t.clock.advance(DAY);
    await queueOnly();
    await moveTo(b);
    await queueOnly();
    await moveTo(a);
    await queueOnly();
    await runJobs();
    await runJobs();
    const notices = mailsAbout(c.advisoryId).filter((m) => m.subject.includes('will be released'));
    expect(notices).toHaveLength(1);
    expect(notices[0]?.subject).toContain(`${a.slice(0, 10)} ${a.slice(11, 16)} UTC`);
    const view = await publication(c.humanId);
    expect(view.fixComing.messages.map((m: { state: string }) => m.state).sort()).toEqual([
      'cancelled',
      'cancelled',
      'sent',
    ]);
  });
});
