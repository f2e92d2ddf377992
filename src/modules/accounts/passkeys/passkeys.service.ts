/**
 * Passkeys (WebAuthn, issue 11 item 4): a user registers passkeys from a browser session, lists and
 * removes them; anyone signs in with one (a discoverable credential, user verification required: the
 * passkey is both factors); and a passkey completes a password sign-in as its second factor. Every
 * ceremony's challenge is kept in the database (hashed, five minutes, single use), so that any
 * instance can finish what another began. Verification is @simplewebauthn/server's; the relying
 * party is the instance's public URL (its host is the RP ID, its origin the expected origin).
 */
import { appendAuditEvent } from '../../../audit/audit.log.js';
import { authorize, type Principal } from '../../../authz/authz.policy.js';
import { actorOf } from '../../../authz/access.js';
import type { Db, DbTransaction } from '../../../db/connection.js';
import type { Clock } from '../../../lib/clock.js';
import { ConflictError, NotFoundError, UnauthenticatedError, ValidationError } from '../../../lib/errors.js';
import { hashSecret, newId } from '../../../lib/ids.js';
import { hitRateLimits } from '../../../lib/rate-limit.js';
import { addressBucket } from '../../../lib/client-address.js';
import * as accounts from '../accounts.repo.js';
import { finishSignIn, type SessionResult } from '../sessions.service.js';
import {
  endChallengeWithSession,
  failChallenge,
  openChallenge,
  reserveAnswer,
} from '../two-factor/second-factor.steps.js';
import { requireTwoFactorsToChangeFactors } from '../two-factor/second-factors.js';
import * as twoFactorRepo from '../two-factor/two-factor.repo.js';
import { enqueueAccountSecurityMail } from '../account-notify.js';
import {
  TRANSPORTS,
  type AddPasskeyBody,
  type AuthenticationResponseBody,
  type PasskeyDto,
} from './passkeys.schemas.js';
import * as repo from './passkeys.repo.js';
import { lazyImport } from '../../../lib/lazy.js';

/** @simplewebauthn/server (with its ASN.1 and X.509 parsers) loads at the first passkey ceremony. */
const webauthnModule = lazyImport(() => import('@simplewebauthn/server'));

type AuthenticatorTransportFuture = (typeof TRANSPORTS)[number];

/** How long a ceremony may take: the options' timeout and the stored challenge's life. */
export const PASSKEY_CHALLENGE_MS = 5 * 60_000;
/** A user has at most this many passkeys. */
export const PASSKEYS_PER_USER_MAX = 20;
/** The algorithms offered: Ed25519, P-256 and RSA (what authenticators and platforms ship). */
const ALGORITHMS = [-8, -7, -257];

export interface PasskeysDeps {
  db: Db;
  clock: Clock;
  /** The instance's public URL: its host is the relying party id, its origin the expected origin. */
  publicUrl: string;
}

export type PasskeysService = ReturnType<typeof createPasskeysService>;

type Purpose = 'register' | 'sign-in' | 'second-factor';

const REFUSED =
  'This passkey does not sign in here: it may have been removed, or it could not be verified. Use another way to sign in.';

/** The challenge a response signed, from its clientDataJSON; undefined when it is not readable. */
export function challengeOf(clientDataJSON: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null || !('challenge' in parsed)) return undefined;
    const { challenge } = parsed;
    return typeof challenge === 'string' && challenge.length > 0 && challenge.length <= 200
      ? challenge
      : undefined;
  } catch {
    return undefined;
  }
}

/** The user handle a passkey carries: the user's id, as UTF-8 bytes (no personal data). */
export function userHandleOf(userId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(userId, 'utf8'));
}

function toDto(row: repo.PasskeyRow): PasskeyDto {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    backedUp: row.backed_up === 1,
    deviceType: row.device_type === 'multiDevice' ? 'multiDevice' : 'singleDevice',
  };
}

/** The options' credential descriptors, typed as the API declares them (the library says `string`). */
function descriptors(
  list: { id: string; transports?: readonly string[] | undefined }[] | undefined,
): { id: string; type: 'public-key'; transports?: AuthenticatorTransportFuture[] }[] | undefined {
  return list?.map((d) => ({
    id: d.id,
    type: 'public-key',
    ...(d.transports && { transports: knownTransports(d.transports) }),
  }));
}

function knownTransports(list: readonly unknown[]): AuthenticatorTransportFuture[] {
  return list.filter((t): t is AuthenticatorTransportFuture =>
    (TRANSPORTS as readonly unknown[]).includes(t),
  );
}

