/** Data access for the retrospective and what its draft is built from. Queries only. */
import type { DbReader, DbTransaction } from '../../../db/connection.js';
import type { RetrospectiveFeedbackTable } from '../../../db/schema.js';

/**
 * At most this many audit events make a case's timeline, the newest ones (a case with thousands of
 * CI runs still reads, and its end, the releases and the publication, is always there).
 */
export const MAX_CASE_EVENTS = 5000;
/** A retrospective takes at most this many pieces of feedback; the next is refused (409), none is hidden. */
export const MAX_FEEDBACK = 1000;

export function findRetrospective(db: DbReader, caseId: string) {
  return db
    .selectFrom('retrospectives')
    .select(['case_id', 'state', 'sections_enc', 'drafted_at', 'updated_at', 'closed_at', 'closed_by'])
    .where('case_id', '=', caseId)
    .executeTakeFirst();
}
export type RetrospectiveRow = NonNullable<Awaited<ReturnType<typeof findRetrospective>>>;

/** Inserts the draft unless the case has a retrospective already; true when inserted. */
export async function insertRetrospectiveDraft(
  db: DbTransaction,
  caseId: string,
  at: string,
): Promise<boolean> {
  const r = await db
    .insertInto('retrospectives')
    .values({
      case_id: caseId,
      state: 'draft',
      sections_enc: null,
      drafted_at: at,
      updated_at: at,
      closed_at: null,
      closed_by: null,
    })
    .onConflict((oc) => oc.column('case_id').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/**
 * Takes the row lock of a draft retrospective (PostgreSQL; SQLite's write lock) so that an edit, a
 * feedback and a close are serialised; false when there is no draft (none, or closed).
 */
export async function lockDraftRetrospective(db: DbTransaction, caseId: string): Promise<boolean> {
  const r = await db
    .updateTable('retrospectives')
    .set({ state: 'draft' })
    .where('case_id', '=', caseId)
    .where('state', '=', 'draft')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function updateRetrospectiveSections(
  db: DbTransaction,
  caseId: string,
  sectionsEnc: string,
  at: string,
): Promise<void> {
  await db
    .updateTable('retrospectives')
    .set({ sections_enc: sectionsEnc, updated_at: at })
    .where('case_id', '=', caseId)
    .execute();
}

/** Closes a draft retrospective; false when it was not a draft. */
export async function closeRetrospective(
  db: DbTransaction,
  caseId: string,
  by: string,
  at: string,
): Promise<boolean> {
  const r = await db
    .updateTable('retrospectives')
    .set({ state: 'closed', closed_at: at, closed_by: by, updated_at: at })
    .where('case_id', '=', caseId)
    .where('state', '=', 'draft')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertFeedback(db: DbTransaction, row: RetrospectiveFeedbackTable): Promise<void> {
  await db.insertInto('retrospective_feedback').values(row).execute();
}

/** The feedback of a case's retrospective, oldest first (all of it: `MAX_FEEDBACK` bounds what is added). */
export function listFeedback(db: DbReader, caseId: string) {
  return db
    .selectFrom('retrospective_feedback')
    .select(['id', 'author_user_id', 'author_name', 'body_enc', 'created_at'])
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .orderBy('id')
    .limit(MAX_FEEDBACK)
    .execute();
}

/** How many pieces of feedback the case's retrospective holds. */
export async function countFeedback(db: DbReader, caseId: string): Promise<number> {
  const r = await db
    .selectFrom('retrospective_feedback')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('case_id', '=', caseId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * The newest `limit` audit events about a case, newest first: those whose subject is the case, its advisory or
 * one of its CI runs, and those whose data names the case (`ci.run_queued`, `retrospective.*`).
 * Read within the case's project, so the project index bounds the scan.
 */
export function listCaseAuditEvents(db: DbReader, caseId: string, limit: number) {
  return db
    .selectFrom('audit_events')
    .select([
      'seq',
      'occurred_at',
      'actor_type',
      'actor_id',
      'action',
      'subject_type',
      'subject_id',
      'data_json',
    ])
    .where('project_id', '=', (eb) => eb.selectFrom('cases').select('project_id').where('id', '=', caseId))
    .where((eb) =>
      eb.or([
        eb('subject_id', '=', caseId),
        eb('subject_id', 'in', eb.selectFrom('advisories').select('id').where('case_id', '=', caseId)),
        eb('subject_id', 'in', eb.selectFrom('ci_runs').select('id').where('case_id', '=', caseId)),
        // A uuid holds no LIKE wildcard.
        eb('data_json', 'like', `%"caseId":"${caseId}"%`),
      ]),
    )
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
}

/** The people invited to the case who accepted its terms, with their role (ended or not). */
export function listCaseMemberRoles(db: DbReader, caseId: string) {
  return db
    .selectFrom('case_members')
    .select(['user_id as userId', 'role'])
    .where('case_id', '=', caseId)
    .where('terms_accepted_at', 'is not', null)
    .execute();
}

export function listCaseReleases(db: DbReader, caseId: string) {
  return db
    .selectFrom('case_releases')
    .select(['line', 'version', 'url', 'state'])
    .where('case_id', '=', caseId)
    .orderBy('line')
    .execute();
}

/** The case's newest CI runs (never their logs), newest first. */
export function listCaseRuns(db: DbReader, caseId: string) {
  return db
    .selectFrom('ci_runs')
    .select(['id', 'branch', 'commit_sha as commitSha', 'state', 'created_at as createdAt'])
    .where('case_id', '=', caseId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(MAX_CASE_EVENTS)
    .execute();
}
