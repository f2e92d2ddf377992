/**
 * A person is told by mail whenever how they sign in changes (OWASP ASVS 2.2.3, 2.5.x), so that
 * someone who has their password cannot quietly enrol their own second factor or remove theirs.
 * Each change is driven through the HTTP API on both databases, the `account.security.mail` jobs
 * run against a real SMTP sink, and each mail must reach the account's own address only, say what
 * changed, when (UTC) and what to do if it was not them, link the Account page, and carry no code,
 * secret, device name or address. A refused change mails nobody.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createJobRunner, type JobRunner } from '../../src/jobs/job.runner.js';
import { formatInstant } from '../../src/lib/format-instant.js';
import { createMailer } from '../../src/mail/outbound/mailer.js';
import { accountMailHandlers } from '../../src/modules/accounts/account-mail.job.js';
import { OIDC_CALLBACK_PATH } from '../../src/modules/accounts/oidc/oidc.service.js';
import { base32Decode, totpAt } from '../../src/modules/accounts/two-factor/totp.js';
import {
  buildTestApp,
  clientOf,
  createUser,
  OPERATOR,
  PASSWORD,
  PUBLIC_URL,
  signIn,
  type TestApp,
} from '../support/app.js';
import { describeEachDb } from '../support/db.js';
import { startTestProvider, type TestProvider } from '../support/oidc-provider.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { createCredential, type RegistrationOptionsLike } from '../support/webauthn.js';

const NOT_YOU =
  'If this was not you, sign in and change your password, or ask an administrator of this Vigil instance to disable your account.';
const ACCOUNT_PAGE = `${PUBLIC_URL}/account`;
/** The address the API is called from: it must never reach a mail. */
const ADDRESS = '203.0.113.77';

