import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from '../connection.js';

/**
 * WebAuthn passkeys (issue 11, item 4): each user's registered credentials (the credential id as the
 * authenticator gave it, its public key, which is not a secret, and its signature counter), and the
 * challenges of ceremonies under way, kept in the database (several instances share them) and only
 * as their SHA-256 hashes, five minutes, single use.
 */
export function passkeys(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('passkeys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        // base64url, as the authenticator gave it; unique across the instance.
        .addColumn('credential_id', 'text', (c) => c.notNull().unique())
        // base64url of the COSE public key.
        .addColumn('public_key', 'text', (c) => c.notNull())
        .addColumn('counter', dialect === 'postgres' ? 'bigint' : 'integer', (c) => c.notNull())
        // JSON array of transports (usb, nfc, ble, internal, hybrid...).
        .addColumn('transports_json', 'text', (c) => c.notNull())
        // singleDevice | multiDevice
        .addColumn('device_type', 'text', (c) => c.notNull())
        .addColumn('backed_up', 'integer', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text')
        .execute();
      await db.schema.createIndex('passkeys_user_idx').on('passkeys').column('user_id').execute();

      await db.schema
        .createTable('passkey_challenges')
        // SHA-256 (hex) of the base64url challenge the client signs.
        .addColumn('challenge_hash', 'text', (c) => c.primaryKey())
        // register | sign-in | second-factor
        .addColumn('purpose', 'text', (c) => c.notNull())
        // The user registering, or the user of a second-factor challenge; null for a passwordless sign-in.
        .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
        // The second-factor sign-in challenge (hashed) this passkey ceremony completes.
        .addColumn('second_factor_hash', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('passkey_challenges_expiry_idx')
        .on('passkey_challenges')
        .column('expires_at')
        .execute();
    },
  };
}
