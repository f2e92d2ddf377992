/**
 * OpenID Connect sign-in (authorization code with PKCE, state and nonce), through `openid-client`.
 * A sign-in started here is kept in the database (`oidc_states`: ten minutes, single use, bound to
 * the browser that started it by a cookie), so any instance may receive the callback. The account is
 * found by its link to the provider's (issuer, subject), else by the provider's VERIFIED email (and
 * linked, audited), else created only when the admin allows sign-up. Then `finishSignIn`, as for
 * every other way in.
 */
import { randomBytes } from 'node:crypto';
import type * as client from 'openid-client';
import { appendAuditEvent } from '../../../audit/audit.log.js';
import type { Db, DbTransaction } from '../../../db/connection.js';
import type { Clock } from '../../../lib/clock.js';
import type { Keyring } from '../../../lib/crypto/keyring.js';
import { fieldAad } from '../../../lib/crypto/encrypted-fields.js';
import { NotFoundError, RateLimitedError } from '../../../lib/errors.js';
import { hashSecret, newId } from '../../../lib/ids.js';
import { hitRateLimits } from '../../../lib/rate-limit.js';
import { addressBucket } from '../../../lib/client-address.js';
import * as accountsRepo from '../accounts.repo.js';
import { emailSchema, userNameSchema } from '../accounts.schemas.js';
import { finishSignIn, type SessionResult } from '../sessions.service.js';
import { enqueueAccountSecurityMail } from '../account-notify.js';
import * as repo from './oidc.repo.js';
import { isLoopbackIssuer, type OidcSettings } from './oidc.settings.js';
import { lazyImport } from '../../../lib/lazy.js';

/** openid-client loads at the first OpenID Connect sign-in, not at start (most instances use none). */
const openidClient = lazyImport(() => import('openid-client'));

export interface OidcDeps {
  db: Db;
  clock: Clock;
  cipher: Pick<Keyring, 'encryptField' | 'decryptField'>;
  publicUrl: string;
  /** Unset: OpenID Connect sign-in is off (its routes answer 404). */
  oidc?: OidcSettings | undefined;
}

/** Where the provider sends the browser back to. */
export const OIDC_CALLBACK_PATH = '/api/v1/auth/oidc/callback';
export const OIDC_START_PATH = '/api/v1/auth/oidc/start';
/** How long a started sign-in may take at the provider. */
export const OIDC_STATE_TTL_MS = 10 * 60_000;
/** What Vigil asks the provider for: who (sub), the email and whether it is verified, a name. */
const SCOPE = 'openid email profile';
const BROWSER_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Why a sign-in through the provider did not end in a session: the sign-in page says it in words. */
export type OidcRefusalCode =
  | 'unavailable'
  | 'rate_limited'
  | 'invalid_state'
  | 'provider_error'
  | 'exchange_failed'
  | 'email_unverified'
  | 'no_account'
  | 'account_disabled';

/** A refused OpenID Connect sign-in; the route sends the browser to the sign-in page with the code. */
export class OidcRefusal extends Error {
  constructor(
    readonly code: OidcRefusalCode,
    message: string,
  ) {
    super(message);
    this.name = 'OidcRefusal';
  }
}

/** The provider's answer at the callback (query parameters), bounded by the route's schema. */
export interface OidcCallbackQuery {
  code?: string | undefined;
  state?: string | undefined;
  iss?: string | undefined;
  session_state?: string | undefined;
  error?: string | undefined;
  error_description?: string | undefined;
}

/** How a sign-in through the provider ended: a session, or a second factor still to give. */
export type OidcSignInOutcome =
  | { kind: 'session'; session: SessionResult; returnTo: string }
  | { kind: 'second-factor'; challengeToken: string; methods: string[]; returnTo: string };

/** The sign-in methods the sign-in page offers. */
export interface SignInMethods {
  password: true;
  oidc: { name: string; startUrl: string } | null;
}

/** A path of this instance to return to after signing in; anything else is `/`. */
export function safeReturnTo(value: string | undefined): string {
  if (!value || value.length > 500) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  if ([...value].some((ch) => ch === '\\' || ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f))
    return '/';
  return value;
}

/** The claims Vigil reads: from the ID token, and from userinfo when the ID token leaves them out. */
interface IdentityClaims {
  issuer: string;
  subject: string;
  email: string | undefined;
  emailVerified: boolean;
  name: string | undefined;
}

export type OidcService = ReturnType<typeof createOidcService>;

