/**
 * The disclosure date (PROCESS.md §7) through the real API on both databases: the team proposes an
 * instant with its zone, the reporter (by their private link) and each distributors-list
 * organisation accept, object with a reason or counter-propose, the team decides and the decision
 * is recorded; every guardrail (the past, the maximum embargo, the critical target, a Friday refused
 * then overridden, the release matrix); the policy's final say; the engine taking the decided
 * instant; and the link-only mail to each party through a real SMTP server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTransaction } from '../../src/db/connection.js';
import { createJobRunner } from '../../src/jobs/job.runner.js';
import { createKeyring } from '../../src/lib/crypto/keyring.js';
import { createMailer, type Mailer } from '../../src/mail/outbound/mailer.js';
import { disclosureDateMailHandlers } from '../../src/modules/embargo/disclosure-date/disclosure-date-mail.job.js';
import { getPresetYaml } from '../../src/modules/policy/policy.presets.js';
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
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
import { addDistributor, fileReport, shareCase, type TestDistributor } from '../support/distributors.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

const CRITICAL = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';

/** Contour's policy in Berlin with German holidays, one supported line, no network upstream. */
const policyYaml = () =>
  getPresetYaml('contour')
    .replace(/^timeZone: .*$/m, 'timeZone: Europe/Berlin')
    .replace(/^holidays: .*$/m, 'holidays: DE')
    .replace(/^(\s*upstreamRepository:).*$/m, '$1 null')
    .replace(/^(\s*supportedLines:).*$/m, "$1 ['1.28']");

interface Dated {
  id: string;
  humanId: string;
  token: string;
}

