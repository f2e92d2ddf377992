import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from '../connection.js';

/**
 * The job runner's polls by kind. A runner asks for the due jobs of the kinds it runs, and for the
 * next one due; an instance without SMTP runs no mail kinds, so during a flood its mail jobs pile up
 * pending and due (two per report). On `(state, run_at)` alone both queries read every one of them:
 * about 10 ms each at 30,000 pending jobs on SQLite, on every poll, and a flood wakes the runner
 * with each group of reports filed, which blocked the event loop for half of every second (measured
 * open-loop at 500 reports/s: p99 1.5 s). With the kind before the instant they read only the kinds
 * asked for (0.08 ms).
 */
export function jobsKindDue(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('jobs_kind_due_idx')
        .on('jobs')
        .columns(['state', 'kind', 'run_at'])
        .execute();
    },
  };
}
