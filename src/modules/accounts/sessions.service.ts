/**
 * Sessions: password sign-in, resolving the session cookie (absolute and idle expiry), sign-out.
 * The cookie value is shown once and stored only as its SHA-256 hash.
 */
import type { SignInMethod } from '../../audit/audit.events.js';
import { appendAuditEvent } from '../../audit/audit.log.js';
import { authorize, type Principal } from '../../authz/authz.policy.js';
import { actorOf } from '../../authz/access.js';
import type { Db, DbTransaction } from '../../db/connection.js';
import type { Clock } from '../../lib/clock.js';
import { UnauthenticatedError } from '../../lib/errors.js';
import { hashSecret, newSecret } from '../../lib/ids.js';
import { hitRateLimits } from '../../lib/rate-limit.js';
import * as repo from './accounts.repo.js';
import type { UserDto } from './accounts.schemas.js';
import { passwordHasher, type PasswordHasher } from './password.js';
import { loadPrincipal, toUserDto, LAST_USE_WRITE_EVERY_MS } from './user-view.js';

export interface SessionsDeps {
  db: Db;
  clock: Clock;
  /** How passwords are hashed: argon2id at OWASP's cost unless given. */
  passwords?: PasswordHasher | undefined;
}

const HOUR = 3_600_000;
export const SESSION_ABSOLUTE_MS = 7 * 24 * HOUR;
export const SESSION_IDLE_MS = 12 * HOUR;

export interface SessionResult {
  /** The cookie value: shown to the client once, stored only hashed. */
  sessionToken: string;
  csrfToken: string;
  user: UserDto;
  expiresAt: string;
}

/** Starts a session for `user` in the caller's transaction (a sign-in); the caller audits it. */
export async function startSession(
  trx: DbTransaction,
  deps: Pick<SessionsDeps, 'clock'>,
  user: repo.UserRow,
  userAgent: string | null,
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
  });
  return { sessionToken, csrfToken, user: toUserDto(user), expiresAt };
}

/** What a sign-in's first step proved, and about whom. */
export interface SignInProof {
  user: repo.UserRow;
  method: SignInMethod;
  userAgent: string | null;
}

/**
 * The one way a sign-in ends, whatever proved the person (password, link, OpenID Connect, passkey):
 * starts the session and writes `user.signed_in`, in the caller's transaction. Every sign-in path
 * calls this, so that a rule about sign-in (a second factor, for one) is decided in one place.
 */
export async function finishSignIn(
  trx: DbTransaction,
  deps: Pick<SessionsDeps, 'clock'>,
  proof: SignInProof,
): Promise<SessionResult> {
  await appendAuditEvent(trx, deps.clock, {
    actor: { type: 'user', id: proof.user.id },
    action: 'user.signed_in',
    subject: { type: 'user', id: proof.user.id },
    data: { method: proof.method },
  });
  return startSession(trx, deps, proof.user, proof.userAgent);
}

export type SessionsService = ReturnType<typeof createSessionsService>;

/** Builds the sessions service. */
export function createSessionsService(deps: SessionsDeps) {
  const passwords = deps.passwords ?? passwordHasher;
  const { db, clock } = deps;
  const k = db.kysely;

  return {
    /**
     * Password sign-in. Rate-limited per email and per client address before the password is
     * checked; the same answer for an unknown email and a wrong password.
     */
    async signInWithPassword(input: {
      email: string;
      password: string;
      ip: string;
      userAgent: string | null;
    }): Promise<SessionResult> {
      await hitRateLimits(k, clock, [
        { bucket: `sign-in:email:${input.email}`, limit: 10, windowSeconds: 900 },
        { bucket: `sign-in:ip:${input.ip}`, limit: 50, windowSeconds: 900 },
      ]);
      const user = await repo.findUserByEmail(k, input.email);
      const stored = user && !user.disabled_at ? await repo.findPasswordHash(k, user.id) : null;
      const ok = await passwords.verify(stored, input.password);
      if (!ok || !user || user.disabled_at) throw new UnauthenticatedError('The email or password is wrong.');
      return k.transaction().execute((trx) =>
        finishSignIn(trx, deps, { user, method: 'password', userAgent: input.userAgent }),
      );
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
      const principal = await loadPrincipal(k, session.user_id);
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
