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
  const key = `${project.id}:${project.policy_version}`;
  let policy = parsedPolicies.get(key);
  if (!policy) {
    const version = await projectsRepo.findPolicyVersion(db, project.id, project.policy_version);
    if (!version) throw new NotFoundError(`The policy of ${label}`);
    policy = deepFreeze(parsePolicy(version.source_yaml));
    if (parsedPolicies.size >= MAX_PARSED_POLICIES) {
      const oldest = parsedPolicies.keys().next().value;
      if (oldest !== undefined) parsedPolicies.delete(oldest);
    }
    parsedPolicies.set(key, policy);
  }
  return { id: project.id, slug: project.slug, name: project.name, policy };
}

/**
 * Parsed policies by project and version. A policy version is never changed once saved (a save is a
 * new version, and the project row names the current one), so the key can never go stale, on this
 * instance or another: a cache of immutable rows, not state. Parsing the YAML cost about 2 ms a
 * request (issue 12's profile). Frozen, so no caller can change another's copy.
 */
const parsedPolicies = new Map<string, Policy>();
const MAX_PARSED_POLICIES = 1000;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export async function projectContextBySlug(db: DbReader, slug: string): Promise<ProjectContext> {
  return withPolicy(db, await projectsRepo.findProjectBySlug(db, slug), projectLabel(slug));
}

export async function projectContextById(db: DbReader, id: string): Promise<ProjectContext> {
  return withPolicy(db, await projectsRepo.findProjectById(db, id), `Project ${id}`);
}
