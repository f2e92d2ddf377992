import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from '../connection.js';

/**
 * Intake that an outsider cannot shut (issue 11, item 6): over a project's hourly quota a report is
 * stored and held, never refused. `held_at` is when it was held (null: not held, or released),
 * `held_reason` why (`project-quota`). The proofs of work a report carried are remembered until
 * their challenge expires, so that one solved puzzle admits one report (the hash of the challenge
 * only: the challenge is not a secret, and its nonce is the sender's).
 */
export function heldIntake(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('cases').addColumn('held_at', 'text').execute();
      await db.schema.alterTable('cases').addColumn('held_reason', 'text').execute();
      await db.schema.createIndex('cases_held_idx').on('cases').columns(['project_id', 'held_at']).execute();
      await db.schema
        .createTable('intake_proofs_spent')
        .addColumn('challenge_hash', 'text', (c) => c.primaryKey())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
