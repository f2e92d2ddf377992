/** Data access for users, sessions, API tokens and sign-in links. Queries only: no decisions. */
import type { DbReader, DbTransaction, DbWriter } from '../../db/connection.js';
import type { ApiTokensTable } from '../../db/schema.js';
import { FIX_OPEN_STATES } from '../cases/case-transitions.js';

const USER_COLUMNS = ['id', 'email', 'name', 'is_admin', 'disabled_at', 'created_at', 'updated_at'] as const;

export interface UserRow {
  id: string;
  email: string;
  name: string;
  is_admin: number;
  disabled_at: string | null;
  created_at: string;
  updated_at: string;
}

export function findUserById(db: DbReader, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').select(USER_COLUMNS).where('id', '=', id).executeTakeFirst();
}

export function findUserByEmail(db: DbReader, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').select(USER_COLUMNS).where('email', '=', email).executeTakeFirst();
}

/** Users by id with their names (a Fix Lead, a retrospective's participants): one query for a whole list. */
export function listUsersByIds(
  db: DbReader,
  ids: readonly string[],
): Promise<{ id: string; name: string; email: string }[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('users')
    .select(['id', 'name', 'email'])
    .where('id', 'in', [...ids])
    .execute();
}

export function findPasswordHash(db: DbReader, userId: string): Promise<string | null> {
  return db
    .selectFrom('users')
    .select('password_hash')
    .where('id', '=', userId)
    .executeTakeFirst()
    .then((r) => r?.password_hash ?? null);
}

/**
 * A page of the instance's users by email (unique): those after the user `afterId`'s email (the
 * cursor names the user, so no address travels in a URL), through the email's unique index.
 */
export function listUsers(db: DbReader, afterId: string | undefined, limit: number): Promise<UserRow[]> {
  return db
    .selectFrom('users')
    .select(USER_COLUMNS)
    .$if(afterId !== undefined, (qb) =>
      qb.where((eb) =>
        eb(
          'email',
          '>',
          eb
            .selectFrom('users as after')
            .select('after.email')
            .where('after.id', '=', afterId ?? ''),
        ),
      ),
    )
    .orderBy('email')
    .limit(limit)
    .execute();
}

export async function countUsers(db: DbReader): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertUser(
  db: DbTransaction,
  row: { id: string; email: string; name: string; is_admin: number; created_at: string },
): Promise<void> {
  await db
    .insertInto('users')
    .values({ ...row, password_hash: null, updated_at: row.created_at, disabled_at: null })
    .execute();
}

export async function updateUser(
  db: DbTransaction,
  id: string,
  patch: {
    name?: string;
    is_admin?: number;
    disabled_at?: string | null;
    password_hash?: string;
    updated_at: string;
  },
): Promise<void> {
  await db.updateTable('users').set(patch).where('id', '=', id).execute();
}

/** A user with when they are away (the account page): one read of the row. */
export function findUserWithAvailability(
  db: DbReader,
  userId: string,
): Promise<(UserRow & { unavailable_from: string | null; unavailable_until: string | null }) | undefined> {
  return db
    .selectFrom('users')
    .select([...USER_COLUMNS, 'unavailable_from', 'unavailable_until'])
    .where('id', '=', userId)
    .executeTakeFirst();
}

export async function setAvailability(
  db: DbTransaction,
  userId: string,
  availability: { unavailable_from: string | null; unavailable_until: string | null; updated_at: string },
): Promise<void> {
  await db.updateTable('users').set(availability).where('id', '=', userId).execute();
}

/**
 * The user's project roles, each with whether the project's policy asks its team for two factors
 * (`loadPrincipal` drops such a role from a one-factor session).
 */
export async function listMemberships(
  db: DbReader,
  userId: string,
): Promise<{ projectId: string; role: string; requiresTwoFactor: boolean }[]> {
  const rows = await db
    .selectFrom('project_members')
    .innerJoin('projects', 'projects.id', 'project_members.project_id')
    .select([
      'project_members.project_id as projectId',
      'project_members.role',
      'projects.require_two_factor',
    ])
    .where('project_members.user_id', '=', userId)
    .execute();
  return rows.map((r) => ({
    projectId: r.projectId,
    role: r.role,
    requiresTwoFactor: Number(r.require_two_factor) === 1,
  }));
}

/**
 * The cases `userId` was invited to and whose terms they accepted: their role while access lasts,
 * `former-member` once it ended (they may still read and add to the retrospective); each with
 * whether the case's project asks for two factors.
 */