/** Builds the OpenID Connect sign-in service. */
export function createOidcService(deps: OidcDeps) {
  const { db, clock, cipher, publicUrl } = deps;
  const settings = deps.oidc;
  const k = db.kysely;
  const redirectUri = `${publicUrl}${OIDC_CALLBACK_PATH}`;
  let discovered: Promise<client.Configuration> | undefined;

  function need(): OidcSettings {
    if (!settings) throw new NotFoundError('OpenID Connect sign-in');
    return settings;
  }

  /** The provider's metadata, discovered once (again after a failure). */
  function configuration(s: OidcSettings): Promise<client.Configuration> {
    discovered ??= openidClient()
      .then((lib) =>
        lib.discovery(
          new URL(s.issuer),
          s.clientId,
          undefined,
          s.clientSecret === undefined ? lib.None() : lib.ClientSecretBasic(s.clientSecret),
          { execute: isLoopbackIssuer(s.issuer) ? [lib.allowInsecureRequests] : [], timeout: 10 },
        ),
      )
      .catch((err: unknown) => {
        discovered = undefined;
        throw err;
      });
    return discovered.catch(() => {
      throw new OidcRefusal('unavailable', 'The sign-in provider cannot be reached.');
    });
  }

  /** Takes a started sign-in once: the row is deleted whatever follows (a replay finds nothing). */
  async function consumeState(state: string | undefined, browserToken: string | undefined) {
    if (!state || state.length > 200) throw new OidcRefusal('invalid_state', 'The sign-in state is missing.');
    const stateHash = hashSecret(state);
    const row = await k.transaction().execute(async (trx) => {
      const found = await repo.findState(trx, stateHash);
      if (!found || !(await repo.deleteState(trx, stateHash))) return undefined;
      return found;
    });
    if (!row) throw new OidcRefusal('invalid_state', 'This sign-in was used, expired or never started here.');
    if (Date.parse(row.expires_at) <= clock.now().getTime()) {
      throw new OidcRefusal('invalid_state', 'This sign-in took too long; start again.');
    }
    if (!browserToken || !BROWSER_TOKEN.test(browserToken) || hashSecret(browserToken) !== row.browser_hash) {
      throw new OidcRefusal('invalid_state', 'This sign-in was started in another browser.');
    }
    const verifier = cipher.decryptField(
      row.code_verifier_enc,
      fieldAad('oidc_states', 'code_verifier_enc', row.state_hash),
    );
    return { state, verifier, nonce: row.nonce, returnTo: row.return_to };
  }

  /** Exchanges the code (PKCE, state, nonce and the ID token's signature checked by openid-client). */
  async function exchange(
    s: OidcSettings,
    query: OidcCallbackQuery,
    started: { state: string; verifier: string; nonce: string },
  ): Promise<IdentityClaims> {
    const config = await configuration(s);
    const lib = await openidClient();
    const current = new URL(redirectUri);
    for (const key of ['code', 'state', 'iss', 'session_state'] as const) {
      const value = query[key];
      if (value !== undefined) current.searchParams.set(key, value);
    }
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await lib.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: started.verifier,
        expectedState: started.state,
        expectedNonce: started.nonce,
        idTokenExpected: true,
      });
    } catch {
      throw new OidcRefusal('exchange_failed', 'The provider did not confirm the sign-in.');
    }
    const idToken = tokens.claims();
    if (!idToken) throw new OidcRefusal('exchange_failed', 'The provider sent no ID token.');
    let email: unknown = idToken.email;
    let verified: unknown = idToken.email_verified;
    let name: unknown = idToken.name;
    if (email === undefined || verified === undefined) {
      try {
        const info = await lib.fetchUserInfo(config, tokens.access_token, idToken.sub);
        email = info.email;
        verified = info.email_verified;
        name = name ?? info.name;
      } catch {
        throw new OidcRefusal('exchange_failed', 'The provider did not say who signed in.');
      }
    }
    const parsedEmail = typeof email === 'string' ? emailSchema.safeParse(email) : undefined;
    const parsedName = typeof name === 'string' ? userNameSchema.safeParse(name) : undefined;
    return {
      issuer: idToken.iss,
      subject: idToken.sub,
      email: parsedEmail?.success ? parsedEmail.data : undefined,
      // Only a boolean true counts: a provider that does not vouch for the address links nothing.
      emailVerified: verified === true,
      name: parsedName?.success ? parsedName.data : undefined,
    };
  }

  /** The account for the provider's identity: linked, linked now by verified email, or created (sign-up). */
  async function accountFor(
    trx: DbTransaction,
    s: OidcSettings,
    who: IdentityClaims,
  ): Promise<accountsRepo.UserRow> {
    const now = clock.now().toISOString();
    const linked = await repo.findIdentity(trx, who.issuer, who.subject);
    if (linked) {
      const user = await accountsRepo.findUserById(trx, linked.user_id);
      if (!user) throw new OidcRefusal('no_account', 'The linked account no longer exists.');
      await repo.touchIdentity(trx, linked.id, now);
      return user;
    }
    const email = who.email;
    if (!email) throw new OidcRefusal('email_unverified', 'The provider gave no verified email address.');
    let user = await accountsRepo.findUserByEmail(trx, email);
    let by: 'email' | 'signup' = 'email';
    if (!user) {
      if (!s.allowSignup) {
        throw new OidcRefusal('no_account', 'There is no account with this email, and sign-up is off.');
      }
      const id = newId();
      await accountsRepo.insertUser(trx, {
        id,
        email,
        name: who.name ?? email.split('@')[0] ?? email,
        is_admin: 0,
        created_at: now,
      });
      await appendAuditEvent(trx, clock, {
        actor: { type: 'user', id },
        action: 'user.created',
        subject: { type: 'user', id },
        data: { email, admin: false, via: 'oidc' },
      });
      user = await accountsRepo.findUserById(trx, id);
      if (!user) throw new Error('user vanished inside its own transaction');
      by = 'signup';
    }
    if (user.disabled_at) throw new OidcRefusal('account_disabled', 'This account is disabled.');
    const identityId = newId();
    const inserted = await repo.insertIdentity(trx, {
      id: identityId,
      user_id: user.id,
      issuer: who.issuer,
      subject: who.subject,
      email,
      created_at: now,
      last_used_at: now,
    });
    if (!inserted) {
      // Two callbacks of one provider account at once: the other linked it; sign in as it says.
      const other = await repo.findIdentity(trx, who.issuer, who.subject);
      const linkedUser = other && (await accountsRepo.findUserById(trx, other.user_id));
      if (!linkedUser) throw new OidcRefusal('no_account', 'The linked account no longer exists.');
      return linkedUser;
    }
    await appendAuditEvent(trx, clock, {
      actor: { type: 'user', id: user.id },
      action: 'user.oidc_linked',
      subject: { type: 'user', id: user.id },
      data: { identityId, issuer: who.issuer, by },
    });
    await enqueueAccountSecurityMail(trx, clock, { userId: user.id, change: 'oidc-linked', ref: identityId });
    return user;
  }

  return {
    /** The sign-in methods this instance offers (the sign-in page shows a button per method). */
    methods(): SignInMethods {
      return {
        password: true,
        oidc: settings ? { name: settings.name, startUrl: OIDC_START_PATH } : null,
      };
    },

    /**
     * Starts a sign-in at the provider: stores state, PKCE verifier and nonce for ten minutes and
     * answers the provider's authorization URL, and the browser binding to set as a cookie (the one
     * the browser already has, so that two tabs may sign in at once).
     */
    async start(input: {
      returnTo: string | undefined;
      browserToken: string | undefined;
      ip: string;
    }): Promise<{ url: string; browserToken: string }> {
      const s = need();
      try {
        await hitRateLimits(k, clock, [
          { bucket: addressBucket('oidc-start', input.ip), limit: 60, windowSeconds: 900 },
        ]);
      } catch (err) {
        if (err instanceof RateLimitedError) {
          throw new OidcRefusal('rate_limited', 'Too many sign-ins started from here; wait a few minutes.');
        }
        throw err;
      }
      const config = await configuration(s);
      const lib = await openidClient();
      const state = lib.randomState();
      const verifier = lib.randomPKCECodeVerifier();
      const nonce = lib.randomNonce();
      const browserToken =
        input.browserToken && BROWSER_TOKEN.test(input.browserToken)
          ? input.browserToken
          : randomBytes(32).toString('base64url');
      const stateHash = hashSecret(state);
      const now = clock.now();
      await k.transaction().execute(async (trx) => {
        await repo.deleteExpiredStates(trx, now.toISOString());
        await repo.insertState(trx, {
          state_hash: stateHash,
          browser_hash: hashSecret(browserToken),
          code_verifier_enc: cipher.encryptField(
            verifier,
            fieldAad('oidc_states', 'code_verifier_enc', stateHash),
          ),
          nonce,
          return_to: safeReturnTo(input.returnTo),
          created_at: now.toISOString(),
          expires_at: new Date(now.getTime() + OIDC_STATE_TTL_MS).toISOString(),
        });
      });
      const url = lib.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: SCOPE,
        state,
        nonce,
        code_challenge: await lib.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      });
      return { url: url.href, browserToken };
    },

    /**
     * The provider's callback: takes the started sign-in (once), exchanges the code, finds the
     * account and ends the sign-in like every other. Throws OidcRefusal with a code for the page.
     */
    async callback(input: {
      query: OidcCallbackQuery;
      browserToken: string | undefined;
      userAgent: string | null;
    }): Promise<OidcSignInOutcome> {
      const s = need();
      const started = await consumeState(input.query.state, input.browserToken);
      if (input.query.error !== undefined || input.query.code === undefined) {
        throw new OidcRefusal('provider_error', 'The provider did not sign you in.');
      }
      const who = await exchange(s, input.query, started);
      if (!who.emailVerified) {
        throw new OidcRefusal('email_unverified', 'The provider has not verified your email address.');
      }
      // One factor, like a password: an account with a second factor answers its challenge next.
      const result = await k.transaction().execute(async (trx) => {
        const user = await accountFor(trx, s, who);
        if (user.disabled_at) throw new OidcRefusal('account_disabled', 'This account is disabled.');
        return finishSignIn(trx, deps, { user, method: 'oidc', userAgent: input.userAgent });
      });
      return result.kind === 'session'
        ? { kind: 'session', session: result.session, returnTo: started.returnTo }
        : {
            kind: 'second-factor',
            challengeToken: result.challengeToken,
            methods: result.methods,
            returnTo: started.returnTo,
          };
    },
  };
}
