import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from '../connection.js';

/**
 * Two-factor sign-in and sign-in throttling (issue 11, items 4 and 5): how strong a session is
 * (`factors`, 1 or 2; an API token carries the factors of the session that made it), whether a
 * project's policy asks its team for two factors (a copy of `access.requireTwoFactor`, kept with
 * each policy version so that resolving a principal parses no YAML), a user's TOTP secret
 * (encrypted) and recovery codes (hashed), the second-factor challenges between the first and the
 * second step (hashed tokens), the addresses a user signed in from before (keyed hashes), and the
 * per account-and-address failure state of the password sign-in. Existing rows: sessions and tokens
 * count one factor, projects ask for none (no earlier policy could say otherwise).
 */
export function twoFactor(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('sessions')
        .addColumn('factors', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema
        .alterTable('api_tokens')
        .addColumn('factors', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema
        .alterTable('projects')
        .addColumn('require_two_factor', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();

      await db.schema
        .createTable('user_totp')
        .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
        .addColumn('secret_enc', 'text', (c) => c.notNull())
        // null until the first code confirmed the enrolment; an unconfirmed secret signs nobody in.
        .addColumn('confirmed_at', 'text')
        // The newest 30-second step a code was accepted for: a code is good once.
        .addColumn('last_used_step', 'integer')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('user_recovery_codes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('code_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .execute();
      await db.schema
        .createIndex('user_recovery_codes_user_idx')
        .on('user_recovery_codes')
        .column('user_id')
        .execute();

      await db.schema
        .createTable('second_factor_challenges')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        // The first factor: password | link | oidc | passkey.
        .addColumn('first_method', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .execute();

      await db.schema
        .createTable('sign_in_known_addresses')
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        // HMAC of the client address under an instance secret: no address in clear.
        .addColumn('address_hash', 'text', (c) => c.notNull())
        .addColumn('last_success_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('sign_in_known_addresses_pk', ['user_id', 'address_hash'])
        .execute();

      await db.schema
        .createTable('sign_in_throttles')
        // HMAC of (email, address) under an instance secret.
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('last_failure_at', 'text')
        // While the account as a whole is under attack: the instant from which this address may try again.
        .addColumn('slow_until', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
