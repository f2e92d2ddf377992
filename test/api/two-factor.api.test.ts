/**
 * Two-factor sign-in (issue 11, item 4: TOTP and recovery codes, `access.requireTwoFactor`) and the
 * sign-in throttle nobody can turn into a lockout (item 5), through the HTTP API on both databases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/lib/ids.js';
import { base32Decode, totpAt } from '../../src/modules/accounts/two-factor/totp.js';
import { loadPrincipal } from '../../src/modules/accounts/user-view.js';
import { getPresetYaml } from '../../src/modules/policy/policy.presets.js';
import { dumpDatabase } from '../support/db-dump.js';
import { describeEachDb } from '../support/db.js';
import {
  buildTestApp,
  clientOf,
  createUser,
  OPERATOR,
  PASSWORD,
  signIn,
  uniqueEmail,
  type TestApp,
} from '../support/app.js';

describeEachDb('two-factor sign-in API', (get) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(get().db);
  });
  afterAll(async () => {
    await t.app.close();
  });

  const post = (url: string, payload: object, remoteAddress = '127.0.0.1') =>
    t.app.inject({ method: 'POST', url, payload, remoteAddress });
  const passwordSignIn = (email: string, extra: object = {}, remoteAddress?: string) =>
    post('/api/v1/auth/sign-in', { email, password: PASSWORD, ...extra }, remoteAddress);
  const codeNow = (secret: string, offsetMs = 0) =>
    totpAt(base32Decode(secret), t.clock.now().getTime() + offsetMs);

  /** A user with TOTP on: their secret, recovery codes and the client that enrolled. */
  async function enrolledUser() {
    const user = await createUser(t);
    const client = await signIn(t, user.email);
    const started = await client.request('POST', '/api/v1/me/totp');
    expect(started.statusCode).toBe(201);
    const { secret } = started.json() as { secret: string };
    const confirmed = await client.request('POST', '/api/v1/me/totp/confirm', { code: codeNow(secret) });
    expect(confirmed.statusCode).toBe(200);
    const { recoveryCodes } = confirmed.json() as { recoveryCodes: string[] };
    // The code just used is spent: move to the next step so the tests' codes are fresh.
    t.clock.advance(30_000);
    return { user, secret, recoveryCodes, client };
  }

  async function auditActions(userId: string): Promise<{ action: string; data: string }[]> {
    return get()
      .db.kysely.selectFrom('audit_events')
      .select(['action', 'data_json as data'])
      .where('subject_id', '=', userId)
      .orderBy('seq')
      .execute() as Promise<{ action: string; data: string }[]>;
  }

  describe('enrolment', () => {
    it('shows the secret and an otpauth URI once, confirms with a first code, returns ten recovery codes', async () => {
      const user = await createUser(t);
      const client = await signIn(t, user.email);
      expect((await client.request('GET', '/api/v1/me/two-factor')).json()).toEqual({
        totp: 'off',
        recoveryCodesLeft: 0,
        methods: [],
      });
      const started = await client.request('POST', '/api/v1/me/totp');
      expect(started.statusCode).toBe(201);
      const { secret, otpauthUri } = started.json() as { secret: string; otpauthUri: string };
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      const uri = new URL(otpauthUri);
      expect(uri.protocol).toBe('otpauth:');
      expect(uri.searchParams.get('secret')).toBe(secret);
      expect(decodeURIComponent(uri.pathname)).toBe(`/Vigil:${user.email}`);
      expect((await client.request('GET', '/api/v1/me/two-factor')).json()).toMatchObject({
        totp: 'pending',
      });

      // Pending: a sign-in is still one step.
      expect((await passwordSignIn(user.email)).json()).toHaveProperty('csrfToken');

      const wrongCode = codeNow(secret) === '000000' ? '111111' : '000000';
      const wrong = await client.request('POST', '/api/v1/me/totp/confirm', { code: wrongCode });
      expect(wrong.statusCode).toBe(422);
      const ok = await client.request('POST', '/api/v1/me/totp/confirm', { code: codeNow(secret) });
      expect(ok.statusCode).toBe(200);
      const { recoveryCodes } = ok.json() as { recoveryCodes: string[] };
      expect(recoveryCodes).toHaveLength(10);
      expect(new Set(recoveryCodes).size).toBe(10);
      for (const c of recoveryCodes) expect(c).toMatch(/^[a-z0-9]{4}(-[a-z0-9]{4}){3}$/);
      expect((await client.request('GET', '/api/v1/me/two-factor')).json()).toEqual({
        totp: 'on',
        recoveryCodesLeft: 10,
        methods: ['totp', 'recovery'],
      });
      // The enrolling session proved both factors.
      expect((await client.request('GET', '/api/v1/auth/session')).json().twoFactor).toEqual({
        factors: 2,
        requiredBy: [],
      });
      // Starting again while on is refused; nothing shows the secret again.
      expect((await client.request('POST', '/api/v1/me/totp')).statusCode).toBe(409);

      const actions = (await auditActions(user.id)).map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['user.totp_started', 'user.totp_enabled']));
      const data = (await auditActions(user.id)).map((e) => e.data).join('\n');
      expect(data).not.toContain(secret);
      for (const c of recoveryCodes) expect(data).not.toContain(c);
    });

    it('keeps the secret encrypted and the recovery codes hashed at rest', async () => {
      const { secret, recoveryCodes } = await enrolledUser();
      const dump = await dumpDatabase(get());
      expect(dump).toContain('user_totp');
      expect(dump).not.toContain(secret);
      expect(dump).not.toContain(base32Decode(secret).toString('hex'));
      for (const c of recoveryCodes) {
        expect(dump).not.toContain(c);
        expect(dump).not.toContain(c.replace(/-/g, ''));
      }
    });
  });

  describe('the second step', () => {
    it('answers a challenge instead of a session, and a current code completes it with two factors', async () => {
      const { user, secret } = await enrolledUser();
      const first = await passwordSignIn(user.email);
      expect(first.statusCode).toBe(200);
      expect(first.cookies.find((c) => c.name === 'vigil_session')).toBeUndefined();
      const { secondFactor } = first.json() as { secondFactor: { challenge: string; methods: string[] } };
      expect(secondFactor.methods).toEqual(['totp', 'recovery']);

      const wrongCode = codeNow(secret) === '000000' ? '111111' : '000000';
      const wrong = await post('/api/v1/auth/second-factor', {
        challenge: secondFactor.challenge,
        totp: wrongCode,
      });
      expect(wrong.statusCode).toBe(401);
      expect(wrong.cookies.find((c) => c.name === 'vigil_session')).toBeUndefined();

      const done = await post('/api/v1/auth/second-factor', {
        challenge: secondFactor.challenge,
        totp: codeNow(secret),
      });
      expect(done.statusCode).toBe(200);
      const client = clientOf(t, done);
      const session = (await client.request('GET', '/api/v1/auth/session')).json();
      expect(session.user.email).toBe(user.email);
      expect(session.twoFactor.factors).toBe(2);

      // The challenge is spent, and so is the code (a second sign-in in the same step cannot reuse it).
      expect(
        (
          await post('/api/v1/auth/second-factor', {
            challenge: secondFactor.challenge,
            totp: codeNow(secret),
          })
        ).statusCode,
      ).toBe(401);
      const again = (await passwordSignIn(user.email)).json().secondFactor.challenge as string;
      expect(
        (await post('/api/v1/auth/second-factor', { challenge: again, totp: codeNow(secret) })).statusCode,
      ).toBe(401);
      t.clock.advance(30_000);
      expect(
        (await post('/api/v1/auth/second-factor', { challenge: again, totp: codeNow(secret) })).statusCode,
      ).toBe(200);

      const events = await auditActions(user.id);
      const signedIn = events.filter((e) => e.action === 'user.signed_in').map((e) => JSON.parse(e.data));
      expect(signedIn.at(-1)).toEqual({ method: 'password', factors: 2, secondFactor: 'totp' });
      expect(events.map((e) => e.action)).toContain('user.second_factor_challenged');
      expect(events.map((e) => e.action)).toContain('user.second_factor_failed');
    });

    it('takes each recovery code once', async () => {
      const { user, recoveryCodes } = await enrolledUser();
      const code = recoveryCodes[3] ?? '';
      const challenge = async () =>
        (await passwordSignIn(user.email)).json().secondFactor.challenge as string;
      const used = await post('/api/v1/auth/second-factor', {
        challenge: await challenge(),
        recoveryCode: code.toUpperCase(),
      });
      expect(used.statusCode).toBe(200);
      expect((await clientOf(t, used).request('GET', '/api/v1/me/two-factor')).json().recoveryCodesLeft).toBe(
        9,
      );
      const reused = await post('/api/v1/auth/second-factor', {
        challenge: await challenge(),
        recoveryCode: code,
      });
      expect(reused.statusCode).toBe(401);
      const other = await post('/api/v1/auth/second-factor', {
        challenge: await challenge(),
        recoveryCode: recoveryCodes[4] ?? '',
      });
      expect(other.statusCode).toBe(200);
    });

    it('ends a challenge after five minutes and after five wrong answers', async () => {
      const { user, secret } = await enrolledUser();
      const stale = (await passwordSignIn(user.email)).json().secondFactor.challenge as string;
      t.clock.advance(5 * 60_000 + 1);
      expect(
        (await post('/api/v1/auth/second-factor', { challenge: stale, totp: codeNow(secret) })).statusCode,
      ).toBe(401);

      const worn = (await passwordSignIn(user.email)).json().secondFactor.challenge as string;
      const wrongCode = codeNow(secret) === '000000' ? '111111' : '000000';
      for (let i = 0; i < 5; i++)
        expect(
          (await post('/api/v1/auth/second-factor', { challenge: worn, totp: wrongCode })).statusCode,
        ).toBe(401);
      const late = await post('/api/v1/auth/second-factor', { challenge: worn, totp: codeNow(secret) });
      expect(late.statusCode).toBe(401);
      expect(late.json().detail).toMatch(/Sign in again/);
    });

    it('signs in with two factors at once when the code comes with the password', async () => {
      const { user, secret } = await enrolledUser();
      const res = await passwordSignIn(user.email, { totp: codeNow(secret) });
      expect(res.statusCode).toBe(200);
      expect((await clientOf(t, res).request('GET', '/api/v1/auth/session')).json().twoFactor.factors).toBe(
        2,
      );
      // A wrong code with the right password: the second step, not a session.
      t.clock.advance(30_000);
      const wrongCode = codeNow(secret) === '000000' ? '111111' : '000000';
      const wrong = await passwordSignIn(user.email, { totp: wrongCode });
      expect(wrong.json()).toHaveProperty('secondFactor');
      expect(wrong.cookies.find((c) => c.name === 'vigil_session')).toBeUndefined();
    });

    it('asks a sign-in link for the second factor too', async () => {
      const { user, secret } = await enrolledUser();
      const { signInLink } = await t.services.signInLinks.createSignInLink(OPERATOR, user.id);
      const token = new URL(signInLink).hash.replace('#token=', '');
      const res = await post('/api/v1/auth/sign-in-link', { token, password: PASSWORD });
      expect(res.statusCode).toBe(200);
      expect(res.cookies.find((c) => c.name === 'vigil_session')).toBeUndefined();
      const { challenge } = res.json().secondFactor as { challenge: string };
      expect(
        (await post('/api/v1/auth/second-factor', { challenge, totp: codeNow(secret) })).statusCode,
      ).toBe(200);
    });

    it('turns TOTP off only with proof, and then a password signs in alone', async () => {
      const { user, secret, client } = await enrolledUser();
      const wrong = await client.request('DELETE', '/api/v1/me/totp', { password: 'not my password at all' });
      expect(wrong.statusCode).toBe(422);
      const none = await client.request('DELETE', '/api/v1/me/totp', {});
      expect(none.statusCode).toBe(400);
      expect((await passwordSignIn(user.email)).json()).toHaveProperty('secondFactor');
      const off = await client.request('DELETE', '/api/v1/me/totp', { code: codeNow(secret) });
      expect(off.statusCode).toBe(204);
      expect((await client.request('GET', '/api/v1/me/two-factor')).json()).toEqual({
        totp: 'off',
        recoveryCodesLeft: 0,
        methods: [],
      });
      const res = await passwordSignIn(user.email);
      expect(res.json()).toHaveProperty('csrfToken');
      expect((await auditActions(user.id)).map((e) => e.action)).toContain('user.totp_disabled');
    });
  });

  describe('access.requireTwoFactor', () => {
    it("counts the team's role only in a two-factor session, and says which project asks", async () => {
      const slug = `strict-${Math.random().toString(36).slice(2, 8)}`;
      const yaml = `${getPresetYaml('contour').trimEnd()}\naccess:\n  requireTwoFactor: true\n`;
      await t.services.projects.createProject(OPERATOR, { slug, name: 'Strict', policyYaml: yaml });
      const member = await createUser(t);
      await t.services.projects.addMember(OPERATOR, slug, { email: member.email, role: 'security-team' });

      const weak = await signIn(t, member.email);
      expect((await weak.request('GET', `/api/v1/projects/${slug}`)).statusCode).toBe(404);
      expect((await weak.request('GET', '/api/v1/projects')).json().projects ?? []).not.toContainEqual(
        expect.objectContaining({ slug }),
      );
      expect((await weak.request('GET', '/api/v1/auth/session')).json().twoFactor).toEqual({
        factors: 1,
        requiredBy: [{ slug, name: 'Strict' }],
      });
      // A token made from a one-factor session is no stronger.
      const weakToken = (await weak.request('POST', '/api/v1/me/tokens', { name: 'weak' })).json()
        .token as string;
      const viaWeakToken = await t.app.inject({
        method: 'GET',
        url: `/api/v1/projects/${slug}`,
        headers: { authorization: `Bearer ${weakToken}` },
      });
      expect(viaWeakToken.statusCode).toBe(404);

      // Setting up TOTP in that session raises it to two factors.
      const { secret } = (await weak.request('POST', '/api/v1/me/totp')).json() as { secret: string };
      expect(
        (await weak.request('POST', '/api/v1/me/totp/confirm', { code: codeNow(secret) })).statusCode,
      ).toBe(200);
      expect((await weak.request('GET', `/api/v1/projects/${slug}`)).statusCode).toBe(200);
      const strongToken = (await weak.request('POST', '/api/v1/me/tokens', { name: 'strong' })).json()
        .token as string;
      const viaStrongToken = await t.app.inject({
        method: 'GET',
        url: `/api/v1/projects/${slug}`,
        headers: { authorization: `Bearer ${strongToken}` },
      });
      expect(viaStrongToken.statusCode).toBe(200);

      // A new sign-in with the password alone does not reach the project until the second step.
      t.clock.advance(30_000);
      const first = (await passwordSignIn(member.email)).json().secondFactor.challenge as string;
      const strong = clientOf(
        t,
        await post('/api/v1/auth/second-factor', { challenge: first, totp: codeNow(secret) }),
      );
      expect((await strong.request('GET', `/api/v1/projects/${slug}`)).statusCode).toBe(200);

      // The policy saying false again: one factor is enough.
      const current = (await strong.request('GET', `/api/v1/projects/${slug}`)).json();
      const relaxed = await strong.request('PUT', `/api/v1/projects/${slug}/policy`, {
        yaml: yaml.replace('requireTwoFactor: true', 'requireTwoFactor: false'),
        baseVersion: current.policy.version,
      });
      expect(relaxed.statusCode).toBe(200);
      expect((await weak.request('GET', `/api/v1/projects/${slug}`)).statusCode).toBe(200);
      expect(
        (
          await t.app.inject({
            method: 'GET',
            url: `/api/v1/projects/${slug}`,
            headers: { authorization: `Bearer ${weakToken}` },
          })
        ).statusCode,
      ).toBe(200);
    });
  });

  describe('access.requireTwoFactor on case roles', () => {
    it("holds back Fix Team and collaborator roles from one factor, never a reporter's", async () => {
      const slug = `strict-cases-${Math.random().toString(36).slice(2, 8)}`;
      const yaml = `${getPresetYaml('contour').trimEnd()}\naccess:\n  requireTwoFactor: true\n`;
      await t.services.projects.createProject(OPERATOR, { slug, name: 'Strict cases', policyYaml: yaml });
      const filed = await t.app.inject({
        method: 'POST',
        url: `/api/v1/projects/${slug}/reports`,
        remoteAddress: '10.9.0.1',
        payload: {
          subject: 'A report for the two-factor test',
          reporter: { name: 'Ada', email: 'ada@example.org' },
          reproduction: 'Steps.',
          effects: 'Effects.',
          impact: 'Impact.',
        },
      });
      expect(filed.statusCode, filed.body).toBe(201);
      const caseId = (filed.json() as { id: string }).id;
      const engineer = await createUser(t);
      const collaborator = await createUser(t);
      const reporter = await createUser(t);
      for (const [user, role] of [
        [engineer, 'fix-team'],
        [collaborator, 'collaborator'],
        [reporter, 'reporter'],
      ] as const) {
        await get()
          .db.kysely.insertInto('case_members')
          .values({
            id: newId(),
            case_id: caseId,
            user_id: user.id,
            role,
            invited_by: null,
            invited_at: t.clock.now().toISOString(),
            terms_hash: 'a'.repeat(64),
            terms_accepted_at: t.clock.now().toISOString(),
            ended_at: null,
            ended_reason: null,
            ended_note_enc: null,
          })
          .execute();
      }
      const roles = async (userId: string, factors: number) => {
        const p = await loadPrincipal(get().db.kysely, userId, { factors });
        return p?.kind === 'user' ? [...(p.caseRoles.get(caseId) ?? [])] : null;
      };
      expect(await roles(engineer.id, 1)).toEqual([]);
      expect(await roles(engineer.id, 2)).toEqual(['fix-team']);
      expect(await roles(collaborator.id, 1)).toEqual([]);
      expect(await roles(collaborator.id, 2)).toEqual(['collaborator']);
      expect(await roles(reporter.id, 1)).toEqual(['reporter']);
      // The engineer's session says which project asks.
      const weak = await signIn(t, engineer.email);
      expect((await weak.request('GET', '/api/v1/auth/session')).json().twoFactor.requiredBy).toEqual([
        { slug, name: 'Strict cases' },
      ]);
      expect((await weak.request('GET', `/api/v1/cases/${caseId}`)).statusCode).toBe(404);
    });
  });

  describe('throttling that nobody can turn into a lockout', () => {
    const wrong = (email: string, remoteAddress: string) =>
      post('/api/v1/auth/sign-in', { email, password: 'not the password!' }, remoteAddress);

    it("the review's reproducer: ten wrong passwords from ten addresses, then the real user signs in at once", async () => {
      const user = await createUser(t);
      const home = '198.51.100.7';
      expect((await passwordSignIn(user.email, {}, home)).statusCode).toBe(200);
      for (let i = 1; i <= 10; i++) expect((await wrong(user.email, `203.0.113.${i}`)).statusCode).toBe(401);
      // From the usual address: at once.
      const fromHome = await passwordSignIn(user.email, {}, home);
      expect(fromHome.statusCode).toBe(200);
      expect(fromHome.json()).toHaveProperty('csrfToken');
      // From a new address: slowed down by a few seconds, never refused.
      const away = '192.0.2.44';
      const slowed = await passwordSignIn(user.email, {}, away);
      expect(slowed.statusCode).toBe(429);
      const retry = Number(slowed.headers['retry-after']);
      expect(retry).toBeGreaterThan(0);
      expect(retry).toBeLessThanOrEqual(5);
      t.clock.advance(retry * 1000);
      expect((await passwordSignIn(user.email, {}, away)).statusCode).toBe(200);
    });

    it('lets a correct second factor through from a new address at once', async () => {
      const { user, secret } = await enrolledUser();
      for (let i = 1; i <= 10; i++) expect((await wrong(user.email, `203.0.114.${i}`)).statusCode).toBe(401);
      const res = await passwordSignIn(user.email, { totp: codeNow(secret) }, '192.0.2.45');
      expect(res.statusCode).toBe(200);
      expect((await clientOf(t, res).request('GET', '/api/v1/auth/session')).json().twoFactor.factors).toBe(
        2,
      );
      // Without the code the same new address waits.
      expect((await passwordSignIn(user.email, {}, '192.0.2.46')).statusCode).toBe(429);
    });

    it('makes one address wait exponentially after five failures on one account, not the others', async () => {
      const user = await createUser(t);
      const addr = '203.0.115.1';
      for (let i = 0; i < 5; i++) expect((await wrong(user.email, addr)).statusCode).toBe(401);
      const first = await wrong(user.email, addr);
      expect(first.statusCode).toBe(429);
      expect(first.headers['retry-after']).toBe('1');
      t.clock.advance(1000);
      expect((await wrong(user.email, addr)).statusCode).toBe(401);
      const second = await wrong(user.email, addr);
      expect(second.headers['retry-after']).toBe('2');
      // Even the right password waits from there...
      expect((await passwordSignIn(user.email, {}, addr)).statusCode).toBe(429);
      // ...but another address is not affected (the account has 6 failures: no slow-down yet).
      expect((await passwordSignIn(user.email, {}, '203.0.115.2')).statusCode).toBe(200);
      t.clock.advance(2000);
      expect((await passwordSignIn(user.email, {}, addr)).statusCode).toBe(200);
      // A success starts the pair afresh.
      for (let i = 0; i < 5; i++) expect((await wrong(user.email, addr)).statusCode).toBe(401);
    });

    it('caps one address across accounts (credential stuffing) at 50 failures in 15 minutes', async () => {
      const addr = '203.0.116.1';
      const user = await createUser(t);
      for (let i = 0; i < 50; i++) expect((await wrong(uniqueEmail('stuffed'), addr)).statusCode).toBe(401);
      const refused = await wrong(uniqueEmail('stuffed'), addr);
      expect(refused.statusCode).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(5);
      expect((await passwordSignIn(user.email, {}, addr)).statusCode).toBe(429);
      expect((await passwordSignIn(user.email, {}, '203.0.116.2')).statusCode).toBe(200);
      t.clock.advance(15 * 60_000);
      expect((await passwordSignIn(user.email, {}, addr)).statusCode).toBe(200);
    });

    it('keeps no email or address in clear in the throttle', async () => {
      const email = uniqueEmail('throttled');
      await wrong(email, '203.0.117.99');
      const dump = await dumpDatabase(get());
      expect(dump).not.toContain(email);
      expect(dump).not.toContain('203.0.117.99');
    });
  });
});
