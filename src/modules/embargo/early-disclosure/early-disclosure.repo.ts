/**
 * Data access for early disclosure: the recipients of a project's list, the sends of a case and
 * their copies (fingerprint, encrypted text, delivery), and the case's shares with organisations.
 * Queries only.
 */
import type { DbReader, DbTransaction } from '../../../db/connection.js';
import type { EarlyDisclosureCopiesTable, EarlyDisclosureSendsTable } from '../../../db/schema.js';

/** The delivery log shows at most this many copies of a case. */
export const COPIES_LIST_LIMIT = 5000;

/** Whether the person and their organisation are still active (a queued copy is not sent otherwise). */
/**
 * What a queued copy's recipient is now: their person row and organisation, whether their account
 * is disabled, and the embargo text they accepted; undefined when the person row is gone.
 */
export function findRecipientStanding(db: DbReader, personId: string) {
  return db
    .selectFrom('distributor_people as p')
    .innerJoin('distributor_orgs as o', 'o.id', 'p.org_id')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .select([
      'p.state as person_state',
      'o.state as org_state',
      'u.disabled_at',
      'p.embargo_hash',
      'p.embargo_accepted_at',
    ])
    .where('p.id', '=', personId)
    .executeTakeFirst();
}

export async function insertSend(db: DbTransaction, row: EarlyDisclosureSendsTable): Promise<void> {
  await db.insertInto('early_disclosure_sends').values(row).execute();
}

export async function insertCopy(db: DbTransaction, row: EarlyDisclosureCopiesTable): Promise<void> {
  await db.insertInto('early_disclosure_copies').values(row).execute();
}

