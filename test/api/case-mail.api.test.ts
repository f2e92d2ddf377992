/**
 * Mail out, end to end through a real SMTP server: the team hears of a new report, the reporter
 * gets a receipt and the team's answers, reminders come at half-time and 80 percent, escalation when
 * overdue; nothing in any mail reveals the report. The job runner sends, as in production.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createJobRunner, type JobRunner } from '../../src/jobs/job.runner.js';
import { createKeyring } from '../../src/lib/crypto/keyring.js';
import { instanceSecret } from '../../src/lib/instance-secrets.js';
import { createMailer, type Mailer } from '../../src/mail/outbound/mailer.js';
import { parseCaseReplyAddress } from '../../src/mail/outbound/addressing.js';
import { caseMailHandlers } from '../../src/modules/cases/case-mail.job.js';
import { buildApp } from '../../src/server/app.js';
import { createServices } from '../../src/server/services.js';
import { fixedClock } from '../../src/lib/clock.js';
import { describeEachDb } from '../support/db.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import {
  CHEAP_PASSWORDS,
  createUser,
  OPERATOR,
  PUBLIC_URL,
  tokenClient,
  type Client,
  type TestApp,
  seedTeamMember,
} from '../support/app.js';

const SECRET = 'Heap overflow in the xDS parser';

describeEachDb('case mail', (get) => {
  let sink: SmtpSink;
  let t: TestApp;
  let mailer: Mailer;
  let runner: JobRunner;
  let team: Client;
  let memberEmail: string;

  beforeAll(async () => {
    sink = await startSmtpSink();
    const db = get().db;
    const clock = fixedClock('2026-12-21T14:00:00Z'); // Monday 09:00 in New York
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
      handlers: caseMailHandlers({
        db,
        cipher,
        mailer,
        replySecret: () => instanceSecret(db, cipher, clock, 'mail.reply'),
        repliesByMail: true,
      }),
    });
    const yaml = (await import('../../src/modules/policy/policy.presets.js'))
      .getPresetYaml('contour')
      .replace(/^timeZone: .*$/m, 'timeZone: America/New_York')
      .replace(/^holidays: .*$/m, 'holidays: US');
    await services.projects.createProject(OPERATOR, { slug: 'contour', name: 'Contour', policyYaml: yaml });
    const member = await createUser(t);
    memberEmail = member.email;
    await seedTeamMember(db, 'contour', member.email);
    team = await tokenClient(t, member.id);
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
    return res.json() as { humanId: string; id: string; reporterLink: string };
  }

  function assertReveals(mail: { subject: string; text: string; raw: Buffer }, nothingOf: string[]) {
    for (const s of nothingOf) {
      expect(mail.subject).not.toContain(s);
      expect(mail.raw.toString('utf8')).not.toContain(s);
    }
  }

  it('tells the team of a new report and sends the reporter a receipt, with links only', async () => {
    sink.clear();
    const r = await submit();
    expect(await runner.runDueJobsOnce()).toMatchObject({ failed: 0 });
    const toTeam = await sink.waitFor((m) => m.envelope.to.includes(memberEmail));
    const toReporter = await sink.waitFor((m) => m.envelope.to.includes('ada.reporter@example.org'));
    expect(toTeam.subject).toContain(r.humanId);
    expect(toTeam.text).toContain(`${PUBLIC_URL}/cases/${r.humanId}`);
    expect(toReporter.text).toContain(r.reporterLink);
    for (const m of [toTeam, toReporter]) assertReveals(m, [SECRET, 'ClusterLoadAssignment', 'Ada Reporter']);
    assertReveals(toTeam, ['ada.reporter@example.org']);
    // The reporter can answer by mail: the Reply-To names this case, with a tag nobody can forge.
    const replyTo = toReporter.parsed.replyTo?.value[0]?.address ?? '';
    expect(replyTo).toMatch(/^case\+[0-9a-f]{32}\.[0-9a-f]{16}@vigil\.test$/);
    expect(parseCaseReplyAddress(replyTo, Buffer.alloc(32), 'vigil.test')).toBeUndefined();
  });

  it('sends the team’s answer and a rejection to the reporter, as links', async () => {
    sink.clear();
    const r = await submit();
    await runner.runDueJobsOnce();
    sink.clear();
    await team.request('POST', `/api/v1/cases/${r.humanId}/messages`, {
      body: 'We are on it: the parser is at fault.',
    });
    await team.request('POST', `/api/v1/cases/${r.humanId}/transitions`, {
      to: 'rejected',
      reasonCategory: 'not-a-vulnerability',
      reason: 'On reflection the parser rejects it safely.',
    });
    await runner.runDueJobsOnce();
    const toReporter = sink.messages.filter((m) => m.envelope.to.includes('ada.reporter@example.org'));
    expect(toReporter.length).toBeGreaterThanOrEqual(2);
    expect(toReporter.some((m) => /not\s+accepted/i.test(m.text))).toBe(true);
    for (const m of toReporter) assertReveals(m, ['parser is at fault', 'rejects it safely', SECRET]);
  });

  it('reminds the team at half-time and at 80 percent, and escalates when overdue', async () => {
    sink.clear();
    t.clock.set('2026-12-21T14:00:00Z');
    const r = await submit(); // due Thu 24 Dec 09:00 New York
    await runner.runDueJobsOnce();
    sink.clear();
    const ran = async (iso: string) => {
      t.clock.set(iso);
      await runner.runDueJobsOnce();
      return sink.messages.filter((m) => m.subject.includes(r.humanId)).map((m) => m.subject);
    };
    // Mon 09:00 to Thu 09:00 New York is 72 hours: reminders at 36 h and 57.6 h.
    expect(await ran('2026-12-23T01:59:00Z')).toEqual([]);
    const half = await ran('2026-12-23T02:00:00Z');
    expect(half.length).toBe(1);
    expect(await ran('2026-12-23T23:35:00Z')).toHaveLength(1);
    const eighty = await ran('2026-12-23T23:36:00Z');
    expect(eighty.length).toBe(2);
    const overdue = await ran('2026-12-24T14:00:00Z');
    expect(overdue.length).toBe(3);
    expect(overdue[2]).toMatch(/overdue/i);
    expect(
      sink.messages
        .filter((m) => m.subject.includes(r.humanId))
        .every((m) => m.envelope.to.includes(memberEmail)),
    ).toBe(true);
  });

  it('does not remind once the team has answered', async () => {
    sink.clear();
    t.clock.set('2026-12-21T14:00:00Z');
    const r = await submit();
    await team.request('POST', `/api/v1/cases/${r.humanId}/messages`, { body: 'Hello, looking now.' });
    await runner.runDueJobsOnce();
    sink.clear();
    t.clock.set('2026-12-28T14:00:00Z');
    await runner.runDueJobsOnce();
    expect(
      sink.messages.filter((m) => m.envelope.to.includes(memberEmail) && m.subject.includes(r.humanId)),
    ).toEqual([]);
  });

  it('retries a send the SMTP server refused for now', async () => {
    sink.clear();
    t.clock.set('2026-12-21T14:00:00Z');
    sink.failNext(1, 451);
    const r = await submit();
    const first = await runner.runDueJobsOnce();
    expect(first.retried).toBeGreaterThanOrEqual(1);
    t.clock.advance(60 * 60_000);
    await runner.runDueJobsOnce();
    expect(sink.messages.filter((m) => m.subject.includes(r.humanId)).length).toBe(2);
  });
});
