/**
 * Sessions: password sign-in (throttled, see two-factor/sign-in-throttle.ts), the second-factor
 * challenge that ends a first step when the person has a second factor, resolving the session
 * cookie (absolute and idle expiry), sign-out. The cookie value is shown once and stored only as
 * its SHA-256 hash; so is a challenge's token.
 */
import type { SignInMethod } from '../../audit/audit.events.js';
import { appendAuditEvent } from '../../audit/audit.log.js';
import { authorize, type Principal } from '../../authz/authz.policy.js';
import { actorOf } from '../../authz/access.js';
import type { Db, DbTransaction } from '../../db/connection.js';
import type { Clock } from '../../lib/clock.js';
import type { Keyring } from '../../lib/crypto/keyring.js';
import { UnauthenticatedError } from '../../lib/errors.js';
import { hashSecret, newSecret } from '../../lib/ids.js';
import * as repo from './accounts.repo.js';
import type { UserDto } from './accounts.schemas.js';
import { passwordHasher, type PasswordHasher } from './password.js';
import { enrolledSecondFactors, type SecondFactorName } from './two-factor/second-factors.js';
import {
  checkSignInThrottle,
  giveBackSecondFactorTry,
  recordSignInFailure,
  reserveSecondFactorTry,
  secondFactorBlockedFor,
  settleSignInSuccess,
  signInSecret,
  throttleKeys,
} from './two-factor/sign-in-throttle.js';
import { checkTotpCode } from './two-factor/totp-check.js';
import * as twoFactorRepo from './two-factor/two-factor.repo.js';
import { loadPrincipal, toUserDto, LAST_USE_WRITE_EVERY_MS } from './user-view.js';

export interface SessionsDeps {
  db: Db;
  clock: Clock;
  cipher: Pick<Keyring, 'encryptField' | 'decryptField'>;
  /** How passwords are hashed: argon2id at OWASP's cost unless given. */
  passwords?: PasswordHasher | undefined;
}

const HOUR = 3_600_000;
export const SESSION_ABSOLUTE_MS = 7 * 24 * HOUR;
export const SESSION_IDLE_MS = 12 * HOUR;

/** How long the second step of a sign-in may take, and how many wrong answers it allows. */
export const CHALLENGE_MS = 5 * 60_000;
export const CHALLENGE_ATTEMPTS = 5;

export interface SessionResult {
  /** The cookie value: shown to the client once, stored only hashed. */
  sessionToken: string;
  csrfToken: string;
  user: UserDto;
  expiresAt: string;
  factors: 1 | 2;
}

/** How a sign-in's step ended: a session, or a challenge for the second factor. */
export type SignInResult =
  | { kind: 'session'; session: SessionResult }
  | {
      kind: 'second-factor';
      /** Shown to the client once, stored only hashed; answers `POST /api/v1/auth/second-factor`. */
      challengeToken: string;
      methods: SecondFactorName[];
      expiresAt: string;
    };

/** Starts a session for `user` in the caller's transaction (a sign-in); the caller audits it. */
export async function startSession(
  trx: DbTransaction,
  deps: Pick<SessionsDeps, 'clock'>,
  user: repo.UserRow,
  userAgent: string | null,
  { factors = 1 }: { factors?: 1 | 2 } = {},
): Promise<SessionResult> {
  const sessionToken = newSecret('vss');
  const csrfToken = newSecret('csrf');
  const expiresAt = new Date(deps.clock.now().getTime() + SESSION_ABSOLUTE_MS).toISOString();
  await repo.insertSession(trx, {
    id_hash: hashSecret(sessionToken),
    user_id: user.id,
    csrf_token: csrfToken,
    created_at: deps.clock.now().toISOString(),
    expires_at: expiresAt,
    user_agent: userAgent?.slice(0, 300) ?? null,
    factors,
  });
  return { sessionToken, csrfToken, user: toUserDto(user), expiresAt, factors };
}

/** What a sign-in's first step proved, and about whom. */
export interface SignInProof {
  user: repo.UserRow;
  method: SignInMethod;
  userAgent: string | null;
  /**
   * 2 when the proof already holds two factors: a passkey with user verification, or a first
   * factor plus a second one (then `secondFactor` names it). Otherwise 1 (the default).
   */
  factors?: 1 | 2;
  secondFactor?: SecondFactorName;
  /** The client address's keyed hash (sign-in-throttle.ts): remembered as a usual address on success. */
  addressHash?: string;
}

/**
 * The one way a sign-in ends, whatever proved the person (password, link, OpenID Connect, passkey):
 * in the caller's transaction. When the proof is one factor and the person has a second factor
 * enrolled (second-factors.ts), no session starts: a challenge does (5 minutes, 5 wrong answers),
 * answered through `completeSecondFactor`. Otherwise it writes `user.signed_in` and starts the
 * session. Every sign-in path calls this, so that a rule about sign-in is decided in one place.
 */
