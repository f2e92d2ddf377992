import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from '../connection.js';

/**
 * The advisory render templates a project's team edits (announcement, distributors, fix-coming,
 * page). Append-only: every save is a new version, nothing is overwritten; the current template is
 * the highest version, and a version whose `source` is null means "back to Vigil's default".
 */
export function advisoryTemplates(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('advisory_templates')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('source', 'text')
        .addColumn('author_user_id', 'text')
        .addColumn('author_name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        // Two saves from the same base version: the second insert fails here and answers 409.
        .addUniqueConstraint('advisory_templates_version_uq', ['project_id', 'name', 'version'])
        .execute();
    },
  };
}
