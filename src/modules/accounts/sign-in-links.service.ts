/**
 * One-time sign-in links: an admin (or the operator) issues one for a new user or a lost password;
 * redeeming it sets the password and starts a session. The token travels in the URL fragment and is
 * stored only as its hash.
 */
import { appendAuditEvent } from '../../audit/audit.log.js';
import type { Actor } from '../../audit/audit.events.js';
import { authorize, type Principal } from '../../authz/authz.policy.js';
import { actorOf } from '../../authz/access.js';
import type { Db, DbTransaction } from '../../db/connection.js';
import type { Clock } from '../../lib/clock.js';
import { NotFoundError } from '../../lib/errors.js';
import { hashSecret, newId, newSecret } from '../../lib/ids.js';
import { hitRateLimits } from '../../lib/rate-limit.js';
import { addressBucket } from '../../lib/client-address.js';
import * as repo from './accounts.repo.js';
import { enqueueAccountSecurityMail } from './account-notify.js';
import { passwordHasher, type PasswordHasher } from './password.js';
import { finishSignIn, type SignInResult } from './sessions.service.js';

export interface SignInLinksDeps {
  db: Db;
  clock: Clock;
  publicUrl: string;
  /** How passwords are hashed: argon2id at OWASP's cost unless given. */
  passwords?: PasswordHasher | undefined;
}

export const SIGN_IN_LINK_MS = 24 * 3_600_000;

/**
 * Issues a one-time sign-in link for `userId` in the caller's transaction, with its audit event
 * (also used when a user is created); the user's older unused links end (`replaced` counts them).
 */
export async function issueSignInLink(
  trx: DbTransaction,
  deps: Pick<SignInLinksDeps, 'clock' | 'publicUrl'>,
  userId: string,
  actor: Actor,
): Promise<{ url: string; expiresAt: string }> {
  const token = newSecret('sil');
  const now = deps.clock.now().toISOString();
  const expiresAt = new Date(deps.clock.now().getTime() + SIGN_IN_LINK_MS).toISOString();
  // Only the newest link works: one mailed earlier (to a mailbox someone else may read by now) ends.
  const replaced = await repo.endUnusedSignInLinks(trx, userId, now);
  await repo.insertSignInLink(trx, {
    id: newId(),
    user_id: userId,
    token_hash: hashSecret(token),
    created_at: now,
    expires_at: expiresAt,
  });
  await appendAuditEvent(trx, deps.clock, {
    actor,
    action: 'user.sign_in_link_created',
    subject: { type: 'user', id: userId },
    data: { expiresAt, replaced },
  });
  // The token travels in the fragment: browsers never send it to the server or in Referer.
  return { url: `${deps.publicUrl}/sign-in/link#token=${token}`, expiresAt };
}

/**
 * Uses up the link whose token hashes to `tokenHash`: the user it signs in, or 404 for a link that
 * is unknown, used, expired or whose user is disabled (a concurrent redeem loses on the mark).
 */
async function useSignInLink(trx: DbTransaction, tokenHash: string, now: string): Promise<repo.UserRow> {
  const link = await repo.findSignInLink(trx, tokenHash);
  if (!link || link.used_at || link.expires_at <= now) {
    throw new NotFoundError('This sign-in link (it may have been used or have expired)');
  }
  const user = await repo.findUserById(trx, link.user_id);
  if (!user || user.disabled_at) throw new NotFoundError('This sign-in link');
  if (!(await repo.markSignInLinkUsed(trx, link.id, now))) throw new NotFoundError('This sign-in link');
  return user;
}

export type SignInLinksService = ReturnType<typeof createSignInLinksService>;

/** Builds the sign-in links service. */
export function createSignInLinksService(deps: SignInLinksDeps) {
  const passwords = deps.passwords ?? passwordHasher;
  const { db, clock } = deps;
  const k = db.kysely;

  return {
    /** A fresh one-time sign-in link for an existing user (lost password, first sign-in). */
    async createSignInLink(
      principal: Principal,
      userId: string,
    ): Promise<{ signInLink: string; expiresAt: string }> {
      authorize(principal, 'instance.users.manage', { label: 'Users' });
      return k.transaction().execute(async (trx) => {
        const user = await repo.findUserById(trx, userId);
        if (!user) throw new NotFoundError(`User ${userId}`);
        const link = await issueSignInLink(trx, deps, user.id, actorOf(principal));
        return { signInLink: link.url, expiresAt: link.expiresAt };
      });
    },

    /**
     * Redeems a one-time sign-in link: sets the password and starts a session, or, when the person
     * has a second factor, a second-factor challenge (a link alone never passes two-factor sign-in).
     */
    async redeemSignInLink(input: {
      token: string;
      password: string;
      ip: string;
      userAgent: string | null;
    }): Promise<SignInResult> {
      await hitRateLimits(k, clock, [
        { bucket: addressBucket('sign-in-link', input.ip), limit: 30, windowSeconds: 900 },
      ]);
      // Hashed before the transaction: nothing slow between BEGIN and COMMIT.
      const passwordHash = await passwords.hash(input.password);
      return k.transaction().execute(async (trx) => {
        const now = clock.now().toISOString();
        const user = await useSignInLink(trx, hashSecret(input.token), now);
        await repo.updateUser(trx, user.id, { password_hash: passwordHash, updated_at: now });
        const actor: Actor = { type: 'user', id: user.id };
        await appendAuditEvent(trx, clock, {
          actor,
          action: 'user.password_set',
          subject: { type: 'user', id: user.id },
          data: {},
        });
        await enqueueAccountSecurityMail(trx, clock, { userId: user.id, change: 'password-set-by-link' });
        return finishSignIn(trx, deps, { user, method: 'link', userAgent: input.userAgent });
      });
    },
  };
}
