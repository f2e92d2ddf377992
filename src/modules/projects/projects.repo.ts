/** Data access for projects, their policy versions and members. Queries only. */
import type { DbReader, DbTransaction } from '../../db/connection.js';
import type { ProjectMemberRequestsTable, ProjectPoliciesTable } from '../../db/schema.js';

const PROJECT_COLUMNS = ['id', 'slug', 'name', 'policy_version', 'created_at', 'updated_at'] as const;

export interface ProjectRow {
  id: string;
  slug: string;
  name: string;
  policy_version: number;
  created_at: string;
  updated_at: string;
}

export function findProjectBySlug(db: DbReader, slug: string): Promise<ProjectRow | undefined> {
  return db.selectFrom('projects').select(PROJECT_COLUMNS).where('slug', '=', slug).executeTakeFirst();
}

export function findProjectById(db: DbReader, id: string): Promise<ProjectRow | undefined> {
  return db.selectFrom('projects').select(PROJECT_COLUMNS).where('id', '=', id).executeTakeFirst();
}

export function listAllProjects(db: DbReader): Promise<ProjectRow[]> {
  return db.selectFrom('projects').select(PROJECT_COLUMNS).orderBy('slug').execute();
}

/** The projects with these ids (the inbox names the projects of cases someone was invited to). */
export function listProjectsByIds(db: DbReader, ids: readonly string[]): Promise<ProjectRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('projects')
    .select(PROJECT_COLUMNS)
    .where('id', 'in', [...ids])
    .execute();
}

export function listProjectsOfUser(db: DbReader, userId: string): Promise<ProjectRow[]> {
  // IN (subquery) rather than EXISTS: SQLite then drives the query from the membership index
  // instead of scanning every project (measured by bench/: 4 ms -> 0.03 ms at 10,000 projects).
  return db
    .selectFrom('projects')
    .select(PROJECT_COLUMNS)
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('project_members')
        .select('project_members.project_id')
        .where('project_members.user_id', '=', userId),
    )
    .orderBy('slug')
    .execute();
}

export async function insertProject(db: DbTransaction, row: ProjectRow): Promise<void> {
  await db
    .insertInto('projects')
    .values({ ...row, team_notes_enc: null })
    .execute();
}

/**
 * Moves the policy version forward by one and returns the new version. With `expected`, only from
 * that version (undefined when someone else saved first); without it, from whatever is current.
 * The UPDATE locks the project row until commit, so concurrent saves queue instead of colliding.
 */
export async function bumpPolicyVersion(
  db: DbTransaction,
  id: string,
  expected: number | undefined,
  at: string,
): Promise<number | undefined> {
  const row = await db
    .updateTable('projects')
    .set((eb) => ({ policy_version: eb('policy_version', '+', 1), updated_at: at }))
    .where('id', '=', id)
    .$if(expected !== undefined, (qb) => qb.where('policy_version', '=', expected ?? 0))
    .returning('policy_version')
    .executeTakeFirst();
  return row?.policy_version;
}

/** Copies the current policy's `access.requireTwoFactor` onto the project (read when resolving a principal). */
export async function setRequireTwoFactor(db: DbTransaction, id: string, required: boolean): Promise<void> {
  await db
    .updateTable('projects')
    .set({ require_two_factor: required ? 1 : 0 })
    .where('id', '=', id)
    .execute();
}

export async function insertPolicyVersion(db: DbTransaction, row: ProjectPoliciesTable): Promise<void> {
  await db.insertInto('project_policies').values(row).execute();
}

export function findPolicyVersion(db: DbReader, projectId: string, version: number) {
  return db
    .selectFrom('project_policies')
    .leftJoin('users', 'users.id', 'project_policies.created_by')
    .select([
      'project_policies.version',
      'project_policies.source_yaml',
      'project_policies.created_at',
      'users.id as author_id',
      'users.name as author_name',
    ])
    .where('project_policies.project_id', '=', projectId)
    .where('project_policies.version', '=', version)
    .executeTakeFirst();
}

/** A page of a project's policy versions, newest first: those before `before`, through (project_id, version). */
export function listPolicyVersions(
  db: DbReader,
  projectId: string,
  before: number | undefined,
  limit: number,
) {
  return db
    .selectFrom('project_policies')
    .leftJoin('users', 'users.id', 'project_policies.created_by')
    .select([
      'project_policies.version',
      'project_policies.created_at',
      'users.id as author_id',
      'users.name as author_name',
    ])
    .where('project_policies.project_id', '=', projectId)
    .$if(before !== undefined, (qb) => qb.where('project_policies.version', '<', before ?? 0))
    .orderBy('project_policies.version', 'desc')
    .limit(limit)
    .execute();
}