describeEachDb('the disclosure date', (get, dialect) => {
  const cipher = createKeyring({ current: randomBytes(32) });
  let t: TestApp;
  let team: Client;
  let d1: TestDistributor;
  let d2: TestDistributor;
  let other: TestDistributor;
  let sink: SmtpSink;
  let mailer: Mailer;
  let counter = 0;

  const ok = async (res: Promise<{ statusCode: number; body: string; json(): unknown }>, status = 200) => {
    const r = await res;
    expect(r.statusCode, r.body).toBe(status);
    return r.json() as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const url = (humanId: string) => `/api/v1/cases/${humanId}/disclosure-date`;
  const reporterUrl = (token: string) => `/api/v1/reporter/cases/${token}/disclosure-date`;
  const audit = (caseId: string, action: string) =>
    get()
      .db.kysely.selectFrom('audit_events')
      .select(['data_json', 'actor_type', 'actor_id'])
      .where('action', '=', action)
      .where('subject_id', '=', caseId)
      .orderBy('seq')
      .execute();

  /** An accepted case of `slug` with an advisory (critical unless told), shared with `orgs`. */
  async function datedCase(
    slug: string,
    orgs: TestDistributor[],
    vector: string | null = CRITICAL,
  ): Promise<Dated> {
    counter += 1;
    const filed = await fileReport(t, slug, `Flaw number ${counter}`, {
      name: 'Ada Lovelace',
      email: `ada-${counter}@example.org`,
    });
    await ok(team.request('POST', `/api/v1/cases/${filed.humanId}/transitions`, { to: 'accepted' }));
    await ok(team.request('POST', `/api/v1/cases/${filed.humanId}/advisory`), 201);
    await ok(
      team.request('PUT', `/api/v1/cases/${filed.humanId}/advisory`, {
        baseRevision: 1,
        document: {
          title: `Flaw number ${counter}`,
          affected: [
            {
              ecosystem: 'Go',
              package: 'github.com/example/contour',
              ranges: [{ type: 'SEMVER', events: [{ introduced: '1.28.0' }, { fixed: '1.28.4' }] }],
            },
          ],
          severity: { cvss: vector ? [{ vector }] : [] },
        },
      }),
    );
    for (const o of orgs) await shareCase(get().db, filed.id, o.orgId, t.clock.now().toISOString());
    return filed;
  }

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await buildTestApp(get().db, cipher);
    await t.services.projects.createProject(OPERATOR, {
      slug: 'dates',
      name: 'Dates',
      policyYaml: policyYaml(),
    });
    await t.services.projects.createProject(OPERATOR, {
      slug: 'solo',
      name: 'Solo',
      policyYaml: getPresetYaml('emissary').replace(/^(\s*upstreamRepository:).*$/m, '$1 null'),
    });
    const member = await createUser(t);
    await seedTeamMember(t.db, 'dates', member.email);
    team = await tokenClient(t, member.id);
    d1 = await addDistributor(t, get().db, 'dates', 'Debonair Linux');
    d2 = await addDistributor(t, get().db, 'dates', 'Fedorable OS');
    other = await addDistributor(t, get().db, 'dates', 'Unshared Distro');
    mailer = createMailer({
      smtpUrl: sink.url,
      from: 'Vigil <vigil@vigil.test>',
      replyDomain: 'vigil.test',
      publicUrl: PUBLIC_URL,
      clock: t.clock,
    });
  });
  afterAll(async () => {
    await t.app.close();
    mailer.close();
    await sink.close();
  });

  it('agrees a date over one objection: proposed, accepted, objected to, countered, decided on the record', async () => {
    const c = await datedCase('dates', [d1, d2]);
    // Tuesday 1 December 2026, 14:00 in Berlin.
    const proposed = await ok(
      team.request('POST', url(c.humanId), {
        action: 'propose',
        at: '2026-12-01T14:00:00+01:00',
        timeZone: 'Europe/Berlin',
        note: 'Releases are built on Monday.',
      }),
    );
    expect(proposed.proposals).toHaveLength(1);
    const p = proposed.proposals[0];
    expect(p).toMatchObject({
      at: '2026-12-01T13:00:00.000Z',
      timeZone: 'Europe/Berlin',
      note: 'Releases are built on Monday.',
      open: true,
      awaiting: ['The reporter', 'Debonair Linux', 'Fedorable OS'],
    });
    // The release of 1.28 is not recorded yet: a warning, not a refusal.
    expect(p.findings.map((f: { code: string }) => f.code)).toEqual(['release-matrix']);

    // The reporter, by the private link alone, accepts.
    const seen = await ok(t.app.inject({ method: 'GET', url: reporterUrl(c.token) }));
    expect(seen).toMatchObject({
      viewer: 'reporter',
      abilities: { respond: true, propose: false, decide: false },
    });
    expect(seen.proposals[0].proposedBy).toBe('The Dates security team');
    await ok(
      t.app.inject({
        method: 'POST',
        url: reporterUrl(c.token),
        payload: { action: 'respond', proposalId: p.id, answer: 'accept' },
      }),
    );

    // One distributor objects; without a reason it may not.
    const bare = await d1.client.request('POST', url(c.humanId), {
      action: 'respond',
      proposalId: p.id,
      answer: 'object',
    });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().issues).toEqual([expect.objectContaining({ path: 'body.reason' })]);
    await ok(
      d1.client.request('POST', url(c.humanId), {
        action: 'respond',
        proposalId: p.id,
        answer: 'object',
        reason: 'Our release train leaves on Wednesdays.',
      }),
    );
    // The other counters with an instant of its own zone.
    const countered = await ok(
      d2.client.request('POST', url(c.humanId), {
        action: 'respond',
        proposalId: p.id,
        answer: 'counter',
        counterAt: '2026-12-02T09:00:00-05:00',
        timeZone: 'America/New_York',
      }),
    );
    expect(countered.viewer).toBe('distributor');

    // The team sees every party by name, with their words.
    const teamView = await ok(team.request('GET', url(c.humanId)));
    const answers = teamView.proposals[0].responses;
    expect(answers).toEqual([
      expect.objectContaining({ who: 'The reporter', answer: 'accept', respondedBy: 'the reporter' }),
      expect.objectContaining({
        who: 'Debonair Linux',
        answer: 'object',
        reason: 'Our release train leaves on Wednesdays.',
      }),
      expect.objectContaining({
        who: 'Fedorable OS',
        answer: 'counter',
        counterAt: '2026-12-02T14:00:00.000Z',
        counterTimeZone: 'America/New_York',
      }),
    ]);
    expect(teamView.proposals[0].awaiting).toEqual([]);

    // A distributor sees its own words, and the others without theirs or their names.
    const d1View = await ok(d1.client.request('GET', url(c.humanId)));
    expect(d1View.proposals[0].responses).toEqual([
      expect.objectContaining({ who: 'The reporter', reason: null, mine: false }),
      expect.objectContaining({
        who: 'Debonair Linux (your organisation)',
        mine: true,
        reason: 'Our release train leaves on Wednesdays.',
      }),
      expect.objectContaining({
        who: 'Another distributor',
        reason: null,
        counterAt: '2026-12-02T14:00:00.000Z',
      }),
    ]);
    expect(JSON.stringify(d1View)).not.toContain('Fedorable');
    const reporterView = await ok(t.app.inject({ method: 'GET', url: reporterUrl(c.token) }));
    expect(reporterView.proposals[0].responses.map((r: { who: string }) => r.who)).toEqual([
      'You',
      'A distributor',
      'A distributor',
    ]);
    expect(JSON.stringify(reporterView)).not.toContain('release train');

    // The team decides the proposal over the objection, for the record.
    const decided = await ok(
      team.request('POST', url(c.humanId), {
        action: 'decide',
        proposalId: p.id,
        note: 'Wednesday is too late for the critical target.',
      }),
    );
    expect(decided.disclosureAt).toBe('2026-12-01T13:00:00.000Z');
    expect(decided.decision).toMatchObject({
      proposalId: p.id,
      at: '2026-12-01T13:00:00.000Z',
      timeZone: 'Europe/Berlin',
      previousAt: null,
      overrides: [],
      note: 'Wednesday is too late for the critical target.',
    });
    expect(decided.proposals[0].open).toBe(false);
    const row = await get()
      .db.kysely.selectFrom('cases')
      .select('disclosure_at')
      .where('id', '=', c.id)
      .executeTakeFirstOrThrow();
    expect(row.disclosure_at).toBe('2026-12-01T13:00:00.000Z');
    const recorded = (await audit(c.id, 'disclosure_date.decided')).map((e) => JSON.parse(e.data_json));
    expect(recorded).toEqual([
      expect.objectContaining({
        proposalId: p.id,
        at: '2026-12-01T13:00:00.000Z',
        timeZone: 'Europe/Berlin',
        overrides: [],
      }),
    ]);
    expect(
      (await audit(c.id, 'disclosure_date.responded')).map((e) => JSON.parse(e.data_json).answer),
    ).toEqual(['accept', 'object', 'counter']);
    // The parties see the decision, not the team's note.
    const after = await ok(d2.client.request('GET', url(c.humanId)));
    expect(after.decision).toMatchObject({
      at: '2026-12-01T13:00:00.000Z',
      note: null,
      decidedBy: 'The Dates security team',
    });
    expect(JSON.stringify(after)).not.toContain('critical target.');
    // The proposal is closed: answering it now is refused.
    const late = await d2.client.request('POST', url(c.humanId), {
      action: 'respond',
      proposalId: p.id,
      answer: 'accept',
    });
    expect(late.statusCode, late.body).toBe(409);
  });

  it('refuses an instant in the past or beyond the maximum embargo, naming the field, and writes nothing', async () => {
    const c = await datedCase('dates', [d1]);
    const count = () =>
      get()
        .db.kysely.selectFrom('disclosure_proposals')
        .select(({ fn }) => fn.countAll<number>().as('n'))
        .where('case_id', '=', c.id)
        .executeTakeFirstOrThrow();
    for (const at of ['2026-11-23T08:00:00Z', '2026-12-21T10:00:00Z']) {
      const res = await team.request('POST', url(c.humanId), { action: 'propose', at, timeZone: 'UTC' });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().issues.map((i: { path: string }) => i.path)).toEqual(['at']);
    }
    const past = await team.request('POST', url(c.humanId), {
      action: 'decide',
      at: '2026-11-20T12:00:00Z',
      timeZone: 'UTC',
    });
    expect(past.statusCode).toBe(400);
    expect(past.json().detail).toContain('is in the past');
    const beyond = await team.request('POST', url(c.humanId), {
      action: 'decide',
      at: '2026-12-24T12:00:00Z',
      timeZone: 'UTC',
      overrides: ['holiday'],
    });
    expect(beyond.statusCode).toBe(400);
    expect(beyond.json().detail).toContain('at most 28 days');
    // A counter-proposal beyond the maximum too.
    const proposed = await ok(
      team.request('POST', url(c.humanId), {
        action: 'propose',
        at: '2026-12-01T12:00:00Z',
        timeZone: 'UTC',
      }),
    );
    const counter = await d1.client.request('POST', url(c.humanId), {
      action: 'respond',
      proposalId: proposed.proposals[0].id,
      answer: 'counter',
      counterAt: '2027-01-20T12:00:00Z',
    });
    expect(counter.statusCode).toBe(400);
    expect(counter.json().issues.map((i: { path: string }) => i.path)).toEqual(['counterAt']);
    expect(Number((await count()).n)).toBe(1);
    expect(await audit(c.id, 'disclosure_date.decided')).toEqual([]);
    // Malformed instants and zones are refused by the schema.
    for (const body of [
      { action: 'propose', at: '2026-12-01 12:00', timeZone: 'UTC' },
      { action: 'propose', at: '2026-12-01T12:00:00', timeZone: 'UTC' },
      { action: 'propose', at: '2026-12-01T12:00:00Z', timeZone: 'Mars/Olympus' },
      { action: 'propose', at: '2026-12-01T12:00:00Z', timeZone: '+01:00' },
      { action: 'decide', timeZone: 'UTC' },
      { action: 'decide', at: '2026-12-01T12:00:00Z' },
      { action: 'decide', at: '2026-12-01T12:00:00Z', timeZone: 'UTC', overrides: ['past'] },
    ]) {
      const res = await team.request('POST', url(c.humanId), body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
  });

  it('refuses a Friday unless the decision overrides it, and records the override and the warnings', async () => {
    const c = await datedCase('dates', [d1]);
    // Friday 4 December 2026 in Berlin; after the critical target (Friday 11 December 10:00) it is not.
    const friday = { action: 'decide', at: '2026-12-04T11:00:00+01:00', timeZone: 'Europe/Berlin' };
    const refused = await team.request('POST', url(c.humanId), friday);
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.json().issues).toEqual([
      {
        path: 'overrides',
        message: expect.stringContaining('is a Friday: the policy avoids releasing on Fridays'),
      },
    ]);
    expect(await audit(c.id, 'disclosure_date.decided')).toEqual([]);
    const decided = await ok(team.request('POST', url(c.humanId), { ...friday, overrides: ['friday'] }));
    expect(decided.decision.overrides).toEqual(['friday']);
    expect(decided.decision.findings.map((f: { code: string }) => f.code)).toEqual([
      'friday',
      'release-matrix',
    ]);
    expect(decided.decision.proposalId).toBeNull();

    // Later, a Monday past the critical target: a warning, recorded with the decision.
    const late = await ok(
      team.request('POST', url(c.humanId), { action: 'decide', at: '2026-12-14T10:00:00Z', timeZone: 'UTC' }),
    );
    expect(late.limits).toMatchObject({
      critical: true,
      targetAt: '2026-12-11T09:00:00.000Z',
      maxAt: expect.any(String),
    });
    expect(late.decision).toMatchObject({ previousAt: '2026-12-04T10:00:00.000Z', overrides: [] });
    expect(late.decision.findings).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'after-critical-target', level: 'warning' })]),
    );
    expect(late.decisions).toHaveLength(2);
    const data = (await audit(c.id, 'disclosure_date.decided')).map((e) => JSON.parse(e.data_json));
    expect(data.map((d) => d.overrides)).toEqual([['friday'], []]);
    expect(data[1].warnings).toEqual(['after-critical-target', 'release-matrix']);
    // The release is recorded for the 14th, before the instant: the matrix warning goes.
    await ok(
      team.request('PUT', `/api/v1/cases/${c.humanId}/releases/1.28`, {
        version: '1.28.4',
        state: 'planned',
        plannedAt: '2026-12-14T08:00:00Z',
      }),
    );
    const proposal = await ok(
      team.request('POST', url(c.humanId), {
        action: 'propose',
        at: '2026-12-14T10:00:00Z',
        timeZone: 'UTC',
      }),
    );
    expect(proposal.proposals.at(-1).findings.map((f: { code: string }) => f.code)).toEqual([
      'after-critical-target',
    ]);
  });

  it('lets only the Fix Lead decide when the policy gives them the final say, and no party answer when none negotiates', async () => {
    const [lead, second] = [await createUser(t), await createUser(t)];
    for (const u of [lead, second]) await seedTeamMember(t.db, 'solo', u.email);
    const leadClient = await tokenClient(t, lead.id);
    const secondClient = await tokenClient(t, second.id);
    const filed = await fileReport(t, 'solo', 'A flaw in the listener', {
      name: 'Ada',
      email: 'ada@example.org',
    });
    await ok(leadClient.request('POST', `/api/v1/cases/${filed.humanId}/transitions`, { to: 'accepted' }));
    const { fixLead } = await ok(leadClient.request('GET', `/api/v1/cases/${filed.humanId}`));
    const [theLead, notTheLead] =
      fixLead.userId === lead.id ? [leadClient, secondClient] : [secondClient, leadClient];
    const body = { action: 'decide', at: '2026-12-01T12:00:00Z', timeZone: 'UTC' };
    const view = await ok(notTheLead.request('GET', url(filed.humanId)));
    expect(view.abilities).toEqual({ propose: true, respond: false, decide: false });
    const refused = await notTheLead.request('POST', url(filed.humanId), body);
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().detail).toContain('final say on the disclosure date to the Fix Lead');
    await ok(theLead.request('POST', url(filed.humanId), body));
    // Emissary negotiates with nobody: the reporter may read the date, not answer.
    const proposed = await ok(
      theLead.request('POST', url(filed.humanId), {
        action: 'propose',
        at: '2026-12-02T12:00:00Z',
        timeZone: 'UTC',
      }),
    );
    const reporterView = await ok(t.app.inject({ method: 'GET', url: reporterUrl(filed.token) }));
    expect(reporterView.abilities.respond).toBe(false);
    const answer = await t.app.inject({
      method: 'POST',
      url: reporterUrl(filed.token),
      payload: { action: 'respond', proposalId: proposed.proposals.at(-1).id, answer: 'accept' },
    });
    expect(answer.statusCode, answer.body).toBe(409);
  });

  it('keeps the date to those of the case: other distributors, outsiders and other links see nothing', async () => {
    const c = await datedCase('dates', [d1]);
    const bogus = `/api/v1/reporter/cases/vrt_${'A'.repeat(43)}/disclosure-date`;
    expect((await t.app.inject({ method: 'GET', url: bogus })).statusCode).toBe(404);
    for (const client of [other.client, d2.client]) {
      const res = await client.request('GET', url(c.humanId));
      expect(res.statusCode).toBe(404);
      const absent = await client.request('GET', url('CTR-2026-9999'));
      expect(res.body.replaceAll(c.humanId, 'X')).toBe(absent.body.replaceAll('CTR-2026-9999', 'X'));
    }
    // The team may not answer for a party, nor a distributor propose or decide.
    const proposed = await ok(
      team.request('POST', url(c.humanId), {
        action: 'propose',
        at: '2026-12-01T12:00:00Z',
        timeZone: 'UTC',
      }),
    );
    const id = proposed.proposals[0].id;
    expect(
      (await team.request('POST', url(c.humanId), { action: 'respond', proposalId: id, answer: 'accept' }))
        .statusCode,
    ).toBe(404);
    expect(
      (await d1.client.request('POST', url(c.humanId), { action: 'decide', proposalId: id })).statusCode,
    ).toBe(404);
    expect(
      (
        await d1.client.request('POST', url(c.humanId), {
          action: 'propose',
          at: '2026-12-01T12:00:00Z',
          timeZone: 'UTC',
        })
      ).statusCode,
    ).toBe(404);
  });

  it('takes the decided instant into disclosure-scheduled, and refuses another one in the transition', async () => {
    const c = await datedCase('dates', [d1], null);
    const move = (body: Record<string, unknown>) =>
      team.request('POST', `/api/v1/cases/${c.humanId}/transitions`, body);
    await ok(move({ to: 'fixing' }));
    await ok(move({ to: 'fix-ready' }));
    // No decision and no instant: the instant is required.
    const missing = await move({ to: 'disclosure-scheduled' });
    expect(missing.statusCode, missing.body).toBe(422);
    expect(missing.json().issues).toEqual([expect.objectContaining({ path: 'disclosureAt' })]);
    await ok(
      team.request('POST', url(c.humanId), {
        action: 'decide',
        at: '2026-12-02T10:00:00+01:00',
        timeZone: 'Europe/Berlin',
      }),
    );
    const differs = await move({ to: 'disclosure-scheduled', disclosureAt: '2026-12-03T10:00:00Z' });
    expect(differs.statusCode, differs.body).toBe(409);
    expect(differs.json().issues).toEqual([expect.objectContaining({ path: 'disclosureAt' })]);
    const scheduled = await ok(move({ to: 'disclosure-scheduled' }));
    expect(scheduled.state).toBe('disclosure-scheduled');
    const [event] = await audit(c.id, 'case.disclosure_scheduled');
    expect(JSON.parse(event?.data_json ?? '{}')).toMatchObject({ disclosureAt: '2026-12-02T09:00:00.000Z' });
    // A new decision moves the scheduled instant.
    await ok(
      team.request('POST', url(c.humanId), { action: 'decide', at: '2026-12-03T10:00:00Z', timeZone: 'UTC' }),
    );
    const row = await get()
      .db.kysely.selectFrom('cases')
      .select(['disclosure_at', 'state'])
      .where('id', '=', c.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ disclosure_at: '2026-12-03T10:00:00.000Z', state: 'disclosure-scheduled' });

    // The same instant in the body as decided (another spelling of it) is taken.
    const c2 = await datedCase('dates', [], null);
    const move2 = (body: Record<string, unknown>) =>
      team.request('POST', `/api/v1/cases/${c2.humanId}/transitions`, body);
    await ok(move2({ to: 'fixing' }));
    await ok(move2({ to: 'fix-ready' }));
    await ok(
      team.request('POST', url(c2.humanId), {
        action: 'decide',
        at: '2026-12-02T10:00:00Z',
        timeZone: 'UTC',
      }),
    );
    await ok(move2({ to: 'disclosure-scheduled', disclosureAt: '2026-12-02T11:00:00+01:00' }));

    // Back to fixing, and the decided instant passes meanwhile: it is not taken, the team decides anew.
    await ok(move2({ to: 'fixing', reason: 'A regression in 1.28.' }));
    await ok(move2({ to: 'fix-ready' }));
    const started = t.clock.now();
    t.clock.set('2026-12-02T10:00:01Z');
    try {
      const passed = await move2({ to: 'disclosure-scheduled' });
      expect(passed.statusCode, passed.body).toBe(409);
      expect(passed.json().detail).toContain('has passed');
    } finally {
      t.clock.set(started);
    }
  });

  it('holds the transition to the guardrails: a body instant without a decision as a decision without overrides, a passed decision even repeated', async () => {
    const c = await datedCase('dates', [], null);
    const move = (body: Record<string, unknown>) =>
      team.request('POST', `/api/v1/cases/${c.humanId}/transitions`, body);
    await ok(move({ to: 'fixing' }));
    await ok(move({ to: 'fix-ready' }));
    // No decision: in the past, beyond the maximum embargo, a Friday (Berlin): each refused, 400.
    for (const [disclosureAt, words] of [
      ['2026-11-18T10:00:00Z', 'in the past'],
      ['2027-12-01T10:00:00Z', 'days of embargo'],
      ['2026-12-04T10:00:00Z', 'is a Friday'],
    ] as const) {
      const refused = await move({ to: 'disclosure-scheduled', disclosureAt });
      expect(refused.statusCode, refused.body).toBe(400);
      expect(refused.json().issues).toEqual([
        expect.objectContaining({ path: 'disclosureAt', message: expect.stringContaining(words) }),
      ]);
    }
    const row = () =>
      get()
        .db.kysely.selectFrom('cases')
        .select(['state', 'disclosure_at'])
        .where('id', '=', c.id)
        .executeTakeFirstOrThrow();
    expect(await row()).toEqual({ state: 'fix-ready', disclosure_at: null });
    // A Wednesday in the future, within the embargo: taken.
    await ok(move({ to: 'disclosure-scheduled', disclosureAt: '2026-12-02T10:00:00Z' }));

    // A decision over a Friday, with its override: taken, it was decided over it.
    await ok(move({ to: 'fixing', reason: 'A regression in 1.28.' }));
    await ok(move({ to: 'fix-ready' }));
    await ok(
      team.request('POST', url(c.humanId), {
        action: 'decide',
        at: '2026-12-04T10:00:00Z',
        timeZone: 'UTC',
        overrides: ['friday'],
      }),
    );
    await ok(move({ to: 'disclosure-scheduled' }));
    expect(await row()).toEqual({ state: 'disclosure-scheduled', disclosure_at: '2026-12-04T10:00:00.000Z' });

    // The decided instant passes while the case is back in fixing: refused, even repeated in the body.
    await ok(move({ to: 'fixing', reason: 'Another regression.' }));
    await ok(move({ to: 'fix-ready' }));
    const started = t.clock.now();
    t.clock.set('2026-12-04T10:00:01Z');
    try {
      const repeated = await move({ to: 'disclosure-scheduled', disclosureAt: '2026-12-04T10:00:00Z' });
      expect(repeated.statusCode, repeated.body).toBe(409);
      expect(repeated.json().detail).toContain('has passed');
      expect((await row()).state).toBe('fix-ready');
    } finally {
      t.clock.set(started);
    }
  });

  describe('with the case locked meanwhile', () => {
    /**
     * Runs `change` in a transaction that holds the case's row lock until `request` (started once
     * the lock is held) waits for it (PostgreSQL: a waiter shows in pg_stat_activity; SQLite's one
     * connection serialises them anyway), then commits; the request's answer.
     */
    async function whileLocked<T>(
      caseId: string,
      change: (trx: DbTransaction) => Promise<void>,
      request: () => Promise<T>,
    ): Promise<T> {
      let locked!: () => void;
      let release!: () => void;
      const isLocked = new Promise<void>((r) => (locked = r));
      const released = new Promise<void>((r) => (release = r));
      const holder = k()
        .transaction()
        .execute(async (trx) => {
          await trx
            .updateTable('cases')
            .set({ updated_at: t.clock.now().toISOString() })
            .where('id', '=', caseId)
            .execute();
          await change(trx);
          locked();
          await released;
        });
      await isLocked;
      const answer = request();
      if (dialect === 'postgres') {
        for (let i = 0; i < 100; i++) {
          const { rows } = await sql<{
            n: number;
          }>`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock'`.execute(k());
          if ((rows[0]?.n ?? 0) > 0) break;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      release();
      await holder;
      return answer;
    }
    const k = () => get().db.kysely;
    // A new hour for the report form's per-address limit: the tests above filed ten reports.
    beforeAll(() => t.clock.advance(3_600_000));

    it('refuses a decision on a case published while it waited for the case (409), and writes nothing', async () => {
      const c = await datedCase('dates', [], null);
      const res = await whileLocked(
        c.id,
        async (trx) => {
          await trx.updateTable('cases').set({ state: 'published' }).where('id', '=', c.id).execute();
        },
        () =>
          team.request('POST', url(c.humanId), {
            action: 'decide',
            at: '2026-12-02T10:00:00Z',
            timeZone: 'UTC',
          }),
      );
      expect(res.statusCode, res.body).toBe(409);
      expect(
        await k().selectFrom('disclosure_decisions').select('id').where('case_id', '=', c.id).execute(),
      ).toEqual([]);
      expect(
        (
          await k()
            .selectFrom('cases')
            .select('disclosure_at')
            .where('id', '=', c.id)
            .executeTakeFirstOrThrow()
        ).disclosure_at,
      ).toBeNull();
      // Closed alike; and a published case never took one to begin with.
      await k().updateTable('cases').set({ state: 'closed' }).where('id', '=', c.id).execute();
      const closed = await team.request('POST', url(c.humanId), {
        action: 'decide',
        at: '2026-12-02T10:00:00Z',
        timeZone: 'UTC',
      });
      expect(closed.statusCode, closed.body).toBe(409);
    });

    it('reads the decision after the case lock in the transition: one decided meanwhile is the schedule', async () => {
      const c = await datedCase('dates', [], null);
      const move = (body: Record<string, unknown>) =>
        team.request('POST', `/api/v1/cases/${c.humanId}/transitions`, body);
      await ok(move({ to: 'fixing' }));
      await ok(move({ to: 'fix-ready' }));
      const decidedAt = '2026-12-03T10:00:00.000Z';
      const res = await whileLocked(
        c.id,
        async (trx) => {
          // What a decision writes, in its transaction.
          await trx
            .insertInto('disclosure_decisions')
            .values({
              id: randomUUID(),
              case_id: c.id,
              project_id: (
                await trx
                  .selectFrom('cases')
                  .select('project_id')
                  .where('id', '=', c.id)
                  .executeTakeFirstOrThrow()
              ).project_id,
              proposal_id: null,
              at: decidedAt,
              time_zone: 'UTC',
              previous_at: null,
              overrides_json: '[]',
              findings_json: '[]',
              note_enc: null,
              decided_by_user_id: null,
              decided_at: t.clock.now().toISOString(),
            })
            .execute();
          await trx.updateTable('cases').set({ disclosure_at: decidedAt }).where('id', '=', c.id).execute();
        },
        () => move({ to: 'disclosure-scheduled', disclosureAt: '2026-12-02T10:00:00Z' }),
      );
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json().issues).toEqual([expect.objectContaining({ path: 'disclosureAt' })]);
      const row = await k()
        .selectFrom('cases')
        .select(['state', 'disclosure_at'])
        .where('id', '=', c.id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ state: 'fix-ready', disclosure_at: decidedAt });
    });
  });

  describe('mail', () => {
    it('tells the reporter by their link, each distributor person, and the team, of a proposal and a decision', async () => {
      const c = await datedCase('dates', [d1, d2]);
      sink.messages.length = 0;
      const proposed = await ok(
        team.request('POST', url(c.humanId), {
          action: 'propose',
          at: '2026-12-01T12:00:00Z',
          timeZone: 'UTC',
          note: 'A note for the parties.',
        }),
      );
      await ok(
        team.request('POST', url(c.humanId), { action: 'decide', proposalId: proposed.proposals[0].id }),
      );
      const runner = createJobRunner({
        db: get().db,
        clock: t.clock,
        handlers: disclosureDateMailHandlers({ db: get().db, cipher, mailer }),
      });
      while ((await runner.runDueJobsOnce()).ran > 0);
      // Earlier tests queued mail too: this case's are the ones whose link names it.
      const to = (address: string) =>
        sink.messages.filter((m) => m.envelope.to.includes(address) && m.text.includes(c.humanId));
      const subjects = (address: string) =>
        to(address)
          .map((m) => m.subject)
          .sort();
      const reporterMail = to(`ada-${counter}@example.org`);
      expect(subjects(`ada-${counter}@example.org`)).toEqual([
        `[Dates security] Your report ${c.humanId}: a disclosure date is proposed`,
        `[Dates security] Your report ${c.humanId}: the disclosure date is set`,
      ]);
      for (const m of reporterMail) expect(m.text).toContain(`${PUBLIC_URL}/r/${c.token}`);
      for (const d of [d1, d2]) {
        const mails = to(d.user.email);
        expect(subjects(d.user.email)).toEqual([
          '[Vigil] [Dates] A disclosure date is proposed',
          '[Vigil] [Dates] The disclosure date is set',
        ]);
        // One message each: nobody sees another organisation's address.
        for (const m of mails) expect(m.envelope.to).toEqual([d.user.email]);
        expect(mails[0]?.text).toContain(`${PUBLIC_URL}/portal/cases/${c.humanId}`);
      }
      expect(to(other.user.email)).toEqual([]);
      // The team hears of the proposal and the decision.
      const teamMail = sink.messages.filter((m) => m.subject.startsWith(`[Vigil] [Dates] ${c.humanId}:`));
      expect(teamMail.map((m) => m.subject).sort()).toEqual([
        `[Vigil] [Dates] ${c.humanId}: disclosure date decided`,
        `[Vigil] [Dates] ${c.humanId}: disclosure date proposed`,
      ]);
      for (const m of sink.messages) {
        expect(m.text).not.toContain('A note for the parties');
        expect(m.text).not.toContain('2026-12-01');
        expect(m.text).not.toContain('Flaw number');
      }
    });
  });
});
