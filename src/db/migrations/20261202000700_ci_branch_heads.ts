import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from '../connection.js';

/**
 * CI counts a fix branch by its current head, not by its newest run: a force-push back to an older
 * commit (whose run already exists, so none is queued) or a deleted branch must not keep the green
 * of a commit the branch no longer points at. `ci_branch_heads` holds each branch's head as of the
 * last push. Runners may be scoped to one project (`project_id`; null: every project).
 */
export function ciBranchHeads(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('ci_branch_heads')
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id').onDelete('cascade'))
        .addColumn('branch', 'text', (c) => c.notNull())
        .addColumn('commit_sha', 'text', (c) => c.notNull())
        .addColumn('pushed_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('ci_branch_heads_pk', ['case_id', 'branch'])
        .execute();
      // Until now a branch's head was taken to be its newest run's commit.
      await sql`
        insert into ci_branch_heads (case_id, branch, commit_sha, pushed_at)
        select r.case_id, r.branch, r.commit_sha, r.created_at from ci_runs r
        where r.id = (select max(l.id) from ci_runs l where l.case_id = r.case_id and l.branch = r.branch)
      `.execute(db);
      await db.schema
        .alterTable('runners')
        .addColumn('project_id', 'text', (c) => c.references('projects.id').onDelete('cascade'))
        .execute();
    },
  };
}
