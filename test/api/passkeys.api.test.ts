/**
 * Passkeys through the API with a software authenticator (test/support/webauthn.ts): the server's
 * verifier is the real one. Registration from a browser session, the list, removal; passwordless
 * sign-in (user verification required, a fresh single-use challenge, the owner's user handle, a
 * counter that moves forward); a passkey completing a password sign-in as its second factor.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbReader, DbTransaction, DbWriter } from '../../src/db/connection.js';
import * as accounts from '../../src/modules/accounts/accounts.repo.js';
import {
  PASSKEY_CHALLENGE_MS,
  type PendingSecondFactors,
} from '../../src/modules/accounts/passkeys/passkeys.service.js';
import { finishSignIn } from '../../src/modules/accounts/sessions.service.js';
import {
  buildTestApp,
  createUser,
  OPERATOR,
  PUBLIC_URL,
  signIn,
  tokenClient,
  type Client,
  type TestApp,
} from '../support/app.js';
import { describeEachDb } from '../support/db.js';
import {
  assert,
  createCredential,
  FLAG_UP,
  FLAG_UV,
  type RegistrationOptionsLike,
  type SoftCredential,
} from '../support/webauthn.js';

/**
 * A stand-in for the twofactor part's pending second-factor sign-ins (its own tests cover those):
 * a token per user, counted failures, and completion through the one way a sign-in ends.
 */
function pendingSignIns(t: () => TestApp) {
  const pending = new Map<string, { userId: string; failures: number }>();
  const impl: PendingSecondFactors = {
    userOf: (_db: DbReader, token: string) => Promise.resolve(pending.get(token)?.userId),
    async complete(trx: DbTransaction, token: string, _method: 'passkey', userAgent: string | null) {
      const entry = pending.get(token);
      if (!entry) throw new Error('no such challenge');
      pending.delete(token);
      const user = await accounts.findUserById(trx, entry.userId);
      if (!user) throw new Error('no such user');
      return finishSignIn(trx, { clock: t().clock }, { user, method: 'password', userAgent });
    },
    failed(_db: DbWriter, token: string) {
      const entry = pending.get(token);
      if (entry) entry.failures += 1;
      return Promise.resolve();
    },
  };
  return {
    impl,
    start(userId: string): string {
      const token = `sfc_${randomBytes(24).toString('base64url')}`;
      pending.set(token, { userId, failures: 0 });
      return token;
    },
    failures: (token: string) => pending.get(token)?.failures,
    has: (token: string) => pending.has(token),
  };
}

