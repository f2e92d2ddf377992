/**
 * Second-factor bypasses found in the security review of issue 11, as an attacker who knows the
 * password (or holds a one-factor session) would try them, through the HTTP API on both databases.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base32Decode, totpAt } from '../../src/modules/accounts/two-factor/totp.js';
import { describeEachDb } from '../support/db.js';
import { buildTestApp, createUser, OPERATOR, PASSWORD, signIn, type TestApp } from '../support/app.js';

describeEachDb('second-factor review', (get) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(get().db);
  });
  afterAll(async () => {
    await t.app.close();
  });

  const post = (url: string, payload: object) =>
    t.app.inject({ method: 'POST', url, payload, remoteAddress: '127.0.0.1' });
  const passwordSignIn = (email: string, extra: object = {}) =>
    post('/api/v1/auth/sign-in', { email, password: PASSWORD, ...extra });
  const codeNow = (secret: string) => totpAt(base32Decode(secret), t.clock.now().getTime());
  const wrongCode = (secret: string) => (codeNow(secret) === '000000' ? '111111' : '000000');
  const hasSession = (res: LightMyRequestResponse) => res.cookies.some((c) => c.name === 'vigil_session');

  /** A user with TOTP on, and a one-factor session of theirs opened before they turned it on. */
  async function enrolledUser() {
    const user = await createUser(t);
    const before = await signIn(t, user.email);
    const client = await signIn(t, user.email);
    const { secret } = (await client.request('POST', '/api/v1/me/totp')).json() as { secret: string };
    const confirmed = await client.request('POST', '/api/v1/me/totp/confirm', { code: codeNow(secret) });
    expect(confirmed.statusCode).toBe(200);
    t.clock.advance(30_000);
    return { user, secret, before };
  }

  describe('guessing the second factor', () => {
    it('counts wrong codes sent with the password, and stops taking codes after ten wrong ones', async () => {
      const { user, secret } = await enrolledUser();
      for (let i = 0; i < 10; i++) {
        const res = await passwordSignIn(user.email, { totp: wrongCode(secret) });
        expect(hasSession(res)).toBe(false);
      }
      // The eleventh guess is right: it must not sign in (the attacker could guess on forever).
      const right = await passwordSignIn(user.email, { totp: codeNow(secret) });
      expect(hasSession(right)).toBe(false);
      const challenge = (right.json() as { secondFactor?: { challenge: string } }).secondFactor?.challenge;
      expect(challenge).toBeDefined();
      const answer = await post('/api/v1/auth/second-factor', { challenge, totp: codeNow(secret) });
      expect(answer.statusCode).toBe(429);
      expect(hasSession(answer)).toBe(false);
    });

    it('counts wrong answers across challenges, not five per challenge', async () => {
      const { user, secret } = await enrolledUser();
      for (let round = 0; round < 2; round++) {
        const challenge = (await passwordSignIn(user.email)).json().secondFactor.challenge as string;
        for (let i = 0; i < 5; i++)
          expect(
            (await post('/api/v1/auth/second-factor', { challenge, totp: wrongCode(secret) })).statusCode,
          ).toBe(401);
      }
      const challenge = (await passwordSignIn(user.email)).json().secondFactor.challenge as string;
      const right = await post('/api/v1/auth/second-factor', { challenge, totp: codeNow(secret) });
      expect(right.statusCode).toBe(429);
      expect(right.headers['retry-after']).toBeDefined();
      // The window ends: the person signs in with a correct code.
      t.clock.advance(15 * 60_000);
      const later = (await passwordSignIn(user.email)).json().secondFactor.challenge as string;
      const done = await post('/api/v1/auth/second-factor', { challenge: later, totp: codeNow(secret) });
      expect(done.statusCode).toBe(200);
    });
  });

  describe('guessing the second factor with requests sent at once', () => {
    it('checks no more answers than a challenge allows and the account window holds', async () => {
      const { user, secret } = await enrolledUser();
      const challenges: string[] = [];
      for (let i = 0; i < 3; i++)
        challenges.push((await passwordSignIn(user.email)).json().secondFactor.challenge as string);
      const answers = await Promise.all(
        challenges.flatMap((challenge) =>
          Array.from({ length: 12 }, () =>
            post('/api/v1/auth/second-factor', { challenge, totp: wrongCode(secret) }),
          ),
        ),
      );
      expect(answers.every((r) => r.statusCode === 401 || r.statusCode === 429)).toBe(true);
      const checked = await get()
        .db.kysely.selectFrom('audit_events')
        .select('data_json')
        .where('subject_id', '=', user.id)
        .where('action', '=', 'user.second_factor_failed')
        .execute();
      expect(checked.length).toBeLessThanOrEqual(10);
    });
  });

  describe('a one-factor session of a person with a second factor', () => {
    it('cannot add a passkey (which would then sign in with two factors)', async () => {
      const { before } = await enrolledUser();
      const res = await before.request('POST', '/api/v1/me/passkeys/options');
      expect(res.statusCode).toBe(401);
    });

    it('cannot turn TOTP off with the password alone (and then enrol its own)', async () => {
      const { before } = await enrolledUser();
      const res = await before.request('DELETE', '/api/v1/me/totp', { password: PASSWORD });
      expect(res.statusCode).toBe(401);
      expect((await before.request('GET', '/api/v1/me/two-factor')).json().totp).toBe('on');
    });

    it('cannot guess the code that turns TOTP off: wrong codes count like any second-factor answer', async () => {
      const { before, secret } = await enrolledUser();
      for (let i = 0; i < 10; i++)
        expect(
          (await before.request('DELETE', '/api/v1/me/totp', { code: wrongCode(secret) })).statusCode,
        ).toBe(422);
      const right = await before.request('DELETE', '/api/v1/me/totp', { code: codeNow(secret) });
      expect(right.statusCode).toBe(429);
      expect((await before.request('GET', '/api/v1/me/two-factor')).json().totp).toBe('on');
    });

    it('cannot make an API token (as strong as the session) to do it instead', async () => {
      const { before, secret } = await enrolledUser();
      // A token made by a one-factor session is one factor: it too must not add a factor.
      const made = await before.request('POST', '/api/v1/me/tokens', { name: 'ci' });
      expect(made.statusCode).toBe(201);
      const token = (made.json() as { token: string }).token;
      const asToken = (method: 'POST' | 'DELETE', url: string, payload?: object) =>
        t.app.inject({
          method,
          url,
          headers: { authorization: `Bearer ${token}` },
          ...(payload && { payload }),
        });
      expect((await asToken('POST', '/api/v1/me/passkeys/options')).statusCode).toBe(401);
      expect((await asToken('DELETE', '/api/v1/me/totp', { password: PASSWORD })).statusCode).toBe(401);
      // Proving the factor itself still works, from any session.
      expect((await before.request('DELETE', '/api/v1/me/totp', { code: codeNow(secret) })).statusCode).toBe(
        204,
      );
    });
  });

  describe('the sign-in throttle under concurrent attempts', () => {
    const wrong = (email: string, remoteAddress: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-in',
        payload: { email, password: 'not the password!' },
        remoteAddress,
      });

    it('gives one (account, address) pair five free guesses, not one per request in flight', async () => {
      const user = await createUser(t);
      const answers = await Promise.all(Array.from({ length: 20 }, () => wrong(user.email, '203.0.118.1')));
      const tried = answers.filter((r) => r.statusCode === 401).length;
      expect(tried).toBeLessThanOrEqual(5);
      expect(answers.every((r) => r.statusCode === 401 || r.statusCode === 429)).toBe(true);
    });

    it('caps one address across accounts at 50, also when the guesses come at once', async () => {
      const emails = Array.from({ length: 70 }, (_, i) => `stuffed-${i}-${Date.now()}@example.org`);
      const answers = await Promise.all(emails.map((e) => wrong(e, '203.0.118.2')));
      expect(answers.filter((r) => r.statusCode === 401).length).toBeLessThanOrEqual(50);
    });
  });

  describe('per-address limits and IPv6', () => {
    it('counts the addresses of one IPv6 /64 as one address at sign-in', async () => {
      const user = await createUser(t);
      const answers = [];
      for (let i = 1; i <= 6; i++)
        answers.push(
          (
            await t.app.inject({
              method: 'POST',
              url: '/api/v1/auth/sign-in',
              payload: { email: user.email, password: 'not the password!' },
              remoteAddress: `2001:db8:0:7::${i.toString(16)}`,
            })
          ).statusCode,
        );
      expect(answers).toEqual([401, 401, 401, 401, 401, 429]);
    });

    it('counts the addresses of one IPv6 /64 as one address for reports', async () => {
      const slug = `v6-${Date.now().toString(36)}`;
      await t.services.projects.createProject(OPERATOR, { slug, name: 'V6', preset: 'contour' });
      const file = (i: number) =>
        t.app.inject({
          method: 'POST',
          url: `/api/v1/projects/${slug}/reports`,
          payload: {
            subject: `Report ${i}`,
            reproduction: 'Steps to reproduce the problem, in enough words to pass.',
            reporter: { name: 'Ada', email: 'ada@example.org' },
          },
          remoteAddress: `2001:db8:0:8::${(i + 1).toString(16)}`,
        });
      const codes = [];
      for (let i = 0; i < 11; i++) codes.push((await file(i)).statusCode);
      expect(codes.slice(0, 10).every((c) => c === 201)).toBe(true);
      expect(codes[10]).toBe(429);
    });
  });
});
