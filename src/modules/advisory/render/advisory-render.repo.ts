/** Data access for the advisory render templates. Queries only. */
import type { DbReader, DbTransaction } from '../../../db/connection.js';
import type { AdvisoryTemplatesTable } from '../../../db/schema.js';

export type TemplateRow = AdvisoryTemplatesTable;

const COLUMNS = [
  'id',
  'project_id',
  'name',
  'version',
  'source',
  'author_user_id',
  'author_name',
  'created_at',
] as const;

/** The current (highest) version of each template of a project that was ever saved. */
export async function listCurrentTemplates(db: DbReader, projectId: string): Promise<TemplateRow[]> {
  const rows = await db
    .selectFrom('advisory_templates')
    .select(COLUMNS)
    .where('project_id', '=', projectId)
    .where((eb) =>
      eb(
        'version',
        '=',
        eb
          .selectFrom('advisory_templates as t')
          .select((e) => e.fn.max('t.version').as('v'))
          .whereRef('t.project_id', '=', 'advisory_templates.project_id')
          .whereRef('t.name', '=', 'advisory_templates.name'),
      ),
    )
    .execute();
  return rows;
}

/** The current version of template `name` of a project, if it was ever saved. */
export function findCurrentTemplate(
  db: DbReader,
  projectId: string,
  name: string,
): Promise<TemplateRow | undefined> {
  return db
    .selectFrom('advisory_templates')
    .select(COLUMNS)
    .where('project_id', '=', projectId)
    .where('name', '=', name)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Appends a version (the unique (project, name, version) refuses a second one with the same number). */
export async function insertTemplateVersion(db: DbTransaction, row: TemplateRow): Promise<void> {
  await db.insertInto('advisory_templates').values(row).execute();
}
