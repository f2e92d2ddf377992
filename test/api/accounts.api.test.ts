import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createKeyring } from '../../src/lib/crypto/keyring.js';
import { verifyAuditChain } from '../../src/audit/audit.log.js';
import type { KyselyPlugin } from 'kysely';
import { passwordHasher } from '../../src/modules/accounts/password.js';
import { createUsersService } from '../../src/modules/accounts/users.service.js';
import { loadPrincipal } from '../../src/modules/accounts/user-view.js';
import { describeEachDb } from '../support/db.js';
import {
  bearer,
  buildTestApp,
  createUser,
  OPERATOR,
  PASSWORD,
  signIn,
  uniqueEmail,
  type TestApp,
} from '../support/app.js';

describeEachDb('accounts API', (get) => {
  let t: TestApp;
  beforeAll(async () => {
    // The real argon2 cost: this suite is the one about passwords.
    t = await buildTestApp(get().db, undefined, { passwords: passwordHasher });
  });
  afterAll(async () => {
    await t.app.close();
  });

  it('signs in with a password and reports the session', async () => {
    const user = await createUser(t);
    const client = await signIn(t, user.email);
    const res = await client.request('GET', '/api/v1/auth/session');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ user: { email: user.email, isAdmin: false }, csrfToken: client.csrf });
    expect(res.json().abilities).toEqual({
      'instance.users.manage': false,
      'instance.projects.create': false,
      'instance.mail-queue.read': false,
      'instance.mail-status.read': false,
    });
  });

  it('sets a hardened session cookie', async () => {
    const user = await createUser(t);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: user.email, password: PASSWORD },
    });
    const cookie = res.cookies.find((c) => c.name === 'vigil_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    // Only the hash is stored: the cookie value is not in the sessions table.
    const rows = await get().db.kysely.selectFrom('sessions').select('id_hash').execute();
    expect(rows.map((r) => r.id_hash)).not.toContain(cookie?.value);
  });

  it('answers a wrong password and an unknown email alike, as problem+json', async () => {
    const user = await createUser(t);
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: user.email, password: 'not the password at all' },
    });
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: uniqueEmail(), password: 'not the password at all' },
    });
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({
        status: 401,
        code: 'unauthenticated',
        detail: 'The email or password is wrong.',
      });
    }
  });

  it('makes one address wait after five wrong passwords (Retry-After), then lets it try again', async () => {
    const user = await createUser(t);
    const attempt = (password = 'wrong password!') =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-in',
        payload: { email: user.email, password },
      });
    for (let i = 0; i < 5; i++) expect((await attempt()).statusCode).toBe(401);
    const limited = await attempt();
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json()).toMatchObject({ code: 'rate_limited' });
    // The right password from that address waits too, then is accepted (two-factor.api.test.ts has the rest).
    expect((await attempt(PASSWORD)).statusCode).toBe(429);
    t.clock.advance(Number(limited.headers['retry-after']) * 1000);
    expect((await attempt(PASSWORD)).statusCode).toBe(200);
  });

  it('names the field of the wrong type, and refuses bodies over the limit', async () => {
    const typed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: 42, password: 'x' },
    });
    expect(typed.statusCode).toBe(400);
    expect(typed.json()).toMatchObject({ code: 'validation_failed' });
    expect(typed.json().issues.map((i: { path: string }) => i.path)).toContain('body.email');

    const huge = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(300 * 1024) }),
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json()).toMatchObject({ code: 'payload_too_large' });

    const notJson = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":',
    });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.headers['content-type']).toContain('application/problem+json');
  });

  it('requires the CSRF token on cookie-authenticated writes', async () => {
    const user = await createUser(t);
    const client = await signIn(t, user.email);
    const without = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/tokens',
      headers: { cookie: client.cookie },
      payload: { name: 'ci' },
    });
    expect(without.statusCode).toBe(403);
    expect(without.json()).toMatchObject({ code: 'csrf_failed' });
    const wrong = await client.request(
      'POST',
      '/api/v1/me/tokens',
      { name: 'ci' },
      { 'x-csrf-token': 'csrf_forged' },
    );
    expect(wrong.statusCode).toBe(403);
    expect(
      (await get().db.kysely.selectFrom('api_tokens').select('id').where('name', '=', 'ci').execute()).length,
    ).toBe(0);
  });

  it('issues API tokens shown once, stored hashed, usable as Bearer, revocable and expiring', async () => {
    const user = await createUser(t);
    const client = await signIn(t, user.email);
    const created = await client.request('POST', '/api/v1/me/tokens', {
      name: 'automation',
      expiresInDays: 30,
    });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json() as { token: string; id: string };
    expect(token).toMatch(/^vgl_/);
    const stored = await get()
      .db.kysely.selectFrom('api_tokens')
      .select(['token_hash'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token);

    const api = bearer(t, token);
    expect((await api('GET', '/api/v1/me')).json()).toMatchObject({ email: user.email });
    // A bearer token needs no CSRF token: it is not ambient authority.
    expect((await api('POST', '/api/v1/me/tokens', { name: 'second' })).statusCode).toBe(201);

    const listed = await client.request('GET', '/api/v1/me/tokens');
    expect(JSON.stringify(listed.json())).not.toContain(token);

    t.clock.advance(31 * 24 * 3_600_000);
    const expired = await api('GET', '/api/v1/me');
    expect(expired.statusCode).toBe(401);
    expect(expired.json().detail).toContain('expired');
    t.clock.advance(-31 * 24 * 3_600_000);

    expect((await client.request('DELETE', `/api/v1/me/tokens/${id}`)).statusCode).toBe(204);
    expect((await api('GET', '/api/v1/me')).statusCode).toBe(401);
  });

  it('signs out everywhere', async () => {
    const user = await createUser(t);
    const a = await signIn(t, user.email);
    const b = await signIn(t, user.email);
    const res = await a.request('POST', '/api/v1/auth/sign-out-everywhere');
    // Three: the two above and the one that redeeming the sign-in link started in createUser.
    expect(res.json()).toEqual({ sessions: 3 });
    expect((await b.request('GET', '/api/v1/auth/session')).statusCode).toBe(401);
    expect((await a.request('GET', '/api/v1/auth/session')).statusCode).toBe(401);
  });

  it('expires idle sessions', async () => {
    const user = await createUser(t);
    const client = await signIn(t, user.email);
    t.clock.advance(13 * 3_600_000);
    expect((await client.request('GET', '/api/v1/auth/session')).statusCode).toBe(401);
  });

  it('redeems a sign-in link exactly once', async () => {
    const email = uniqueEmail();
    const { signInLink } = await t.services.users.createUser(OPERATOR, {
      email,
      name: 'Link',
      isAdmin: false,
    });
    const token = new URL(signInLink).hash.replace('#token=', '');
    const first = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in-link',
      payload: { token, password: PASSWORD },
    });
    expect(first.statusCode).toBe(200);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in-link',
      payload: { token, password: PASSWORD },
    });
    expect(again.statusCode).toBe(404);
    const short = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in-link',
      payload: { token, password: 'short' },
    });
    expect(short.statusCode).toBe(400);
    expect(short.json().issues[0].path).toBe('body.password');
  });

  it('ends the older unused sign-in links of a user when it issues a new one', async () => {
    const email = uniqueEmail();
    const { signInLink: first, user } = await t.services.users.createUser(OPERATOR, {
      email,
      name: 'Links',
      isAdmin: false,
    });
    const { signInLink: second } = await t.services.signInLinks.createSignInLink(OPERATOR, user.id);
    const redeem = (link: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-in-link',
        payload: { token: new URL(link).hash.replace('#token=', ''), password: PASSWORD },
      });
    // A link mailed earlier (perhaps to a mailbox someone else reads now) no longer works.
    expect((await redeem(first)).statusCode).toBe(404);
    expect((await redeem(second)).statusCode).toBe(200);
    const created = await get()
      .db.kysely.selectFrom('audit_events')
      .select('data_json')
      .where('action', '=', 'user.sign_in_link_created')
      .where('subject_id', '=', user.id)
      .orderBy('seq')
      .execute();
    expect(created.map((e) => JSON.parse(e.data_json).replaced)).toEqual([0, 1]);
  });

  it('lets admins manage users and hides user management from others (404)', async () => {
    const admin = await createUser(t, { isAdmin: true });
    const user = await createUser(t);
    const adminClient = await signIn(t, admin.email);
    const userClient = await signIn(t, user.email);
    expect((await userClient.request('GET', '/api/v1/users')).statusCode).toBe(404);
    const email = uniqueEmail('invitee');
    const created = await adminClient.request('POST', '/api/v1/users', {
      email,
      name: 'Invitee',
      isAdmin: false,
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().signInLink).toContain('/sign-in/link#token=sil_');
    const dup = await adminClient.request('POST', '/api/v1/users', { email, name: 'Again', isAdmin: false });
    expect(dup.statusCode).toBe(409);
    const disabled = await adminClient.request('PATCH', `/api/v1/users/${user.id}`, { disabled: true });
    expect(disabled.json().user.disabled).toBe(true);
    expect((await userClient.request('GET', '/api/v1/auth/session')).statusCode).toBe(401);
    const self = await adminClient.request('PATCH', `/api/v1/users/${admin.id}`, { isAdmin: false });
    expect(self.statusCode).toBe(422);
  });

  it('answers 401 to anonymous API calls, and keeps the audit chain intact', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/projects' })).statusCode).toBe(401);
    expect(await verifyAuditChain(get().db)).toMatchObject({ ok: true });
  });

  it('reads the caller’s account with their availability in one read of the row', async () => {
    const user = await createUser(t);
    const day = (n: number) => new Date(t.clock.now().getTime() + n * 86_400_000).toISOString();
    await t.services.users.setAvailability((await loadPrincipal(get().db.kysely, user.id)) ?? OPERATOR, {
      unavailableFrom: day(1),
      unavailableUntil: day(8),
    });
    const statements: string[] = [];
    const counter: KyselyPlugin = {
      transformQuery: (args) => {
        statements.push(args.node.kind);
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const db = { ...get().db, kysely: get().db.kysely.withPlugin(counter) };
    const users = createUsersService({
      db,
      clock: t.clock,
      cipher: createKeyring({ current: randomBytes(32) }),
      publicUrl: 'http://vigil.test',
    });
    const principal = await loadPrincipal(get().db.kysely, user.id);
    if (!principal) throw new Error('no principal');
    expect(await users.getMe(principal)).toMatchObject({
      id: user.id,
      email: user.email,
      unavailableFrom: day(1),
      unavailableUntil: day(8),
    });
    expect(statements).toEqual(['SelectQueryNode']);
  });
});
