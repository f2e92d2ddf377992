import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from '../connection.js';

/**
 * The life of a project's distributors list (PROCESS.md §7): applications (the organisation's answer
 * to each membership criterion, the embargo text it accepted by hash, and the member asked to
 * vouch), leak reports from members and the team, the incidents recorded against an organisation,
 * and the yearly reviews. What people wrote (answers, leak details, the team's and the voucher's
 * words) is encrypted with its row.
 */
export function distributorApplications(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('distributor_applications')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
        .addColumn('org_name', 'text', (c) => c.notNull())
        .addColumn('contact_alias', 'text', (c) => c.notNull())
        .addColumn('applicant_name', 'text', (c) => c.notNull())
        .addColumn('applicant_email', 'text', (c) => c.notNull())
        .addColumn('pgp_public_key', 'text')
        .addColumn('pgp_fingerprint', 'text')
        .addColumn('pgp_expires_at', 'text')
        /** The membership criteria as the applicant read them (JSON list of the policy's lines). */
        .addColumn('criteria_json', 'text', (c) => c.notNull())
        /** Encrypted JSON list: one answer per criterion, in the applicant's words. */
        .addColumn('answers_enc', 'text', (c) => c.notNull())
        /** SHA-256 of the embargo text the applicant accepted, and when. */
        .addColumn('embargo_hash', 'text', (c) => c.notNull())
        .addColumn('embargo_accepted_at', 'text', (c) => c.notNull())
        /** The member asked to vouch (a `distributor_people` row of the same project). */
        .addColumn('vouch_person_id', 'text', (c) => c.notNull().references('distributor_people.id'))
        /** asked | vouched | declined */
        .addColumn('vouch_state', 'text', (c) => c.notNull())
        .addColumn('vouch_note_enc', 'text')
        .addColumn('vouch_answered_at', 'text')
        /** pending | approved | refused */
        .addColumn('state', 'text', (c) => c.notNull())
        /** Encrypted: the team's reason for a refusal (mailed to the applicant). */
        .addColumn('decision_reason_enc', 'text')
        .addColumn('decided_by_user_id', 'text')
        .addColumn('decided_at', 'text')
        /** The organisation an approval created. */
        .addColumn('org_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('distributor_applications_project')
        .on('distributor_applications')
        .columns(['project_id', 'created_at'])
        .execute();
      await db.schema
        .createIndex('distributor_applications_voucher')
        .on('distributor_applications')
        .column('vouch_person_id')
        .execute();

      await db.schema
        .createTable('distributor_leak_reports')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
        .addColumn('reported_by_user_id', 'text', (c) => c.notNull().references('users.id'))
        /** The reporter's organisation; null when a member of the security team reported it. */
        .addColumn('reporter_org_id', 'text')
        /** The case it is about, when the reporter named one of the project's cases. */
        .addColumn('case_id', 'text')
        .addColumn('case_ref', 'text')
        /** Encrypted: what leaked, to whom, and when (the reporter's words). */
        .addColumn('what_enc', 'text', (c) => c.notNull())
        .addColumn('to_whom_enc', 'text', (c) => c.notNull())
        .addColumn('when_enc', 'text', (c) => c.notNull())
        /** open | confirmed | dismissed */
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('incident_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('distributor_leak_reports_project')
        .on('distributor_leak_reports')
        .columns(['project_id', 'created_at'])
        .execute();

      await db.schema
        .createTable('distributor_incidents')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
        .addColumn('org_id', 'text', (c) => c.notNull().references('distributor_orgs.id').onDelete('cascade'))
        .addColumn('leak_report_id', 'text')
        .addColumn('case_id', 'text')
        .addColumn('what_enc', 'text', (c) => c.notNull())
        .addColumn('to_whom_enc', 'text', (c) => c.notNull())
        .addColumn('when_enc', 'text', (c) => c.notNull())
        .addColumn('recorded_by_user_id', 'text')
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('distributor_incidents_org')
        .on('distributor_incidents')
        .column('org_id')
        .execute();

      await db.schema
        .createTable('distributor_reviews')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
        .addColumn('org_id', 'text', (c) => c.notNull().references('distributor_orgs.id').onDelete('cascade'))
        .addColumn('reviewed_by_user_id', 'text')
        .addColumn('reviewed_at', 'text', (c) => c.notNull())
        /** Encrypted: the team's notes on the review. */
        .addColumn('note_enc', 'text')
        /** The review due after this one. */
        .addColumn('next_due_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('distributor_reviews_org')
        .on('distributor_reviews')
        .columns(['org_id', 'reviewed_at'])
        .execute();
    },
  };
}
