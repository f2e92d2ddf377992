/**
 * Data access for the distributors' portal: who of a distributors-list organisation a signed-in user
 * is on a shared case, the organisations a case is shared with, and the portal's own records (the
 * access log, acknowledgements, feedback). Queries only.
 */
import type { DbReader, DbTransaction, DbWriter } from '../../../db/connection.js';
import type {
  PortalAccessLogTable,
  PortalAcknowledgementsTable,
  PortalFeedbackTable,
} from '../../../db/schema.js';

/** A person of an organisation a case is shared with, as the portal acts for them. */
export interface CasePerson {
  personId: string;
  orgId: string;
  orgName: string;
  name: string;
  embargoHash: string | null;
  embargoAcceptedAt: string | null;
}

/**
 * The active person rows of `userId` in active organisations that `caseId` is shared with, the
 * organisation's name first (a person named by two organisations acts for the first).
 */
export function findCasePeople(db: DbReader, caseId: string, userId: string): Promise<CasePerson[]> {
  return db
    .selectFrom('case_distributor_shares as s')
    .innerJoin('distributor_orgs as o', 'o.id', 's.org_id')
    .innerJoin('distributor_people as p', 'p.org_id', 's.org_id')
    .select([
      'p.id as personId',
      'o.id as orgId',
      'o.name as orgName',
      'p.name as name',
      'p.embargo_hash as embargoHash',
      'p.embargo_accepted_at as embargoAcceptedAt',
    ])
    .where('s.case_id', '=', caseId)
    .where('p.user_id', '=', userId)
    .where('p.state', '=', 'active')
    .where('o.state', '=', 'active')
    .orderBy('o.name')
    .orderBy('o.id')
    .execute();
}

/** The active organisations `caseId` is shared with, by name. */
export function listSharedOrgs(db: DbReader, caseId: string): Promise<{ id: string; name: string }[]> {
  return db
    .selectFrom('case_distributor_shares as s')
    .innerJoin('distributor_orgs as o', 'o.id', 's.org_id')
    .select(['o.id as id', 'o.name as name'])
    .where('s.case_id', '=', caseId)
    .where('o.state', '=', 'active')
    .orderBy('o.name')
    .orderBy('o.id')
    .execute();
}

/**
 * The active people (embargo accepted, account enabled) of the active organisations `caseId` is
 * shared with: whom the portal's notifications go to, one message each.
 */
export async function listSharedPeople(
  db: DbReader,
  caseId: string,
): Promise<{ userId: string; email: string }[]> {
  const rows = await db
    .selectFrom('case_distributor_shares as s')
    .innerJoin('distributor_orgs as o', 'o.id', 's.org_id')
    .innerJoin('distributor_people as p', 'p.org_id', 's.org_id')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .select(['u.id as userId', 'u.email as email'])
    .where('s.case_id', '=', caseId)
    .where('o.state', '=', 'active')
    .where('p.state', '=', 'active')
    .where('p.embargo_accepted_at', 'is not', null)
    .where('u.disabled_at', 'is', null)
    .orderBy('u.id')
    .execute();
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(r.userId) && seen.add(r.userId));
}

export type AccessLogRow = PortalAccessLogTable;

/** Records one thing a person opened or did (a standalone write: the log is its own record). */
export async function insertAccessLog(db: DbWriter, row: AccessLogRow): Promise<void> {
  await db.insertInto('portal_access_log').values(row).execute();
}

/** A page of a case's access log, newest first (after `before`: at, id), with who and which organisation. */
export function listAccessLog(
  db: DbReader,
  caseId: string,
  before: readonly [at: string, id: string] | undefined,
  limit: number,
) {
  return db
    .selectFrom('portal_access_log as l')
    .innerJoin('users as u', 'u.id', 'l.user_id')
    .leftJoin('distributor_orgs as o', 'o.id', 'l.org_id')
    .select([
      'l.id',
      'l.user_id',
      'u.name as user_name',
      'u.email as user_email',
      'l.org_id',
      'o.name as org_name',
      'l.what',
      'l.detail',
      'l.at',
    ])
    .where('l.case_id', '=', caseId)
    .$if(before !== undefined, (qb) =>
      qb.where((eb) => eb(eb.refTuple('l.at', 'l.id'), '<', eb.tuple(before?.[0] ?? '', before?.[1] ?? ''))),
    )
    .orderBy('l.at', 'desc')
    .orderBy('l.id', 'desc')
    .limit(limit)
    .execute();
}

export function findAcknowledgement(
  db: DbReader,
  caseId: string,
  userId: string,
): Promise<{ acknowledged_at: string } | undefined> {
  return db
    .selectFrom('portal_acknowledgements')
    .select(['acknowledged_at'])
    .where('case_id', '=', caseId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/** Records a person's acknowledgement; false when they had acknowledged already. */
export async function insertAcknowledgement(
  db: DbTransaction,
  row: PortalAcknowledgementsTable,
): Promise<boolean> {
  const r = await db
    .insertInto('portal_acknowledgements')
    .values(row)
    .onConflict((oc) => oc.columns(['case_id', 'user_id']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Who acknowledged the case, and when. */
export function listAcknowledgements(db: DbReader, caseId: string) {
  return db
    .selectFrom('portal_acknowledgements as a')
    .innerJoin('users as u', 'u.id', 'a.user_id')
    .leftJoin('distributor_orgs as o', 'o.id', 'a.org_id')
    .select(['a.user_id', 'u.name as user_name', 'a.org_id', 'o.name as org_name', 'a.acknowledged_at'])
    .where('a.case_id', '=', caseId)
    .orderBy('a.acknowledged_at')
    .orderBy('a.user_id')
    .execute();
}

export type FeedbackRow = PortalFeedbackTable;

export async function insertFeedback(db: DbTransaction, row: FeedbackRow): Promise<void> {
  await db.insertInto('portal_feedback').values(row).execute();
}

/** A case's feedback, oldest first; one organisation's only when `orgId` is given. */
export function listFeedback(db: DbReader, caseId: string, orgId?: string) {
  let q = db
    .selectFrom('portal_feedback as f')
    .innerJoin('users as u', 'u.id', 'f.user_id')
    .leftJoin('distributor_orgs as o', 'o.id', 'f.org_id')
    .select([
      'f.id',
      'f.user_id',
      'u.name as user_name',
      'f.org_id',
      'o.name as org_name',
      'f.body_enc',
      'f.created_at',
    ])
    .where('f.case_id', '=', caseId);
  if (orgId !== undefined) q = q.where('f.org_id', '=', orgId);
  return q.orderBy('f.created_at').orderBy('f.id').limit(500).execute();
}
