/**
 * Instance-wide random secrets kept in the database (encrypted at rest), so that every instance on
 * one database shares them and a master-key rotation re-encrypts rather than changes them.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/connection.js';
import type { Clock } from './clock.js';
import { fieldAad } from './crypto/encrypted-fields.js';
import type { Keyring } from './crypto/keyring.js';

/** The 32-byte secret named `name`, created on first use (race-safe: the first insert wins). */
export async function instanceSecret(
  db: Db,
  cipher: Pick<Keyring, 'encryptField' | 'decryptField'>,
  clock: Clock,
  name: string,
): Promise<Buffer> {
  const aad = fieldAad('instance_secrets', 'value_enc', name);
  const fresh = randomBytes(32).toString('base64');
  await db.kysely
    .insertInto('instance_secrets')
    .values({ name, value_enc: cipher.encryptField(fresh, aad), created_at: clock.now().toISOString() })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db.kysely
    .selectFrom('instance_secrets')
    .select('value_enc')
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return Buffer.from(cipher.decryptField(row.value_enc, aad), 'base64');
}
