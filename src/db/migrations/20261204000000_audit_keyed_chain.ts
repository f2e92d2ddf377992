import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from '../connection.js';

/**
 * The audit chain becomes keyed (issue 11): each event records the version of the chain that
 * sealed it. Existing events are version 1 (unkeyed SHA-256); the first open with the audit key
 * verifies them and re-seals them as version 2 (HMAC under the key) in one transaction
 * (sealLegacyAuditChain in src/audit/audit.log.ts): a migration has no key, so it only adds the
 * column. The head names the audit key the log is sealed with (the id of its public half, set by
 * the first keyed append), so that a process with another key refuses to append.
 */
export function auditKeyedChain(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('audit_events')
        .addColumn('chain_version', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema.alterTable('audit_head').addColumn('key_id', 'text').execute();
    },
  };
}
