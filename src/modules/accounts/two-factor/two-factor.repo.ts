/**
 * Data access for second factors and sign-in throttling: TOTP secrets, recovery codes, the
 * challenges between a sign-in's two steps, the addresses a user signed in from, and the failure
 * state per (account, address). Queries only.
 */
import type { DbReader, DbTransaction, DbWriter } from '../../../db/connection.js';

// TOTP

export function findTotp(db: DbReader, userId: string) {
  return db
    .selectFrom('user_totp')
    .select(['user_id', 'secret_enc', 'confirmed_at', 'last_used_step', 'created_at'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/** Stores a new, unconfirmed secret (replacing an earlier unconfirmed one). */
export async function upsertPendingTotp(
  db: DbTransaction,
  row: { user_id: string; secret_enc: string; created_at: string },
): Promise<void> {
  await db
    .insertInto('user_totp')
    .values({ ...row, confirmed_at: null, last_used_step: null })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet({
        secret_enc: row.secret_enc,
        created_at: row.created_at,
        confirmed_at: null,
        last_used_step: null,
      }),
    )
    .execute();
}

export async function confirmTotp(
  db: DbTransaction,
  userId: string,
  at: string,
  step: number,
): Promise<void> {
  await db
    .updateTable('user_totp')
    .set({ confirmed_at: at, last_used_step: step })
    .where('user_id', '=', userId)
    .execute();
}

/**
 * Marks `step` used, only if it is newer than the last used one (two requests with the same code:
 * one wins). True when this call marked it.
 */
export async function useTotpStep(db: DbTransaction, userId: string, step: number): Promise<boolean> {
  const r = await db
    .updateTable('user_totp')
    .set({ last_used_step: step })
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', step)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteTotp(db: DbTransaction, userId: string): Promise<number> {
  const r = await db.deleteFrom('user_totp').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

// Recovery codes

export async function replaceRecoveryCodes(
  db: DbTransaction,
  userId: string,
  rows: { id: string; code_hash: string; created_at: string }[],
): Promise<void> {
  await db.deleteFrom('user_recovery_codes').where('user_id', '=', userId).execute();
  if (rows.length === 0) return;
  await db
    .insertInto('user_recovery_codes')
    .values(rows.map((r) => ({ ...r, user_id: userId, used_at: null })))
    .execute();
}

export async function countUnusedRecoveryCodes(db: DbReader, userId: string): Promise<number> {
  const row = await db
    .selectFrom('user_recovery_codes')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Uses up the unused code with this hash; true when this call used it. */
export async function useRecoveryCode(
  db: DbTransaction,
  userId: string,
  codeHash: string,
  at: string,
): Promise<boolean> {
  const r = await db
    .updateTable('user_recovery_codes')
    .set({ used_at: at })
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// Challenges between the first and the second step

export async function insertChallenge(
  db: DbTransaction,
  row: {
    id_hash: string;
    user_id: string;
    first_method: string;
    attempts: number;
    created_at: string;
    expires_at: string;
  },
): Promise<void> {
  await db
    .insertInto('second_factor_challenges')
    .values({ ...row, used_at: null })
    .execute();
}

export function findChallenge(db: DbReader, idHash: string) {
  return db
    .selectFrom('second_factor_challenges')
    .select(['id_hash', 'user_id', 'first_method', 'attempts', 'expires_at', 'used_at'])
    .where('id_hash', '=', idHash)
    .executeTakeFirst();
}

/** Counts a wrong answer against the challenge; returns the attempts now. */
export async function countChallengeAttempt(db: DbWriter, idHash: string): Promise<number> {
  const row = await db
    .updateTable('second_factor_challenges')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id_hash', '=', idHash)
    .returning('attempts')
    .executeTakeFirst();
  return row?.attempts ?? 0;
}

/** Uses up the challenge; true when this call used it (a concurrent completion loses). */
export async function useChallenge(db: DbTransaction, idHash: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('second_factor_challenges')
    .set({ used_at: at })
    .where('id_hash', '=', idHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteStaleChallenges(db: DbWriter, before: string): Promise<number> {
  const r = await db
    .deleteFrom('second_factor_challenges')
    .where('expires_at', '<', before)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

// Known addresses and throttling

export async function isKnownAddress(db: DbReader, userId: string, addressHash: string): Promise<boolean> {
  const row = await db
    .selectFrom('sign_in_known_addresses')
    .select('user_id')
    .where('user_id', '=', userId)
    .where('address_hash', '=', addressHash)
    .executeTakeFirst();
  return row !== undefined;
}

export async function rememberAddress(
  db: DbTransaction,
  userId: string,
  addressHash: string,
  at: string,
): Promise<void> {
  await db
    .insertInto('sign_in_known_addresses')
    .values({ user_id: userId, address_hash: addressHash, last_success_at: at })
    .onConflict((oc) => oc.columns(['user_id', 'address_hash']).doUpdateSet({ last_success_at: at }))
    .execute();
}

export function findThrottle(db: DbReader, key: string) {
  return db
    .selectFrom('sign_in_throttles')
    .select(['key', 'failures', 'last_failure_at', 'slow_until'])
    .where('key', '=', key)
    .executeTakeFirst();
}

/** One more failure for the (account, address) pair. */
export async function recordThrottleFailure(db: DbWriter, key: string, at: string): Promise<void> {
  await db
    .insertInto('sign_in_throttles')
    .values({ key, failures: 1, last_failure_at: at, slow_until: null, updated_at: at })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet((eb) => ({
        failures: eb('sign_in_throttles.failures', '+', 1),
        last_failure_at: at,
        slow_until: null,
        updated_at: at,
      })),
    )
    .execute();
}

/**
 * Claims one attempt for the (account, address) pair before its password is checked: its failures
 * become `failures` (the count this attempt makes), if they still are `seen` (null: no row yet).
 * False when a concurrent attempt claimed first, so that requests in flight share the pair's
 * budget instead of each passing the check.
 */
export async function claimThrottleAttempt(
  db: DbWriter,
  key: string,
  seen: number | null,
  failures: number,
  at: string,
): Promise<boolean> {
  if (seen === null) {
    const r = await db
      .insertInto('sign_in_throttles')
      .values({ key, failures, last_failure_at: at, slow_until: null, updated_at: at })
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
  }
  const r = await db
    .updateTable('sign_in_throttles')
    .set({ failures, last_failure_at: at, slow_until: null, updated_at: at })
    .where('key', '=', key)
    .where('failures', '=', seen)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The pair may try again from `until` (the account-wide slow-down). */
export async function setThrottleSlowUntil(
  db: DbWriter,
  key: string,
  until: string,
  at: string,
): Promise<void> {
  await db
    .insertInto('sign_in_throttles')
    .values({ key, failures: 0, last_failure_at: null, slow_until: until, updated_at: at })
    .onConflict((oc) => oc.column('key').doUpdateSet({ slow_until: until, updated_at: at }))
    .execute();
}

export async function clearThrottle(db: DbWriter, key: string): Promise<void> {
  await db.deleteFrom('sign_in_throttles').where('key', '=', key).execute();
}

export async function deleteStaleThrottles(db: DbWriter, before: string): Promise<number> {
  const r = await db.deleteFrom('sign_in_throttles').where('updated_at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Adds one to a fixed-window counter in `rate_limits` and returns the count. */
export async function countInWindow(db: DbWriter, bucket: string, windowStart: string): Promise<number> {
  const row = await db
    .insertInto('rate_limits')
    .values({ bucket, window_start: windowStart, hits: 1 })
    .onConflict((oc) =>
      oc.columns(['bucket', 'window_start']).doUpdateSet((eb) => ({ hits: eb('rate_limits.hits', '+', 1) })),
    )
    .returning('hits')
    .executeTakeFirstOrThrow();
  return row.hits;
}

/** Takes back one count of a fixed-window counter (an attempt that was reserved and succeeded). */
export async function uncountInWindow(db: DbWriter, bucket: string, windowStart: string): Promise<void> {
  await db
    .updateTable('rate_limits')
    .set((eb) => ({ hits: eb('hits', '-', 1) }))
    .where('bucket', '=', bucket)
    .where('window_start', '=', windowStart)
    .where('hits', '>', 0)
    .execute();
}

/** A fixed-window counter's count (0 when none). */
export async function readWindow(db: DbReader, bucket: string, windowStart: string): Promise<number> {
  const row = await db
    .selectFrom('rate_limits')
    .select('hits')
    .where('bucket', '=', bucket)
    .where('window_start', '=', windowStart)
    .executeTakeFirst();
  return row?.hits ?? 0;
}

/** Whether any project the user is a member of, or any case they hold a role in, asks for two factors. */
export function listTwoFactorProjectsOfUser(db: DbReader, userId: string) {
  return db
    .selectFrom('projects')
    .select(['projects.id', 'projects.slug', 'projects.name'])
    .where('projects.require_two_factor', '=', 1)
    .where((eb) =>
      eb.or([
        eb(
          'projects.id',
          'in',
          eb
            .selectFrom('project_members')
            .select('project_members.project_id')
            .where('project_members.user_id', '=', userId),
        ),
        eb(
          'projects.id',
          'in',
          eb
            .selectFrom('case_members')
            .innerJoin('cases', 'cases.id', 'case_members.case_id')
            .select('cases.project_id')
            .where('case_members.user_id', '=', userId)
            .where('case_members.role', 'in', ['fix-team', 'collaborator'])
            .where('case_members.ended_at', 'is', null),
        ),
      ]),
    )
    .orderBy('projects.slug')
    .execute();
}

/** The session that confirmed a second factor now counts two (it proved both). */
export async function raiseSessionFactors(db: DbTransaction, idHash: string, userId: string): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ factors: 2 })
    .where('id_hash', '=', idHash)
    .where('user_id', '=', userId)
    .execute();
}