export async function listCaseMemberships(
  db: DbReader,
  userId: string,
): Promise<{ caseId: string; role: string; requiresTwoFactor: boolean }[]> {
  const rows = await db
    .selectFrom('case_members')
    .innerJoin('cases', 'cases.id', 'case_members.case_id')
    .innerJoin('projects', 'projects.id', 'cases.project_id')
    .select([
      'case_members.case_id',
      'case_members.role',
      'case_members.ended_at',
      'projects.require_two_factor',
    ])
    .where('case_members.user_id', '=', userId)
    .where('case_members.terms_accepted_at', 'is not', null)
    .execute();
  const shared = await db
    .selectFrom('case_distributor_shares as s')
    .innerJoin('distributor_people as p', 'p.org_id', 's.org_id')
    .innerJoin('distributor_orgs as o', 'o.id', 's.org_id')
    .innerJoin('cases as c', 'c.id', 's.case_id')
    .select(['s.case_id'])
    .where('p.user_id', '=', userId)
    .where('p.state', '=', 'active')
    .where('p.embargo_accepted_at', 'is not', null)
    .where('o.state', '=', 'active')
    .where('c.state', 'in', [...FIX_OPEN_STATES])
    .execute();
  return [
    ...rows.map((r) => ({
      caseId: r.case_id,
      role: r.ended_at ? 'former-member' : r.role,
      requiresTwoFactor: Number(r.require_two_factor) === 1,
    })),
    ...shared.map((r) => ({ caseId: r.case_id, role: 'distributor', requiresTwoFactor: false })),
  ];
}

// Sessions

export async function insertSession(
  db: DbTransaction,
  row: {
    id_hash: string;
    user_id: string;
    csrf_token: string;
    created_at: string;
    expires_at: string;
    user_agent: string | null;
    factors: number;
  },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({ ...row, last_seen_at: row.created_at })
    .execute();
}

export function findSession(db: DbReader, idHash: string) {
  return db
    .selectFrom('sessions')
    .select(['id_hash', 'user_id', 'csrf_token', 'last_seen_at', 'expires_at', 'factors'])
    .where('id_hash', '=', idHash)
    .executeTakeFirst();
}

export async function touchSession(db: DbWriter, idHash: string, at: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('id_hash', '=', idHash).execute();
}

export async function deleteSession(db: DbWriter, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

export async function deleteUserSessions(db: DbTransaction, userId: string): Promise<number> {
  const r = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function deleteExpiredSessions(db: DbWriter, now: string): Promise<number> {
  const r = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}

// API tokens

const TOKEN_COLUMNS = [
  'id',
  'user_id',
  'name',
  'token_prefix',
  'created_at',
  'expires_at',
  'last_used_at',
  'revoked_at',
  'factors',
] as const;

export async function insertApiToken(
  db: DbTransaction,
  row: Omit<ApiTokensTable, 'last_used_at' | 'revoked_at' | 'factors'> & {
    expires_at: string;
    factors: number;
  },
): Promise<void> {
  await db
    .insertInto('api_tokens')
    .values({ ...row, last_used_at: null, revoked_at: null })
    .execute();
}

export function findApiTokenByHash(db: DbReader, tokenHash: string) {
  return db
    .selectFrom('api_tokens')
    .select(TOKEN_COLUMNS)
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export function listApiTokens(db: DbReader, userId: string) {
  return db
    .selectFrom('api_tokens')
    .select(TOKEN_COLUMNS)
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .execute();
}

export function findApiToken(db: DbReader, userId: string, id: string) {
  return db
    .selectFrom('api_tokens')
    .select(TOKEN_COLUMNS)
    .where('user_id', '=', userId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function updateApiToken(
  db: DbWriter,
  id: string,
  patch: { last_used_at?: string; revoked_at?: string },
): Promise<void> {
  await db.updateTable('api_tokens').set(patch).where('id', '=', id).execute();
}

// Sign-in links

export async function insertSignInLink(
  db: DbTransaction,
  row: { id: string; user_id: string; token_hash: string; created_at: string; expires_at: string },
): Promise<void> {
  await db
    .insertInto('sign_in_links')
    .values({ ...row, used_at: null })
    .execute();
}

export function findSignInLink(db: DbReader, tokenHash: string) {
  return db
    .selectFrom('sign_in_links')
    .select(['id', 'user_id', 'expires_at', 'used_at'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/** Ends every unused, unexpired link of `userId` (a newer one replaces them); how many it ended. */
export async function endUnusedSignInLinks(db: DbTransaction, userId: string, at: string): Promise<number> {
  const r = await db
    .updateTable('sign_in_links')
    .set({ used_at: at })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .where('expires_at', '>', at)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Marks a link used, only if it is still unused; returns false when another request won the race. */
export async function markSignInLinkUsed(db: DbTransaction, id: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('sign_in_links')
    .set({ used_at: at })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
