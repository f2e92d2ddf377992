import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from '../connection.js';

/**
 * The case's severity is its advisory's (issue 9): `cases.severity` holds the CVSS severity name
 * (`critical`) and `cvss_score` the score, both written when the advisory is saved, so that the
 * inbox, the release matrix and the slow-down rule read them without decrypting the advisory.
 */
export function caseCvssScore(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('cases')
        .addColumn('cvss_score', dialect === 'postgres' ? 'double precision' : 'real')
        .execute();
    },
  };
}
