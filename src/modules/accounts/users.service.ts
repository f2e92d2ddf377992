/**
 * Users: the admins' side (create, list, update, disable; the first admin of an empty instance)
 * and one's own password. A new user gets a one-time sign-in link, never a password.
 */
import { appendAuditEvent } from '../../audit/audit.log.js';
import { authorize, type Principal } from '../../authz/authz.policy.js';
import { actorOf } from '../../authz/access.js';
import type { Db } from '../../db/connection.js';
import type { Clock } from '../../lib/clock.js';
import { ConflictError, NotFoundError, UnauthenticatedError, ValidationError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import * as repo from './accounts.repo.js';
import { AVAILABILITY_MAX_DAYS_AHEAD, type UserDto } from './accounts.schemas.js';
import { passwordHasher, type PasswordHasher } from './password.js';
import { issueSignInLink } from './sign-in-links.service.js';
import { enqueueAccountSecurityMail } from './account-notify.js';
import { toUserDto } from './user-view.js';
import type { Keyring } from '../../lib/crypto/keyring.js';
import { cursorKey, keysetPage, lazyCursorCodec } from '../../lib/list-page.js';

export interface UsersDeps {
  db: Db;
  clock: Clock;
  /** Seals the list's cursors (the instance secret's key, created on first use). */
  cipher: Pick<Keyring, 'encryptField' | 'decryptField'>;
  publicUrl: string;
  /** How passwords are hashed: argon2id at OWASP's cost unless given. */
  passwords?: PasswordHasher | undefined;
}

export type UserPatch = {
  name?: string | undefined;
  isAdmin?: boolean | undefined;
  disabled?: boolean | undefined;
};

/** Refuses an admin's removing their own admin rights or disabling themselves (422). */
function refuseSelfLockout(principal: Principal, userId: string, patch: UserPatch): void {
  if (
    principal.kind === 'user' &&
    principal.userId === userId &&
    (patch.isAdmin === false || patch.disabled)
  ) {
    throw new ValidationError('You cannot remove your own admin rights or disable yourself.', [
      { path: patch.disabled ? 'disabled' : 'isAdmin', message: 'ask another admin to do this' },
    ]);
  }
}

/** When one is away, as given: ISO instants with any offset, either end open. */
export interface Availability {
  unavailableFrom: string | null;
  unavailableUntil: string | null;
}

/** The absence normalised to UTC instants; 422 naming the field when it ends before it starts or lies too far ahead. */
function checkAvailability(input: Availability, now: Date): Availability {
  const from = input.unavailableFrom === null ? null : new Date(input.unavailableFrom);
  const until = input.unavailableUntil === null ? null : new Date(input.unavailableUntil);
  const latest = now.getTime() + AVAILABILITY_MAX_DAYS_AHEAD * 86_400_000;
  const issues = [
    from && from.getTime() > latest && { path: 'unavailableFrom', message: 'is more than two years ahead' },
    until &&
      until.getTime() > latest && { path: 'unavailableUntil', message: 'is more than two years ahead' },
    from && until && until <= from && { path: 'unavailableUntil', message: 'must be after unavailableFrom' },
  ].filter((i): i is { path: string; message: string } => Boolean(i));
  if (issues.length > 0) throw new ValidationError('The absence does not make sense.', issues);
  return { unavailableFrom: from?.toISOString() ?? null, unavailableUntil: until?.toISOString() ?? null };
}

export type UsersService = ReturnType<typeof createUsersService>;

/** Builds the users service. */
export function createUsersService(deps: UsersDeps) {
  const passwords = deps.passwords ?? passwordHasher;
  const cursors = lazyCursorCodec(deps);
  const { db, clock } = deps;
  const k = db.kysely;
  const nowIso = () => clock.now().toISOString();

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
        const link = await issueSignInLink(trx, deps, id, actor);
        const user = await repo.findUserById(trx, id);
        if (!user) throw new Error('user vanished inside its own transaction');
        return { user: toUserDto(user), signInLink: link.url, expiresAt: link.expiresAt };
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

    /** Every user of the instance (admins, or the operator). */
    /** A page of the instance's users, by email. */
    async listUsers(
      principal: Principal,
      page: { cursor?: string | undefined; limit: number },
    ): Promise<{ users: UserDto[]; nextCursor: string | null }> {
      authorize(principal, 'instance.users.manage', { label: 'Users' });
      const codec = await cursors();
      const after = cursorKey(codec.decode('users', {}, page.cursor), ['string']);
      const { rows, nextCursor } = keysetPage(
        await repo.listUsers(k, after?.[0], page.limit + 1),
        page.limit,
        (last) => codec.encode('users', {}, [last.id]),
      );
      return { users: rows.map(toUserDto), nextCursor };
    },

    /** Renames, grants or removes admin rights, disables or enables a user; disabling ends their sessions. */
    async updateUser(principal: Principal, userId: string, patch: UserPatch): Promise<UserDto> {
      authorize(principal, 'instance.users.manage', { label: 'Users' });
      return k.transaction().execute(async (trx) => {
        const user = await repo.findUserById(trx, userId);
        if (!user) throw new NotFoundError(`User ${userId}`);
        refuseSelfLockout(principal, userId, patch);
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

    /** Changes the caller's own password, given the current one. */
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
        await enqueueAccountSecurityMail(trx, clock, {
          userId: principal.userId,
          change: 'password-changed',
        });
      });
    },

    /** The caller's own account, with their availability. */
    async getMe(principal: Principal): Promise<(UserDto & Availability) | undefined> {
      if (principal.kind !== 'user') return undefined;
      const user = await repo.findUserWithAvailability(k, principal.userId);
      if (!user) return undefined;
      return {
        ...toUserDto(user),
        unavailableFrom: user.unavailable_from,
        unavailableUntil: user.unavailable_until,
      };
    },

    /**
     * Sets when the caller is away (both null: available). The Fix Lead rotation skips a member
     * for the instants inside it (fix-lead.steps.ts).
     */
    async setAvailability(principal: Principal, input: Availability): Promise<Availability> {
      authorize(principal, 'self.manage');
      if (principal.kind !== 'user') throw new UnauthenticatedError();
      const away = checkAvailability(input, clock.now());
      await k.transaction().execute(async (trx) => {
        await repo.setAvailability(trx, principal.userId, {
          unavailable_from: away.unavailableFrom,
          unavailable_until: away.unavailableUntil,
          updated_at: nowIso(),
        });
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'user.availability_set',
          subject: { type: 'user', id: principal.userId },
          data: { unavailableFrom: away.unavailableFrom, unavailableUntil: away.unavailableUntil },
        });
      });
      return away;
    },

    /** The user with this email, if any (the CLI names users by email). */
    async findUserByEmail(email: string): Promise<UserDto | undefined> {
      const row = await repo.findUserByEmail(k, email);
      return row ? toUserDto(row) : undefined;
    },

    /** The user with this id, if any. */
    async getUser(userId: string): Promise<UserDto | undefined> {
      const row = await repo.findUserById(k, userId);
      return row ? toUserDto(row) : undefined;
    },
  };
}
