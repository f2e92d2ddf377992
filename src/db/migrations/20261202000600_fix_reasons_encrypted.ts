import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from '../connection.js';

/**
 * The reasons people give in the fix phase (a manual Fix Lead change, a member's removal, a
 * low-severity slow-down) are their words, which may describe the issue: they are kept encrypted
 * with their row, and the audit log records only that the change happened.
 */
export function fixReasonsEncrypted(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('cases').addColumn('fix_lead_reason_enc', 'text').execute();
      await db.schema.alterTable('cases').addColumn('slowdown_reason_enc', 'text').execute();
      await db.schema.alterTable('case_members').addColumn('ended_note_enc', 'text').execute();
    },
  };
}
