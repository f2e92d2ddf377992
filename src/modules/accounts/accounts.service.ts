/**
 * Accounts: users, password and link sign-in, server-side sessions, API tokens.
 * Every method authorizes first, then writes through the repository in one transaction with its
 * audit event. Secrets (session ids, tokens, links) are returned once and stored only as hashes.
 */
import { appendAuditEvent } from '../../audit/audit.log.js';
import type { Actor } from '../../audit/audit.events.js';
import { authorize, userPrincipal, type Principal } from '../../authz/authz.policy.js';
import type { Db } from '../../db/connection.js';
import type { Clock } from '../../lib/clock.js';
import { ConflictError, NotFoundError, UnauthenticatedError, ValidationError } from '../../lib/errors.js';
import { hashSecret, newId, newSecret } from '../../lib/ids.js';
import { hitRateLimits } from '../../lib/rate-limit.js';
import * as repo from './accounts.repo.js';
import type { UserDto } from './accounts.schemas.js';
import { passwordHasher, type PasswordHasher } from './password.js';

export interface AccountsDeps {
  db: Db;
  clock: Clock;
  publicUrl: string;
  /** How passwords are hashed: argon2id at OWASP's cost unless given. */
  passwords?: PasswordHasher | undefined;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const SESSION_ABSOLUTE_MS = 7 * DAY;
export const SESSION_IDLE_MS = 12 * HOUR;
export const SIGN_IN_LINK_MS = DAY;
/** last_seen_at is written at most this often, so reads stay reads. */
const TOUCH_EVERY_MS = 60_000;

export function toUserDto(row: repo.UserRow): UserDto {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    isAdmin: row.is_admin === 1,
    disabled: row.disabled_at !== null,
    createdAt: row.created_at,
  };
}

/** The audit actor for a principal. */
export function actorOf(principal: Principal): Actor {
  if (principal.kind === 'user') return { type: 'user', id: principal.userId };
  if (principal.kind === 'operator') return { type: 'operator', id: principal.name };
  return { type: 'system', id: 'anonymous' };
}

export interface SessionResult {
  /** The cookie value: shown to the client once, stored only hashed. */
  sessionToken: string;
  csrfToken: string;
  user: UserDto;
  expiresAt: string;
}

export type AccountsService = ReturnType<typeof createAccountsService>;

