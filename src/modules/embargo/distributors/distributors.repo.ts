/**
 * Data access for a project's distributors list (PROCESS.md §7): member organisations and their
 * people, applications and their vouches, leak reports, incidents and reviews. Queries only; the
 * encrypted columns travel as they are stored.
 */
import type { DbReader, DbTransaction } from '../../../db/connection.js';
import type {
  DistributorApplicationsTable,
  DistributorIncidentsTable,
  DistributorLeakReportsTable,
  DistributorOrgsTable,
  DistributorPeopleTable,
  DistributorReviewsTable,
} from '../../../db/schema.js';

/** A list is run by hand: at most this many organisations, applications, reports are listed. */
export const LIST_LIMIT = 500;

export type OrgRow = DistributorOrgsTable;
export type PersonRow = DistributorPeopleTable;
export type ApplicationRow = DistributorApplicationsTable;
export type LeakReportRow = DistributorLeakReportsTable;
export type IncidentRow = DistributorIncidentsTable;
export type ReviewRow = DistributorReviewsTable;

const ORG_COLUMNS = [
  'id',
  'project_id',
  'name',
  'contact_alias',
  'state',
  'state_note_enc',
  'vouched_by_org_id',
  'application_id',
  'joined_at',
  'review_due_at',
  'removed_at',
  'created_at',
  'updated_at',
] as const;

const PERSON_COLUMNS = [
  'id',
  'org_id',
  'project_id',
  'user_id',
  'name',
  'pgp_public_key',
  'pgp_fingerprint',
  'pgp_expires_at',
  'embargo_hash',
  'embargo_accepted_at',
  'state',
  'added_by_user_id',
  'created_at',
  'removed_at',
] as const;

const APPLICATION_COLUMNS = [
  'id',
  'project_id',
  'org_name',
  'contact_alias',
  'applicant_name',
  'applicant_email',
  'pgp_public_key',
  'pgp_fingerprint',
  'pgp_expires_at',
  'criteria_json',
  'answers_enc',
  'embargo_hash',
  'embargo_accepted_at',
  'vouch_person_id',
  'vouch_state',
  'vouch_note_enc',
  'vouch_answered_at',
  'state',
  'decision_reason_enc',
  'decided_by_user_id',
  'decided_at',
  'org_id',
  'created_at',
  'updated_at',
] as const;

const LEAK_COLUMNS = [
  'id',
  'project_id',
  'reported_by_user_id',
  'reporter_org_id',
  'case_id',
  'case_ref',
  'what_enc',
  'to_whom_enc',
  'when_enc',
  'state',
  'incident_id',
  'created_at',
  'updated_at',
] as const;

const INCIDENT_COLUMNS = [
  'id',
  'project_id',
  'org_id',
  'leak_report_id',
  'case_id',
  'what_enc',
  'to_whom_enc',
  'when_enc',
  'recorded_by_user_id',
  'recorded_at',
] as const;

// ---- The seam other parts use ----------------------------------------------------------------

/** A person an early disclosure goes to: an active person of an active organisation of the list. */
export interface Recipient {
  personId: string;
  orgId: string;
  orgName: string;
  userId: string;
  email: string;
  name: string;
  pgpPublicKey: string | null;
  pgpFingerprint: string | null;
  pgpExpiresAt: string | null;
  /** SHA-256 of the embargo text they accepted (null: never); compare with the current text's. */
  embargoHash: string | null;
  embargoAcceptedAt: string | null;
}

/** Every active person of every active organisation on the project's list, by organisation and name. */
export async function listRecipients(db: DbReader, projectId: string): Promise<Recipient[]> {
  const rows = await db
    .selectFrom('distributor_people as p')
    .innerJoin('distributor_orgs as o', 'o.id', 'p.org_id')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .select([
      'p.id as person_id',
      'p.org_id',
      'o.name as org_name',
      'p.user_id',
      'u.email',
      'p.name',
      'p.pgp_public_key',
      'p.pgp_fingerprint',
      'p.pgp_expires_at',
      'p.embargo_hash',
      'p.embargo_accepted_at',
    ])
    .where('p.project_id', '=', projectId)
    .where('p.state', '=', 'active')
    .where('o.state', '=', 'active')
    .where('u.disabled_at', 'is', null)
    .orderBy('o.name')
    .orderBy('p.name')
    .orderBy('p.id')
    .limit(1000)
    .execute();
  return rows.map((r) => ({
    personId: r.person_id,
    orgId: r.org_id,
    orgName: r.org_name,
    userId: r.user_id,
    email: r.email,
    name: r.name,
    pgpPublicKey: r.pgp_public_key,
    pgpFingerprint: r.pgp_fingerprint,
    pgpExpiresAt: r.pgp_expires_at,
    embargoHash: r.embargo_hash,
    embargoAcceptedAt: r.embargo_accepted_at,
  }));
}

