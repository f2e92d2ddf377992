import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from '../connection.js';

/**
 * In-app notifications (issue 13, item 3): one row per team mail and recipient, written by the job
 * that decides the mail (idempotent per job: unique on the user and the job's dedupe key), and each
 * person's choice per event (mail, a daily digest, or none; no row: mail).
 */
export function notifications(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('notifications')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
        .addColumn('case_id', 'text', (c) => c.references('cases.id').onDelete('cascade'))
        // The team mail kind: report-received.team, reminder.team, ...
        .addColumn('event', 'text', (c) => c.notNull())
        // The mail's subject: project name, case id, what happened; never content.
        .addColumn('label', 'text', (c) => c.notNull())
        // A path in Vigil (/cases/VGL-2026-0001).
        .addColumn('link', 'text', (c) => c.notNull())
        // The job (and kind) that wrote it: a retried job writes nothing new.
        .addColumn('dedupe_key', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('read_at', 'text')
        // When the daily digest listed it (for people whose setting for the event is digest).
        .addColumn('digested_at', 'text')
        .addUniqueConstraint('notifications_dedupe_uq', ['user_id', 'dedupe_key'])
        .execute();
      await db.schema
        .createIndex('notifications_page_idx')
        .on('notifications')
        .columns(['user_id', 'created_at', 'id'])
        .execute();

      await db.schema
        .createTable('notification_settings')
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('event', 'text', (c) => c.notNull())
        // mail | digest | none
        .addColumn('mode', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('notification_settings_pk', ['user_id', 'event'])
        .execute();
    },
  };
}