describeEachDb('passkeys API', (get) => {
  let t: TestApp;
  const signIns = pendingSignIns(() => t);
  beforeAll(async () => {
    t = await buildTestApp(get().db, undefined, { passkeySecondFactors: signIns.impl });
  });
  afterAll(async () => {
    await t.app.close();
  });

  const origin = new URL(PUBLIC_URL).origin;

  async function registrationOptions(client: Client): Promise<RegistrationOptionsLike> {
    const res = await client.request('POST', '/api/v1/me/passkeys/options');
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }

  /** Registers a new passkey for the signed-in client; the software credential and the stored one. */
  async function register(client: Client, name = 'Laptop') {
    const options = await registrationOptions(client);
    const { credential, response } = createCredential(options, origin);
    const res = await client.request('POST', '/api/v1/me/passkeys', { name, response });
    expect(res.statusCode, res.body).toBe(201);
    return { credential, passkey: res.json() as { id: string; name: string } };
  }

  async function signInOptions() {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/passkey/options' });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { challenge: string; rpId: string; userVerification: string; allowCredentials?: [] };
  }

  function signInWith(response: unknown) {
    return t.app.inject({ method: 'POST', url: '/api/v1/auth/passkey', payload: { response } });
  }

  async function signedInAs(res: { cookies: { name: string; value: string }[] }) {
    const cookie = res.cookies.find((c) => c.name === 'vigil_session');
    if (!cookie) return undefined;
    const session = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/session',
      headers: { cookie: `vigil_session=${cookie.value}` },
    });
    return session.statusCode === 200
      ? (session.json() as { user: { email: string } }).user.email
      : undefined;
  }

  async function auditActions(userId: string): Promise<{ action: string; data: string }[]> {
    return get()
      .db.kysely.selectFrom('audit_events')
      .select(['action', 'data_json as data'])
      .where('subject_id', '=', userId)
      .orderBy('seq')
      .execute() as Promise<{ action: string; data: string }[]>;
  }

  describe('registration', () => {
    it('registers a passkey from a browser session, lists it without its key, and audits it', async () => {
      const user = await createUser(t);
      const client = await signIn(t, user.email);
      const options = await registrationOptions(client);
      expect(options).toMatchObject({
        rp: { id: 'vigil.test', name: 'Vigil' },
        user: { id: Buffer.from(user.id).toString('base64url') },
        authenticatorSelection: { residentKey: 'required' },
      });
      const { credential, response } = createCredential(options, origin);
      const res = await client.request('POST', '/api/v1/me/passkeys', { name: 'Work laptop', response });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ name: 'Work laptop', lastUsedAt: null, deviceType: 'singleDevice' });

      const list = await client.request('GET', '/api/v1/me/passkeys');
      expect(list.json().passkeys).toEqual([res.json()]);
      expect(list.body).not.toContain(credential.id.toString('base64url'));

      const stored = await get()
        .db.kysely.selectFrom('passkeys')
        .selectAll()
        .where('user_id', '=', user.id)
        .executeTakeFirstOrThrow();
      expect(stored.credential_id).toBe(credential.id.toString('base64url'));
      expect(stored.public_key).toBe(credential.cosePublicKey.toString('base64url'));
      expect(Number(stored.counter)).toBe(0);
      const audit = await auditActions(user.id);
      expect(audit.map((e) => e.action)).toContain('user.passkey_added');
      // The challenge is stored hashed and is gone once used.
      const challenges = await get()
        .db.kysely.selectFrom('passkey_challenges')
        .select('challenge_hash')
        .execute();
      expect(challenges.map((c) => c.challenge_hash)).not.toContain(options.challenge);

      // Excluded next time, so the authenticator does not register it twice.
      const again = await registrationOptions(client);
      expect(JSON.stringify(again)).toContain(credential.id.toString('base64url'));
    });

    it('refuses an API token: a passkey is added from a signed-in browser', async () => {
      const user = await createUser(t);
      const client = await tokenClient(t, user.id);
      const res = await client.request('POST', '/api/v1/me/passkeys/options');
      expect(res.statusCode).toBe(401);
      expect(
        await get()
          .db.kysely.selectFrom('passkey_challenges')
          .select('user_id')
          .where('user_id', '=', user.id)
          .execute(),
      ).toEqual([]);
    });

    it('refuses a replayed, expired, foreign-origin or someone else’s registration, and a duplicate credential', async () => {
      const user = await createUser(t);
      const client = await signIn(t, user.email);

      // Replayed: the challenge is single use.
      const options = await registrationOptions(client);
      const { credential, response } = createCredential(options, origin);
      expect((await client.request('POST', '/api/v1/me/passkeys', { name: 'A', response })).statusCode).toBe(
        201,
      );
      const replay = await client.request('POST', '/api/v1/me/passkeys', { name: 'B', response });
      expect(replay.statusCode).toBe(422);

      // A duplicate credential (the same authenticator registering again) is refused.
      const dupOptions = await registrationOptions(client);
      const dup = createCredential(dupOptions, origin, { existing: credential });
      const dupRes = await client.request('POST', '/api/v1/me/passkeys', {
        name: 'C',
        response: dup.response,
      });
      expect(dupRes.statusCode).toBe(409);

      // Another origin (a phishing site relaying the ceremony).
      const phished = createCredential(await registrationOptions(client), 'https://vigil.test.evil.example');
      expect(
        (await client.request('POST', '/api/v1/me/passkeys', { name: 'D', response: phished.response }))
          .statusCode,
      ).toBe(422);

      // Expired.
      const late = createCredential(await registrationOptions(client), origin);
      t.clock.advance(PASSKEY_CHALLENGE_MS + 1000);
      expect(
        (await client.request('POST', '/api/v1/me/passkeys', { name: 'E', response: late.response }))
          .statusCode,
      ).toBe(422);

      // Someone else's ceremony: another user's challenge does not register a passkey for them or us.
      const other = await createUser(t);
      const otherClient = await signIn(t, other.email);
      const stolen = createCredential(await registrationOptions(otherClient), origin);
      expect(
        (await client.request('POST', '/api/v1/me/passkeys', { name: 'F', response: stolen.response }))
          .statusCode,
      ).toBe(422);

      const names = (await client.request('GET', '/api/v1/me/passkeys'))
        .json()
        .passkeys.map((p: { name: string }) => p.name);
      expect(names).toEqual(['A']);
      expect((await otherClient.request('GET', '/api/v1/me/passkeys')).json().passkeys).toEqual([]);
    });

    it('answers malformed responses with 4xx and writes nothing', async () => {
      const user = await createUser(t);
      const client = await signIn(t, user.email);
      const options = await registrationOptions(client);
      const { response } = createCredential(options, origin);
      const bad = [
        { name: 'x', response: { ...response, type: 'password' } },
        { name: '', response },
        { name: 'x'.repeat(101), response },
        {
          name: 'x',
          response: { ...response, response: { ...response.response, clientDataJSON: 'not base64url!' } },
        },
        {
          name: 'x',
          response: { ...response, response: { ...response.response, attestationObject: 'AAAA' } },
        },
        {
          name: 'x',
          response: {
            ...response,
            response: {
              ...response.response,
              clientDataJSON: Buffer.from('{"challenge":{}}').toString('base64url'),
            },
          },
        },
      ];
      for (const body of bad) {
        const res = await client.request('POST', '/api/v1/me/passkeys', body);
        expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, res.body).toBeLessThan(500);
      }
      expect((await client.request('GET', '/api/v1/me/passkeys')).json().passkeys).toEqual([]);
    });
  });

  describe('passwordless sign-in', () => {
    it('signs in with a passkey (user verified: both factors), records the use, audits the sign-in', async () => {
      const user = await createUser(t);
      const { credential } = await register(await signIn(t, user.email));
      const options = await signInOptions();
      expect(options).toMatchObject({ rpId: 'vigil.test', userVerification: 'required' });
      const res = await signInWith(assert(credential, options, origin));
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ user: { email: user.email } });
      expect(res.cookies.find((c) => c.name === 'vigil_session')).toMatchObject({
        httpOnly: true,
        sameSite: 'Lax',
      });
      expect(await signedInAs(res)).toBe(user.email);

      const stored = await get()
        .db.kysely.selectFrom('passkeys')
        .select(['counter', 'last_used_at'])
        .where('user_id', '=', user.id)
        .executeTakeFirstOrThrow();
      expect(Number(stored.counter)).toBe(1);
      expect(stored.last_used_at).toBe(t.clock.now().toISOString());
      const signedIn = (await auditActions(user.id)).filter((e) => e.action === 'user.signed_in');
      expect(JSON.parse(signedIn.at(-1)?.data ?? '{}')).toMatchObject({ method: 'passkey' });
    });

    it('refuses a replayed assertion, a counter that went back, and a passkey without user verification', async () => {
      const user = await createUser(t);
      const { credential } = await register(await signIn(t, user.email));
      const first = assert(credential, await signInOptions(), origin);
      expect((await signInWith(first)).statusCode).toBe(200);
      // The same assertion again: its challenge is spent.
      const replay = await signInWith(first);
      expect(replay.statusCode).toBe(401);
      expect(await signedInAs(replay)).toBeUndefined();

      // A fresh challenge, but the counter did not move forward (a cloned authenticator).
      const cloned = await signInWith(assert(credential, await signInOptions(), origin, { signCount: 1 }));
      expect(cloned.statusCode).toBe(401);
      // Present but not verified: a passkey alone must verify its user.
      const unverified = await signInWith(
        assert(credential, await signInOptions(), origin, { flags: FLAG_UP, signCount: 5 }),
      );
      expect(unverified.statusCode).toBe(401);
      // The control: the same authenticator, verified, with its counter moved on, is accepted.
      expect(
        (await signInWith(assert(credential, await signInOptions(), origin, { signCount: 6 }))).statusCode,
      ).toBe(200);
    });

    it('refuses a bad signature, another user’s handle, an unknown credential, another origin, a disabled account', async () => {
      const user = await createUser(t);
      const other = await createUser(t);
      const { credential } = await register(await signIn(t, user.email));

      const tampered = assert(credential, await signInOptions(), origin);
      const sig = Buffer.from(tampered.response.signature, 'base64url');
      sig[sig.length - 1] = (sig[sig.length - 1] ?? 0) ^ 1;
      tampered.response.signature = sig.toString('base64url');
      expect((await signInWith(tampered)).statusCode).toBe(401);

      const handle = assert(credential, await signInOptions(), origin, {
        userHandle: Buffer.from(other.id).toString('base64url'),
      });
      expect((await signInWith(handle)).statusCode).toBe(401);

      const unknown: SoftCredential = { ...credential, id: randomBytes(32) };
      expect((await signInWith(assert(unknown, await signInOptions(), origin))).statusCode).toBe(401);

      expect(
        (await signInWith(assert(credential, await signInOptions(), 'https://evil.example'))).statusCode,
      ).toBe(401);
      // A challenge never issued.
      expect(
        (await signInWith(assert(credential, { challenge: randomBytes(32).toString('base64url') }, origin)))
          .statusCode,
      ).toBe(401);

      await t.services.users.updateUser(OPERATOR, user.id, { disabled: true });
      const disabled = await signInWith(assert(credential, await signInOptions(), origin));
      expect(disabled.statusCode).toBe(401);
      expect(await signedInAs(disabled)).toBeUndefined();
      await t.services.users.updateUser(OPERATOR, user.id, { disabled: false });
      expect((await signInWith(assert(credential, await signInOptions(), origin))).statusCode).toBe(200);
    });

    it('answers every malformed sign-in with 4xx, never 5xx', async () => {
      const options = await signInOptions();
      const bodies: unknown[] = [
        {},
        { response: null },
        { response: { id: 'a', rawId: 'b', type: 'public-key', response: {} } },
        {
          response: {
            id: 'x'.repeat(2000),
            rawId: 'x',
            type: 'public-key',
            response: { clientDataJSON: 'e30', authenticatorData: 'AA', signature: 'AA' },
          },
        },
        {
          response: {
            id: 'abc',
            rawId: 'abc',
            type: 'public-key',
            response: {
              clientDataJSON: Buffer.from(JSON.stringify({ challenge: options.challenge })).toString(
                'base64url',
              ),
              authenticatorData: 'AA',
              signature: 'AA',
            },
          },
        },
        {
          response: {
            id: 'abc',
            rawId: 'abc',
            type: 'public-key',
            response: {
              clientDataJSON: 'e30',
              authenticatorData: 'AA',
              signature: 'AA',
              userHandle: '__proto__',
            },
          },
        },
      ];
      for (const payload of bodies) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/passkey',
          payload: payload as object,
        });
        expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, res.body).toBeLessThan(500);
      }
    });
  });

  describe('removal', () => {
    it('removes one’s own passkey (audited), which then signs in no more; another’s answers 404', async () => {
      const user = await createUser(t);
      const client = await signIn(t, user.email);
      const { credential, passkey } = await register(client);
      const other = await createUser(t);
      const otherClient = await signIn(t, other.email);

      const foreign = await otherClient.request('DELETE', `/api/v1/me/passkeys/${passkey.id}`);
      expect(foreign.statusCode).toBe(404);
      expect((await client.request('GET', '/api/v1/me/passkeys')).json().passkeys).toHaveLength(1);

      const removed = await client.request('DELETE', `/api/v1/me/passkeys/${passkey.id}`);
      expect(removed.statusCode).toBe(204);
      expect((await client.request('GET', '/api/v1/me/passkeys')).json().passkeys).toEqual([]);
      const audit = await auditActions(user.id);
      expect(audit.find((e) => e.action === 'user.passkey_removed')?.data).toContain(passkey.id);
      expect((await signInWith(assert(credential, await signInOptions(), origin))).statusCode).toBe(401);
      expect((await client.request('DELETE', `/api/v1/me/passkeys/${passkey.id}`)).statusCode).toBe(404);
    });
  });

  describe('as a second factor', () => {
    it('completes a pending password sign-in with a passkey of the same account', async () => {
      const user = await createUser(t);
      const { credential } = await register(await signIn(t, user.email));
      const token = signIns.start(user.id);

      const optionsRes = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/second-factor/passkey/options',
        payload: { challenge: token },
      });
      expect(optionsRes.statusCode, optionsRes.body).toBe(200);
      const options = optionsRes.json();
      expect(options.allowCredentials).toEqual([
        { id: credential.id.toString('base64url'), type: 'public-key', transports: ['internal'] },
      ]);
      // A second factor after a password: presence is enough, verification is not asked.
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/second-factor/passkey',
        payload: { challenge: token, response: assert(credential, options, origin, { flags: FLAG_UP }) },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(await signedInAs(res)).toBe(user.email);
      expect(signIns.has(token)).toBe(false);
    });

    it('refuses another account’s passkey, a challenge of another sign-in, and an unknown sign-in; counts the failures', async () => {
      const user = await createUser(t);
      const mallory = await createUser(t);
      const { credential } = await register(await signIn(t, user.email));
      const { credential: mallorys } = await register(await signIn(t, mallory.email));
      const token = signIns.start(user.id);
      const options = async (challenge: string) =>
        (
          await t.app.inject({
            method: 'POST',
            url: '/api/v1/auth/second-factor/passkey/options',
            payload: { challenge },
          })
        ).json();
      const complete = (challenge: string, response: unknown) =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/second-factor/passkey',
          payload: { challenge, response },
        });

      // Mallory knows the password, not the passkey: her own passkey does not complete the victim's sign-in.
      const wrongKey = await complete(token, assert(mallorys, await options(token), origin));
      expect(wrongKey.statusCode).toBe(401);
      expect(await signedInAs(wrongKey)).toBeUndefined();
      // A passkey ceremony begun for another pending sign-in does not complete this one.
      const otherToken = signIns.start(mallory.id);
      const crossed = await complete(token, assert(mallorys, await options(otherToken), origin));
      expect(crossed.statusCode).toBe(401);
      expect(signIns.failures(token)).toBe(2);
      // An unknown sign-in gets no options.
      const unknown = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/second-factor/passkey/options',
        payload: { challenge: 'sfc_nothing_pending_here' },
      });
      expect(unknown.statusCode).toBe(401);
      // The control: the account's own passkey completes it.
      expect((await complete(token, assert(credential, await options(token), origin))).statusCode).toBe(200);
      // And only once.
      expect((await complete(token, assert(credential, await options(token), origin))).statusCode).toBe(401);
    });
  });

  it('keeps the flag constants honest', () => {
    expect(FLAG_UP | FLAG_UV).toBe(5);
  });
});
