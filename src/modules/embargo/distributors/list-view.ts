/**
 * What the distributors list's services share: its states, loading a project's enabled list, and
 * the list's name.
 */
import type { DbReader } from '../../../db/connection.js';
import { NotFoundError } from '../../../lib/errors.js';
import { findProjectBySlug } from '../../projects/projects.repo.js';
import { projectContextById, type ProjectContext } from '../../cases/case-context.js';
import type { EmbargoTerms } from '../../fix/team/embargo-terms.js';
import type {
  APPLICATION_STATES,
  LEAK_REPORT_STATES,
  ORG_STATES,
  PERSON_STATES,
  VOUCH_STATES,
} from './distributors.schemas.js';
import { distributorsEmbargo } from './embargo-text.js';

export type OrgState = (typeof ORG_STATES)[number];
export type PersonState = (typeof PERSON_STATES)[number];
export type ApplicationState = (typeof APPLICATION_STATES)[number];
export type VouchState = (typeof VOUCH_STATES)[number];
export type LeakReportState = (typeof LEAK_REPORT_STATES)[number];

/** How a missing list is named in a 404: the same for no project and a project without a list. */
export const listNotFound = (slug: string) => new NotFoundError(`The distributors list of project '${slug}'`);

/** The project `slug` with its enabled list's embargo text; 404 when either is missing. */
export async function openList(
  db: DbReader,
  slug: string,
): Promise<{ project: ProjectContext; embargo: EmbargoTerms }> {
  const found = await findProjectBySlug(db, slug);
  const project = found ? await projectContextById(db, found.id) : undefined;
  const embargo = project ? distributorsEmbargo(project) : null;
  if (!project || !embargo) throw listNotFound(slug);
  return { project, embargo };
}

/** The list's name for people: the policy's, or the project's name and "distributors list". */
export function listLabel(project: { name: string; policy: ProjectContext['policy'] }): string {
  return project.policy.disclosure.distributorsList.name ?? `${project.name} distributors list`;
}