export async function finishSignIn(
  trx: DbTransaction,
  deps: Pick<SessionsDeps, 'clock'>,
  proof: SignInProof,
): Promise<SignInResult> {
  const factors = proof.factors ?? 1;
  const actor = { type: 'user', id: proof.user.id } as const;
  if (factors < 2) {
    const methods = await enrolledSecondFactors(trx, proof.user.id);
    if (methods.length > 0) {
      const challengeToken = newSecret('v2f');
      const expiresAt = new Date(deps.clock.now().getTime() + CHALLENGE_MS).toISOString();
      await twoFactorRepo.insertChallenge(trx, {
        id_hash: hashSecret(challengeToken),
        user_id: proof.user.id,
        first_method: proof.method,
        attempts: 0,
        created_at: deps.clock.now().toISOString(),
        expires_at: expiresAt,
      });
      await appendAuditEvent(trx, deps.clock, {
        actor,
        action: 'user.second_factor_challenged',
        subject: { type: 'user', id: proof.user.id },
        data: { method: proof.method, methods },
      });
      return { kind: 'second-factor', challengeToken, methods, expiresAt };
    }
  }
  await appendAuditEvent(trx, deps.clock, {
    actor,
    action: 'user.signed_in',
    subject: { type: 'user', id: proof.user.id },
    data: {
      method: proof.method,
      factors,
      ...(proof.secondFactor !== undefined && { secondFactor: proof.secondFactor }),
    },
  });
  if (proof.addressHash !== undefined)
    await twoFactorRepo.rememberAddress(
      trx,
      proof.user.id,
      proof.addressHash,
      deps.clock.now().toISOString(),
    );
  const session = await startSession(trx, deps, proof.user, proof.userAgent, { factors });
  return { kind: 'session', session };
}

export type SessionsService = ReturnType<typeof createSessionsService>;

/** Builds the sessions service. */
export function createSessionsService(deps: SessionsDeps) {
  const passwords = deps.passwords ?? passwordHasher;
  const { db, clock } = deps;
  const k = db.kysely;

  return {
    /**
     * Password sign-in, throttled per (account, address), per address and per account before the
     * password is checked (sign-in-throttle.ts: nobody can lock the person out); the same answer
     * for an unknown email and a wrong password. A correct `totp` in the same request passes the
     * account-wide slow-down and, with the right password, signs in with two factors at once.
     */
    async signInWithPassword(input: {
      email: string;
      password: string;
      totp?: string | undefined;
      ip: string;
      userAgent: string | null;
    }): Promise<SignInResult> {
      const keys = throttleKeys(await signInSecret(deps), input.email, input.ip);
      const user = await repo.findUserByEmail(k, input.email);
      const active = user && !user.disabled_at ? user : undefined;
      const known = active ? await twoFactorRepo.isKnownAddress(k, active.id, keys.addressHash) : false;
      // A code is checked only while the account's wrong second-factor answers leave room (a wrong
      // one with the right password counts below): the code cannot be guessed sign-in after sign-in.
      const totpStep =
        active &&
        input.totp !== undefined &&
        (await secondFactorBlockedFor(k, clock.now().getTime(), active.id)) === null
          ? await checkTotpCode(deps, active.id, input.totp)
          : null;
      const reservation = await checkSignInThrottle(db, clock, keys, {
        known,
        secondFactorOk: totpStep !== null,
      });
      const stored = active ? await repo.findPasswordHash(k, active.id) : null;
      const ok = await passwords.verify(stored, input.password);
      if (!ok || !active) {
        await recordSignInFailure(db, clock, keys, reservation);
        throw new UnauthenticatedError('The email or password is wrong.');
      }
      return k.transaction().execute(async (trx) => {
        await settleSignInSuccess(trx, keys, reservation);
        // The code counts only within the account's window of second-factor answers, reserved
        // before it is used so that codes sent at once each take their own count.
        let strong = false;
        if (input.totp !== undefined) {
          const tried = await reserveSecondFactorTry(trx, clock.now().getTime(), active.id);
          strong =
            tried.allowed && totpStep !== null && (await twoFactorRepo.useTotpStep(trx, active.id, totpStep));
          if (strong) await giveBackSecondFactorTry(trx, active.id, tried);
        }
        return finishSignIn(trx, deps, {
          user: active,
          method: 'password',
          userAgent: input.userAgent,
          addressHash: keys.addressHash,
          ...(strong && { factors: 2 as const, secondFactor: 'totp' as const }),
        });
      });
    },

    /**
     * Resolves a session cookie to a principal, enforcing absolute and idle expiry.
     * Returns undefined for anything unknown or stale (the caller answers 401).
     */
    async resolveSession(
      sessionToken: string,
    ): Promise<{ principal: Principal; csrfToken: string; idHash: string } | undefined> {
      const idHash = hashSecret(sessionToken);
      const session = await repo.findSession(k, idHash);
      if (!session) return undefined;
      const now = clock.now().getTime();
      if (
        Date.parse(session.expires_at) <= now ||
        Date.parse(session.last_seen_at) + SESSION_IDLE_MS <= now
      ) {
        await repo.deleteSession(k, idHash);
        return undefined;
      }
      const principal = await loadPrincipal(k, session.user_id, { factors: session.factors });
      if (!principal) return undefined;
      if (Date.parse(session.last_seen_at) + LAST_USE_WRITE_EVERY_MS <= now)
        await repo.touchSession(k, idHash, clock.now().toISOString());
      return { principal, csrfToken: session.csrf_token, idHash };
    },

    /** Ends one session (the caller's cookie). */
    async signOut(idHash: string): Promise<void> {
      await repo.deleteSession(k, idHash);
    },

    /** Ends every session of the caller (API tokens stay: revoke those one by one). */
    async signOutEverywhere(principal: Principal): Promise<number> {
      authorize(principal, 'self.manage');
      if (principal.kind !== 'user') throw new UnauthenticatedError();
      return k.transaction().execute(async (trx) => {
        const n = await repo.deleteUserSessions(trx, principal.userId);
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'user.signed_out_everywhere',
          subject: { type: 'user', id: principal.userId },
          data: { sessions: n },
        });
        return n;
      });
    },
  };
}
