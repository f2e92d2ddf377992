/** Data access for the public pages: only what a public page may show. Queries only. */
import type { DbReader } from '../../db/connection.js';

export interface PublicProjectRow {
  id: string;
  slug: string;
  name: string;
  policy_version: number;
}

export function findProjectBySlug(db: DbReader, slug: string): Promise<PublicProjectRow | undefined> {
  return db
    .selectFrom('projects')
    .select(['id', 'slug', 'name', 'policy_version'])
    .where('slug', '=', slug)
    .executeTakeFirst();
}

/** The policy document of the project's current version. */
export async function findCurrentPolicyYaml(
  db: DbReader,
  project: PublicProjectRow,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('project_policies')
    .select('source_yaml')
    .where('project_id', '=', project.id)
    .where('version', '=', project.policy_version)
    .executeTakeFirst();
  return row?.source_yaml;
}

/** The email of the longest-serving active admin: the instance's security contact by default. */
export async function findFirstAdminEmail(db: DbReader): Promise<string | undefined> {
  const row = await db
    .selectFrom('users')
    .select('email')
    .where('is_admin', '=', 1)
    .where('disabled_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return row?.email;
}
