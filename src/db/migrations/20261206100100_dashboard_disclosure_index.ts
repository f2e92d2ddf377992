import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from '../connection.js';

/**
 * The dashboard's "embargoes ending soon" (issue 13): the cases of a person's projects whose agreed
 * disclosure instant falls in the next days, read as an index range per project rather than a scan
 * of every case.
 */
export function dashboardDisclosureIndex(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('cases_disclosure_idx')
        .on('cases')
        .columns(['project_id', 'disclosure_at', 'id'])
        .execute();
    },
  };
}
