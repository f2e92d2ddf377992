/** Loading a case's project and its current policy: what intake and triage decide with. */
import { projectLabel } from '../../authz/access.js';
import type { DbReader } from '../../db/connection.js';
import { NotFoundError } from '../../lib/errors.js';
import { parsePolicy } from '../policy/policy.parser.js';
import type { Policy } from '../policy/policy.schema.js';
import * as projectsRepo from '../projects/projects.repo.js';

export interface ProjectContext {
  id: string;
  slug: string;
  name: string;
  policy: Policy;
}

async function withPolicy(
  db: DbReader,
  project: projectsRepo.ProjectRow | undefined,
  label: string,
): Promise<ProjectContext> {
  if (!project) throw new NotFoundError(label);
  const version = await projectsRepo.findPolicyVersion(db, project.id, project.policy_version);
  if (!version) throw new NotFoundError(`The policy of ${label}`);
  return { id: project.id, slug: project.slug, name: project.name, policy: parsePolicy(version.source_yaml) };
}

export async function projectContextBySlug(db: DbReader, slug: string): Promise<ProjectContext> {
  return withPolicy(db, await projectsRepo.findProjectBySlug(db, slug), projectLabel(slug));
}

export async function projectContextById(db: DbReader, id: string): Promise<ProjectContext> {
  return withPolicy(db, await projectsRepo.findProjectById(db, id), `Project ${id}`);
}