/** Shares the case with an organisation (its people may open it in the portal); false if it was already. */
export async function shareCase(
  db: DbTransaction,
  share: { caseId: string; orgId: string; at: string; byUserId: string | null },
): Promise<boolean> {
  const inserted = await db
    .insertInto('case_distributor_shares')
    .values({
      case_id: share.caseId,
      org_id: share.orgId,
      shared_at: share.at,
      shared_by_user_id: share.byUserId,
    })
    .onConflict((oc) => oc.columns(['case_id', 'org_id']).doNothing())
    .returning('org_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** The people who hold a copy of revision `revision` of the case that was not failed or cancelled. */
export async function listServedPeople(db: DbReader, caseId: string, revision: number): Promise<string[]> {
  const rows = await db
    .selectFrom('early_disclosure_copies')
    .select('person_id')
    .distinct()
    .where('case_id', '=', caseId)
    .where('advisory_revision', '=', revision)
    .where('state', 'in', ['queued', 'accepted'])
    .execute();
  return rows.map((r) => r.person_id);
}

export type SendRow = Omit<EarlyDisclosureSendsTable, 'layout_enc'>;

/** The sends of a case, newest first (without their layouts). */
export function listSends(db: DbReader, caseId: string): Promise<SendRow[]> {
  return db
    .selectFrom('early_disclosure_sends')
    .select([
      'id',
      'case_id',
      'project_id',
      'advisory_id',
      'advisory_revision',
      'release_at',
      'excluded_json',
      'sent_by_user_id',
      'sent_by_name',
      'created_at',
    ])
    .where('case_id', '=', caseId)
    .orderBy('created_at', 'desc')
    .orderBy('advisory_revision', 'desc')
    .orderBy('id')
    .execute();
}

/** The sends of a case with their (encrypted) layouts, for tracing. */
export function listSendLayouts(db: DbReader, caseId: string) {
  return db
    .selectFrom('early_disclosure_sends')
    .select(['id', 'layout_enc', 'advisory_revision', 'created_at'])
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** A copy as the delivery log shows it (no text, seed or choices). */
export type CopyLogRow = Omit<
  EarlyDisclosureCopiesTable,
  'seed_enc' | 'choices_json' | 'text_enc' | 'armored_enc'
>;

const LOG_COLUMNS = [
  'id',
  'send_id',
  'case_id',
  'advisory_revision',
  'person_id',
  'org_id',
  'user_id',
  'recipient_name',
  'recipient_email',
  'org_name',
  'reference_code',
  'encrypted',
  'key_fingerprint',
  'state',
  'queued_at',
  'accepted_at',
  'smtp_response',
  'message_id',
  'attempts',
  'last_error',
  'failed_at',
  'cancelled_reason',
  'opened_at',
  'acknowledged_at',
  'created_at',
] as const;

/** Every copy of the case, for the delivery log. */
export function listCopies(db: DbReader, caseId: string): Promise<CopyLogRow[]> {
  return db
    .selectFrom('early_disclosure_copies')
    .select(LOG_COLUMNS)
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .orderBy('org_name')
    .orderBy('recipient_name')
    .orderBy('id')
    .limit(COPIES_LIST_LIMIT)
    .execute();
}

/** Every copy of the case with its choices, for tracing. */
export function listCopyChoices(db: DbReader, caseId: string) {
  return db
    .selectFrom('early_disclosure_copies')
    .select(['id', 'send_id', 'reference_code', 'choices_json'])
    .where('case_id', '=', caseId)
    .orderBy('id')
    .limit(COPIES_LIST_LIMIT)
    .execute();
}

/** One copy with what its delivery needs (its mail, encrypted). */
export function findCopyForDelivery(db: DbReader, id: string) {
  return db
    .selectFrom('early_disclosure_copies as c')
    .innerJoin('cases as k', 'k.id', 'c.case_id')
    .select([
      'c.id',
      'c.send_id',
      'c.case_id',
      'k.project_id',
      'k.state as case_state',
      'c.person_id',
      'c.recipient_email',
      'c.reference_code',
      'c.text_enc',
      'c.armored_enc',
      'c.state',
      'c.attempts',
    ])
    .where('c.id', '=', id)
    .executeTakeFirst();
}

/** Records the SMTP server's acceptance of a queued copy; false if it was no longer queued. */
export async function markCopyAccepted(
  db: DbTransaction,
  id: string,
  at: { accepted_at: string; smtp_response: string; message_id: string; attempts: number },
): Promise<boolean> {
  const r = await db
    .updateTable('early_disclosure_copies')
    .set({ ...at, state: 'accepted', last_error: null })
    .where('id', '=', id)
    .where('state', '=', 'queued')
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Records a failed attempt of a queued copy that will be tried again. */
export async function recordCopyAttempt(
  db: DbTransaction,
  id: string,
  attempt: { attempts: number; last_error: string },
): Promise<void> {
  await db
    .updateTable('early_disclosure_copies')
    .set(attempt)
    .where('id', '=', id)
    .where('state', '=', 'queued')
    .execute();
}

/** Marks a queued copy failed for good; false if it was no longer queued. */
export async function markCopyFailed(
  db: DbTransaction,
  id: string,
  failure: { attempts: number; last_error: string; failed_at: string },
): Promise<boolean> {
  const r = await db
    .updateTable('early_disclosure_copies')
    .set({ ...failure, state: 'failed' })
    .where('id', '=', id)
    .where('state', '=', 'queued')
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Withdraws a queued copy (the case went public, the person left); false if it was no longer queued. */
export async function cancelCopy(
  db: DbTransaction,
  id: string,
  reason: string,
  at: string,
): Promise<boolean> {
  const r = await db
    .updateTable('early_disclosure_copies')
    .set({ state: 'cancelled', cancelled_reason: reason, failed_at: at })
    .where('id', '=', id)
    .where('state', '=', 'queued')
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Sets `opened_at` on the person's delivered copies of the case that have none; their ids. */
export async function markOpened(db: DbTransaction, caseId: string, userId: string, at: string) {
  const rows = await db
    .updateTable('early_disclosure_copies')
    .set({ opened_at: at })
    .where('case_id', '=', caseId)
    .where('user_id', '=', userId)
    .where('state', 'in', ['queued', 'accepted'])
    .where('opened_at', 'is', null)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Sets `acknowledged_at` (and `opened_at` if unset) on the person's copies of the case; their ids. */
export async function markAcknowledged(db: DbTransaction, caseId: string, userId: string, at: string) {
  const rows = await db
    .updateTable('early_disclosure_copies')
    .set((eb) => ({ acknowledged_at: at, opened_at: eb.fn.coalesce('opened_at', eb.val(at)) }))
    .where('case_id', '=', caseId)
    .where('user_id', '=', userId)
    .where('state', 'in', ['queued', 'accepted'])
    .where('acknowledged_at', 'is', null)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}
