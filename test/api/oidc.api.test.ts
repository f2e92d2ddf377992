/**
 * OpenID Connect sign-in against a REAL provider (`oidc-provider` on a random loopback port), the
 * browser's part driven over HTTP with a cookie jar: start at Vigil, log in and consent at the
 * provider, come back to Vigil's callback. Both databases.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { OIDC_CALLBACK_PATH } from '../../src/modules/accounts/oidc/oidc.service.js';
import type { OidcSettings } from '../../src/modules/accounts/oidc/oidc.settings.js';
import { randomBytes } from 'node:crypto';
import { createKeyring } from '../../src/lib/crypto/keyring.js';
import { fieldAad } from '../../src/lib/crypto/encrypted-fields.js';
import { dumpDatabase } from '../support/db-dump.js';
import { describeEachDb } from '../support/db.js';
import { base32Decode, totpAt } from '../../src/modules/accounts/two-factor/totp.js';
import {
  buildTestApp,
  createUser,
  OPERATOR,
  PUBLIC_URL,
  signIn,
  uniqueEmail,
  type TestApp,
} from '../support/app.js';
import { startTestProvider, type TestProvider } from '../support/oidc-provider.js';

let counter = 0;
/** A fresh provider account id. */
const accountId = () => `acct-${(counter += 1)}-${Math.random().toString(36).slice(2, 8)}`;

