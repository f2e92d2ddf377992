/**
 * Data access for the public site: the published advisories (state `published`, of a case that is
 * disclosed) and their current documents. Nothing here reads a draft or an embargoed case: every
 * query that returns an advisory filters on both states. Queries only.
 */
import type { DbReader } from '../../../db/connection.js';

/** The most published advisories the site reads (feeds and indexes show fewer; all.zip and queries all). */
export const MAX_PUBLISHED = 20_000;

/** A published advisory's metadata (its document is read separately, by revision). */
export interface PublishedAdvisoryRow {
  id: string;
  advisory_id: string;
  project_id: string;
  project_slug: string;
  project_name: string;
  /** The CVE id, encrypted (public once published; the site decrypts it like the document). */
  cve_id_enc: string | null;
  current_revision: number;
  created_at: string;
  updated_at: string;
  /** When the case entered `published` (null for imported history: `created_at` is the source's publication). */
  released_at: string | null;
}

function publishedAdvisories(db: DbReader, caseStates: readonly string[]) {
  return db
    .selectFrom('advisories as a')
    .innerJoin('cases as c', 'c.id', 'a.case_id')
    .innerJoin('projects as p', 'p.id', 'a.project_id')
    .select([
      'a.id',
      'a.advisory_id',
      'a.project_id',
      'p.slug as project_slug',
      'p.name as project_name',
      'a.cve_id_enc',
      'a.current_revision',
      'a.created_at',
      'a.updated_at',
      'c.released_at',
    ])
    .where('a.state', '=', 'published')
    .where('c.state', 'in', [...caseStates]);
}

/**
 * The published advisories (of one project, or all), by advisory id, at most MAX_PUBLISHED.
 * `caseStates`: the case states in which an advisory may be public (the disclosed ones).
 */
export function listPublishedAdvisories(
  db: DbReader,
  caseStates: readonly string[],
  projectId?: string,
): Promise<PublishedAdvisoryRow[]> {
  let q = publishedAdvisories(db, caseStates);
  if (projectId !== undefined) q = q.where('a.project_id', '=', projectId);
  return q.orderBy('a.advisory_id').limit(MAX_PUBLISHED).execute();
}

/** The published advisory `advisoryId` of project `projectId`, or undefined (a draft included). */
export function findPublishedAdvisory(
  db: DbReader,
  caseStates: readonly string[],
  projectId: string,
  advisoryId: string,
): Promise<PublishedAdvisoryRow | undefined> {
  return publishedAdvisories(db, caseStates)
    .where('a.project_id', '=', projectId)
    .where('a.advisory_id', '=', advisoryId)
    .executeTakeFirst();
}

/** The current revision (id, number, encrypted document) of each advisory row id given. */
export function listCurrentRevisions(db: DbReader, advisoryRowIds: readonly string[]) {
  if (advisoryRowIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('advisory_revisions as r')
    .innerJoin('advisories as a', (j) =>
      j.onRef('a.id', '=', 'r.advisory_id').onRef('a.current_revision', '=', 'r.revision'),
    )
    .select(['r.id', 'r.advisory_id', 'r.revision', 'r.document_enc'])
    .where('a.id', 'in', [...advisoryRowIds])
    .execute();
}

/** What the front page shows of a project: only what its public page shows. */
export interface FrontPageProjectRow {
  id: string;
  slug: string;
  name: string;
}

/** How many projects the instance has (the front page's pages). */
export async function countProjects(db: DbReader): Promise<number> {
  const row = await db
    .selectFrom('projects')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One page of projects, by slug (unique, and ordered alike on both databases). */
export function listProjectsPage(
  db: DbReader,
  offset: number,
  limit: number,
): Promise<FrontPageProjectRow[]> {
  return db
    .selectFrom('projects')
    .select(['id', 'slug', 'name'])
    .orderBy('slug')
    .limit(limit)
    .offset(offset)
    .execute();
}

/** The published advisories of these projects (at most MAX_PUBLISHED), by advisory id. */
export function listPublishedAdvisoriesOfProjects(
  db: DbReader,
  caseStates: readonly string[],
  projectIds: readonly string[],
): Promise<PublishedAdvisoryRow[]> {
  if (projectIds.length === 0) return Promise.resolve([]);
  return publishedAdvisories(db, caseStates)
    .where('a.project_id', 'in', [...projectIds])
    .orderBy('a.advisory_id')
    .limit(MAX_PUBLISHED)
    .execute();
}

/** Whether a project with this slug exists. */
export async function projectSlugExists(db: DbReader, slug: string): Promise<boolean> {
  const row = await db.selectFrom('projects').select('id').where('slug', '=', slug).executeTakeFirst();
  return row !== undefined;
}
