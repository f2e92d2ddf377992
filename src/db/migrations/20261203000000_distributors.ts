import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from '../connection.js';

/**
 * The distributors list of a project (PROCESS.md §7): member organisations, their named people (each
 * a Vigil account, so they can sign in to the portal) and the cases shared with an organisation by an
 * early disclosure. A person sees a shared case only while the organisation is active, they are
 * active, they accepted the embargo text (its SHA-256 is stored) and the case is not yet public.
 */
export function distributors(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('distributor_orgs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        /** The one contact alias of the organisation (its security list's address). */
        .addColumn('contact_alias', 'text', (c) => c.notNull())
        /** active | suspended | removed */
        .addColumn('state', 'text', (c) => c.notNull())
        /** Encrypted: the team's words on the last suspension or removal. */
        .addColumn('state_note_enc', 'text')
        .addColumn('vouched_by_org_id', 'text')
        .addColumn('application_id', 'text')
        .addColumn('joined_at', 'text', (c) => c.notNull())
        /** The next yearly (policy: reviewEveryMonths) review. */
        .addColumn('review_due_at', 'text', (c) => c.notNull())
        .addColumn('removed_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('distributor_orgs_project_name')
        .on('distributor_orgs')
        .columns(['project_id', 'name'])
        .unique()
        .execute();
      await db.schema
        .createTable('distributor_people')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('distributor_orgs.id').onDelete('cascade'))
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        /** Armored OpenPGP public key (public by nature), its fingerprint and expiry. */
        .addColumn('pgp_public_key', 'text')
        .addColumn('pgp_fingerprint', 'text')
        .addColumn('pgp_expires_at', 'text')
        /** SHA-256 of the embargo text they accepted, and when. Nothing embargoed reaches them before. */
        .addColumn('embargo_hash', 'text')
        .addColumn('embargo_accepted_at', 'text')
        /** active | removed */
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('added_by_user_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('removed_at', 'text')
        .execute();
      await db.schema
        .createIndex('distributor_people_org_user')
        .on('distributor_people')
        .columns(['org_id', 'user_id'])
        .unique()
        .execute();
      await db.schema
        .createIndex('distributor_people_user')
        .on('distributor_people')
        .column('user_id')
        .execute();
      await db.schema
        .createTable('case_distributor_shares')
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id').onDelete('cascade'))
        .addColumn('org_id', 'text', (c) => c.notNull().references('distributor_orgs.id').onDelete('cascade'))
        .addColumn('shared_at', 'text', (c) => c.notNull())
        .addColumn('shared_by_user_id', 'text')
        .addPrimaryKeyConstraint('case_distributor_shares_pk', ['case_id', 'org_id'])
        .execute();
      await db.schema
        .createIndex('case_distributor_shares_org')
        .on('case_distributor_shares')
        .column('org_id')
        .execute();
    },
  };
}