describeEachDb('OpenID Connect sign-in', (get) => {
  let provider: TestProvider;
  let t: TestApp;
  let withSignup: TestApp;
  let plain: TestApp;
  const keyring = createKeyring({ current: randomBytes(32) });

  beforeAll(async () => {
    provider = await startTestProvider(`${PUBLIC_URL}${OIDC_CALLBACK_PATH}`);
    const settings: OidcSettings = {
      issuer: provider.issuer,
      clientId: provider.clientId,
      clientSecret: provider.clientSecret,
      allowSignup: false,
      name: 'Test IdP',
    };
    t = await buildTestApp(get().db, keyring, { oidc: settings });
    withSignup = await buildTestApp(get().db, undefined, { oidc: { ...settings, allowSignup: true } });
    plain = await buildTestApp(get().db);
  });
  afterAll(async () => {
    await t.app.close();
    await withSignup.app.close();
    await plain.app.close();
    await provider.close();
  });

  const k = () => get().db.kysely;

  /** Starts at Vigil and signs in at the provider: the callback URL and this browser's binding cookie. */
  async function throughProvider(app: TestApp, account: string, returnTo?: string) {
    const started = await app.app.inject({
      method: 'GET',
      url: `/api/v1/auth/oidc/start${returnTo === undefined ? '' : `?returnTo=${encodeURIComponent(returnTo)}`}`,
    });
    expect(started.statusCode).toBe(302);
    const location = started.headers.location;
    if (typeof location !== 'string') throw new Error('no redirect to the provider');
    expect(location.startsWith(`${provider.issuer}/`)).toBe(true);
    const binding = started.cookies.find((c) => c.name === 'vigil_oidc');
    if (!binding) throw new Error('no binding cookie');
    expect(binding).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/api/v1/auth/oidc' });
    const back = await provider.signIn(location, account);
    expect(back.origin + back.pathname).toBe(`${PUBLIC_URL}${OIDC_CALLBACK_PATH}`);
    return { callback: back, cookie: `vigil_oidc=${binding.value}`, authorizationUrl: new URL(location) };
  }

  function callback(app: TestApp, url: URL, cookie: string | undefined): Promise<LightMyRequestResponse> {
    return app.app.inject({
      method: 'GET',
      url: url.pathname + url.search,
      headers: cookie === undefined ? {} : { cookie },
    });
  }

  function sessionCookie(res: LightMyRequestResponse): string | undefined {
    const c = res.cookies.find((x) => x.name === 'vigil_session');
    return c && c.value ? `vigil_session=${c.value}` : undefined;
  }

  async function whoIs(app: TestApp, cookie: string): Promise<string | undefined> {
    const res = await app.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie } });
    return res.statusCode === 200 ? (res.json() as { user: { email: string } }).user.email : undefined;
  }

  async function auditActions(userId: string): Promise<string[]> {
    const rows = await k()
      .selectFrom('audit_events')
      .select(['action', 'data_json'])
      .where('subject_type', '=', 'user')
      .where('subject_id', '=', userId)
      .orderBy('seq')
      .execute();
    return rows.map((r) => `${r.action} ${r.data_json}`);
  }

  it('lists the provider among the sign-in methods, and nothing when none is configured', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/auth/methods' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      password: true,
      oidc: { name: 'Test IdP', startUrl: '/api/v1/auth/oidc/start' },
    });
    const none = await plain.app.inject({ method: 'GET', url: '/api/v1/auth/methods' });
    expect(none.json()).toEqual({ password: true, oidc: null });
    const start = await plain.app.inject({ method: 'GET', url: '/api/v1/auth/oidc/start' });
    expect(start.statusCode).toBe(404);
  });

  it('links an existing account by its verified email, signs in, and later finds it by the link', async () => {
    const user = await createUser(t);
    const account = accountId();
    provider.accounts.set(account, { email: user.email.toUpperCase(), email_verified: true, name: 'Ada' });

    const { callback: back, cookie, authorizationUrl } = await throughProvider(t, account, '/projects/x');
    // PKCE, state and nonce are sent; the state is stored only hashed.
    expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorizationUrl.searchParams.get('nonce')).toBeTruthy();
    const state = authorizationUrl.searchParams.get('state') ?? '';
    const stored = await k().selectFrom('oidc_states').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(state);

    const res = await callback(t, back, cookie);
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/projects/x');
    const session = sessionCookie(res);
    expect(res.cookies.find((c) => c.name === 'vigil_session')).toMatchObject({
      httpOnly: true,
      sameSite: 'Lax',
      path: '/',
    });
    expect(await whoIs(t, session ?? '')).toBe(user.email);
    // The started sign-in is gone (single use).
    expect(await k().selectFrom('oidc_states').select('state_hash').execute()).toEqual([]);

    const link = await k()
      .selectFrom('oidc_identities')
      .selectAll()
      .where('user_id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(link).toMatchObject({ issuer: provider.issuer, subject: account, email: user.email });
    const actions = await auditActions(user.id);
    expect(actions.filter((a) => a.startsWith('user.oidc_linked'))).toHaveLength(1);
    expect(actions.at(-1)).toBe('user.signed_in {"method":"oidc","factors":1}');

    // The provider's address changes: the link (issuer, subject) still finds the account.
    provider.accounts.set(account, { email: uniqueEmail('moved'), email_verified: true });
    const again = await throughProvider(t, account);
    const res2 = await callback(t, again.callback, again.cookie);
    expect(res2.headers.location).toBe('/');
    expect(await whoIs(t, sessionCookie(res2) ?? '')).toBe(user.email);
    expect((await auditActions(user.id)).filter((a) => a.startsWith('user.oidc_linked'))).toHaveLength(1);
  });

  it('refuses an email the provider has not verified', async () => {
    const user = await createUser(t);
    const account = accountId();
    provider.accounts.set(account, { email: user.email, email_verified: false });
    const { callback: back, cookie } = await throughProvider(t, account);
    const res = await callback(t, back, cookie);
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/sign-in?oidc-error=email_unverified');
    expect(sessionCookie(res)).toBeUndefined();
    expect(
      await k().selectFrom('oidc_identities').select('id').where('user_id', '=', user.id).execute(),
    ).toEqual([]);

    // No claim at all is not a verification either.
    provider.accounts.set(account, { email: user.email });
    const second = await throughProvider(t, account);
    const res2 = await callback(t, second.callback, second.cookie);
    expect(res2.headers.location).toBe('/sign-in?oidc-error=email_unverified');
  });

  it('refuses an unknown email without sign-up, and creates the account when the admin allows sign-up', async () => {
    const email = uniqueEmail('newcomer');
    const account = accountId();
    provider.accounts.set(account, { email, email_verified: true, name: 'New Comer' });
    const refused = await throughProvider(t, account);
    const res = await callback(t, refused.callback, refused.cookie);
    expect(res.headers.location).toBe('/sign-in?oidc-error=no_account');
    expect(sessionCookie(res)).toBeUndefined();
    expect(await k().selectFrom('users').select('id').where('email', '=', email).execute()).toEqual([]);

    const allowed = await throughProvider(withSignup, account);
    const created = await callback(withSignup, allowed.callback, allowed.cookie);
    expect(created.headers.location).toBe('/');
    expect(await whoIs(withSignup, sessionCookie(created) ?? '')).toBe(email);
    const user = await k()
      .selectFrom('users')
      .select(['id', 'name', 'is_admin', 'password_hash'])
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    expect(user).toMatchObject({ name: 'New Comer', is_admin: 0, password_hash: null });
    expect(await auditActions(user.id)).toEqual([
      `user.created ${JSON.stringify({ email, admin: false, via: 'oidc' })}`,
      expect.stringMatching(/^user\.oidc_linked .*"by":"signup"/),
      'user.signed_in {"method":"oidc","factors":1}',
    ]);
  });

  it('refuses a tampered state, a replayed state and a callback in another browser', async () => {
    const user = await createUser(t);
    const account = accountId();
    provider.accounts.set(account, { email: user.email, email_verified: true });

    const tampered = await throughProvider(t, account);
    const forged = new URL(tampered.callback);
    forged.searchParams.set('state', `${forged.searchParams.get('state') ?? ''}x`);
    const r1 = await callback(t, forged, tampered.cookie);
    expect(r1.headers.location).toBe('/sign-in?oidc-error=invalid_state');
    expect(sessionCookie(r1)).toBeUndefined();

    const elsewhere = await throughProvider(t, account);
    const r2 = await callback(t, elsewhere.callback, undefined);
    expect(r2.headers.location).toBe('/sign-in?oidc-error=invalid_state');
    // The state was taken by that attempt: even the right browser cannot use it now.
    const r2b = await callback(t, elsewhere.callback, elsewhere.cookie);
    expect(r2b.headers.location).toBe('/sign-in?oidc-error=invalid_state');

    const once = await throughProvider(t, account);
    const first = await callback(t, once.callback, once.cookie);
    expect(await whoIs(t, sessionCookie(first) ?? '')).toBe(user.email);
    const replay = await callback(t, once.callback, once.cookie);
    expect(replay.headers.location).toBe('/sign-in?oidc-error=invalid_state');
    expect(sessionCookie(replay)).toBeUndefined();
  });

  it('refuses a state older than ten minutes', async () => {
    const user = await createUser(t);
    const account = accountId();
    provider.accounts.set(account, { email: user.email, email_verified: true });
    const late = await throughProvider(t, account);
    t.clock.advance(10 * 60_000 + 1000);
    const res = await callback(t, late.callback, late.cookie);
    expect(res.headers.location).toBe('/sign-in?oidc-error=invalid_state');
  });

  it('refuses a disabled account, linked or not', async () => {
    const user = await createUser(t);
    const account = accountId();
    provider.accounts.set(account, { email: user.email, email_verified: true });
    await t.services.users.updateUser(OPERATOR, user.id, { disabled: true });
    const byEmail = await throughProvider(t, account);
    const r1 = await callback(t, byEmail.callback, byEmail.cookie);
    expect(r1.headers.location).toBe('/sign-in?oidc-error=account_disabled');
    expect(sessionCookie(r1)).toBeUndefined();

    await t.services.users.updateUser(OPERATOR, user.id, { disabled: false });
    const linked = await throughProvider(t, account);
    expect(await whoIs(t, sessionCookie(await callback(t, linked.callback, linked.cookie)) ?? '')).toBe(
      user.email,
    );
    await t.services.users.updateUser(OPERATOR, user.id, { disabled: true });
    const again = await throughProvider(t, account);
    const r2 = await callback(t, again.callback, again.cookie);
    expect(r2.headers.location).toBe('/sign-in?oidc-error=account_disabled');
    expect(sessionCookie(r2)).toBeUndefined();
  });

  it('sends the browser back to the sign-in page when the person declines at the provider', async () => {
    const started = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/oidc/start?returnTo=//evil.example',
    });
    const auth = new URL(started.headers.location as string);
    const binding = started.cookies.find((c) => c.name === 'vigil_oidc');
    const declined = new URL(`${PUBLIC_URL}${OIDC_CALLBACK_PATH}`);
    declined.searchParams.set('error', 'access_denied');
    declined.searchParams.set('state', auth.searchParams.get('state') ?? '');
    const res = await callback(t, declined, `vigil_oidc=${binding?.value ?? ''}`);
    expect(res.headers.location).toBe('/sign-in?oidc-error=provider_error');
    // An unsafe return path was replaced by the app's root when stored.
    const rows = await k().selectFrom('oidc_states').select('return_to').execute();
    expect(rows.every((r) => r.return_to === '/')).toBe(true);
  });

  it('keeps no started sign-in in clear: the state and the browser binding hashed, the PKCE verifier encrypted', async () => {
    const started = await t.app.inject({ method: 'GET', url: '/api/v1/auth/oidc/start' });
    const state = new URL(started.headers.location as string).searchParams.get('state') ?? '';
    const binding = started.cookies.find((c) => c.name === 'vigil_oidc')?.value ?? '';
    const rows = await k().selectFrom('oidc_states').selectAll().execute();
    const row = rows.find((r) => r.created_at === t.clock.now().toISOString());
    if (!row) throw new Error('the started sign-in is not stored');
    const verifier = keyring.decryptField(
      row.code_verifier_enc,
      fieldAad('oidc_states', 'code_verifier_enc', row.state_hash),
    );
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    const dump = await dumpDatabase(get());
    expect(dump).toContain(row.state_hash);
    for (const [what, secret] of Object.entries({ state, binding, verifier })) {
      expect(secret.length, what).toBeGreaterThan(20);
      expect(dump, what).not.toContain(secret);
    }
  });

  it('asks a person with a second factor for it after the provider: no session until the code', async () => {
    const user = await createUser(t);
    const client = await signIn(t, user.email);
    const started = await client.request('POST', '/api/v1/me/totp');
    expect(started.statusCode).toBe(201);
    const { secret } = started.json() as { secret: string };
    const code = (offsetMs = 0) => totpAt(base32Decode(secret), t.clock.now().getTime() + offsetMs);
    expect((await client.request('POST', '/api/v1/me/totp/confirm', { code: code() })).statusCode).toBe(200);
    t.clock.advance(30_000);
    const account = accountId();
    provider.accounts.set(account, { email: user.email, email_verified: true, name: 'Two' });

    const { callback: back, cookie } = await throughProvider(t, account, '/cases');
    const res = await callback(t, back, cookie);
    // One factor from the provider: no session, the second step with its challenge in the fragment.
    expect(res.statusCode).toBe(302);
    expect(sessionCookie(res)).toBeUndefined();
    const location = new URL(String(res.headers.location), PUBLIC_URL);
    expect(location.pathname).toBe('/sign-in');
    expect(location.searchParams.get('next')).toBe('/cases');
    const fragment = new URLSearchParams(location.hash.slice(1));
    expect(fragment.get('methods')?.split(',')).toContain('totp');
    const challenge = fragment.get('challenge') ?? '';
    expect(challenge).not.toBe('');

    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/second-factor',
      payload: { challenge, totp: code() === '000000' ? '111111' : '000000' },
    });
    expect(wrong.statusCode).toBe(401);
    const done = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/second-factor',
      payload: { challenge, totp: code() },
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(await whoIs(t, sessionCookie(done) ?? '')).toBe(user.email);
    expect((await auditActions(user.id)).at(-1)).toBe(
      'user.signed_in {"method":"oidc","factors":2,"secondFactor":"totp"}',
    );
  });
});
