/** Data access for publications, their holds and their outbound messages. Queries only. */
import type { DbReader, DbTransaction, DbWriter } from '../../../db/connection.js';
import type {
  CasePublicationsTable,
  PublicationDeliveriesTable,
  PublicationHoldsTable,
} from '../../../db/schema.js';

export type PublicationRow = CasePublicationsTable;
export type HoldRow = PublicationHoldsTable;
export type DeliveryRow = PublicationDeliveriesTable;

const PUBLICATION_COLUMNS = [
  'case_id',
  'project_id',
  'state',
  'scheduled_for',
  'generation',
  'attempt_seq',
  'pending_job_key',
  'next_attempt_at',
  'fix_coming_for',
  'fix_coming_note',
  'announcement_note',
  'published_at',
  'published_by',
  'created_at',
  'updated_at',
] as const;

const HOLD_COLUMNS = [
  'id',
  'case_id',
  'generation',
  'started_at',
  'ended_at',
  'ended_by',
  'reasons_json',
  'attempts',
  'last_attempt_at',
  'alerted_at',
] as const;

const DELIVERY_COLUMNS = [
  'id',
  'case_id',
  'project_id',
  'channel',
  'recipient',
  'ref',
  'org_id',
  'state',
  'attempts',
  'last_error',
  'sent_at',
  'created_at',
  'updated_at',
] as const;

export function findPublication(db: DbReader, caseId: string): Promise<PublicationRow | undefined> {
  return db
    .selectFrom('case_publications')
    .select(PUBLICATION_COLUMNS)
    .where('case_id', '=', caseId)
    .executeTakeFirst();
}

export async function insertPublication(db: DbTransaction, row: PublicationRow): Promise<void> {
  await db.insertInto('case_publications').values(row).execute();
}

/**
 * Changes the publication if it is still in one of `states` (and of `generation`, when given):
 * the compare-and-set that serialises two instances, a retry and the team. False when it was not.
 */
export async function updatePublication(
  db: DbTransaction,
  caseId: string,
  when: { states: readonly string[]; generation?: number | undefined },
  patch: Partial<Omit<PublicationRow, 'case_id' | 'project_id' | 'created_at'>> & { updated_at: string },
): Promise<boolean> {
  const r = await db
    .updateTable('case_publications')
    .set(patch)
    .where('case_id', '=', caseId)
    .where('state', 'in', [...when.states])
    .$if(when.generation !== undefined, (qb) => qb.where('generation', '=', when.generation ?? 0))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The hold of the case that has not ended, if any. */
export function findOpenHold(db: DbReader, caseId: string): Promise<HoldRow | undefined> {
  return db
    .selectFrom('publication_holds')
    .select(HOLD_COLUMNS)
    .where('case_id', '=', caseId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
}

export function findHold(db: DbReader, id: string): Promise<HoldRow | undefined> {
  return db.selectFrom('publication_holds').select(HOLD_COLUMNS).where('id', '=', id).executeTakeFirst();
}

/** The Fix Lead and the team were told of the hold. */
export async function markHoldAlerted(db: DbTransaction, id: string, at: string): Promise<void> {
  await db.updateTable('publication_holds').set({ alerted_at: at }).where('id', '=', id).execute();
}

/** Every hold of the case, oldest first. */
export function listHolds(db: DbReader, caseId: string): Promise<HoldRow[]> {
  return db
    .selectFrom('publication_holds')
    .select(HOLD_COLUMNS)
    .where('case_id', '=', caseId)
    .orderBy('started_at')
    .orderBy('id')
    .execute();
}

export async function insertHold(db: DbTransaction, row: HoldRow): Promise<void> {
  await db.insertInto('publication_holds').values(row).execute();
}

/** Another attempt found the hold's blockers still there. */
export async function recordHoldAttempt(
  db: DbTransaction,
  id: string,
  patch: { reasons_json: string; last_attempt_at: string },
): Promise<void> {
  await db
    .updateTable('publication_holds')
    .set((eb) => ({ ...patch, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

/** Ends the case's open hold, if any. */
export async function endOpenHold(
  db: DbTransaction,
  caseId: string,
  patch: { ended_at: string; ended_by: string },
): Promise<void> {
  await db
    .updateTable('publication_holds')
    .set(patch)
    .where('case_id', '=', caseId)
    .where('ended_at', 'is', null)
    .execute();
}

/** Adds an outbound message unless the same channel, recipient and ref exist for the case; true when added. */
export async function insertDelivery(db: DbTransaction, row: DeliveryRow): Promise<boolean> {
  const r = await db
    .insertInto('publication_deliveries')
    .values(row)
    .onConflict((oc) => oc.columns(['case_id', 'channel', 'recipient', 'ref']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export function findDelivery(db: DbReader, id: string): Promise<DeliveryRow | undefined> {
  return db
    .selectFrom('publication_deliveries')
    .select(DELIVERY_COLUMNS)
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * Records a send attempt's outcome while the message is still queued (a sent one is never changed:
 * a stale runner's late result is dropped); false when it was not queued any more.
 */
export async function recordDeliveryAttempt(
  db: DbWriter,
  id: string,
  patch: Partial<Pick<DeliveryRow, 'state' | 'last_error' | 'sent_at'>> & { updated_at: string },
): Promise<boolean> {
  const r = await db
    .updateTable('publication_deliveries')
    .set((eb) => ({ ...patch, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .where('state', '=', 'queued')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Every outbound message of the case, oldest first. */
export function listDeliveries(db: DbReader, caseId: string): Promise<DeliveryRow[]> {
  return db
    .selectFrom('publication_deliveries')
    .select(DELIVERY_COLUMNS)
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .orderBy('channel')
    .orderBy('recipient')
    .execute();
}

/**
 * Who gets the distributors' follow-up: every active person of every organisation the case was
 * shared with (an organisation removed from the list since is left out), with their address.
 */
export function listFollowUpRecipients(db: DbReader, caseId: string) {
  return db
    .selectFrom('case_distributor_shares as s')
    .innerJoin('distributor_orgs as o', 'o.id', 's.org_id')
    .innerJoin('distributor_people as p', 'p.org_id', 'o.id')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .select(['p.id as person_id', 'o.id as org_id', 'o.name as org_name', 'u.email'])
    .where('s.case_id', '=', caseId)
    .where('o.state', '!=', 'removed')
    .where('p.state', '=', 'active')
    .where('u.disabled_at', 'is', null)
    .orderBy('o.name')
    .orderBy('u.email')
    .execute();
}

/** The names of distributors' organisations, by id. */
export function listOrgNames(db: DbReader, orgIds: readonly string[]) {
  if (orgIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('distributor_orgs')
    .select(['id', 'name'])
    .where('id', 'in', [...orgIds])
    .execute();
}

/** Records when users were first told a fix is coming (PROCESS.md §8); false when already recorded. */
export async function markUsersTold(db: DbTransaction, caseId: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('cases')
    .set({ users_told_at: at, updated_at: at })
    .where('id', '=', caseId)
    .where('users_told_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
