/** Data access for the Fix Lead rotation: the security team with its availability. Queries only. */
import type { DbReader, DbTransaction } from '../../../db/connection.js';

export interface TeamCandidate {
  userId: string;
  email: string;
  name: string;
  unavailableFrom: string | null;
  unavailableUntil: string | null;
}

/** The project's security team, enabled accounts only, in a stable order (by user id). */
export async function listTeamCandidates(db: DbReader, projectId: string): Promise<TeamCandidate[]> {
  const rows = await db
    .selectFrom('project_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select([
      'u.id as userId',
      'u.email',
      'u.name',
      'u.unavailable_from as unavailableFrom',
      'u.unavailable_until as unavailableUntil',
    ])
    .where('m.project_id', '=', projectId)
    .where('m.role', '=', 'security-team')
    .where('u.disabled_at', 'is', null)
    .orderBy('u.id')
    .execute();
  return rows;
}

export async function findLastFixLead(db: DbReader, projectId: string): Promise<string | null> {
  const row = await db
    .selectFrom('projects')
    .select('last_fix_lead_user_id')
    .where('id', '=', projectId)
    .executeTakeFirst();
  return row?.last_fix_lead_user_id ?? null;
}

export async function setLastFixLead(db: DbTransaction, projectId: string, userId: string): Promise<void> {
  await db
    .updateTable('projects')
    .set({ last_fix_lead_user_id: userId })
    .where('id', '=', projectId)
    .execute();
}

export async function setCaseFixLead(
  db: DbTransaction,
  caseId: string,
  userId: string | null,
  at: string,
): Promise<void> {
  await db
    .updateTable('cases')
    .set({ fix_lead_user_id: userId, fix_lead_assigned_at: userId ? at : null, updated_at: at })
    .where('id', '=', caseId)
    .execute();
}

/** The people named as Fix Leads, by user id: one query for a whole inbox page. */
export function listFixLeads(
  db: DbReader,
  userIds: readonly string[],
): Promise<{ id: string; name: string; email: string }[]> {
  if (userIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('users')
    .select(['id', 'name', 'email'])
    .where('id', 'in', [...userIds])
    .execute();
}
