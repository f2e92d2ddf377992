/** Data access for passkeys and their ceremonies' challenges. Queries only: no decisions. */
import type { DbReader, DbTransaction, DbWriter } from '../../../db/connection.js';
import type { PasskeyChallengesTable, PasskeysTable } from '../../../db/schema.js';

export type PasskeyRow = PasskeysTable;
export type PasskeyChallengeRow = PasskeyChallengesTable;

const PASSKEY_COLUMNS = [
  'id',
  'user_id',
  'credential_id',
  'public_key',
  'counter',
  'transports_json',
  'device_type',
  'backed_up',
  'name',
  'created_at',
  'last_used_at',
] as const;

export async function insertPasskey(db: DbTransaction, row: PasskeyRow): Promise<void> {
  await db.insertInto('passkeys').values(row).execute();
}

/** A user's passkeys, oldest first. */
export function listUserPasskeys(db: DbReader, userId: string): Promise<PasskeyRow[]> {
  return db
    .selectFrom('passkeys')
    .select(PASSKEY_COLUMNS)
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Whether the user has at least one passkey. */
export async function userHasPasskey(db: DbReader, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('passkeys')
    .select('id')
    .where('user_id', '=', userId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export function findPasskeyByCredentialId(
  db: DbReader,
  credentialId: string,
): Promise<PasskeyRow | undefined> {
  return db
    .selectFrom('passkeys')
    .select(PASSKEY_COLUMNS)
    .where('credential_id', '=', credentialId)
    .executeTakeFirst();
}

/** Deletes one of the user's passkeys; whether there was one. */
export async function deletePasskey(db: DbTransaction, userId: string, id: string): Promise<boolean> {
  const r = await db
    .deleteFrom('passkeys')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/**
 * Records a use: the new counter and the time, only if the counter is still the one the verification
 * was made against (two uses racing: the second finds it moved). Whether it was recorded.
 */
export async function recordPasskeyUse(
  db: DbTransaction,
  id: string,
  expectedCounter: number,
  patch: { counter: number; backed_up: number; last_used_at: string },
): Promise<boolean> {
  const r = await db
    .updateTable('passkeys')
    .set(patch)
    .where('id', '=', id)
    .where('counter', '=', expectedCounter)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function insertChallenge(db: DbTransaction, row: PasskeyChallengeRow): Promise<void> {
  await db.insertInto('passkey_challenges').values(row).execute();
}

/** Deletes the challenges that expired before `now` (bounded growth). */
export async function deleteExpiredChallenges(db: DbWriter, now: string): Promise<void> {
  await db.deleteFrom('passkey_challenges').where('expires_at', '<=', now).execute();
}

/** Takes a challenge (single use): deletes it and answers it, or undefined if there was none. */
export async function takeChallenge(
  db: DbTransaction,
  challengeHash: string,
): Promise<PasskeyChallengeRow | undefined> {
  const row = await db
    .selectFrom('passkey_challenges')
    .select(['challenge_hash', 'purpose', 'user_id', 'second_factor_hash', 'created_at', 'expires_at'])
    .where('challenge_hash', '=', challengeHash)
    .executeTakeFirst();
  if (!row) return undefined;
  const r = await db
    .deleteFrom('passkey_challenges')
    .where('challenge_hash', '=', challengeHash)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0 ? row : undefined;
}
