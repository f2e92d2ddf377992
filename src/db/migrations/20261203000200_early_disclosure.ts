import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from '../connection.js';

/**
 * Early disclosure (PROCESS.md §7): each send of the distributors' notice (one advisory revision,
 * rendered once, with the places where its copies may differ), and one copy per person, each with
 * its own fingerprint (a reference code and a choice of equivalent spellings drawn from a secret
 * seed), its text encrypted at rest, and its delivery: queued, accepted by the SMTP server (with
 * the server's answer) or failed, opened in the portal, acknowledged.
 */
export function earlyDisclosure(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('early_disclosure_sends')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id').onDelete('cascade'))
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
        .addColumn('advisory_id', 'text', (c) => c.notNull().references('advisories.id').onDelete('cascade'))
        .addColumn('advisory_revision', 'integer', (c) => c.notNull())
        .addColumn('release_at', 'text', (c) => c.notNull())
        /** Encrypted: the notice as rendered (subject, body) and its variation slots. */
        .addColumn('layout_enc', 'text', (c) => c.notNull())
        /** People left out, with why: [{ personId, reason }] (ids and machine reasons only). */
        .addColumn('excluded_json', 'text', (c) => c.notNull())
        .addColumn('sent_by_user_id', 'text')
        .addColumn('sent_by_name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('early_disclosure_sends_case')
        .on('early_disclosure_sends')
        .columns(['case_id', 'created_at'])
        .execute();
      await db.schema
        .createTable('early_disclosure_copies')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('send_id', 'text', (c) =>
          c.notNull().references('early_disclosure_sends.id').onDelete('cascade'),
        )
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id').onDelete('cascade'))
        .addColumn('advisory_revision', 'integer', (c) => c.notNull())
        .addColumn('person_id', 'text', (c) => c.notNull().references('distributor_people.id'))
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        /** Who it went to, as they were named when it was sent. */
        .addColumn('recipient_name', 'text', (c) => c.notNull())
        .addColumn('recipient_email', 'text', (c) => c.notNull())
        .addColumn('org_name', 'text', (c) => c.notNull())
        /** The visible fingerprint, in the subject and the body: ED-XXXX-XXXX. */
        .addColumn('reference_code', 'text', (c) => c.notNull())
        /** Encrypted: the secret seed the copy's choices were drawn from. */
        .addColumn('seed_enc', 'text', (c) => c.notNull())
        /** The variant chosen at each slot of the send's layout (numbers only). */
        .addColumn('choices_json', 'text', (c) => c.notNull())
        /** Encrypted: the copy as the person reads it ({ subject, body }). */
        .addColumn('text_enc', 'text', (c) => c.notNull())
        /** Encrypted: the OpenPGP message sent instead of the text, for a person with a key. */
        .addColumn('armored_enc', 'text')
        .addColumn('encrypted', 'integer', (c) => c.notNull())
        .addColumn('key_fingerprint', 'text')
        /** queued | accepted | failed | cancelled */
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('queued_at', 'text', (c) => c.notNull())
        .addColumn('accepted_at', 'text')
        .addColumn('smtp_response', 'text')
        .addColumn('message_id', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_error', 'text')
        .addColumn('failed_at', 'text')
        /** Why a queued copy was not sent: the case was published, the person or organisation left. */
        .addColumn('cancelled_reason', 'text')
        .addColumn('opened_at', 'text')
        .addColumn('acknowledged_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('early_disclosure_copies_reference')
        .on('early_disclosure_copies')
        .column('reference_code')
        .unique()
        .execute();
      await db.schema
        .createIndex('early_disclosure_copies_send_person')
        .on('early_disclosure_copies')
        .columns(['send_id', 'person_id'])
        .unique()
        .execute();
      await db.schema
        .createIndex('early_disclosure_copies_case_user')
        .on('early_disclosure_copies')
        .columns(['case_id', 'user_id'])
        .execute();
    },
  };
}