// ---- Organisations -----------------------------------------------------------------------------

export async function insertOrg(db: DbTransaction, row: OrgRow): Promise<void> {
  await db.insertInto('distributor_orgs').values(row).execute();
}

/** The organisation `orgId` of the project (undefined for another project's). */
export function findOrg(db: DbReader, projectId: string, orgId: string): Promise<OrgRow | undefined> {
  return db
    .selectFrom('distributor_orgs')
    .select(ORG_COLUMNS)
    .where('id', '=', orgId)
    .where('project_id', '=', projectId)
    .executeTakeFirst();
}

export function findOrgById(db: DbReader, orgId: string): Promise<OrgRow | undefined> {
  return db.selectFrom('distributor_orgs').select(ORG_COLUMNS).where('id', '=', orgId).executeTakeFirst();
}

/** Whether the project's list has an organisation of that name (any state: names are unique). */
export async function orgNameTaken(db: DbReader, projectId: string, name: string): Promise<boolean> {
  const r = await db
    .selectFrom('distributor_orgs')
    .select('id')
    .where('project_id', '=', projectId)
    .where('name', '=', name)
    .executeTakeFirst();
  return r !== undefined;
}

export function listOrgs(db: DbReader, projectId: string): Promise<OrgRow[]> {
  return db
    .selectFrom('distributor_orgs')
    .select(ORG_COLUMNS)
    .where('project_id', '=', projectId)
    .orderBy('name')
    .limit(LIST_LIMIT)
    .execute();
}

