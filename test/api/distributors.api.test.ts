/**
 * The distributors list (PROCESS.md §7, issue 10 items 1 and 2), through the API on both databases:
 * the public application (every criterion answered, the embargo text accepted by its hash, a key
 * that encrypts, a vouching member on the list) and each bad input refused with nothing stored;
 * the vouch request mailed through a real SMTP server and answered in Vigil by the person asked
 * alone; the team's approval (an organisation, its first person, the welcome mail) and refusal
 * (the reason mailed); people added with an account and a link, who see nothing embargoed before
 * accepting the embargo text; keys, suspension and removal; leak reports, incidents and removal
 * per the policy with a confirmation; reviews and their reminder; the recipients seam; and every
 * word people wrote encrypted at rest.
 */
import { randomBytes } from 'node:crypto';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/audit/audit.log.js';
import { createJobRunner, type JobRunner } from '../../src/jobs/job.runner.js';
import { createKeyring } from '../../src/lib/crypto/keyring.js';
import { createMailer, type Mailer } from '../../src/mail/outbound/mailer.js';
import { findCaseByRef } from '../../src/modules/cases/cases.repo.js';
import { distributorsMailHandlers } from '../../src/modules/embargo/distributors/distributors-mail.job.js';
import { listRecipients } from '../../src/modules/embargo/distributors/distributors.repo.js';
import { dumpDatabase } from '../support/db-dump.js';
import { describeEachDb } from '../support/db.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import {
  acceptedCase,
  buildTestApp,
  signIn,
  createUser,
  OPERATOR,
  PASSWORD,
  PUBLIC_URL,
  tokenClient,
  uniqueEmail,
  type Client,
  type TestApp,
  seedTeamMember,
} from '../support/app.js';

type Res = { statusCode: number; body: string };
type Json = Record<string, unknown>;
type ApplyInfo = { criteria: string[]; embargo: { text: string; hash: string }; listName: string };
type Membership = {
  personId: string;
  mustAccept: boolean;
  embargo: { hash: string };
  acceptedHash: string | null;
};
type Org = {
  id: string;
  name: string;
  state: string;
  stateNote: string | null;
  incidents: number;
  removalProposed: boolean;
  reviewDueAt: string;
  reviewDue: boolean;
  lastReview: { note: string | null } | null;
  people: { id: string; email: string; embargo: string; pgpFingerprint: string | null; state: string }[];
};

async function publicKey(opts: { date?: Date; keyExpirationTime?: number } = {}): Promise<string> {
  const { publicKey: armored } = await openpgp.generateKey({
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [{ name: 'Distributor', email: 'security@example.org' }],
    format: 'armored',
    ...opts,
  });
  return armored;
}

