/** Data access for project OpenPGP keys. Queries only; the private key arrives and leaves encrypted. */
import type { DbReader, DbTransaction } from '../../db/connection.js';
import type { SelectQueryBuilder } from 'kysely';
import type { Database, ProjectKeysTable } from '../../db/schema.js';
import type { ProjectRow } from '../projects/projects.repo.js';

export type ProjectKeyRow = ProjectKeysTable;

/** The columns safe to hand around: everything but the encrypted private key. */
const PUBLIC_COLUMNS = [
  'id',
  'project_id',
  'fingerprint',
  'user_id_text',
  'algorithm',
  'public_key_armored',
  'created_at',
  'expires_at',
  'retired_at',
] as const;

export type ProjectKeyPublicRow = Omit<ProjectKeyRow, 'private_key_enc'>;

/** What a key needs to know of its project: the name and policy for its user ID. */
export type KeyProjectRow = Pick<ProjectRow, 'id' | 'slug' | 'name' | 'policy_version'>;

/** A project's keys in the order people read them: the active one, then retired ones, newest first. */
function inKeyOrder<O>(
  qb: SelectQueryBuilder<Database, 'project_keys', O>,
): SelectQueryBuilder<Database, 'project_keys', O> {
  return qb
    .orderBy((eb) => eb.case().when('retired_at', 'is', null).then(0).else(1).end())
    .orderBy('retired_at', 'desc')
    .orderBy('created_at', 'desc')
    .orderBy('id');
}

/** The policy document of a project's current version. */
export async function findPolicyYaml(
  db: DbReader,
  projectId: string,
  version: number,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('project_policies')
    .select('source_yaml')
    .where('project_id', '=', projectId)
    .where('version', '=', version)
    .executeTakeFirst();
  return row?.source_yaml;
}

/** The project's active key, without its private half. */
export function findActiveKey(db: DbReader, projectId: string): Promise<ProjectKeyPublicRow | undefined> {
  return db
    .selectFrom('project_keys')
    .select(PUBLIC_COLUMNS)
    .where('project_id', '=', projectId)
    .where('retired_at', 'is', null)
    .executeTakeFirst();
}

/** Every key of a project without private halves: the active one first, then retired ones, newest first. */
export function listKeys(db: DbReader, projectId: string): Promise<ProjectKeyPublicRow[]> {
  return db
    .selectFrom('project_keys')
    .select(PUBLIC_COLUMNS)
    .where('project_id', '=', projectId)
    .$call(inKeyOrder)
    .execute();
}

/** The encrypted private keys of a project, the active one first, then retired ones, newest first. */
export function listPrivateKeyEnvelopes(
  db: DbReader,
  projectId: string,
): Promise<{ id: string; fingerprint: string; private_key_enc: string }[]> {
  return db
    .selectFrom('project_keys')
    .select(['id', 'fingerprint', 'private_key_enc'])
    .where('project_id', '=', projectId)
    .$call(inKeyOrder)
    .execute();
}

/**
 * Takes the project row's write lock until commit (a no-op update), so that key changes of one
 * project queue instead of colliding on the one-active-key index.
 */
export async function lockProject(db: DbTransaction, projectId: string): Promise<void> {
  await db
    .updateTable('projects')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('id', '=', projectId)
    .execute();
}

/** Retires the project's active key, if any, and returns it. */
export async function retireActiveKey(
  db: DbTransaction,
  projectId: string,
  at: string,
): Promise<{ id: string; fingerprint: string } | undefined> {
  return db
    .updateTable('project_keys')
    .set({ retired_at: at })
    .where('project_id', '=', projectId)
    .where('retired_at', 'is', null)
    .returning(['id', 'fingerprint'])
    .executeTakeFirst();
}

export async function insertKey(db: DbTransaction, row: ProjectKeyRow): Promise<void> {
  await db.insertInto('project_keys').values(row).execute();
}

/**
 * True for a unique-constraint violation on either database: here, a second active key for a
 * project, inserted by a concurrent request (the partial unique index `project_keys_active_uq`).
 */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
