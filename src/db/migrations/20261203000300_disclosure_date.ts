import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from '../connection.js';

/**
 * The disclosure date's negotiation (PROCESS.md §7) and the distributors' portal (issue 10).
 *
 * - `disclosure_proposals`: an instant the team proposes, with the time zone it was said in (both
 *   stored: the instant is absolute, the zone is how people read it). Closed when a newer proposal
 *   or a decision replaces it; only the open one is answered.
 * - `disclosure_responses`: each party's answer to a proposal (the reporter, or one distributors-list
 *   organisation: `party_key` is `reporter` or `org:<id>`), one per party, replaced when they answer again.
 * - `disclosure_decisions`: the team's decisions, newest last; the newest is the case's `disclosure_at`.
 *   The guardrail findings and the overrides used are kept with it: the record of what was decided over.
 * - `portal_access_log`: everything a distributor person opened or did through the portal (who, what, when).
 * - `portal_acknowledgements` and `portal_feedback`: a person acknowledged the case; an organisation's feedback.
 * People's words (notes, reasons, feedback) are encrypted (`*_enc`).
 */
export function disclosureDate(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('disclosure_proposals')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id').onDelete('cascade'))
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
        /** The proposed instant, UTC ISO 8601. */
        .addColumn('at', 'text', (c) => c.notNull())
        /** The IANA zone it was proposed in. */
        .addColumn('time_zone', 'text', (c) => c.notNull())
        .addColumn('note_enc', 'text')
        .addColumn('proposed_by_user_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('closed_at', 'text')
        .execute();
      await db.schema
        .createIndex('disclosure_proposals_case')
        .on('disclosure_proposals')
        .columns(['case_id', 'created_at'])
        .execute();
      await db.schema
        .createTable('disclosure_responses')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('proposal_id', 'text', (c) =>
          c.notNull().references('disclosure_proposals.id').onDelete('cascade'),
        )
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id').onDelete('cascade'))
        /** reporter | distributor */
        .addColumn('party', 'text', (c) => c.notNull())
        /** `reporter` or `org:<distributor org id>`: one answer per party and proposal. */
        .addColumn('party_key', 'text', (c) => c.notNull())
        .addColumn('org_id', 'text')
        /** The person who answered (null: the reporter through their private link). */
        .addColumn('user_id', 'text')
        /** accept | object | counter */
        .addColumn('answer', 'text', (c) => c.notNull())
        .addColumn('reason_enc', 'text')
        .addColumn('counter_at', 'text')
        .addColumn('counter_time_zone', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('disclosure_responses_party')
        .on('disclosure_responses')
        .columns(['proposal_id', 'party_key'])
        .unique()
        .execute();
      await db.schema
        .createTable('disclosure_decisions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id').onDelete('cascade'))
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
        .addColumn('proposal_id', 'text')
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('time_zone', 'text', (c) => c.notNull())
        /** The decided instant it replaced, if any. */
        .addColumn('previous_at', 'text')
        /** JSON list of the guardrail codes the team overrode. */
        .addColumn('overrides_json', 'text', (c) => c.notNull())
        /** JSON list of the guardrail findings at the decision (codes, levels, sentences). */
        .addColumn('findings_json', 'text', (c) => c.notNull())
        .addColumn('note_enc', 'text')
        .addColumn('decided_by_user_id', 'text')
        .addColumn('decided_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('disclosure_decisions_case')
        .on('disclosure_decisions')
        .columns(['case_id', 'decided_at'])
        .execute();
      await db.schema
        .createTable('portal_access_log')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id').onDelete('cascade'))
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('org_id', 'text')
        /** listed | case | disclosure-date | acknowledged | feedback | date-response */
        .addColumn('what', 'text', (c) => c.notNull())
        /** What exactly, in short (the parts shown, the lines of the patches): no embargoed text. */
        .addColumn('detail', 'text')
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('portal_access_log_case')
        .on('portal_access_log')
        .columns(['case_id', 'at'])
        .execute();
      await db.schema
        .createTable('portal_acknowledgements')
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id').onDelete('cascade'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('org_id', 'text')
        .addColumn('acknowledged_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('portal_acknowledgements_pk', ['case_id', 'user_id'])
        .execute();
      await db.schema
        .createTable('portal_feedback')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id').onDelete('cascade'))
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
        .addColumn('org_id', 'text')
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('body_enc', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('portal_feedback_case')
        .on('portal_feedback')
        .columns(['case_id', 'created_at'])
        .execute();
    },
  };
}
