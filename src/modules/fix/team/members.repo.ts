/**
 * Data access for the people invited to one case (Fix Team, collaborators, the reporter): their
 * invitations, the embargo terms they accepted, and the end of their access. Queries only.
 */
import type { DbReader, DbTransaction } from '../../../db/connection.js';
import type { CaseMembersTable } from '../../../db/schema.js';

/** A member as services read it; the removal's words (`ended_note_enc`) are kept for the record only. */
export type MemberRow = Omit<CaseMembersTable, 'ended_note_enc'>;

const MEMBER_COLUMNS = [
  'id',
  'case_id',
  'user_id',
  'role',
  'invited_by',
  'invited_at',
  'terms_hash',
  'terms_accepted_at',
  'ended_at',
  'ended_reason',
] as const;

/** A case has at most this many members listed (invitations are made by hand, one at a time). */
export const MEMBERS_LIST_LIMIT = 500;
/** A person sees at most this many pending invitations. */
export const INVITATIONS_LIST_LIMIT = 100;

export async function insertMember(db: DbTransaction, row: MemberRow): Promise<void> {
  await db.insertInto('case_members').values(row).execute();
}

export function findMemberById(db: DbReader, id: string): Promise<MemberRow | undefined> {
  return db.selectFrom('case_members').select(MEMBER_COLUMNS).where('id', '=', id).executeTakeFirst();
}

export function findMemberOfCase(
  db: DbReader,
  caseId: string,
  userId: string,
): Promise<MemberRow | undefined> {
  return db
    .selectFrom('case_members')
    .select(MEMBER_COLUMNS)
    .where('case_id', '=', caseId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/** How many cases other than `caseId` `userId` was ever invited to, and distributors lists they are on. */
export async function countOtherMemberships(db: DbReader, userId: string, caseId: string): Promise<number> {
  const cases = await db
    .selectFrom('case_members')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('case_id', '!=', caseId)
    .executeTakeFirstOrThrow();
  // A distributors-list person's account opens their list (and the portal) too.
  const lists = await db
    .selectFrom('distributor_people')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(cases.n) + Number(lists.n);
}

/** Invites again a pending or ended member: a fresh invitation, terms to accept again. */
export async function reinviteMember(
  db: DbTransaction,
  id: string,
  invite: { role: string; invited_by: string | null; invited_at: string },
): Promise<void> {
  await db
    .updateTable('case_members')
    .set({ ...invite, terms_hash: null, terms_accepted_at: null, ended_at: null, ended_reason: null })
    .where('id', '=', id)
    // Access ended by the case's publication never opens again.
    .where((eb) => eb.or([eb('ended_reason', 'is', null), eb('ended_reason', '!=', 'published')]))
    .execute();
}

/** The members of a case with their names, invitations first to last. */
export function listMembers(db: DbReader, caseId: string) {
  return db
    .selectFrom('case_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select([
      'm.id',
      'm.user_id',
      'm.role',
      'm.invited_at',
      'm.terms_accepted_at',
      'm.ended_at',
      'm.ended_reason',
      'u.name',
      'u.email',
    ])
    .where('m.case_id', '=', caseId)
    .orderBy('m.invited_at')
    .orderBy('m.id')
    .limit(MEMBERS_LIST_LIMIT)
    .execute();
}

/** `userId`'s invitations whose terms are not accepted yet and that have not ended, with their case and project. */
export function listPendingInvitations(db: DbReader, userId: string) {
  return db
    .selectFrom('case_members as m')
    .innerJoin('cases as c', 'c.id', 'm.case_id')
    .innerJoin('projects as p', 'p.id', 'c.project_id')
    .select([
      'm.id',
      'm.role',
      'm.invited_at',
      'c.human_id',
      'c.project_id',
      'c.state',
      'p.slug as project_slug',
      'p.name as project_name',
    ])
    .where('m.user_id', '=', userId)
    .where('m.terms_accepted_at', 'is', null)
    .where('m.ended_at', 'is', null)
    .orderBy('m.invited_at', 'desc')
    .limit(INVITATIONS_LIST_LIMIT)
    .execute();
}

/** Records the accepted terms, only while the invitation is pending; false when it no longer is. */
export async function acceptTerms(
  db: DbTransaction,
  id: string,
  termsHash: string,
  at: string,
): Promise<boolean> {
  const r = await db
    .updateTable('case_members')
    .set({ terms_hash: termsHash, terms_accepted_at: at })
    .where('id', '=', id)
    .where('terms_accepted_at', 'is', null)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Ends one member's access, unless it already ended; false when it had. */
export async function endMember(
  db: DbTransaction,
  id: string,
  reason: string,
  at: string,
  noteEnc: string | null = null,
): Promise<boolean> {
  const r = await db
    .updateTable('case_members')
    .set({ ended_at: at, ended_reason: reason, ended_note_enc: noteEnc })
    .where('id', '=', id)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Ends the access of every member of the case whose access has not ended (pending ones too): who it ended for. */
export function endCaseMembers(
  db: DbTransaction,
  caseId: string,
  reason: string,
  at: string,
): Promise<{ id: string; user_id: string; role: string }[]> {
  return db
    .updateTable('case_members')
    .set({ ended_at: at, ended_reason: reason })
    .where('case_id', '=', caseId)
    .where('ended_at', 'is', null)
    .returning(['id', 'user_id', 'role'])
    .execute();
}
