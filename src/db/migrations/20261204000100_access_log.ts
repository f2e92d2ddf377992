import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from '../connection.js';

/**
 * Reading is accountable (issue 11, item 2). `case_access_log`: who read a case's confidential
 * content, what, when, and by which right (a team role, a case role, the operator); one row per
 * reader, case, part and ten-minute bucket, so that the log grows with people, not with page loads.
 * `project_member_requests`: joining a project's security team is a request that another current
 * member approves (an admin may seed an empty team); only then the role exists.
 */
export function accessLog(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('case_access_log')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id').onDelete('cascade'))
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
        /** user | operator */
        .addColumn('principal_kind', 'text', (c) => c.notNull())
        /** The reading user (null for the operator at the server's shell). */
        .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
        /** The operator's name at the shell; null for users. */
        .addColumn('operator_name', 'text')
        /** case | messages | attachment:<id> | advisory | fix | portal | public-issue */
        .addColumn('what', 'text', (c) => c.notNull())
        /** The right the read came by: security-team | fix-team | collaborator | reporter | distributor | operator */
        .addColumn('via', 'text', (c) => c.notNull())
        /** 1 when the reader is an instance admin (who reads only by holding a role). */
        .addColumn('reader_is_admin', 'integer', (c) => c.notNull().defaultTo(0))
        /** Whose key: `user:<id>` or `operator:<name>`; with `bucket` the dedup key. */
        .addColumn('reader_key', 'text', (c) => c.notNull())
        /** floor(epoch seconds / 600): one row per reader, case and part per ten minutes. */
        .addColumn('bucket', 'integer', (c) => c.notNull())
        .addColumn('read_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('case_access_log_dedup')
        .on('case_access_log')
        .columns(['case_id', 'reader_key', 'what', 'bucket'])
        .unique()
        .execute();
      await db.schema
        .createIndex('case_access_log_case')
        .on('case_access_log')
        .columns(['case_id', 'id'])
        .execute();

      await db.schema
        .createTable('project_member_requests')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
        /** The person to be added. */
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('role', 'text', (c) => c.notNull())
        /** Who asked: a user (an admin or a member); null for the operator. */
        .addColumn('requested_by_user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
        /** pending | approved | declined */
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('decided_by_user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('decided_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('project_member_requests_project')
        .on('project_member_requests')
        .columns(['project_id', 'state'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('project_member_requests').execute();
      await db.schema.dropTable('case_access_log').execute();
    },
  };
}
