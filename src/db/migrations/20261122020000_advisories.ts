import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from '../connection.js';

/**
 * Advisories: one per case, with its Vigil advisory id (`<prefix>-ADV-<year>-<nnnn>`, numbered per
 * prefix like case ids), its state and CVE bookkeeping; and every saved version of its document as
 * an append-only revision, encrypted at rest (drafts are confidential). Nothing is overwritten.
 */
export function advisories(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('advisory_counters')
        .addColumn('prefix', 'text', (c) => c.notNull())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('last_seq', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('advisory_counters_pk', ['prefix', 'year'])
        .execute();

      await db.schema
        .createTable('advisories')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull().unique().references('cases.id').onDelete('cascade'))
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
        .addColumn('advisory_id', 'text', (c) => c.notNull().unique())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('state_reason_enc', 'text')
        // Private until publication: never shown to distributors (PROCESS.md §7).
        .addColumn('cve_id', 'text')
        .addColumn('cve_request_json', 'text')
        .addColumn('current_revision', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('advisories_project_idx').on('advisories').column('project_id').execute();

      await db.schema
        .createTable('advisory_revisions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('advisory_id', 'text', (c) => c.notNull().references('advisories.id').onDelete('cascade'))
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('document_enc', 'text', (c) => c.notNull())
        .addColumn('author_user_id', 'text')
        .addColumn('author_name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('advisory_revisions_revision_uq', ['advisory_id', 'revision'])
        .execute();
    },
  };
}
