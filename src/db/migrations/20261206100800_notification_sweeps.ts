import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from '../connection.js';

/**
 * Notifications while mail waits (issue 13, item 3): the team-notice jobs an instance without SMTP
 * has already told the team about in Vigil (src/modules/notifications/waiting-mail.job.ts), so that
 * each is looked at once while it waits.
 */
export function notificationSweeps(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('notification_sweeps')
        .addColumn('job_id', 'text', (c) => c.primaryKey())
        .addColumn('swept_at', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