describeEachDb('account security notices by mail', (get) => {
  let t: TestApp;
  let sink: SmtpSink;
  let runner: JobRunner;
  let provider: TestProvider;

  beforeAll(async () => {
    provider = await startTestProvider(`${PUBLIC_URL}${OIDC_CALLBACK_PATH}`);
    t = await buildTestApp(get().db, undefined, {
      oidc: {
        issuer: provider.issuer,
        clientId: provider.clientId,
        clientSecret: provider.clientSecret,
        allowSignup: false,
        name: 'Test IdP',
      },
    });
    sink = await startSmtpSink();
    const mailer = createMailer({
      smtpUrl: sink.url,
      from: 'Vigil <vigil@vigil.test>',
      replyDomain: 'vigil.test',
      publicUrl: PUBLIC_URL,
      clock: t.clock,
    });
    runner = createJobRunner({
      db: get().db,
      clock: t.clock,
      handlers: accountMailHandlers({ db: get().db, mailer }),
    });
  });

  afterAll(async () => {
    await t.app.close();
    await sink.close();
    await provider.close();
  });

  const post = (url: string, payload: object) =>
    t.app.inject({ method: 'POST', url, payload, remoteAddress: ADDRESS });
  const codeNow = (secret: string) => totpAt(base32Decode(secret), t.clock.now().getTime());

  /** Runs the queued account mail; the messages sent. */
  async function mailsSent() {
    sink.clear();
    expect(await runner.runDueJobsOnce()).toMatchObject({ failed: 0 });
    return sink.messages.map((m) => ({ to: m.envelope.to, subject: m.subject, text: m.text }));
  }

  /**
   * Runs the queued account mail and expects exactly one, to `email` alone, about `subject`, with
   * the instant in UTC, the Account page and the advice, and none of `secrets`.
   */
  async function expectOneNotice(email: string, subject: string, secrets: string[]) {
    const when = formatInstant(t.clock.now(), 'UTC', 'short');
    const sent = await mailsSent();
    expect(sent.map((m) => m.to)).toEqual([[email]]);
    const [mail] = sent;
    expect(mail?.subject).toBe(`[Vigil] Your account: ${subject}`);
    const flat = (mail?.text ?? '').replace(/\s+/g, ' ');
    expect(flat).toContain(`When: ${when}.`);
    expect(flat).toContain(NOT_YOU);
    expect(mail?.text).toContain(`\n${ACCOUNT_PAGE}\n`);
    for (const s of [...secrets, ADDRESS, PASSWORD]) {
      expect(mail?.subject).not.toContain(s);
      expect(mail?.text).not.toContain(s);
    }
    return flat;
  }

  /** A signed-in person (their creation's mail already sent) and a bystander who must hear nothing. */
  async function person() {
    const user = await createUser(t);
    await createUser(t);
    await mailsSent();
    return { user, client: await signIn(t, user.email) };
  }

  it('tells of a password set through a sign-in link, and of a password changed', async () => {
    const email = `link-${Math.random().toString(36).slice(2, 8)}@example.org`;
    const { user, signInLink } = await t.services.users.createUser(OPERATOR, {
      email,
      name: 'Link',
      isAdmin: false,
    });
    await createUser(t);
    await mailsSent();
    const token = new URL(signInLink).hash.replace('#token=', '');
    const redeemed = await post('/api/v1/auth/sign-in-link', { token, password: PASSWORD });
    expect(redeemed.statusCode, redeemed.body).toBe(200);
    await expectOneNotice(user.email, 'your password was set through a sign-in link', [token]);

    const client = clientOf(t, redeemed, { remoteAddress: ADDRESS });
    const NEW = 'a brand new passphrase for this account';
    const wrong = await client.request('PUT', '/api/v1/me/password', {
      currentPassword: 'not the password at all',
      newPassword: NEW,
    });
    expect(wrong.statusCode).toBe(422);
    expect(await mailsSent()).toEqual([]);
    const changed = await client.request('PUT', '/api/v1/me/password', {
      currentPassword: PASSWORD,
      newPassword: NEW,
    });
    expect(changed.statusCode, changed.body).toBe(204);
    await expectOneNotice(user.email, 'your password was changed', [NEW]);
  });

  it('tells of TOTP turned on, a recovery code used (and how many are left), TOTP turned off', async () => {
    const { user, client } = await person();
    const started = await client.request('POST', '/api/v1/me/totp');
    expect(started.statusCode).toBe(201);
    const { secret } = started.json() as { secret: string };
    const confirmed = await client.request('POST', '/api/v1/me/totp/confirm', { code: codeNow(secret) });
    expect(confirmed.statusCode).toBe(200);
    const { recoveryCodes } = confirmed.json() as { recoveryCodes: string[] };
    const flatOn = await expectOneNotice(user.email, 'two-factor sign-in with a code was turned on', [
      secret,
      ...recoveryCodes,
    ]);
    expect(flatOn).toContain('(TOTP) was turned on');

    // A sign-in completed with a recovery code.
    t.clock.advance(30_000);
    const first = await post('/api/v1/auth/sign-in', { email: user.email, password: PASSWORD });
    const { challenge } = (first.json() as { secondFactor: { challenge: string } }).secondFactor;
    const [code] = recoveryCodes;
    const done = await post('/api/v1/auth/second-factor', { challenge, recoveryCode: code });
    expect(done.statusCode, done.body).toBe(200);
    const flatUsed = await expectOneNotice(user.email, 'a recovery code was used to sign in', [
      secret,
      ...recoveryCodes,
      challenge,
    ]);
    expect(flatUsed).toContain('You have 9 unused recovery codes left.');

    // A refused attempt to turn it off mails nobody; a proven one tells the person.
    const strong = clientOf(t, done, { remoteAddress: ADDRESS });
    const refused = await strong.request('DELETE', '/api/v1/me/totp', { password: 'not my password at all' });
    expect(refused.statusCode).toBe(422);
    expect(await mailsSent()).toEqual([]);
    t.clock.advance(30_000);
    const current = codeNow(secret);
    const off = await strong.request('DELETE', '/api/v1/me/totp', { code: current });
    expect(off.statusCode, off.body).toBe(204);
    await expectOneNotice(user.email, 'two-factor sign-in with a code was turned off', [
      secret,
      current,
      ...recoveryCodes,
    ]);
  });

  it("tells of a passkey added and removed, never the passkey's name or credential", async () => {
    const { user, client } = await person();
    const options = await client.request('POST', '/api/v1/me/passkeys/options');
    expect(options.statusCode, options.body).toBe(200);
    const { credential, response } = createCredential(
      options.json() as RegistrationOptionsLike,
      new URL(PUBLIC_URL).origin,
    );
    const DEVICE = 'Mallory laptop in room 42';
    const added = await client.request('POST', '/api/v1/me/passkeys', { name: DEVICE, response });
    expect(added.statusCode, added.body).toBe(201);
    const passkey = added.json() as { id: string };
    const credentialId = credential.id.toString('base64url');
    const flatAdded = await expectOneNotice(user.email, 'a passkey was added', [
      DEVICE,
      'Mallory',
      credentialId,
      passkey.id,
    ]);
    expect(flatAdded).toContain('A passkey was added to your account');

    const removed = await client.request('DELETE', `/api/v1/me/passkeys/${passkey.id}`);
    expect(removed.statusCode, removed.body).toBe(204);
    await expectOneNotice(user.email, 'a passkey was removed', [DEVICE, 'Mallory', credentialId, passkey.id]);
    // Removing it again is refused: nobody is mailed.
    expect((await client.request('DELETE', `/api/v1/me/passkeys/${passkey.id}`)).statusCode).toBe(404);
    expect(await mailsSent()).toEqual([]);
  });

  it('tells of an OpenID Connect account linked by its verified address', async () => {
    const user = await createUser(t);
    await createUser(t);
    await mailsSent();
    const account = `acct-${Math.random().toString(36).slice(2, 10)}`;
    provider.accounts.set(account, { email: user.email, email_verified: true, name: 'Mallory IdP' });
    const started = await t.app.inject({ method: 'GET', url: '/api/v1/auth/oidc/start' });
    expect(started.statusCode).toBe(302);
    const binding = started.cookies.find((c) => c.name === 'vigil_oidc');
    const back = await provider.signIn(String(started.headers.location), account);
    const res = await t.app.inject({
      method: 'GET',
      url: back.pathname + back.search,
      headers: { cookie: `vigil_oidc=${binding?.value ?? ''}` },
      remoteAddress: ADDRESS,
    });
    expect(res.statusCode, res.body).toBe(302);
    expect(res.cookies.find((c) => c.name === 'vigil_session')).toBeDefined();
    const flat = await expectOneNotice(user.email, 'an OpenID Connect account was linked', [
      account,
      'Mallory',
      back.searchParams.get('code') ?? 'no-code',
    ]);
    expect(flat).toContain('can now be used to sign in');

    // Signing in again through the same link is not a change: nothing more is sent.
    const again = await t.app.inject({ method: 'GET', url: '/api/v1/auth/oidc/start' });
    const back2 = await provider.signIn(String(again.headers.location), account);
    const res2 = await t.app.inject({
      method: 'GET',
      url: back2.pathname + back2.search,
      headers: { cookie: `vigil_oidc=${again.cookies.find((c) => c.name === 'vigil_oidc')?.value ?? ''}` },
    });
    expect(res2.statusCode).toBe(302);
    expect(await mailsSent()).toEqual([]);
  });

  it('mails nobody for a disabled account', async () => {
    const { user, client } = await person();
    const started = await client.request('POST', '/api/v1/me/totp');
    const { secret } = started.json() as { secret: string };
    t.clock.advance(30_000);
    expect(
      (await client.request('POST', '/api/v1/me/totp/confirm', { code: codeNow(secret) })).statusCode,
    ).toBe(200);
    const totpOn = () =>
      get()
        .db.kysely.selectFrom('jobs')
        .select('state')
        .where('kind', '=', 'account.security.mail')
        .where('payload_json', 'like', `%${user.id}%`)
        .where('payload_json', 'like', '%totp-enabled%')
        .execute();
    expect((await totpOn()).map((j) => j.state)).toEqual(['pending']);
    await t.services.users.updateUser(OPERATOR, user.id, { disabled: true });
    expect(await mailsSent()).toEqual([]);
    // The job ran (and is done), it just mailed nobody.
    expect((await totpOn()).map((j) => j.state)).toEqual(['done']);
  });
});
