/**
 * The phase clocks through the API (PROCESS.md §4, §6, §8, §9): each phase's due instant after
 * acceptance, what the team records against them (Fix Team organised, users told, a low-severity
 * slow-down, an upstream disclosure that bounds the release), "as soon as possible" clocks for a
 * publicly known case, the project's timeline, and the reminders and escalations the job runner
 * mails: the reminder to the Fix Lead alone, the escalation to the whole security team, nothing once
 * the phase is done. Also the first-response clock: answered late is missed, not met.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createJobRunner, type JobRunner } from '../../src/jobs/job.runner.js';
import { fixedClock } from '../../src/lib/clock.js';
import { createKeyring } from '../../src/lib/crypto/keyring.js';
import { instanceSecret } from '../../src/lib/instance-secrets.js';
import { createMailer, type Mailer } from '../../src/mail/outbound/mailer.js';
import { caseMailHandlers } from '../../src/modules/cases/case-mail.job.js';
import { phaseReminderHandlers } from '../../src/modules/fix/phases/phase-reminders.job.js';
import { getPresetYaml } from '../../src/modules/policy/policy.presets.js';
import { buildApp } from '../../src/server/app.js';
import { createServices } from '../../src/server/services.js';
import { describeEachDb } from '../support/db.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import {
  acceptedCase,
  CHEAP_PASSWORDS,
  createUser,
  OPERATOR,
  PUBLIC_URL,
  tokenClient,
  type Client,
  type TestApp,
  seedTeamMember,
} from '../support/app.js';

const T0 = '2026-12-21T14:00:00.000Z';
const at = (hours: number) => new Date(Date.parse(T0) + hours * 3_600_000).toISOString();
const SECRET = 'Listener crash through a crafted header';

type Phase = { name: string; dueAt: string | null; doneAt: string | null; status: string; hoursLate: number };

describeEachDb('phase clocks API', (get) => {
  let sink: SmtpSink;
  let t: TestApp;
  let mailer: Mailer;
  let runner: JobRunner;
  let team: Client;
  const members: { id: string; email: string }[] = [];
  const slug = 'emissary';

  beforeAll(async () => {
    sink = await startSmtpSink();
    const db = get().db;
    const clock = fixedClock(T0);
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
        ...phaseReminderHandlers({ db, cipher, mailer }),
      },
    });
    await services.projects.createProject(OPERATOR, {
      slug,
      name: 'Emissary',
      policyYaml: getPresetYaml('emissary').replace(/supportedLines: \[\]/, "supportedLines: ['1.28']"),
    });
    await services.projects.createProject(OPERATOR, { slug: 'contour', name: 'Contour', preset: 'contour' });
    for (let i = 0; i < 2; i++) {
      const m = await createUser(t);
      members.push(m);
      for (const s of [slug, 'contour']) await seedTeamMember(db, s, m.email);
    }
    team = await tokenClient(t, members[0]?.id ?? '');
  });
  afterAll(async () => {
    await t.app.close();
    mailer.close();
    await sink.close();
  });

  const phases = async (id: string) => {
    const res = await team.request('GET', `/api/v1/cases/${id}/phases`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as {
      phases: Phase[];
      publiclyKnown: boolean;
      asap: boolean;
      slowdown: { cvss: number | null; reason: string; decidedBy: string; decidedAt: string } | null;
      slowdownRefusal: string | null;
      upstream: { name: string; url: string | null; disclosureAt: string | null } | null;
    };
  };
  const phase = (list: Phase[], name: string) => list.find((p) => p.name === name);
  const fixLeadOf = async (id: string) =>
    (
      await get()
        .db.kysely.selectFrom('cases')
        .select('fix_lead_user_id')
        .where('human_id', '=', id)
        .executeTakeFirstOrThrow()
    ).fix_lead_user_id;
  /** Runs the due jobs at `iso`; the phase mails of case `id` sent so far. */
  const mailsAt = async (iso: string, id: string) => {
    t.clock.set(iso);
    expect(await runner.runDueJobsOnce()).toMatchObject({ failed: 0 });
    return sink.messages.filter((m) => m.subject.includes(id) && /due|overdue/.test(m.subject));
  };
  async function scoredAdvisory(id: string, vector: string) {
    const created = (await team.request('POST', `/api/v1/cases/${id}/advisory`)).json();
    const saved = await team.request('PUT', `/api/v1/cases/${id}/advisory`, {
      baseRevision: created.revision,
      document: { title: 'A flaw', severity: { cvss: [{ vector }] } },
    });
    expect(saved.statusCode, saved.body).toBe(200);
  }

  it('opens the Emissary windows at acceptance and records the Fix Team and the users told, once each', async () => {
    t.clock.set(T0);
    const id = await acceptedCase(t, slug, team, SECRET);
    const before = await phases(id);
    expect(before).toMatchObject({ publiclyKnown: false, asap: false, slowdown: null, upstream: null });
    expect(before.phases.map((p) => [p.name, p.dueAt, p.status])).toEqual([
      ['fix-team-organised', at(24), 'running'],
      ['fix-developed', at(7 * 24), 'running'],
      ['users-told-of-fix', at(7 * 24), 'running'],
      ['release', at(21 * 24), 'running'],
      ['retrospective', null, 'pending'],
    ]);

    t.clock.set(at(30));
    const organised = await team.request('POST', `/api/v1/cases/${id}/team-organised`);
    expect(organised.statusCode, organised.body).toBe(200);
    expect(phase(organised.json().phases, 'fix-team-organised')).toMatchObject({
      doneAt: at(30),
      status: 'missed',
      hoursLate: 6,
    });
    const again = await team.request('POST', `/api/v1/cases/${id}/team-organised`);
    expect(again.statusCode).toBe(409);
    const told = await team.request('POST', `/api/v1/cases/${id}/users-told`);
    expect(phase(told.json().phases, 'users-told-of-fix')).toMatchObject({ doneAt: at(30), status: 'met' });
    expect((await team.request('POST', `/api/v1/cases/${id}/users-told`)).statusCode).toBe(409);
    const audit = await get()
      .db.kysely.selectFrom('audit_events')
      .select('action')
      .where('action', 'in', ['case.team_organised', 'case.users_told_of_fix'])
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['case.team_organised', 'case.users_told_of_fix']);
  });

  it('reminds the Fix Lead before a phase is due and tells the whole team when it is overdue, links only', async () => {
    sink.clear();
    t.clock.set(T0);
    const id = await acceptedCase(t, slug, team, SECRET);
    const leadId = await fixLeadOf(id);
    const lead = members.find((m) => m.id === leadId);
    const other = members.find((m) => m !== lead);
    if (!lead || !other) throw new Error('no Fix Lead by rotation');
    // The Fix Team window is 24 hours: the reminder at 80 percent (19.2 h), the escalation at 24 h.
    expect(await mailsAt(at(19.19), id)).toEqual([]);
    const reminded = await mailsAt(at(19.2), id);
    expect(reminded).toHaveLength(1);
    expect(reminded[0]?.subject).toBe(
      `[Vigil] [Emissary] ${id}: fix team organised due in 4 hours 48 minutes`,
    );
    expect(reminded[0]?.envelope.to).toEqual([lead.email]);
    const escalated = await mailsAt(at(24), id);
    expect(escalated).toHaveLength(2);
    expect(escalated[1]?.subject).toBe(`[Vigil] [Emissary] ${id}: fix team organised overdue`);
    expect(escalated[1]?.envelope.to.sort()).toEqual([lead.email, other.email].sort());
    for (const m of escalated) {
      expect(m.text).toContain(`${PUBLIC_URL}/cases/${id}`);
      expect(m.raw.toString('utf8')).not.toContain(SECRET);
    }
    // A phase done before its reminder (users told, at 100 h of 168) is never mailed about.
    await team.request('POST', `/api/v1/cases/${id}/transitions`, { to: 'fixing' });
    t.clock.set(at(100));
    const fixReady = await team.request('POST', `/api/v1/cases/${id}/transitions`, { to: 'fix-ready' });
    // The matrix is unknown (no advisory): fix-ready is refused, so record users told instead.
    expect(fixReady.statusCode).toBe(409);
    await team.request('POST', `/api/v1/cases/${id}/users-told`);
    const later = await mailsAt(at(7 * 24), id);
    const subjects = later.map((m) => m.subject);
    expect(subjects).toContain(`[Vigil] [Emissary] ${id}: fix developed overdue`);
    expect(subjects.some((s) => s.includes('users told'))).toBe(false);
    // Each job ran once: running the queue again sends nothing new.
    expect(await mailsAt(at(7 * 24 + 1), id)).toHaveLength(later.length);
  });

  it('lets a low-severity case slow down, by a recorded decision, and refuses a high one', async () => {
    t.clock.set(T0);
    const low = await acceptedCase(t, slug, team, SECRET);
    await scoredAdvisory(low, 'CVSS:3.1/AV:N/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N');
    expect((await phases(low)).slowdownRefusal).toBeNull();
    t.clock.set(at(2));
    const slowed = await team.request('PUT', `/api/v1/cases/${low}/slowdown`, {
      reason: 'Holidays; discussed on secalert.',
    });
    expect(slowed.statusCode, slowed.body).toBe(200);
    expect(slowed.json().slowdown).toMatchObject({
      cvss: 2,
      reason: 'Holidays; discussed on secalert.',
      decidedAt: at(2),
    });
    expect(phase(slowed.json().phases, 'release')).toMatchObject({ status: 'relaxed', dueAt: null });
    // Relaxed phases are not escalated.
    sink.clear();
    expect(await mailsAt(at(21 * 24 + 1), low)).toEqual([]);

    t.clock.set(T0);
    const high = await acceptedCase(t, slug, team, SECRET);
    await scoredAdvisory(high, 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H');
    const refused = await team.request('PUT', `/api/v1/cases/${high}/slowdown`, { reason: 'Busy.' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toContain('CVSS 9.6 is not below the low-severity threshold 4.0');
    const unscored = await acceptedCase(t, slug, team, SECRET);
    expect(
      (await team.request('PUT', `/api/v1/cases/${unscored}/slowdown`, { reason: 'Busy.' })).json().detail,
    ).toContain('Score the advisory first');
  });

  it("bounds the release by the upstream's disclosure, kept encrypted, and moves its reminders", async () => {
    t.clock.set(T0);
    const id = await acceptedCase(t, slug, team, SECRET);
    const disclosureAt = at(30 * 24);
    const res = await team.request('PUT', `/api/v1/cases/${id}/upstream`, {
      name: 'Envoy',
      url: 'https://github.com/envoyproxy/envoy/security',
      disclosureAt,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().upstream).toEqual({
      name: 'Envoy',
      url: 'https://github.com/envoyproxy/envoy/security',
      disclosureAt,
    });
    expect(phase(res.json().phases, 'release')).toMatchObject({ dueAt: disclosureAt });
    const row = await get()
      .db.kysely.selectFrom('cases')
      .select(['id', 'upstream_enc'])
      .where('human_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.upstream_enc).not.toContain('Envoy');
    const jobs = await get()
      .db.kysely.selectFrom('jobs')
      .select('unique_key')
      .where('unique_key', 'like', `case.phase-reminder:${row.id}:release:%`)
      .execute();
    expect(jobs.map((j) => j.unique_key).sort()).toEqual([
      `case.phase-reminder:${row.id}:release:escalation:${at(21 * 24)}`,
      `case.phase-reminder:${row.id}:release:escalation:${disclosureAt}`,
      `case.phase-reminder:${row.id}:release:reminder:${at(21 * 24)}`,
      `case.phase-reminder:${row.id}:release:reminder:${disclosureAt}`,
    ]);
    // The old instant's escalation finds the phase due later and says nothing.
    sink.clear();
    const sent = await mailsAt(at(21 * 24 + 1), id);
    expect(sent.some((m) => m.subject.includes('release'))).toBe(false);
    expect(
      (await team.request('PUT', `/api/v1/cases/${id}/upstream`, { name: 'Envoy', url: 'ftp://x' }))
        .statusCode,
    ).toBe(400);
  });

  it('makes every open phase of a publicly known case due at once and overdue by the hour', async () => {
    t.clock.set(T0);
    const id = await acceptedCase(t, slug, team, SECRET);
    expect(
      (await team.request('PUT', `/api/v1/cases/${id}/publicly-known`, { publiclyKnown: true })).statusCode,
    ).toBe(204);
    t.clock.set(at(3.5));
    const view = await phases(id);
    expect(view).toMatchObject({ publiclyKnown: true, asap: true });
    expect(phase(view.phases, 'release')).toMatchObject({ dueAt: T0, status: 'overdue', hoursLate: 3 });
    expect(phase(view.phases, 'fix-developed')).toMatchObject({ dueAt: T0, status: 'overdue', hoursLate: 3 });
    // Due at once: the whole team is told now, not in 24 hours.
    sink.clear();
    const sent = await mailsAt(at(3.5), id);
    expect(sent.map((m) => m.subject)).toContain(`[Vigil] [Emissary] ${id}: release overdue`);
    expect(sent.every((m) => m.envelope.to.length === members.length)).toBe(true);
  });

  it("shows the project's timeline: every case whose phases run, the one due next first", async () => {
    t.clock.set(at(-48));
    const early = await acceptedCase(t, slug, team, 'Accepted first');
    t.clock.set(T0);
    const received = await t.app.inject({
      method: 'POST',
      url: `/api/v1/projects/${slug}/reports`,
      payload: { subject: 'Not accepted', reporter: { name: 'Ada' }, reproduction: 'steps' },
    });
    const res = await team.request('GET', `/api/v1/projects/${slug}/phases`);
    expect(res.statusCode, res.body).toBe(200);
    const cases = res.json().cases as {
      humanId: string;
      title: string;
      nextDueAt: string | null;
      phases: Phase[];
    }[];
    expect(cases.some((c) => c.humanId === received.json().humanId)).toBe(false);
    const mine = cases.find((c) => c.humanId === early);
    expect(mine).toMatchObject({ title: 'Accepted first', nextDueAt: at(-24) });
    const dues = cases.map((c) => c.nextDueAt).filter((d): d is string => d !== null);
    expect(dues).toEqual([...dues].sort());
    // Cases with no due instant (relaxed, or without windows) come last.
    expect(cases.slice(dues.length).every((c) => c.nextDueAt === null)).toBe(true);
  });

  it('says the first response was missed when it came late, and a public case is overdue by the hour', async () => {
    t.clock.set('2026-12-21T14:00:00Z'); // Monday; contour: 3 business days (UTC)
    const filed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/projects/contour/reports',
      payload: { subject: 'Late answer', reporter: { name: 'Ada' }, reproduction: 'steps' },
    });
    const id = filed.json().humanId as string;
    t.clock.set('2026-12-24T16:30:00Z');
    await team.request('POST', `/api/v1/cases/${id}/messages`, { body: 'Looking into it now.' });
    expect((await team.request('GET', `/api/v1/cases/${id}`)).json().clock).toMatchObject({
      status: 'missed',
      dueAt: '2026-12-24T14:00:00.000Z',
      hoursLate: 2,
    });

    t.clock.set('2026-12-21T14:00:00Z');
    const pub = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/projects/contour/reports',
        payload: { subject: 'Public already', reporter: { name: 'Ada' }, reproduction: 'steps' },
      })
    ).json().humanId as string;
    await team.request('PUT', `/api/v1/cases/${pub}/publicly-known`, { publiclyKnown: true });
    t.clock.set('2026-12-21T19:20:00Z');
    expect((await team.request('GET', `/api/v1/cases/${pub}`)).json().clock).toMatchObject({
      status: 'asap',
      dueAt: '2026-12-21T14:00:00.000Z',
      hoursLate: 5,
    });
    await team.request('POST', `/api/v1/cases/${pub}/messages`, { body: 'On it.' });
    expect((await team.request('GET', `/api/v1/cases/${pub}`)).json().clock).toMatchObject({
      status: 'missed',
      hoursLate: 5,
    });
  });
});
