import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from '../connection.js';

/**
 * Publication at the agreed instant (PROCESS.md §8): one publication record per case (the instant it
 * is scheduled for, its state, the generation that stale jobs are told apart by), the holds while a
 * required release is unpublished, one row per outbound message (announcement, "a fix is coming",
 * the distributors' follow-up), and the project's webhooks with their deliveries. A webhook's URL
 * (a Slack hook's path is its credential) and its signing secret are encrypted.
 */
export function publication(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('case_publications')
        .addColumn('case_id', 'text', (c) => c.primaryKey().references('cases.id').onDelete('cascade'))
        .addColumn('project_id', 'text', (c) => c.notNull())
        // scheduled | held | published | cancelled
        .addColumn('state', 'text', (c) => c.notNull())
        // The instant the publication is for; null when the team published without a schedule.
        .addColumn('scheduled_for', 'text')
        // Every (re)schedule takes the next generation: a job of an older one does nothing.
        .addColumn('generation', 'integer', (c) => c.notNull())
        // Publication attempts queued in this generation (the retries' unique keys).
        .addColumn('attempt_seq', 'integer', (c) => c.notNull())
        .addColumn('pending_job_key', 'text')
        .addColumn('next_attempt_at', 'text')
        // The instant the "a fix is coming" notice was queued for, or why none could go.
        .addColumn('fix_coming_for', 'text')
        .addColumn('fix_coming_note', 'text')
        // Why no announcement was mailed (no address in the policy), if so.
        .addColumn('announcement_note', 'text')
        .addColumn('published_at', 'text')
        // A user id, `operator:<name>` or `system`.
        .addColumn('published_by', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('publication_holds')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id').onDelete('cascade'))
        .addColumn('generation', 'integer', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('ended_at', 'text')
        // published | rescheduled | cancelled
        .addColumn('ended_by', 'text')
        // The blockers' sentences of the last attempt (release lines, versions: no one's words).
        .addColumn('reasons_json', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('last_attempt_at', 'text', (c) => c.notNull())
        .addColumn('alerted_at', 'text')
        .execute();
      await db.schema
        .createIndex('publication_holds_case_idx')
        .on('publication_holds')
        .columns(['case_id', 'started_at'])
        .execute();

      await db.schema
        .createTable('publication_deliveries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id').onDelete('cascade'))
        .addColumn('project_id', 'text', (c) => c.notNull())
        // announcement | fix-coming | follow-up
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('recipient', 'text', (c) => c.notNull())
        // What the message is for: the release instant of a fix-coming notice; '' otherwise.
        .addColumn('ref', 'text', (c) => c.notNull())
        // The distributors' organisation of a follow-up.
        .addColumn('org_id', 'text')
        // queued | sent | failed | cancelled (moot: the instant moved, the advisory is not public)
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('sent_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('publication_deliveries_uq', ['case_id', 'channel', 'recipient', 'ref'])
        .execute();

      await db.schema
        .createTable('webhooks')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
        // slack | json
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        // The whole URL, encrypted (a Slack hook's path is its credential); the origin, for display.
        .addColumn('url_enc', 'text', (c) => c.notNull())
        .addColumn('url_origin', 'text', (c) => c.notNull())
        // The HMAC key of the signatures, generated by Vigil, shown once.
        .addColumn('secret_enc', 'text', (c) => c.notNull())
        // active | removed
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('removed_at', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('webhooks_project_idx').on('webhooks').columns(['project_id']).execute();

      await db.schema
        .createTable('webhook_deliveries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('webhook_id', 'text', (c) => c.notNull().references('webhooks.id').onDelete('cascade'))
        .addColumn('project_id', 'text', (c) => c.notNull())
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id').onDelete('cascade'))
        // advisory.published
        .addColumn('event', 'text', (c) => c.notNull())
        // queued | sent | failed
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('status_code', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('delivered_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('webhook_deliveries_uq', ['webhook_id', 'case_id', 'event'])
        .execute();
      await db.schema
        .createIndex('webhook_deliveries_case_idx')
        .on('webhook_deliveries')
        .columns(['case_id'])
        .execute();
    },
  };
}