/** Moves the organisation from `from` to a new state; false when it was not in `from` any more. */
export async function setOrgState(
  db: DbTransaction,
  orgId: string,
  from: string,
  set: { state: string; state_note_enc: string; removed_at: string | null; updated_at: string },
): Promise<boolean> {
  const r = await db
    .updateTable('distributor_orgs')
    .set(set)
    .where('id', '=', orgId)
    .where('state', '=', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function setOrgReviewDue(
  db: DbTransaction,
  orgId: string,
  reviewDueAt: string,
  at: string,
): Promise<void> {
  await db
    .updateTable('distributor_orgs')
    .set({ review_due_at: reviewDueAt, updated_at: at })
    .where('id', '=', orgId)
    .execute();
}

// ---- People ----------------------------------------------------------------------------------

export async function insertPerson(db: DbTransaction, row: PersonRow): Promise<void> {
  await db.insertInto('distributor_people').values(row).execute();
}

export function findPerson(db: DbReader, personId: string): Promise<PersonRow | undefined> {
  return db
    .selectFrom('distributor_people')
    .select(PERSON_COLUMNS)
    .where('id', '=', personId)
    .executeTakeFirst();
}

export function findPersonOfOrg(db: DbReader, orgId: string, userId: string): Promise<PersonRow | undefined> {
  return db
    .selectFrom('distributor_people')
    .select(PERSON_COLUMNS)
    .where('org_id', '=', orgId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/** A removed person added again: active, with the embargo text to accept again. */
export async function reactivatePerson(
  db: DbTransaction,
  personId: string,
  set: Pick<
    PersonRow,
    'name' | 'pgp_public_key' | 'pgp_fingerprint' | 'pgp_expires_at' | 'added_by_user_id' | 'created_at'
  > &
    Pick<PersonRow, 'embargo_hash' | 'embargo_accepted_at'>,
): Promise<boolean> {
  const r = await db
    .updateTable('distributor_people')
    .set({ ...set, state: 'active', removed_at: null })
    .where('id', '=', personId)
    .where('state', '=', 'removed')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The people of the project's list with their accounts' addresses, by name. */
export function listPeople(db: DbReader, projectId: string) {
  return db
    .selectFrom('distributor_people as p')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .select([...PERSON_COLUMNS.map((c) => `p.${c}` as const), 'u.email'])
    .where('p.project_id', '=', projectId)
    .orderBy('p.name')
    .orderBy('p.id')
    .limit(LIST_LIMIT * 10)
    .execute();
}

export async function removePerson(db: DbTransaction, personId: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('distributor_people')
    .set({ state: 'removed', removed_at: at })
    .where('id', '=', personId)
    .where('state', '=', 'active')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function setPersonKey(
  db: DbTransaction,
  personId: string,
  key: Pick<PersonRow, 'pgp_public_key' | 'pgp_fingerprint' | 'pgp_expires_at'>,
): Promise<void> {
  await db.updateTable('distributor_people').set(key).where('id', '=', personId).execute();
}

/** Records the acceptance of the embargo text `hash` by an active person; false when not active. */
export async function acceptEmbargo(
  db: DbTransaction,
  personId: string,
  hash: string,
  at: string,
): Promise<boolean> {
  const r = await db
    .updateTable('distributor_people')
    .set({ embargo_hash: hash, embargo_accepted_at: at })
    .where('id', '=', personId)
    .where('state', '=', 'active')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * The active person of an active organisation of the project's list whose account has `email`
 * (the first by organisation name when several), with their organisation's name.
 */
export function findActivePersonByEmail(db: DbReader, projectId: string, email: string) {
  return db
    .selectFrom('distributor_people as p')
    .innerJoin('distributor_orgs as o', 'o.id', 'p.org_id')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .select(['p.id', 'p.org_id', 'p.user_id', 'p.name', 'o.name as org_name'])
    .where('p.project_id', '=', projectId)
    .where('u.email', '=', email)
    .where('u.disabled_at', 'is', null)
    .where('p.state', '=', 'active')
    .where('o.state', '=', 'active')
    .orderBy('o.name')
    .executeTakeFirst();
}

/**
 * The user's active person rows on the project's list whose organisation is not removed (a
 * suspended organisation's people may still report a leak), first the active organisations.
 */
export function listActivePeopleOfUserInProject(db: DbReader, projectId: string, userId: string) {
  return db
    .selectFrom('distributor_people as p')
    .innerJoin('distributor_orgs as o', 'o.id', 'p.org_id')
    .select(['p.id', 'p.org_id', 'o.state as org_state'])
    .where('p.project_id', '=', projectId)
    .where('p.user_id', '=', userId)
    .where('p.state', '=', 'active')
    .where('o.state', '!=', 'removed')
    .orderBy('o.state')
    .execute();
}

/** The user's active person rows, of organisations not removed, with their projects: their own view. */
export function listMembershipsOfUser(db: DbReader, userId: string) {
  return db
    .selectFrom('distributor_people as p')
    .innerJoin('distributor_orgs as o', 'o.id', 'p.org_id')
    .innerJoin('projects as pr', 'pr.id', 'p.project_id')
    .select([
      'p.id',
      'p.project_id',
      'p.embargo_hash',
      'p.embargo_accepted_at',
      'o.id as org_id',
      'o.name as org_name',
      'o.state as org_state',
      'pr.slug as project_slug',
      'pr.name as project_name',
    ])
    .where('p.user_id', '=', userId)
    .where('p.state', '=', 'active')
    .where('o.state', '!=', 'removed')
    .orderBy('pr.slug')
    .orderBy('o.name')
    .limit(LIST_LIMIT)
    .execute();
}

/**
 * How many other grants the user holds besides person row `exceptPersonId`: invitations to cases,
 * and people rows of any list. A sign-in link goes only to an account that holds nothing else.
 */
export async function countOtherHoldings(
  db: DbReader,
  userId: string,
  exceptPersonId: string,
): Promise<number> {
  const cases = await db
    .selectFrom('case_members')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  const people = await db
    .selectFrom('distributor_people')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('id', '!=', exceptPersonId)
    .executeTakeFirstOrThrow();
  return Number(cases.n) + Number(people.n);
}

// ---- Applications ------------------------------------------------------------------------------

export async function insertApplication(db: DbTransaction, row: ApplicationRow): Promise<void> {
  await db.insertInto('distributor_applications').values(row).execute();
}

export function findApplication(db: DbReader, id: string): Promise<ApplicationRow | undefined> {
  return db
    .selectFrom('distributor_applications')
    .select(APPLICATION_COLUMNS)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** A page of the project's applications, newest first (ties by id), after `before` (created_at, id). */
export function listApplications(
  db: DbReader,
  projectId: string,
  before: readonly [createdAt: string, id: string] | undefined,
  limit: number,
): Promise<ApplicationRow[]> {
  return db
    .selectFrom('distributor_applications')
    .select(APPLICATION_COLUMNS)
    .where('project_id', '=', projectId)
    .$if(before !== undefined, (qb) =>
      qb.where((eb) =>
        eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(before?.[0] ?? '', before?.[1] ?? '')),
      ),
    )
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/**
 * The vouches asked of the user's person rows that are still active in an active organisation,
 * newest first, with the projects.
 */
export function listVouchRequests(db: DbReader, userId: string) {
  return db
    .selectFrom('distributor_applications as a')
    .innerJoin('distributor_people as p', 'p.id', 'a.vouch_person_id')
    .innerJoin('distributor_orgs as o', 'o.id', 'p.org_id')
    .innerJoin('projects as pr', 'pr.id', 'a.project_id')
    .select([
      ...APPLICATION_COLUMNS.map((c) => `a.${c}` as const),
      'pr.slug as project_slug',
      'pr.name as project_name',
    ])
    .where('p.user_id', '=', userId)
    .where('p.state', '=', 'active')
    .where('o.state', '=', 'active')
    .orderBy('a.created_at', 'desc')
    .limit(LIST_LIMIT)
    .execute();
}

/** Records the vouching member's answer on a pending application still asking; false otherwise. */
export async function answerVouch(
  db: DbTransaction,
  id: string,
  set: { vouch_state: string; vouch_note_enc: string | null; vouch_answered_at: string },
): Promise<boolean> {
  const r = await db
    .updateTable('distributor_applications')
    .set({ ...set, updated_at: set.vouch_answered_at })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .where('vouch_state', '=', 'asked')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Decides a pending application; false when it was decided already. */
export async function decideApplication(
  db: DbTransaction,
  id: string,
  set: {
    state: string;
    decision_reason_enc: string | null;
    decided_by_user_id: string | null;
    decided_at: string;
    org_id: string | null;
  },
): Promise<boolean> {
  const r = await db
    .updateTable('distributor_applications')
    .set({ ...set, updated_at: set.decided_at })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// ---- Leaks and incidents -----------------------------------------------------------------------

export async function insertLeakReport(db: DbTransaction, row: LeakReportRow): Promise<void> {
  await db.insertInto('distributor_leak_reports').values(row).execute();
}

export function findLeakReport(
  db: DbReader,
  projectId: string,
  id: string,
): Promise<LeakReportRow | undefined> {
  return db
    .selectFrom('distributor_leak_reports')
    .select(LEAK_COLUMNS)
    .where('id', '=', id)
    .where('project_id', '=', projectId)
    .executeTakeFirst();
}

/** A page of the project's leak reports, newest first (ties by id), after `before` (created_at, id), with who reported them. */
export function listLeakReports(
  db: DbReader,
  projectId: string,
  before: readonly [createdAt: string, id: string] | undefined,
  limit: number,
) {
  return db
    .selectFrom('distributor_leak_reports as l')
    .innerJoin('users as u', 'u.id', 'l.reported_by_user_id')
    .leftJoin('cases as c', 'c.id', 'l.case_id')
    .select([
      ...LEAK_COLUMNS.map((c) => `l.${c}` as const),
      'u.email as reporter_email',
      'u.name as reporter_name',
      'c.human_id as case_human_id',
    ])
    .where('l.project_id', '=', projectId)
    .$if(before !== undefined, (qb) =>
      qb.where((eb) =>
        eb(eb.refTuple('l.created_at', 'l.id'), '<', eb.tuple(before?.[0] ?? '', before?.[1] ?? '')),
      ),
    )
    .orderBy('l.created_at', 'desc')
    .orderBy('l.id', 'desc')
    .limit(limit)
    .execute();
}

/** Closes an open leak report (confirmed as an incident, or dismissed); false when not open. */
export async function closeLeakReport(
  db: DbTransaction,
  id: string,
  set: { state: string; incident_id: string | null; updated_at: string },
): Promise<boolean> {
  const r = await db
    .updateTable('distributor_leak_reports')
    .set(set)
    .where('id', '=', id)
    .where('state', '=', 'open')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertIncident(db: DbTransaction, row: IncidentRow): Promise<void> {
  await db.insertInto('distributor_incidents').values(row).execute();
}

/** The project's incidents, newest first. */
export function listIncidents(db: DbReader, projectId: string) {
  return db
    .selectFrom('distributor_incidents as i')
    .leftJoin('cases as c', 'c.id', 'i.case_id')
    .select([...INCIDENT_COLUMNS.map((c) => `i.${c}` as const), 'c.human_id as case_human_id'])
    .where('i.project_id', '=', projectId)
    .orderBy('i.recorded_at', 'desc')
    .orderBy('i.id')
    .limit(LIST_LIMIT)
    .execute();
}

/** The number of incidents recorded against each organisation of the project that has any. */
export async function countIncidentsByOrg(db: DbReader, projectId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('distributor_incidents')
    .select(['org_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('project_id', '=', projectId)
    .groupBy('org_id')
    .execute();
  return new Map(rows.map((r) => [r.org_id, Number(r.n)]));
}

export async function countIncidents(db: DbReader, orgId: string): Promise<number> {
  const r = await db
    .selectFrom('distributor_incidents')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('org_id', '=', orgId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

// ---- Reviews -------------------------------------------------------------------------------------

export async function insertReview(db: DbTransaction, row: ReviewRow): Promise<void> {
  await db.insertInto('distributor_reviews').values(row).execute();
}

/** The project's reviews, newest first (the first of each organisation is its last review). */
export function listReviews(db: DbReader, projectId: string): Promise<ReviewRow[]> {
  return db
    .selectFrom('distributor_reviews')
    .select(['id', 'project_id', 'org_id', 'reviewed_by_user_id', 'reviewed_at', 'note_enc', 'next_due_at'])
    .where('project_id', '=', projectId)
    .orderBy('reviewed_at', 'desc')
    .orderBy('id')
    .limit(LIST_LIMIT * 4)
    .execute();
}