export function listMembers(db: DbReader, projectId: string) {
  return db
    .selectFrom('project_members')
    .innerJoin('users', 'users.id', 'project_members.user_id')
    .select([
      'users.id as user_id',
      'users.email',
      'users.name',
      'project_members.role',
      'project_members.created_at',
    ])
    .where('project_members.project_id', '=', projectId)
    .orderBy('users.email')
    .execute();
}

export async function insertMember(
  db: DbTransaction,
  row: { project_id: string; user_id: string; role: string; created_at: string },
): Promise<boolean> {
  const r = await db
    .insertInto('project_members')
    .values(row)
    .onConflict((oc) => oc.columns(['project_id', 'user_id', 'role']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function deleteMember(
  db: DbTransaction,
  projectId: string,
  userId: string,
  role: string,
): Promise<boolean> {
  const r = await db
    .deleteFrom('project_members')
    .where('project_id', '=', projectId)
    .where('user_id', '=', userId)
    .where('role', '=', role)
    .executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export async function findTeamNotesEnvelope(db: DbReader, projectId: string): Promise<string | null> {
  const row = await db
    .selectFrom('projects')
    .select('team_notes_enc')
    .where('id', '=', projectId)
    .executeTakeFirst();
  return row?.team_notes_enc ?? null;
}

export async function updateTeamNotesEnvelope(
  db: DbTransaction,
  projectId: string,
  envelope: string | null,
  at: string,
): Promise<void> {
  await db
    .updateTable('projects')
    .set({ team_notes_enc: envelope, updated_at: at })
    .where('id', '=', projectId)
    .execute();
}

/** How many people hold `role` in the project (an empty security team may be seeded without approval). */
export async function countMembers(db: DbReader, projectId: string, role: string): Promise<number> {
  const row = await db
    .selectFrom('project_members')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('project_id', '=', projectId)
    .where('role', '=', role)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Whether `userId` holds `role` in the project. */
export async function isMember(
  db: DbReader,
  projectId: string,
  userId: string,
  role: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('project_members')
    .select('user_id')
    .where('project_id', '=', projectId)
    .where('user_id', '=', userId)
    .where('role', '=', role)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertMemberRequest(db: DbTransaction, row: ProjectMemberRequestsTable): Promise<void> {
  await db.insertInto('project_member_requests').values(row).execute();
}

export function findMemberRequest(db: DbReader, projectId: string, id: string) {
  return db
    .selectFrom('project_member_requests')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The pending request to add `userId` in `role`, if one waits. */
export function findPendingMemberRequest(db: DbReader, projectId: string, userId: string, role: string) {
  return db
    .selectFrom('project_member_requests')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('user_id', '=', userId)
    .where('role', '=', role)
    .where('state', '=', 'pending')
    .executeTakeFirst();
}

/** The requests waiting for a member's decision, oldest first, with the names of the person and the requester. */
export function listPendingMemberRequests(db: DbReader, projectId: string) {
  return db
    .selectFrom('project_member_requests')
    .innerJoin('users as person', 'person.id', 'project_member_requests.user_id')
    .leftJoin('users as requester', 'requester.id', 'project_member_requests.requested_by_user_id')
    .select([
      'project_member_requests.id',
      'project_member_requests.user_id',
      'project_member_requests.role',
      'project_member_requests.requested_by_user_id',
      'project_member_requests.created_at',
      'person.email as user_email',
      'person.name as user_name',
      'requester.name as requester_name',
    ])
    .where('project_member_requests.project_id', '=', projectId)
    .where('project_member_requests.state', '=', 'pending')
    .orderBy('project_member_requests.created_at')
    .orderBy('project_member_requests.id')
    .limit(200)
    .execute();
}

/** Decides a pending request; false when it was no longer pending (decided meanwhile). */
export async function decideMemberRequest(
  db: DbTransaction,
  id: string,
  decision: { state: 'approved' | 'declined'; decided_by_user_id: string; decided_at: string },
): Promise<boolean> {
  const r = await db
    .updateTable('project_member_requests')
    .set(decision)
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Locks the project's row until commit (PostgreSQL; SQLite has one writer anyway), so that two
 * membership changes of one project queue: an empty team is seeded once, a request decided once.
 */
export async function lockProject(db: DbTransaction, id: string): Promise<void> {
  await db
    .updateTable('projects')
    .set((eb) => ({ slug: eb.ref('slug') }))
    .where('id', '=', id)
    .execute();
}
