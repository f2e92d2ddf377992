import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from '../connection.js';

/**
 * The case's life after acceptance (PROCESS.md §5, §6, §8, §9): the Fix Lead and the phase
 * instants on the case, per-case members (Fix Team, collaborators, the reporter) with the embargo
 * terms they accepted, the private fix repository, CI runs and the runners that claim them, the
 * release matrix's recorded releases, and the retrospective with its feedback.
 * Text a person wrote (reasons, watchwords, logs, feedback, critique) is `*_enc`.
 */
export function fixPhase(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('users').addColumn('unavailable_from', 'text').execute();
      await db.schema.alterTable('users').addColumn('unavailable_until', 'text').execute();
      // The member who led the project's last case: the rotation continues after them.
      await db.schema.alterTable('projects').addColumn('last_fix_lead_user_id', 'text').execute();

      for (const column of [
        'fix_lead_user_id',
        'fix_lead_assigned_at',
        'accepted_at',
        'team_organised_at',
        'fix_ready_at',
        'users_told_at',
        'disclosure_at',
        'released_at',
        'closed_at',
        // { cvss, reason, decidedBy, decidedAt } when the team slowed a low-severity case (§4).
        'slowdown_json',
        // { name, url, disclosureAt } of the upstream project whose timeline the case follows, encrypted.
        'upstream_enc',
        // Words no commit, branch or tag may carry before disclosure, beyond the case's own ids.
        'watchwords_enc',
      ]) {
        await db.schema.alterTable('cases').addColumn(column, 'text').execute();
      }
      await db.schema.createIndex('cases_fix_lead_idx').on('cases').columns(['fix_lead_user_id']).execute();

      await db.schema
        .createTable('case_members')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id').onDelete('cascade'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        // fix-team | collaborator | reporter
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('invited_by', 'text')
        .addColumn('invited_at', 'text', (c) => c.notNull())
        // Nothing is visible before the terms are accepted: the text's SHA-256, when, by whom (user_id).
        .addColumn('terms_hash', 'text')
        .addColumn('terms_accepted_at', 'text')
        .addColumn('ended_at', 'text')
        .addColumn('ended_reason', 'text')
        .addUniqueConstraint('case_members_case_user_uq', ['case_id', 'user_id'])
        .execute();
      await db.schema.createIndex('case_members_user_idx').on('case_members').columns(['user_id']).execute();

      await db.schema
        .createTable('case_repositories')
        .addColumn('case_id', 'text', (c) => c.primaryKey().references('cases.id').onDelete('cascade'))
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
        // seeding | ready | failed | read-only
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('upstream', 'text')
        .addColumn('error', 'text')
        // { branch: sha } as seeded from upstream: the base of each line's patch series.
        .addColumn('seed_refs_json', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('seeded_at', 'text')
        .addColumn('frozen_at', 'text')
        .execute();

      await db.schema
        .createTable('runners')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('token_prefix', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text')
        .addColumn('revoked_at', 'text')
        .execute();

      await db.schema
        .createTable('ci_runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id').onDelete('cascade'))
        .addColumn('branch', 'text', (c) => c.notNull())
        .addColumn('commit_sha', 'text', (c) => c.notNull())
        // queued | running | passed | failed | error
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('runner_id', 'text')
        .addColumn('lease_until', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('exit_code', 'integer')
        .addColumn('timed_out', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('log_enc', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text')
        .addColumn('finished_at', 'text')
        .addUniqueConstraint('ci_runs_case_branch_commit_uq', ['case_id', 'branch', 'commit_sha'])
        .execute();
      await db.schema
        .createIndex('ci_runs_state_idx')
        .on('ci_runs')
        .columns(['state', 'created_at'])
        .execute();

      await db.schema
        .createTable('case_releases')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id').onDelete('cascade'))
        // A supported line ("1.28"), "main" (the fix on the main branch) or "next" (the next release).
        .addColumn('line', 'text', (c) => c.notNull())
        .addColumn('version', 'text')
        .addColumn('planned_at', 'text')
        // planned | built | published
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('url', 'text')
        .addColumn('override_reason_enc', 'text')
        .addColumn('override_by', 'text')
        .addColumn('override_at', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('case_releases_case_line_uq', ['case_id', 'line'])
        .execute();

      await db.schema
        .createTable('retrospectives')
        .addColumn('case_id', 'text', (c) => c.primaryKey().references('cases.id').onDelete('cascade'))
        // draft | closed
        .addColumn('state', 'text', (c) => c.notNull())
        // { introducedBy, wentWell, wentWrong, luck, actionItems } as the team wrote them.
        .addColumn('sections_enc', 'text')
        .addColumn('drafted_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('closed_at', 'text')
        .addColumn('closed_by', 'text')
        .execute();

      await db.schema
        .createTable('retrospective_feedback')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id').onDelete('cascade'))
        .addColumn('author_user_id', 'text')
        .addColumn('author_name', 'text', (c) => c.notNull())
        .addColumn('body_enc', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('retrospective_feedback_case_idx')
        .on('retrospective_feedback')
        .columns(['case_id', 'created_at'])
        .execute();
    },
  };
}
