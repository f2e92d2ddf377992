import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from '../connection.js';

/**
 * Each project's OpenPGP key pairs: the public key as published, the private key encrypted at rest
 * (`private_key_enc`). Rotation retires a key instead of deleting it, so mail encrypted to it still
 * decrypts; a partial unique index keeps at most one active (unretired) key per project.
 */
export function projectKeys(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('project_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('user_id_text', 'text', (c) => c.notNull())
        .addColumn('algorithm', 'text', (c) => c.notNull())
        .addColumn('public_key_armored', 'text', (c) => c.notNull())
        .addColumn('private_key_enc', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text')
        .addColumn('retired_at', 'text')
        .execute();
      await db.schema
        .createIndex('project_keys_active_uq')
        .unique()
        .on('project_keys')
        .column('project_id')
        .where(sql.ref('retired_at'), 'is', null)
        .execute();
      await db.schema
        .createIndex('project_keys_project_idx')
        .on('project_keys')
        .columns(['project_id', 'created_at'])
        .execute();
    },
  };
}