describeEachDb('the distributors list', (get) => {
  let t: TestApp;
  const cipher = createKeyring({ current: randomBytes(32) });
  const slug = 'contour';
  let team: Client;
  let teamEmail: string;
  let teamUserId: string;
  let outsider: { id: string; email: string; client: Client };
  let sink: SmtpSink;
  let mailer: Mailer;
  let runner: JobRunner;
  let info: ApplyInfo;
  /** The list's first organisation, put on by hand, and its person who vouches. */
  let seed: { orgId: string; personId: string; email: string; client: Client };
  let address = 0;

  const db = () => get().db.kysely;
  const publicCall = (method: string, url: string, payload?: unknown) => {
    address += 1;
    return t.app.inject({
      method: method as 'GET',
      url,
      remoteAddress: `10.66.${(address >> 8) & 255}.${address & 255}`,
      ...(payload !== undefined && { payload: payload as object }),
    });
  };
  async function ok(res: Promise<Res> | Res, status = 200): Promise<Json> {
    const r = await res;
    expect(r.statusCode, r.body).toBe(status);
    return r.body ? (JSON.parse(r.body) as Json) : {};
  }
  const issuePaths = (r: Res) =>
    ((JSON.parse(r.body) as { issues?: { path: string }[] }).issues ?? []).map((i) => i.path);
  const audit = (action: string) =>
    db()
      .selectFrom('audit_events')
      .select(['data_json'])
      .where('action', '=', action)
      .orderBy('seq')
      .execute();
  const base = `/api/v1/projects/${slug}/distributors`;

  /** Redeems a sign-in link as its holder would: a password, and a session client. */
  async function redeem(link: string): Promise<Client> {
    const token = new URL(link).hash.replace('#token=', '');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in-link',
      payload: { token, password: PASSWORD },
    });
    expect(res.statusCode, res.body).toBe(200);
    const cookie = `vigil_session=${res.cookies.find((c) => c.name === 'vigil_session')?.value ?? ''}`;
    const csrf = (res.json() as { csrfToken: string }).csrfToken;
    return {
      cookie,
      csrf,
      request: (method, url, body) =>
        t.app.inject({
          method: method as 'GET',
          url,
          headers: { cookie, 'x-csrf-token': csrf },
          ...(body !== undefined && { payload: body as object }),
        }),
    };
  }

  /** A valid application, by `applicant`, vouched for by `vouchEmail`. */
  function application(over: Json = {}): Json {
    return {
      orgName: `Example Linux ${randomBytes(3).toString('hex')}`,
      contactAlias: uniqueEmail('security'),
      applicantName: 'Grace Hopper',
      applicantEmail: uniqueEmail('applicant'),
      answers: info.criteria.map((_c, i) => `We meet criterion ${i + 1}: see our security tracker.`),
      embargoHash: info.embargo.hash,
      vouchEmail: seed.email,
      ...over,
    };
  }

  async function apply(over: Json = {}): Promise<{ applicationId: string; body: Json }> {
    const body = application(over);
    const res = await ok(publicCall('POST', `${base}/applications`, body), 201);
    return { applicationId: String(res.applicationId), body };
  }

  async function mailFor(email: string) {
    expect(await runner.runDueJobsOnce()).toMatchObject({ failed: 0 });
    return sink.waitFor((m) => m.envelope.to.includes(email));
  }

  async function overview(): Promise<Org[]> {
    return (await ok(team.request('GET', base))).orgs as Org[];
  }

  beforeAll(async () => {
    t = await buildTestApp(get().db, cipher);
    await t.services.projects.createProject(OPERATOR, { slug, name: 'Contour', preset: 'contour' });
    await t.services.projects.createProject(OPERATOR, {
      slug: 'k8s',
      name: 'k8spolicy',
      preset: 'k8spolicy',
    });
    const member = await createUser(t);
    await seedTeamMember(t.db, slug, member.email);
    team = await tokenClient(t, member.id);
    teamEmail = member.email;
    teamUserId = member.id;
    const o = await createUser(t);
    outsider = { ...o, client: await tokenClient(t, o.id) };
    sink = await startSmtpSink();
    mailer = createMailer({
      smtpUrl: sink.url,
      from: 'Vigil <vigil@vigil.test>',
      replyDomain: 'vigil.test',
      publicUrl: PUBLIC_URL,
      clock: t.clock,
    });
    runner = createJobRunner({
      db: get().db,
      clock: t.clock,
      handlers: distributorsMailHandlers({ db: get().db, cipher, mailer }),
    });
    info = (await ok(publicCall('GET', `${base}/apply`))) as unknown as ApplyInfo;

    // The list's first organisation: nobody could vouch for it, so the team puts it on by hand.
    const created = await ok(
      team.request('POST', `${base}/orgs`, {
        name: 'Seed Distribution',
        contactAlias: 'security@seed.example',
      }),
      201,
    );
    const email = uniqueEmail('seed');
    const added = await ok(
      team.request('POST', `${base}/orgs/${String(created.orgId)}/people`, { name: 'Seed Person', email }),
      201,
    );
    expect(added).toMatchObject({ newAccount: true, link: expect.stringContaining('/sign-in/link#token=') });
    const client = await redeem(String(added.link));
    seed = { orgId: String(created.orgId), personId: String(added.personId), email, client };
    await runner.runDueJobsOnce();
  });
  afterAll(async () => {
    mailer.close();
    await sink.close();
    await t.app.close();
  });

  describe('the public application', () => {
    it('shows the criteria and the embargo text with its hash, and nothing for a project without a list', async () => {
      expect(info.listName).toBe('Contour Distributors mailing list');
      expect(info.criteria).toHaveLength(7);
      expect(info.criteria[6]).toMatch(/vouch/);
      expect(info.embargo.text).toContain('must not be made public');
      expect(info.embargo.hash).toMatch(/^[0-9a-f]{64}$/);
      const none = await publicCall('GET', '/api/v1/projects/k8s/distributors/apply');
      const missing = await publicCall('GET', '/api/v1/projects/no-such/distributors/apply');
      expect(none.statusCode).toBe(404);
      expect(missing.statusCode).toBe(404);
      expect(none.json().detail.replace('k8s', '')).toBe(missing.json().detail.replace('no-such', ''));
      const post = await publicCall('POST', '/api/v1/projects/k8s/distributors/applications', application());
      expect(post.statusCode).toBe(404);
    });

    it('refuses an application missing a criterion, naming the criterion, and stores nothing', async () => {
      const six = await publicCall(
        'POST',
        `${base}/applications`,
        application({ answers: info.criteria.slice(0, 6).map(() => 'Yes.') }),
      );
      expect(six.statusCode, six.body).toBe(400);
      expect(issuePaths(six)).toEqual(['body.answers.6']);
      expect(six.json().detail).toContain('criterion 7');
      const blank = await publicCall(
        'POST',
        `${base}/applications`,
        application({ answers: info.criteria.map((_c, i) => (i === 2 ? '   ' : 'Yes.')) }),
      );
      expect(blank.statusCode).toBe(400);
      expect(issuePaths(blank)).toEqual(['body.answers.2']);
      const extra = await publicCall(
        'POST',
        `${base}/applications`,
        application({ answers: [...info.criteria, 'one more'].map(() => 'Yes.') }),
      );
      expect(extra.statusCode).toBe(400);
      expect(issuePaths(extra)).toEqual(['body.answers']);
      const long = await publicCall(
        'POST',
        `${base}/applications`,
        application({ answers: info.criteria.map(() => 'x'.repeat(4001)) }),
      );
      expect(long.statusCode).toBe(400);
      expect(await db().selectFrom('distributor_applications').select('id').execute()).toEqual([]);
    });

    it('refuses a key that does not parse, a private key and an expired key, naming the field', async () => {
      const garbage = await publicCall(
        'POST',
        `${base}/applications`,
        application({ pgpPublicKey: 'not a key' }),
      );
      expect(garbage.statusCode).toBe(400);
      expect(issuePaths(garbage)).toEqual(['body.pgpPublicKey']);
      const expired = await publicCall(
        'POST',
        `${base}/applications`,
        application({
          pgpPublicKey: await publicKey({ date: new Date('2025-01-01T00:00:00Z'), keyExpirationTime: 3600 }),
        }),
      );
      expect(expired.statusCode, expired.body).toBe(400);
      expect(issuePaths(expired)).toEqual(['body.pgpPublicKey']);
      expect(expired.json().detail).toContain('expired');
      const { privateKey } = await openpgp.generateKey({
        type: 'ecc',
        curve: 'curve25519Legacy',
        userIDs: [{ email: 'x@example.org' }],
        format: 'armored',
      });
      const secret = await publicCall(
        'POST',
        `${base}/applications`,
        application({ pgpPublicKey: privateKey }),
      );
      expect(secret.statusCode).toBe(400);
      expect(issuePaths(secret)).toEqual(['body.pgpPublicKey']);
      expect(secret.body).not.toContain('PRIVATE KEY BLOCK-----\n');
      expect(await db().selectFrom('distributor_applications').select('id').execute()).toEqual([]);
    });

    it('refuses a vouch from a non-member alike for every kind of non-member, and an outdated embargo text', async () => {
      const answers = [];
      for (const vouchEmail of [
        uniqueEmail('nobody'), // no account at all
        outsider.email, // an account on no list
        teamEmail, // the project's security team
      ]) {
        const res = await publicCall('POST', `${base}/applications`, application({ vouchEmail }));
        expect(res.statusCode, res.body).toBe(400);
        expect(issuePaths(res)).toEqual(['body.vouchEmail']);
        answers.push(res.body.split(vouchEmail).join('<vouch>'));
      }
      // The same answer whoever the address belongs to: it says no more than "not on the list".
      expect(new Set(answers).size).toBe(1);
      const self = await publicCall(
        'POST',
        `${base}/applications`,
        application({ applicantEmail: seed.email, vouchEmail: seed.email }),
      );
      expect(issuePaths(self)).toEqual(['body.vouchEmail']);
      const stale = await publicCall(
        'POST',
        `${base}/applications`,
        application({ embargoHash: 'a'.repeat(64) }),
      );
      expect(stale.statusCode).toBe(409);
      expect(await db().selectFrom('distributor_applications').select('id').execute()).toEqual([]);
    });

    it('limits the vouch misses of one client address', async () => {
      const from = (i: number) => ({ method: 'POST' as const, remoteAddress: `10.67.0.${i}` });
      let last: Res | undefined;
      // Applications themselves are limited to 5 an hour an address: spread them over the day's window.
      for (let i = 0; i < 11; i++) {
        last = await t.app.inject({
          ...from(1),
          url: `${base}/applications`,
          payload: application({ vouchEmail: uniqueEmail('probe') }),
        });
        if (last.statusCode === 429) break;
        t.clock.advance(3600_000);
      }
      expect(last?.statusCode).toBe(429);
      t.clock.set('2026-11-23T09:00:00Z');
    });
  });

  describe('vouching, approval and refusal', () => {
    let applied: { applicationId: string; body: Json };
    let applicantKey: string;

    it('asks the vouching member by mail, link only', async () => {
      applicantKey = await publicKey();
      sink.clear();
      applied = await apply({ pgpPublicKey: applicantKey });
      const mail = await mailFor(seed.email);
      expect(mail.subject).toBe('[Vigil] [Contour] An applicant to the distributors list asks you to vouch');
      expect(mail.text).toContain(`${PUBLIC_URL}/vouches/${applied.applicationId}`);
      const raw = mail.raw.toString('utf8');
      for (const s of [
        String(applied.body.orgName),
        'Grace Hopper',
        'criterion 1',
        String(applied.body.applicantEmail),
      ]) {
        expect(raw).not.toContain(s);
      }
      // The team hears of it too.
      const teamMail = sink.messages.find((m) =>
        m.subject.includes('new application to the distributors list'),
      );
      expect(teamMail?.text).toContain(`${PUBLIC_URL}/projects/contour`);
    });

    it('shows the request to the person asked alone: anyone else gets 404 as for nothing', async () => {
      const url = `/api/v1/me/vouches/${applied.applicationId}`;
      const absent = `/api/v1/me/vouches/00000000-0000-4000-8000-00000000dead`;
      for (const who of [outsider.client, team]) {
        for (const [method, body] of [
          ['GET', undefined],
          ['POST', { decision: 'vouch' }],
        ] as const) {
          const real = await who.request(method, url, body);
          const fake = await who.request(method, absent, body);
          expect(real.statusCode).toBe(404);
          expect(real.body.split(applied.applicationId).join('<id>')).toBe(
            fake.body.split('00000000-0000-4000-8000-00000000dead').join('<id>'),
          );
        }
      }
      const mine = (await ok(seed.client.request('GET', '/api/v1/me/vouches'))).vouches as Json[];
      expect(mine.map((v) => v.applicationId)).toContain(applied.applicationId);
      expect((await ok(outsider.client.request('GET', '/api/v1/me/vouches'))).vouches).toEqual([]);
      const detail = await ok(seed.client.request('GET', url));
      expect(detail).toMatchObject({ orgName: applied.body.orgName, state: 'asked', open: true });
      expect((detail.answers as { answer: string }[])[0]?.answer).toBe(
        'We meet criterion 1: see our security tracker.',
      );
    });

    it('refuses to approve before the vouch, then the member vouches once', async () => {
      const early = await team.request('POST', `${base}/applications/${applied.applicationId}/approve`);
      expect(early.statusCode).toBe(409);
      const url = `/api/v1/me/vouches/${applied.applicationId}`;
      await ok(seed.client.request('POST', url, { decision: 'vouch', note: 'I know their team.' }));
      expect((await seed.client.request('POST', url, { decision: 'decline' })).statusCode).toBe(409);
      const list = (await ok(team.request('GET', `${base}/applications`))).applications as Json[];
      expect(list.find((a) => a.id === applied.applicationId)).toMatchObject({
        state: 'pending',
        vouch: {
          state: 'vouched',
          note: 'I know their team.',
          email: seed.email,
          orgName: 'Seed Distribution',
        },
        embargo: { hash: info.embargo.hash, current: true },
      });
      expect(await audit('distributors.vouch_answered')).toHaveLength(1);
    });

    it('approves: the organisation joins, the applicant is its first person and gets the link', async () => {
      sink.clear();
      const approved = await ok(
        team.request('POST', `${base}/applications/${applied.applicationId}/approve`),
      );
      expect(approved).toMatchObject({
        newAccount: true,
        link: expect.stringContaining('/sign-in/link#token='),
      });
      const again = await team.request('POST', `${base}/applications/${applied.applicationId}/approve`);
      expect(again.statusCode).toBe(409);
      const org = (await overview()).find((o) => o.id === approved.orgId);
      expect(org).toMatchObject({
        name: applied.body.orgName,
        state: 'active',
        reviewDue: false,
        incidents: 0,
      });
      expect(org?.reviewDueAt).toBe('2027-11-23T09:00:00.000Z');
      const fingerprint = (await openpgp.readKey({ armoredKey: applicantKey }))
        .getFingerprint()
        .toUpperCase();
      expect(org?.people).toEqual([
        expect.objectContaining({
          email: applied.body.applicantEmail,
          embargo: 'none',
          pgpFingerprint: fingerprint,
          state: 'active',
        }),
      ]);
      const mail = await mailFor(String(applied.body.applicantEmail));
      expect(mail.subject).toBe('[Vigil] [Contour] You are on the distributors list');
      expect(mail.text).toContain(String(approved.link));
      // The application's acceptance is not the person's: anyone could have typed this address.
      // Whoever holds it accepts the text themselves, signed in, on their account page.
      expect(mail.text.replace(/\s+/g, ' ')).toContain('accept the embargo policy');
      const applicant = await redeem(String(approved.link));
      const memberships = (await ok(applicant.request('GET', '/api/v1/me/distributors')))
        .memberships as Membership[];
      expect(memberships).toEqual([expect.objectContaining({ mustAccept: true, acceptedHash: null })]);
      const person = await db()
        .selectFrom('distributor_people')
        .select(['embargo_hash', 'embargo_accepted_at'])
        .where('org_id', '=', String(approved.orgId))
        .executeTakeFirstOrThrow();
      expect(person).toEqual({ embargo_hash: null, embargo_accepted_at: null });
    });

    it('refuses with a reason, mailed to the applicant; a decided application stays decided', async () => {
      const other = await apply();
      sink.clear();
      await ok(
        team.request('POST', `${base}/applications/${other.applicationId}/refuse`, {
          reason: 'We could not verify your track record of security fixes.',
        }),
      );
      const mail = await mailFor(String(other.body.applicantEmail));
      expect(mail.subject).toBe('[Vigil] [Contour] Your application to the distributors list');
      expect(mail.text.replace(/\s+/g, ' ')).toContain(
        'We could not verify your track record of security fixes.',
      );
      expect(
        (await team.request('POST', `${base}/applications/${other.applicationId}/approve`)).statusCode,
      ).toBe(409);
      // The vouch request is moot now: the member answers nothing.
      const moot = await seed.client.request('POST', `/api/v1/me/vouches/${other.applicationId}`, {
        decision: 'vouch',
      });
      expect(moot.statusCode).toBe(409);
      // Another project's team sees nothing of it.
      const elsewhere = await createUser(t);
      await seedTeamMember(t.db, 'k8s', elsewhere.email);
      const k8sTeam = await tokenClient(t, elsewhere.id);
      expect((await k8sTeam.request('GET', `${base}/applications`)).statusCode).toBe(404);
      expect(
        (await k8sTeam.request('POST', `${base}/applications/${other.applicationId}/refuse`, { reason: 'x' }))
          .statusCode,
      ).toBe(404);
      expect(await verifyAuditChain(get().db)).toMatchObject({ ok: true });
    });
  });

  describe('people and the embargo text', () => {
    it('adds a person who must accept the current text before any case role', async () => {
      const email = uniqueEmail('person');
      const added = await ok(
        team.request('POST', `${base}/orgs/${seed.orgId}/people`, { name: 'New Person', email }),
        201,
      );
      const dup = await team.request('POST', `${base}/orgs/${seed.orgId}/people`, {
        name: 'New Person',
        email,
      });
      expect(dup.statusCode).toBe(409);
      const person = await redeem(String(added.link));
      const [membership] = (await ok(person.request('GET', '/api/v1/me/distributors')))
        .memberships as Membership[];
      expect(membership).toMatchObject({ personId: added.personId, mustAccept: true, acceptedHash: null });

      // A case shared with the organisation opens to them only once they accepted.
      const humanId = await acceptedCase(t, slug, team, 'A case shared with the list');
      const c = await findCaseByRef(db(), humanId);
      await db()
        .insertInto('case_distributor_shares')
        .values({
          case_id: c?.id ?? '',
          org_id: seed.orgId,
          shared_at: t.clock.now().toISOString(),
          shared_by_user_id: null,
        })
        .execute();
      const roles = async () => {
        const { token } = await t.services.apiTokens.createApiToken(OPERATOR, {
          userId: String(added.userId),
          name: 'probe',
          expiresInDays: 1,
        });
        const p = await t.services.apiTokens.resolveApiToken(token);
        return p?.kind === 'user' ? [...(p.caseRoles.get(c?.id ?? '') ?? [])] : [];
      };
      expect(await roles()).toEqual([]);

      const url = `/api/v1/me/distributors/${String(added.personId)}/accept`;
      expect((await person.request('POST', url, { embargoHash: 'b'.repeat(64) })).statusCode).toBe(409);
      expect(
        (await outsider.client.request('POST', url, { embargoHash: info.embargo.hash })).statusCode,
      ).toBe(404);
      await ok(person.request('POST', url, { embargoHash: info.embargo.hash }));
      expect(await roles()).toEqual(['distributor']);
      const [after] = (await ok(person.request('GET', '/api/v1/me/distributors')))
        .memberships as Membership[];
      expect(after).toMatchObject({ mustAccept: false, acceptedHash: info.embargo.hash });
      expect(await audit('distributors.embargo_accepted')).toEqual([
        { data_json: expect.stringContaining(info.embargo.hash) },
      ]);

      // Removed, they lose it.
      await ok(team.request('DELETE', `${base}/orgs/${seed.orgId}/people/${String(added.personId)}`), 204);
      expect(await roles()).toEqual([]);
      expect((await ok(person.request('GET', '/api/v1/me/distributors'))).memberships).toEqual([]);
    });

    it("edits a person's key: refused when it does not parse or has expired, cleared with null", async () => {
      const url = `${base}/orgs/${seed.orgId}/people/${seed.personId}/pgp-key`;
      const bad = await team.request('PUT', url, {
        pgpPublicKey: '-----BEGIN PGP PUBLIC KEY BLOCK-----\nxx',
      });
      expect(bad.statusCode).toBe(400);
      expect(issuePaths(bad)).toEqual(['body.pgpPublicKey']);
      const expired = await publicKey({ date: new Date('2025-01-01T00:00:00Z'), keyExpirationTime: 60 });
      expect(issuePaths(await team.request('PUT', url, { pgpPublicKey: expired }))).toEqual([
        'body.pgpPublicKey',
      ]);
      const key = await publicKey();
      const set = await ok(team.request('PUT', url, { pgpPublicKey: key }));
      expect(set.pgpFingerprint).toBe(
        (await openpgp.readKey({ armoredKey: key })).getFingerprint().toUpperCase(),
      );
      const project = await db()
        .selectFrom('projects')
        .select('id')
        .where('slug', '=', slug)
        .executeTakeFirstOrThrow();
      const withKey = (await listRecipients(db(), project.id)).find((r) => r.personId === seed.personId);
      expect(withKey?.pgpPublicKey).toContain('BEGIN PGP PUBLIC KEY BLOCK');
      await ok(team.request('PUT', url, { pgpPublicKey: null }));
      expect(
        (await overview()).find((o) => o.id === seed.orgId)?.people.find((p) => p.id === seed.personId)
          ?.pgpFingerprint,
      ).toBeNull();
    });

    it('lists as recipients the active people of active organisations only', async () => {
      const project = await db()
        .selectFrom('projects')
        .select('id')
        .where('slug', '=', slug)
        .executeTakeFirstOrThrow();
      const before = await listRecipients(db(), project.id);
      expect(before.map((r) => r.email)).toContain(seed.email);
      expect(before.every((r) => r.orgName && r.userId && r.personId)).toBe(true);
      const org = await ok(
        team.request('POST', `${base}/orgs`, { name: 'Suspended Soon', contactAlias: 'sec@s.example' }),
        201,
      );
      const email = uniqueEmail('suspended');
      await ok(team.request('POST', `${base}/orgs/${String(org.orgId)}/people`, { name: 'S', email }), 201);
      expect((await listRecipients(db(), project.id)).map((r) => r.email)).toContain(email);
      await ok(
        team.request('POST', `${base}/orgs/${String(org.orgId)}/state`, {
          state: 'suspended',
          reason: 'Audit pending.',
        }),
      );
      expect((await listRecipients(db(), project.id)).map((r) => r.email)).not.toContain(email);
      await ok(
        team.request('POST', `${base}/orgs/${String(org.orgId)}/state`, {
          state: 'active',
          reason: 'Audit done.',
        }),
      );
      expect((await listRecipients(db(), project.id)).map((r) => r.email)).toContain(email);
      await ok(
        team.request('POST', `${base}/orgs/${String(org.orgId)}/state`, {
          state: 'removed',
          reason: 'Gone.',
        }),
      );
      const reinstated = await team.request('POST', `${base}/orgs/${String(org.orgId)}/state`, {
        state: 'active',
        reason: 'Back?',
      });
      expect(reinstated.statusCode).toBe(409);
      expect((await overview()).find((o) => o.id === org.orgId)).toMatchObject({
        state: 'removed',
        stateNote: 'Gone.',
      });
      expect((await listRecipients(db(), project.id)).map((r) => r.email)).not.toContain(email);
    });
  });

  describe('leaks and the removal rule', () => {
    let culprit: { orgId: string; person: Client };

    beforeAll(async () => {
      const org = await ok(
        team.request('POST', `${base}/orgs`, { name: 'Leaky Linux', contactAlias: 'sec@leaky.example' }),
        201,
      );
      const added = await ok(
        team.request('POST', `${base}/orgs/${String(org.orgId)}/people`, {
          name: 'L',
          email: uniqueEmail('leaky'),
        }),
        201,
      );
      culprit = { orgId: String(org.orgId), person: await redeem(String(added.link)) };
    });

    it('takes a leak report from a person of the list or the team, and 404 from anyone else', async () => {
      const body = {
        what: 'The draft advisory',
        toWhom: 'A journalist',
        when: 'Yesterday around noon',
        caseRef: 'CTR-2026-0001',
      };
      const url = `${base}/leaks`;
      sink.clear();
      const reported = await ok(seed.client.request('POST', url, body), 201);
      await ok(team.request('POST', url, { what: 'Patch', toWhom: 'A forum', when: 'Today' }), 201);
      const denied = await outsider.client.request('POST', url, body);
      const absent = await outsider.client.request(
        'POST',
        '/api/v1/projects/no-such-project/distributors/leaks',
        body,
      );
      expect(denied.statusCode).toBe(404);
      expect(denied.json().detail.replace(slug, '')).toBe(
        absent.json().detail.replace('no-such-project', ''),
      );
      expect((await outsider.client.request('GET', url)).statusCode).toBe(404);
      const teamMail = await (async () => {
        await runner.runDueJobsOnce();
        return sink.waitFor((m) => m.subject.includes('a leak was reported'));
      })();
      expect(teamMail.raw.toString('utf8')).not.toContain('journalist');
      const leaks = await ok(team.request('GET', url));
      expect((leaks.reports as Json[]).find((r) => r.id === reported.leakReportId)).toMatchObject({
        what: 'The draft advisory',
        toWhom: 'A journalist',
        when: 'Yesterday around noon',
        caseRef: 'CTR-2026-0001',
        state: 'open',
        reporterOrg: { id: seed.orgId, name: 'Seed Distribution' },
      });
    });

    it('counts incidents, offers removal at the policy threshold, and removes only with a confirmation', async () => {
      const leaks = await ok(team.request('GET', `${base}/leaks`));
      const open = (leaks.reports as Json[]).find((r) => r.what === 'The draft advisory');
      const first = await ok(
        team.request('POST', `${base}/incidents`, { orgId: culprit.orgId, leakReportId: open?.id }),
        201,
      );
      expect(first).toMatchObject({ incidents: 1, leaksBeforeRemoval: 2, removalProposed: false });
      const twice = await team.request('POST', `${base}/incidents`, {
        orgId: culprit.orgId,
        leakReportId: open?.id,
      });
      expect(twice.statusCode).toBe(409);
      const early = await team.request('POST', `${base}/orgs/${culprit.orgId}/removal-per-policy`, {
        confirm: true,
        reason: 'Second leak.',
      });
      expect(early.statusCode).toBe(409);
      const wordless = await team.request('POST', `${base}/incidents`, { orgId: culprit.orgId, what: 'x' });
      expect(issuePaths(wordless)).toEqual(['body.toWhom']);
      const second = await ok(
        team.request('POST', `${base}/incidents`, {
          orgId: culprit.orgId,
          what: 'The patch',
          toWhom: 'A mailing list',
          when: '2026-11-20',
        }),
        201,
      );
      expect(second).toMatchObject({ incidents: 2, removalProposed: true });
      expect((await overview()).find((o) => o.id === culprit.orgId)).toMatchObject({
        incidents: 2,
        removalProposed: true,
      });
      const unconfirmed = await team.request('POST', `${base}/orgs/${culprit.orgId}/removal-per-policy`, {
        reason: 'Second leak.',
      });
      expect(unconfirmed.statusCode).toBe(400);
      expect((await overview()).find((o) => o.id === culprit.orgId)?.state).toBe('active');
      await ok(
        team.request('POST', `${base}/orgs/${culprit.orgId}/removal-per-policy`, {
          confirm: true,
          reason: 'Second leak.',
        }),
      );
      expect((await overview()).find((o) => o.id === culprit.orgId)).toMatchObject({
        state: 'removed',
        removalProposed: false,
      });
      expect(await audit('distributors.org_removed_per_policy')).toEqual([
        { data_json: expect.stringContaining('"incidents":2') },
      ]);
      // Their people may no longer report, nor see their membership.
      expect(
        (await culprit.person.request('POST', `${base}/leaks`, { what: 'a', toWhom: 'b', when: 'c' }))
          .statusCode,
      ).toBe(404);
      const incidents = (await ok(team.request('GET', `${base}/leaks`))).incidents as Json[];
      expect(incidents.map((i) => i.what).sort()).toEqual(['The draft advisory', 'The patch']);
    });
  });

  describe('reviews', () => {
    it('moves the review by the policy period and reminds the team when one is due', async () => {
      const org = await ok(
        team.request('POST', `${base}/orgs`, { name: 'Reviewed Ltd', contactAlias: 'sec@r.example' }),
        201,
      );
      expect(org.reviewDueAt).toBe('2027-11-23T09:00:00.000Z');
      // Tokens and sessions age with the clock: the team signs in again at each jump.
      const at = async (instant: string) => {
        t.clock.set(instant);
        team = await tokenClient(t, teamUserId);
      };
      await at('2027-02-01T10:00:00Z');
      const reviewed = await ok(
        team.request('POST', `${base}/orgs/${String(org.orgId)}/reviews`, {
          note: 'All criteria still met.',
        }),
        201,
      );
      expect(reviewed.nextDueAt).toBe('2028-02-01T10:00:00.000Z');
      const row = (await overview()).find((o) => o.id === org.orgId);
      expect(row).toMatchObject({ reviewDueAt: '2028-02-01T10:00:00.000Z', reviewDue: false });
      expect(row?.lastReview?.note).toBe('All criteria still met.');

      // Its first due instant's reminder is moot now: only the others due then are reminded of.
      const dueThen = (await overview()).filter(
        (o) => o.state !== 'removed' && o.reviewDueAt === '2027-11-23T09:00:00.000Z',
      );
      expect(dueThen.length).toBeGreaterThanOrEqual(2);
      sink.clear();
      await at('2027-11-24T00:00:00Z');
      expect(await runner.runDueJobsOnce()).toMatchObject({ failed: 0 });
      await new Promise((r) => setTimeout(r, 300));
      expect(sink.messages.filter((m) => m.subject.includes('due for review'))).toHaveLength(dueThen.length);
      sink.clear();
      await at('2028-02-02T00:00:00Z');
      expect(await runner.runDueJobsOnce()).toMatchObject({ failed: 0 });
      const reminder = await sink.waitFor((m) =>
        m.subject.includes('a member organisation is due for review'),
      );
      expect(reminder.text).toContain(`${PUBLIC_URL}/projects/contour`);
      expect((await overview()).find((o) => o.id === org.orgId)?.reviewDue).toBe(true);
      await at('2026-11-23T09:00:00Z');
      seed.client = await signIn(t, seed.email);
    });
  });

  it('keeps every word people wrote encrypted at rest, and out of the audit log', async () => {
    const marker = randomBytes(5).toString('hex');
    const canary = (what: string) => `CANARY-${what}-${marker}`;
    const applied = await apply({
      answers: info.criteria.map((_c, i) => canary(`ANSWER${i}`)),
    });
    await ok(
      seed.client.request('POST', `/api/v1/me/vouches/${applied.applicationId}`, {
        decision: 'decline',
        note: canary('VOUCHNOTE'),
      }),
    );
    await ok(
      team.request('POST', `${base}/applications/${applied.applicationId}/refuse`, {
        reason: canary('REFUSAL'),
      }),
    );
    const org = await ok(
      team.request('POST', `${base}/orgs`, { name: `At rest ${marker}`, contactAlias: 'sec@a.example' }),
      201,
    );
    const orgId = String(org.orgId);
    await ok(
      team.request('POST', `${base}/orgs/${orgId}/state`, {
        state: 'suspended',
        reason: canary('STATENOTE'),
      }),
    );
    await ok(team.request('POST', `${base}/orgs/${orgId}/reviews`, { note: canary('REVIEWNOTE') }), 201);
    const leak = await ok(
      seed.client.request('POST', `${base}/leaks`, {
        what: canary('LEAKWHAT'),
        toWhom: canary('LEAKWHOM'),
        when: canary('LEAKWHEN'),
      }),
      201,
    );
    await ok(team.request('POST', `${base}/incidents`, { orgId, leakReportId: leak.leakReportId }), 201);
    await ok(
      team.request('POST', `${base}/incidents`, {
        orgId,
        what: canary('INCWHAT'),
        toWhom: canary('INCWHOM'),
        when: canary('INCWHEN'),
      }),
      201,
    );
    // Those who may read them get them back.
    const list = (await ok(team.request('GET', `${base}/applications`))).applications as Json[];
    const mine = list.find((a) => a.id === applied.applicationId);
    expect(JSON.stringify(mine)).toContain(canary('ANSWER3'));
    expect(JSON.stringify(mine)).toContain(canary('VOUCHNOTE'));
    expect(JSON.stringify(mine)).toContain(canary('REFUSAL'));
    const leaks = JSON.stringify(await ok(team.request('GET', `${base}/leaks`)));
    for (const w of ['LEAKWHAT', 'LEAKWHOM', 'LEAKWHEN', 'INCWHAT', 'INCWHOM', 'INCWHEN'])
      expect(leaks).toContain(canary(w));
    const overviewText = JSON.stringify(await ok(team.request('GET', base)));
    expect(overviewText).toContain(canary('STATENOTE'));
    expect(overviewText).toContain(canary('REVIEWNOTE'));

    const dump = await dumpDatabase(get());
    expect(dump).toContain(`At rest ${marker}`); // the dump does hold the rows
    expect(dump).not.toContain('CANARY-');
    for (const w of [
      ...info.criteria.map((_c, i) => `ANSWER${i}`),
      'VOUCHNOTE',
      'REFUSAL',
      'STATENOTE',
      'REVIEWNOTE',
      'LEAKWHAT',
      'LEAKWHOM',
      'LEAKWHEN',
      'INCWHAT',
      'INCWHOM',
      'INCWHEN',
    ]) {
      expect(dump).not.toContain(canary(w));
    }
  });
});
