/**
 * A stored user as the rest of the instance sees it: the API's `UserDto`, and the principal that a
 * session or an API token of theirs stands for. Shared by the accounts services.
 */
import { userPrincipal, type Principal } from '../../authz/authz.policy.js';
import type { DbReader } from '../../db/connection.js';
import * as repo from './accounts.repo.js';
import type { UserDto } from './accounts.schemas.js';

/** A session's last_seen_at and a token's last_used_at are written at most this often, so reads stay reads. */
export const LAST_USE_WRITE_EVERY_MS = 60_000;

/** What the API shows of a user row. */
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

/**
 * Case roles that a project's `access.requireTwoFactor` holds back from a one-factor sign-in: the
 * team's own people. Reporters, distributors and former members are not affected.
 */
const TWO_FACTOR_CASE_ROLES: ReadonlySet<string> = new Set(['fix-team', 'collaborator']);

/**
 * The principal a credential of `userId` stands for, with their project roles; none for an
 * unknown or disabled user (a disabled account's sessions and tokens stop working at once).
 * With one factor, a role on a project whose policy requires two (the security team, and the
 * Fix Team and collaborator roles on its cases) is left out: the project answers as to anyone.
 */
export async function loadPrincipal(
  db: DbReader,
  userId: string,
  { factors = 1 }: { factors?: number } = {},
): Promise<Principal | undefined> {
  const user = await repo.findUserById(db, userId);
  if (!user || user.disabled_at) return undefined;
  const [memberships, caseMemberships] = await Promise.all([
    repo.listMemberships(db, userId),
    repo.listCaseMemberships(db, userId),
  ]);
  const strong = factors >= 2;
  return userPrincipal(
    { id: user.id, email: user.email, isAdmin: user.is_admin === 1 },
    memberships.filter((m) => strong || !m.requiresTwoFactor),
    caseMemberships.filter((m) => strong || !m.requiresTwoFactor || !TWO_FACTOR_CASE_ROLES.has(m.role)),
    strong ? 2 : 1,
  );
}