export function createAccountsService(deps: AccountsDeps) {
  const { db, clock } = deps;
  const k = db.kysely;
  const passwords = deps.passwords ?? passwordHasher;
  const nowIso = () => clock.now().toISOString();

  function signInLinkUrl(token: string): string {
    // The token travels in the fragment: browsers never send it to the server or in Referer.
    return `${deps.publicUrl}/sign-in/link#token=${token}`;
  }

  async function issueSignInLink(
    trx: repo.TxLike,
    userId: string,
    actor: Actor,
  ): Promise<{ url: string; expiresAt: string }> {
    const token = newSecret('sil');
    const expiresAt = new Date(clock.now().getTime() + SIGN_IN_LINK_MS).toISOString();
    await repo.insertSignInLink(trx, {
      id: newId(),
      user_id: userId,
      token_hash: hashSecret(token),
      created_at: nowIso(),
      expires_at: expiresAt,
    });
    await appendAuditEvent(trx, clock, {
      actor,
      action: 'user.sign_in_link_created',
      subject: { type: 'user', id: userId },
      data: { expiresAt },
    });
    return { url: signInLinkUrl(token), expiresAt };
  }

  async function startSession(
    trx: repo.TxLike,
    user: repo.UserRow,
    userAgent: string | null,
  ): Promise<SessionResult> {
    const sessionToken = newSecret('vss');
    const csrfToken = newSecret('csrf');
    const expiresAt = new Date(clock.now().getTime() + SESSION_ABSOLUTE_MS).toISOString();
    await repo.insertSession(trx, {
      id_hash: hashSecret(sessionToken),
      user_id: user.id,
      csrf_token: csrfToken,
      created_at: nowIso(),
      expires_at: expiresAt,
      user_agent: userAgent?.slice(0, 300) ?? null,
    });
    return { sessionToken, csrfToken, user: toUserDto(user), expiresAt };
  }

  return {
    /** Creates a user (admins, or the operator) and returns a one-time sign-in link: never a password. */
    async createUser(
      principal: Principal,
      input: { email: string; name: string; isAdmin: boolean },
    ): Promise<{ user: UserDto; signInLink: string; expiresAt: string }> {
      authorize(principal, 'instance.users.manage', { label: 'Users' });
      return k.transaction().execute(async (trx) => {
        if (await repo.findUserByEmail(trx, input.email)) {
          throw new ConflictError(`A user with the email ${input.email} already exists.`);
        }
        const id = newId();
        await repo.insertUser(trx, {
          id,
          email: input.email,
          name: input.name,
          is_admin: input.isAdmin ? 1 : 0,
          created_at: nowIso(),
        });
        const actor = actorOf(principal);
        await appendAuditEvent(trx, clock, {
          actor,
          action: 'user.created',
          subject: { type: 'user', id },
          data: { email: input.email, admin: input.isAdmin },
        });
        const link = await issueSignInLink(trx, id, actor);
        const user = await repo.findUserById(trx, id);
        if (!user) throw new Error('user vanished inside its own transaction');
        return { user: toUserDto(user), signInLink: link.url, expiresAt: link.expiresAt };
      });
    },

    /** A fresh one-time sign-in link for an existing user (lost password, first sign-in). */
    async createSignInLink(
      principal: Principal,
      userId: string,
    ): Promise<{ signInLink: string; expiresAt: string }> {
      authorize(principal, 'instance.users.manage', { label: 'Users' });
      return k.transaction().execute(async (trx) => {
        const user = await repo.findUserById(trx, userId);
        if (!user) throw new NotFoundError(`User ${userId}`);
        const link = await issueSignInLink(trx, user.id, actorOf(principal));
        return { signInLink: link.url, expiresAt: link.expiresAt };
      });
    },

    /** The first start of an empty instance creates its first admin; later starts do nothing. */
    async ensureFirstAdmin(
      operator: Principal,
      email: string,
    ): Promise<{ created: false } | { created: true; email: string; signInLink: string; expiresAt: string }> {
      if ((await repo.countUsers(k)) > 0) return { created: false };
      try {
        const r = await this.createUser(operator, { email, name: 'Administrator', isAdmin: true });
        return { created: true, email: r.user.email, signInLink: r.signInLink, expiresAt: r.expiresAt };
      } catch (err) {
        // Several instances starting on one empty database: one creates the admin, the rest
        // lose the race on the unique email and carry on.
        if ((await repo.countUsers(k)) > 0) return { created: false };
        throw err;
      }
    },

    async listUsers(principal: Principal): Promise<UserDto[]> {
      authorize(principal, 'instance.users.manage', { label: 'Users' });
      return (await repo.listUsers(k)).map(toUserDto);
    },

    async updateUser(
      principal: Principal,
      userId: string,
      patch: { name?: string | undefined; isAdmin?: boolean | undefined; disabled?: boolean | undefined },
    ): Promise<UserDto> {
      authorize(principal, 'instance.users.manage', { label: 'Users' });
      return k.transaction().execute(async (trx) => {
        const user = await repo.findUserById(trx, userId);
        if (!user) throw new NotFoundError(`User ${userId}`);
        if (
          principal.kind === 'user' &&
          principal.userId === userId &&
          (patch.isAdmin === false || patch.disabled)
        ) {
          throw new ValidationError('You cannot remove your own admin rights or disable yourself.', [
            { path: patch.disabled ? 'disabled' : 'isAdmin', message: 'ask another admin to do this' },
          ]);
        }
        const fields = Object.entries(patch)
          .filter(([, v]) => v !== undefined)
          .map(([f]) => f);
        await repo.updateUser(trx, userId, {
          ...(patch.name !== undefined && { name: patch.name }),
          ...(patch.isAdmin !== undefined && { is_admin: patch.isAdmin ? 1 : 0 }),
          ...(patch.disabled !== undefined && { disabled_at: patch.disabled ? nowIso() : null }),
          updated_at: nowIso(),
        });
        // A disabled account loses every session at once.
        if (patch.disabled) await repo.deleteUserSessions(trx, userId);
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'user.updated',
          subject: { type: 'user', id: userId },
          data: { fields },
        });
        const updated = await repo.findUserById(trx, userId);
        if (!updated) throw new NotFoundError(`User ${userId}`);
        return toUserDto(updated);
      });
    },

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
      return k.transaction().execute(async (trx) => {
        const session = await startSession(trx, user, input.userAgent);
        await appendAuditEvent(trx, clock, {
          actor: { type: 'user', id: user.id },
          action: 'user.signed_in',
          subject: { type: 'user', id: user.id },
          data: { method: 'password' },
        });
        return session;
      });
    },

    /** Redeems a one-time sign-in link: sets the password and starts a session. */
    async redeemSignInLink(input: {
      token: string;
      password: string;
      ip: string;
      userAgent: string | null;
    }): Promise<SessionResult> {
      await hitRateLimits(k, clock, [
        { bucket: `sign-in-link:ip:${input.ip}`, limit: 30, windowSeconds: 900 },
      ]);
      const passwordHash = await passwords.hash(input.password);
      return k.transaction().execute(async (trx) => {
        const link = await repo.findSignInLink(trx, hashSecret(input.token));
        const now = nowIso();
        if (!link || link.used_at || link.expires_at <= now) {
          throw new NotFoundError('This sign-in link (it may have been used or have expired)');
        }
        const user = await repo.findUserById(trx, link.user_id);
        if (!user || user.disabled_at) throw new NotFoundError('This sign-in link');
        if (!(await repo.markSignInLinkUsed(trx, link.id, now))) throw new NotFoundError('This sign-in link');
        await repo.updateUser(trx, user.id, { password_hash: passwordHash, updated_at: now });
        const actor: Actor = { type: 'user', id: user.id };
        await appendAuditEvent(trx, clock, {
          actor,
          action: 'user.password_set',
          subject: { type: 'user', id: user.id },
          data: {},
        });
        await appendAuditEvent(trx, clock, {
          actor,
          action: 'user.signed_in',
          subject: { type: 'user', id: user.id },
          data: { method: 'link' },
        });
        return startSession(trx, user, input.userAgent);
      });
    },

    async changePassword(
      principal: Principal,
      input: { currentPassword: string; newPassword: string },
    ): Promise<void> {
      authorize(principal, 'self.manage');
      if (principal.kind !== 'user') throw new UnauthenticatedError();
      const ok = await passwords.verify(
        await repo.findPasswordHash(k, principal.userId),
        input.currentPassword,
      );
      if (!ok) {
        throw new ValidationError('The current password is wrong.', [
          { path: 'currentPassword', message: 'is wrong' },
        ]);
      }
      const passwordHash = await passwords.hash(input.newPassword);
      await k.transaction().execute(async (trx) => {
        await repo.updateUser(trx, principal.userId, { password_hash: passwordHash, updated_at: nowIso() });
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'user.password_set',
          subject: { type: 'user', id: principal.userId },
          data: {},
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
      const principal = await loadPrincipal(session.user_id);
      if (!principal) return undefined;
      if (Date.parse(session.last_seen_at) + TOUCH_EVERY_MS <= now)
        await repo.touchSession(k, idHash, nowIso());
      return { principal, csrfToken: session.csrf_token, idHash };
    },

    /** Resolves a bearer API token; revoked, expired or disabled-owner tokens resolve to nothing. */
    async resolveApiToken(token: string): Promise<Principal | undefined> {
      const row = await repo.findApiTokenByHash(k, hashSecret(token));
      if (!row || row.revoked_at) return undefined;
      const now = clock.now();
      if (row.expires_at && Date.parse(row.expires_at) <= now.getTime()) return undefined;
      const principal = await loadPrincipal(row.user_id);
      if (!principal) return undefined;
      if (!row.last_used_at || Date.parse(row.last_used_at) + TOUCH_EVERY_MS <= now.getTime()) {
        await repo.updateApiToken(k, row.id, { last_used_at: now.toISOString() });
      }
      return principal;
    },

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

    /** Creates an API token for `userId` (oneself, or anyone for the operator); shown once. */
    async createApiToken(
      principal: Principal,
      input: { userId: string; name: string; expiresInDays: number },
    ) {
      if (principal.kind === 'user' && principal.userId === input.userId) authorize(principal, 'self.manage');
      else authorize(principal, 'instance.users.manage', { label: 'Users' });
      return k.transaction().execute(async (trx) => {
        const user = await repo.findUserById(trx, input.userId);
        if (!user || user.disabled_at) throw new NotFoundError(`User ${input.userId}`);
        const token = newSecret('vgl');
        const id = newId();
        const createdAt = nowIso();
        const expiresAt = new Date(clock.now().getTime() + input.expiresInDays * DAY).toISOString();
        const prefix = token.slice(0, 12);
        await repo.insertApiToken(trx, {
          id,
          user_id: user.id,
          name: input.name,
          token_hash: hashSecret(token),
          token_prefix: prefix,
          created_at: createdAt,
          expires_at: expiresAt,
        });
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'token.created',
          subject: { type: 'api_token', id },
          data: { tokenId: id, name: input.name, expiresAt },
        });
        return { token, id, name: input.name, prefix, createdAt, expiresAt };
      });
    },

    async listApiTokens(principal: Principal) {
      authorize(principal, 'self.manage');
      if (principal.kind !== 'user') throw new UnauthenticatedError();
      const rows = await repo.listApiTokens(k, principal.userId);
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        prefix: r.token_prefix,
        createdAt: r.created_at,
        expiresAt: r.expires_at,
        lastUsedAt: r.last_used_at,
        revokedAt: r.revoked_at,
      }));
    },

    async revokeApiToken(principal: Principal, tokenId: string): Promise<void> {
      authorize(principal, 'self.manage');
      if (principal.kind !== 'user') throw new UnauthenticatedError();
      await k.transaction().execute(async (trx) => {
        const row = await repo.findApiToken(trx, principal.userId, tokenId);
        if (!row) throw new NotFoundError(`API token ${tokenId}`);
        if (row.revoked_at) return;
        await repo.updateApiToken(trx, tokenId, { revoked_at: nowIso() });
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'token.revoked',
          subject: { type: 'api_token', id: tokenId },
          data: { tokenId },
        });
      });
    },

    async findUserByEmail(email: string): Promise<UserDto | undefined> {
      const row = await repo.findUserByEmail(k, email);
      return row ? toUserDto(row) : undefined;
    },

    async getUser(userId: string): Promise<UserDto | undefined> {
      const row = await repo.findUserById(k, userId);
      return row ? toUserDto(row) : undefined;
    },
  };

  async function loadPrincipal(userId: string): Promise<Principal | undefined> {
    const user = await repo.findUserById(k, userId);
    if (!user || user.disabled_at) return undefined;
    const memberships = await repo.listMemberships(k, userId);
    return userPrincipal({ id: user.id, email: user.email, isAdmin: user.is_admin === 1 }, memberships);
  }
}
