import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from '../connection.js';

/**
 * Keyset pagination of the lists (issue 12): each list's order with the row id as its tie-breaker,
 * served by an index, so a page after a cursor is an index seek whatever the page. The indexes
 * replaced had the same leading columns without the id.
 */
export function listPageIndexes(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // A case's conversation, oldest first: (created_at, id) after the cursor.
      await db.schema
        .createIndex('case_messages_page_idx')
        .on('case_messages')
        .columns(['case_id', 'created_at', 'id'])
        .execute();
      await db.schema.dropIndex('case_messages_case_idx').execute();
      // The portal's access log of a case, newest first.
      await db.schema
        .createIndex('portal_access_log_page_idx')
        .on('portal_access_log')
        .columns(['case_id', 'at', 'id'])
        .execute();
      await db.schema.dropIndex('portal_access_log_case').execute();
      // A webhook's deliveries, newest first.
      await db.schema
        .createIndex('webhook_deliveries_page_idx')
        .on('webhook_deliveries')
        .columns(['webhook_id', 'created_at', 'id'])
        .execute();
      // A project's distributor applications, newest first.
      await db.schema
        .createIndex('distributor_applications_page_idx')
        .on('distributor_applications')
        .columns(['project_id', 'created_at', 'id'])
        .execute();
      await db.schema.dropIndex('distributor_applications_project').execute();
      // A project's leak reports, newest first.
      await db.schema
        .createIndex('distributor_leak_reports_page_idx')
        .on('distributor_leak_reports')
        .columns(['project_id', 'created_at', 'id'])
        .execute();
      await db.schema.dropIndex('distributor_leak_reports_project').execute();
    },
  };
}
