/** Data access for OpenID Connect sign-in: the started sign-ins (states) and the linked identities. Queries only. */
import type { DbReader, DbTransaction, DbWriter } from '../../../db/connection.js';
import type { OidcIdentitiesTable, OidcStatesTable } from '../../../db/schema.js';

export type OidcStateRow = OidcStatesTable;
export type OidcIdentityRow = OidcIdentitiesTable;

export async function insertState(db: DbWriter, row: OidcStateRow): Promise<void> {
  await db.insertInto('oidc_states').values(row).execute();
}

export function findState(db: DbReader, stateHash: string): Promise<OidcStateRow | undefined> {
  return db
    .selectFrom('oidc_states')
    .select([
      'state_hash',
      'browser_hash',
      'code_verifier_enc',
      'nonce',
      'return_to',
      'created_at',
      'expires_at',
    ])
    .where('state_hash', '=', stateHash)
    .executeTakeFirst();
}

/** Deletes a state; whether this call deleted it (only one caller can: single use). */
export async function deleteState(db: DbTransaction, stateHash: string): Promise<boolean> {
  const r = await db.deleteFrom('oidc_states').where('state_hash', '=', stateHash).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/** Deletes the states that expired before `now`. */
export async function deleteExpiredStates(db: DbWriter, now: string): Promise<number> {
  const r = await db.deleteFrom('oidc_states').where('expires_at', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export function findIdentity(
  db: DbReader,
  issuer: string,
  subject: string,
): Promise<OidcIdentityRow | undefined> {
  return db
    .selectFrom('oidc_identities')
    .select(['id', 'user_id', 'issuer', 'subject', 'email', 'created_at', 'last_used_at'])
    .where('issuer', '=', issuer)
    .where('subject', '=', subject)
    .executeTakeFirst();
}

/** Links a provider's account; false when a concurrent sign-in linked the same (issuer, subject) first. */
export async function insertIdentity(db: DbTransaction, row: OidcIdentityRow): Promise<boolean> {
  const r = await db
    .insertInto('oidc_identities')
    .values(row)
    .onConflict((oc) => oc.columns(['issuer', 'subject']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function touchIdentity(db: DbTransaction, id: string, at: string): Promise<void> {
  await db.updateTable('oidc_identities').set({ last_used_at: at }).where('id', '=', id).execute();
}
