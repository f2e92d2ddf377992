import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from '../connection.js';

/**
 * Notifications are kept for a while, not for ever (issue 13, item 3): the hourly prune deletes the
 * read ones after 90 days and all after a year (src/modules/notifications/notifications.repo.ts,
 * `pruneNotifications`). This index lets it find them by age without reading every row.
 */
export function notificationsRetention(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('notifications_created_idx')
        .on('notifications')
        .columns(['created_at'])
        .execute();
    },
  };
}
