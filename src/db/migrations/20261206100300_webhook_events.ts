import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from '../connection.js';

/**
 * Project webhooks carry the team's case events (issue 13), not only the published advisory: each
 * webhook subscribes to a set of events (`events_json`, null: every event, present and future),
 * and a delivery names its occurrence (`occurrence`: a message id, a state and its instant, a due
 * instant; '' for once-per-case events) and its one fact (`detail`: a transition's new state), so
 * the same event about the same case may be posted again when it happens again. The deliveries
 * table is rebuilt for its new unique key (SQLite cannot drop a table constraint); rows are kept.
 */
export function webhookEvents(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('webhooks').addColumn('events_json', 'text').execute();

      await db.schema
        .createTable('webhook_deliveries_next')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('webhook_id', 'text', (c) => c.notNull().references('webhooks.id').onDelete('cascade'))
        .addColumn('project_id', 'text', (c) => c.notNull())
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id').onDelete('cascade'))
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('occurrence', 'text', (c) => c.notNull())
        .addColumn('detail', 'text')
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('status_code', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('delivered_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('webhook_deliveries_occurrence_uq', [
          'webhook_id',
          'case_id',
          'event',
          'occurrence',
        ])
        .execute();
      await sql`insert into webhook_deliveries_next
          (id, webhook_id, project_id, case_id, event, occurrence, detail, state, attempts,
           status_code, last_error, delivered_at, created_at, updated_at)
        select id, webhook_id, project_id, case_id, event, '', null, state, attempts,
           status_code, last_error, delivered_at, created_at, updated_at
        from webhook_deliveries`.execute(db);
      await db.schema.dropTable('webhook_deliveries').execute();
      await db.schema.alterTable('webhook_deliveries_next').renameTo('webhook_deliveries').execute();
      await db.schema
        .createIndex('webhook_deliveries_case_idx')
        .on('webhook_deliveries')
        .columns(['case_id'])
        .execute();
      await db.schema
        .createIndex('webhook_deliveries_page_idx')
        .on('webhook_deliveries')
        .columns(['webhook_id', 'created_at', 'id'])
        .execute();
    },
  };
}
