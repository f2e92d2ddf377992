/**
 * Instance-wide random secrets kept in the database (encrypted at rest), so that every instance on
 * one database shares them and a master-key rotation re-encrypts rather than changes them.
 */
import { randomBytes } from 'node:crypto';
import type { Db, DbWriter } from '../db/connection.js';
import type { Clock } from './clock.js';
import { fieldAad } from './crypto/encrypted-fields.js';
import type { Keyring } from './crypto/keyring.js';

type SecretCipher = Pick<Keyring, 'encryptField' | 'decryptField'>;

/** The 32-byte secret named `name`, created on first use (race-safe: the first insert wins). */
export function instanceSecret(db: Db, cipher: SecretCipher, clock: Clock, name: string): Promise<Buffer> {
  return instanceSecretIn(db.kysely, cipher, clock.now().toISOString(), name);
}

/** The same on a given connection or transaction (a migration's), `now` as the creation time. */
export async function instanceSecretIn(
  db: DbWriter,
  cipher: SecretCipher,
  now: string,
  name: string,
): Promise<Buffer> {
  const aad = fieldAad('instance_secrets', 'value_enc', name);
  const fresh = randomBytes(32).toString('base64');
  await db
    .insertInto('instance_secrets')
    .values({ name, value_enc: cipher.encryptField(fresh, aad), created_at: now })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db
    .selectFrom('instance_secrets')
    .select('value_enc')
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return Buffer.from(cipher.decryptField(row.value_enc, aad), 'base64');
}

/**
 * `name`'s secret, read (or created) once per caller and kept: an instance secret never changes (a
 * master-key rotation re-encrypts it without changing it). A failed first read (the database away)
 * is tried again at the next call.
 */
export function instanceSecretOnce(
  deps: { db: Db; cipher: SecretCipher; clock: Clock },
  name: string,
): () => Promise<Buffer> {
  let key: Promise<Buffer> | undefined;
  return () => {
    if (key === undefined) {
      const made = instanceSecret(deps.db, deps.cipher, deps.clock, name);
      made.catch(() => {
        if (key === made) key = undefined;
      });
      key = made;
    }
    return key;
  };
}
