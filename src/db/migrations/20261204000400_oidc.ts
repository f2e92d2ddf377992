import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from '../connection.js';

/**
 * OpenID Connect sign-in (issue 11, item 4). `oidc_states`: one row per sign-in started at the
 * provider (ten minutes, single use), kept in the database so that any instance may receive the
 * callback. The state and the browser binding are stored only as SHA-256 hashes; the PKCE verifier
 * is encrypted. `oidc_identities`: the link from a provider's account (issuer, subject) to a user.
 */
export function oidc(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('oidc_states')
        .addColumn('state_hash', 'text', (c) => c.primaryKey())
        // SHA-256 of the browser's binding cookie: the callback must come from the browser that started.
        .addColumn('browser_hash', 'text', (c) => c.notNull())
        .addColumn('code_verifier_enc', 'text', (c) => c.notNull())
        .addColumn('nonce', 'text', (c) => c.notNull())
        // Where the app goes after signing in: a path of this instance.
        .addColumn('return_to', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('oidc_states_expires_idx').on('oidc_states').column('expires_at').execute();

      await db.schema
        .createTable('oidc_identities')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('issuer', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        // The verified email the link was made by (the account's own address at that time).
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('oidc_identities_subject_uq', ['issuer', 'subject'])
        .execute();
      await db.schema
        .createIndex('oidc_identities_user_idx')
        .on('oidc_identities')
        .column('user_id')
        .execute();
    },
  };
}