function transportsOf(row: repo.PasskeyRow): AuthenticatorTransportFuture[] {
  try {
    const list: unknown = JSON.parse(row.transports_json);
    return Array.isArray(list) ? knownTransports(list) : [];
  } catch {
    return [];
  }
}

/** Builds the passkeys service. */
export function createPasskeysService(deps: PasskeysDeps) {
  const { db, clock } = deps;
  const k = db.kysely;
  const url = new URL(deps.publicUrl);
  const rpID = url.hostname;
  const origin = url.origin;

  function signedInUser(principal: Principal): string {
    authorize(principal, 'self.manage');
    if (principal.kind !== 'user') throw new UnauthenticatedError();
    return principal.userId;
  }

  /** The caller, when their credential may change their sign-in factors (second-factors.ts). */
  async function changingFactors(principal: Principal): Promise<string> {
    const userId = signedInUser(principal);
    await requireTwoFactorsToChangeFactors(k, userId, principal.kind === 'user' ? principal.factors : 1);
    return userId;
  }

  /** Stores a new ceremony's challenge (and sweeps the expired ones). */
  async function storeChallenge(
    challenge: string,
    purpose: Purpose,
    userId: string | null,
    secondFactorHash: string | null = null,
  ): Promise<void> {
    const now = clock.now();
    await k.transaction().execute(async (trx) => {
      await repo.deleteExpiredChallenges(trx, now.toISOString());
      await repo.insertChallenge(trx, {
        challenge_hash: hashSecret(challenge),
        purpose,
        user_id: userId,
        second_factor_hash: secondFactorHash,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + PASSKEY_CHALLENGE_MS).toISOString(),
      });
    });
  }

  /**
   * Takes (single use, committed at once, whatever follows) the stored challenge the response
   * signed, if it is one for `purpose` and unexpired; its plain value, for the verifier.
   */
  async function takeChallenge(
    clientDataJSON: string,
    purpose: Purpose,
  ): Promise<{ challenge: string; row: repo.PasskeyChallengeRow } | undefined> {
    const challenge = challengeOf(clientDataJSON);
    if (!challenge) return undefined;
    const row = await k.transaction().execute((trx) => repo.takeChallenge(trx, hashSecret(challenge)));
    if (!row || row.purpose !== purpose || Date.parse(row.expires_at) <= clock.now().getTime())
      return undefined;
    return { challenge, row };
  }

  /**
   * Verifies an assertion against the stored passkey it names: the signature, the challenge, the
   * origin and RP id, user verification when asked, and a counter that moved forward (a counter at
   * or below the stored one means a cloned authenticator: refused).
   */
  async function verifyAssertion(
    response: AuthenticationResponseBody,
    challenge: string,
    passkey: repo.PasskeyRow,
    requireUserVerification: boolean,
  ): Promise<{ newCounter: number; backedUp: boolean; userVerified: boolean } | undefined> {
    if (response.id !== response.rawId) return undefined;
    const { verifyAuthenticationResponse } = await webauthnModule();
    try {
      const result = await verifyAuthenticationResponse({
        response: { ...response, clientExtensionResults: response.clientExtensionResults },
        expectedChallenge: challenge,
        expectedOrigin: origin,
        expectedRPID: rpID,
        requireUserVerification,
        credential: {
          id: passkey.credential_id,
          publicKey: new Uint8Array(Buffer.from(passkey.public_key, 'base64url')),
          counter: passkey.counter,
          transports: transportsOf(passkey),
        },
      });
      if (!result.verified) return undefined;
      return {
        newCounter: result.authenticationInfo.newCounter,
        backedUp: result.authenticationInfo.credentialBackedUp,
        userVerified: result.authenticationInfo.userVerified,
      };
    } catch {
      return undefined;
    }
  }

  /** Records the use (the counter moved; refused if another use moved it first). */
  async function recordUse(
    trx: DbTransaction,
    passkey: repo.PasskeyRow,
    verified: { newCounter: number; backedUp: boolean },
  ): Promise<void> {
    const recorded = await repo.recordPasskeyUse(trx, passkey.id, passkey.counter, {
      counter: verified.newCounter,
      backed_up: verified.backedUp ? 1 : 0,
      last_used_at: clock.now().toISOString(),
    });
    if (!recorded) throw new UnauthenticatedError(REFUSED);
  }

  return {
    /** The caller's passkeys (never their keys or credential ids). */
    async listPasskeys(principal: Principal): Promise<PasskeyDto[]> {
      const userId = signedInUser(principal);
      return (await repo.listUserPasskeys(k, userId)).map(toDto);
    },

    /** Begins registering a passkey for the caller: the options for `navigator.credentials.create()`. */
    async registrationOptions(principal: Principal) {
      const userId = await changingFactors(principal);
      const user = await accounts.findUserById(k, userId);
      if (!user) throw new UnauthenticatedError();
      const existing = await repo.listUserPasskeys(k, userId);
      if (existing.length >= PASSKEYS_PER_USER_MAX)
        throw new ConflictError(
          `You have ${PASSKEYS_PER_USER_MAX} passkeys: remove one before adding another.`,
        );
      await hitRateLimits(k, clock, [
        { bucket: `passkey:register:${userId}`, limit: 30, windowSeconds: 900 },
      ]);
      const { generateRegistrationOptions } = await webauthnModule();
      const options = await generateRegistrationOptions({
        rpName: 'Vigil',
        rpID,
        userName: user.email,
        userDisplayName: user.name,
        userID: userHandleOf(user.id),
        timeout: PASSKEY_CHALLENGE_MS,
        attestationType: 'none',
        excludeCredentials: existing.map((p) => ({ id: p.credential_id, transports: transportsOf(p) })),
        authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
        supportedAlgorithmIDs: ALGORITHMS,
      });
      await storeChallenge(options.challenge, 'register', userId);
      return { ...options, excludeCredentials: descriptors(options.excludeCredentials) };
    },

    /**
     * Verifies the new credential against the caller's pending registration and stores it. The
     * session that registered it now counts two factors, as after confirming TOTP: it proved the
     * first, and the new authenticator signed this ceremony's challenge.
     */
    async addPasskey(principal: Principal, body: AddPasskeyBody, sessionIdHash: string): Promise<PasskeyDto> {
      const userId = await changingFactors(principal);
      const taken = await takeChallenge(body.response.response.clientDataJSON, 'register');
      if (!taken || taken.row.user_id !== userId)
        throw new ValidationError('This passkey registration expired or was not started here: try again.');
      const { verifyRegistrationResponse } = await webauthnModule();
      let verified;
      try {
        verified = await verifyRegistrationResponse({
          response: body.response,
          expectedChallenge: taken.challenge,
          expectedOrigin: origin,
          expectedRPID: rpID,
          requireUserVerification: false,
          supportedAlgorithmIDs: ALGORITHMS,
        });
      } catch {
        verified = undefined;
      }
      if (!verified?.verified) throw new ValidationError('The passkey could not be verified.');
      const info = verified.registrationInfo;
      const credentialId = info.credential.id;
      if (credentialId.length > 1400 || credentialId !== body.response.id)
        throw new ValidationError('The passkey could not be verified.');
      return k.transaction().execute(async (trx) => {
        if (await repo.findPasskeyByCredentialId(trx, credentialId))
          throw new ConflictError('This passkey is registered already.');
        const row: repo.PasskeyRow = {
          id: newId(),
          user_id: userId,
          credential_id: credentialId,
          public_key: Buffer.from(info.credential.publicKey).toString('base64url'),
          counter: info.credential.counter,
          transports_json: JSON.stringify(body.response.response.transports ?? []),
          device_type: info.credentialDeviceType,
          backed_up: info.credentialBackedUp ? 1 : 0,
          name: body.name,
          created_at: clock.now().toISOString(),
          last_used_at: null,
        };
        await repo.insertPasskey(trx, row);
        await twoFactorRepo.raiseSessionFactors(trx, sessionIdHash, userId);
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'user.passkey_added',
          subject: { type: 'user', id: userId },
          data: { passkeyId: row.id, userVerified: info.userVerified, backedUp: info.credentialBackedUp },
        });
        await enqueueAccountSecurityMail(trx, clock, { userId, change: 'passkey-added', ref: row.id });
        return toDto(row);
      });
    },

    /** Removes one of the caller's passkeys (another's, or none: 404). */
    async removePasskey(principal: Principal, passkeyId: string): Promise<void> {
      const userId = await changingFactors(principal);
      await k.transaction().execute(async (trx) => {
        if (!(await repo.deletePasskey(trx, userId, passkeyId))) throw new NotFoundError('The passkey');
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'user.passkey_removed',
          subject: { type: 'user', id: userId },
          data: { passkeyId },
        });
        await enqueueAccountSecurityMail(trx, clock, { userId, change: 'passkey-removed', ref: passkeyId });
      });
    },

    /** Begins a passwordless sign-in: options for any discoverable passkey of this instance. */
    async signInOptions(input: { ip: string }) {
      await hitRateLimits(k, clock, [
        { bucket: addressBucket('passkey:sign-in', input.ip), limit: 60, windowSeconds: 900 },
      ]);
      const { generateAuthenticationOptions } = await webauthnModule();
      const options = await generateAuthenticationOptions({
        rpID,
        timeout: PASSKEY_CHALLENGE_MS,
        userVerification: 'required',
      });
      await storeChallenge(options.challenge, 'sign-in', null);
      return { ...options, allowCredentials: descriptors(options.allowCredentials) };
    },

    /**
     * Signs in with a passkey alone: the passkey it names, its owner's user handle, a fresh challenge
     * of this instance, user verification performed (the passkey is then both factors), a counter
     * that moved forward. One answer for every refusal.
     */
    async signInWithPasskey(input: {
      response: AuthenticationResponseBody;
      userAgent: string | null;
    }): Promise<SessionResult> {
      const { response } = input;
      const taken = await takeChallenge(response.response.clientDataJSON, 'sign-in');
      if (!taken) throw new UnauthenticatedError(REFUSED);
      const passkey = await repo.findPasskeyByCredentialId(k, response.id);
      if (!passkey) throw new UnauthenticatedError(REFUSED);
      const handle = response.response.userHandle;
      if (handle !== undefined && handle !== Buffer.from(userHandleOf(passkey.user_id)).toString('base64url'))
        throw new UnauthenticatedError(REFUSED);
      const user = await accounts.findUserById(k, passkey.user_id);
      if (!user || user.disabled_at) throw new UnauthenticatedError(REFUSED);
      const verified = await verifyAssertion(response, taken.challenge, passkey, true);
      if (!verified?.userVerified) throw new UnauthenticatedError(REFUSED);
      return k.transaction().execute(async (trx) => {
        await recordUse(trx, passkey, verified);
        // A passkey with user verification is both factors: something held, and a PIN or biometric.
        const result = await finishSignIn(trx, deps, {
          user,
          method: 'passkey',
          userAgent: input.userAgent,
          factors: 2,
        });
        if (result.kind !== 'session') throw new Error('a two-factor sign-in must end in a session');
        return result.session;
      });
    },

    /** Options for completing a password sign-in with one of the account's passkeys. */
    async secondFactorOptions(input: { challenge: string; ip: string }) {
      await hitRateLimits(k, clock, [
        { bucket: addressBucket('passkey:sign-in', input.ip), limit: 60, windowSeconds: 900 },
      ]);
      const userId = (await openChallenge(k, input.challenge, clock.now().toISOString())).user.id;
      const passkeys = await repo.listUserPasskeys(k, userId);
      if (passkeys.length === 0) throw new UnauthenticatedError('This account has no passkey.');
      const { generateAuthenticationOptions } = await webauthnModule();
      const options = await generateAuthenticationOptions({
        rpID,
        timeout: PASSKEY_CHALLENGE_MS,
        userVerification: 'discouraged',
        allowCredentials: passkeys.map((p) => ({ id: p.credential_id, transports: transportsOf(p) })),
      });
      await storeChallenge(options.challenge, 'second-factor', userId, hashSecret(input.challenge));
      return { ...options, allowCredentials: descriptors(options.allowCredentials) };
    },

    /** Completes a password sign-in with a passkey of the same account as its second factor. */
    async completeSecondFactor(input: {
      challenge: string;
      response: AuthenticationResponseBody;
      userAgent: string | null;
    }): Promise<SessionResult> {
      const { response } = input;
      // 401 for a sign-in that is unknown, used, expired or worn out by wrong answers.
      const pending = await openChallenge(k, input.challenge, clock.now().toISOString());
      const answer = await reserveAnswer(k, deps, pending);
      const refuse = async (): Promise<never> => {
        throw await k.transaction().execute((trx) => failChallenge(trx, deps, answer, 'passkey', REFUSED));
      };
      const taken = await takeChallenge(response.response.clientDataJSON, 'second-factor');
      if (!taken || taken.row.second_factor_hash !== hashSecret(input.challenge)) return refuse();
      const userId = pending.user.id;
      const passkey = await repo.findPasskeyByCredentialId(k, response.id);
      if (!userId || !passkey || passkey.user_id !== userId || taken.row.user_id !== userId) return refuse();
      const verified = await verifyAssertion(response, taken.challenge, passkey, false);
      if (!verified) return refuse();
      return k.transaction().execute(async (trx) => {
        await recordUse(trx, passkey, verified);
        return endChallengeWithSession(trx, deps, answer, {
          secondFactor: 'passkey',
          userAgent: input.userAgent,
        });
      });
    },
  };
}
