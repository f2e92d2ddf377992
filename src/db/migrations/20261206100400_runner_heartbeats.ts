import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from '../connection.js';

/**
 * Operations (issue 13, item 3): each job runner records that it is alive (`vigil doctor` reads the
 * newest heartbeat), and the admin's mail queue lists the mail jobs newest first by kind.
 */
export function runnerHeartbeats(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // One row per runner instance (its worker id: host:pid:random), refreshed while it runs.
      await db.schema
        .createTable('job_runner_heartbeats')
        .addColumn('worker_id', 'text', (c) => c.primaryKey())
        .addColumn('host', 'text', (c) => c.notNull())
        .addColumn('pid', 'integer', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('jobs_kind_page_idx')
        .on('jobs')
        .columns(['kind', 'created_at', 'id'])
        .execute();
    },
  };
}
