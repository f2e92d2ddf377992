import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from '../connection.js';

/**
 * Cases (private reports), their conversation and attachments, human-id counters, and raw inbound
 * mail kept whole, and instance secrets. Report text, reporter identity and attachment bytes are `*_enc` (encrypted).
 */
export function cases(dialect: Dialect): Migration {
  const blob = dialect === 'postgres' ? 'bytea' : 'blob';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('case_counters')
        .addColumn('prefix', 'text', (c) => c.notNull())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('last_seq', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('case_counters_pk', ['prefix', 'year'])
        .execute();

      await db.schema
        .createTable('cases')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
        .addColumn('human_id', 'text', (c) => c.notNull().unique())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('title_enc', 'text', (c) => c.notNull())
        .addColumn('report_enc', 'text', (c) => c.notNull())
        .addColumn('reporter_email_enc', 'text')
        .addColumn('reporter_credit_enc', 'text')
        .addColumn('reporter_token_hash', 'text', (c) => c.notNull().unique())
        // The reporter's link, encrypted, so that later notifications can carry it.
        .addColumn('reporter_token_enc', 'text', (c) => c.notNull())
        .addColumn('publicly_known', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('private_handling', 'text', (c) => c.notNull().defaultTo('not-asked'))
        .addColumn('severity', 'text')
        .addColumn('duplicate_of', 'text', (c) => c.references('cases.id').onDelete('set null'))
        .addColumn('flags_json', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('first_response_due_at', 'text')
        .addColumn('first_responded_at', 'text')
        .addColumn('triaged_at', 'text')
        .addColumn('clock_paused_at', 'text')
        .addColumn('paused_ms', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createIndex('cases_project_state_idx')
        .on('cases')
        .columns(['project_id', 'state'])
        .execute();
      await db.schema.createIndex('cases_due_idx').on('cases').columns(['first_response_due_at']).execute();

      await db.schema
        .createTable('case_messages')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id').onDelete('cascade'))
        .addColumn('visibility', 'text', (c) => c.notNull())
        .addColumn('author_type', 'text', (c) => c.notNull())
        .addColumn('author_user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('body_enc', 'text', (c) => c.notNull())
        .addColumn('automatic', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('email_message_id', 'text')
        .addColumn('flags_json', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('case_messages_case_idx')
        .on('case_messages')
        .columns(['case_id', 'created_at'])
        .execute();
      await db.schema
        .createIndex('case_messages_email_idx')
        .on('case_messages')
        .column('email_message_id')
        .execute();

      await db.schema
        .createTable('case_attachments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id').onDelete('cascade'))
        .addColumn('message_id', 'text', (c) => c.references('case_messages.id').onDelete('set null'))
        .addColumn('filename_enc', 'text', (c) => c.notNull())
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('size_bytes', 'integer', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('flags_json', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('data_enc', blob, (c) => c.notNull())
        .addColumn('uploaded_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('case_attachments_case_idx')
        .on('case_attachments')
        .column('case_id')
        .execute();

      // Instance-wide secrets (the key that tags per-case reply addresses), encrypted at rest.
      await db.schema
        .createTable('instance_secrets')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value_enc', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      // Raw inbound mail, whole and encrypted: what could not be decrypted or parsed is kept, never dropped.
      await db.schema
        .createTable('inbound_mail')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
        .addColumn('case_id', 'text', (c) => c.references('cases.id').onDelete('set null'))
        .addColumn('raw_enc', blob, (c) => c.notNull())
        .addColumn('size_bytes', 'integer', (c) => c.notNull())
        .addColumn('flags_json', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('received_at', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
