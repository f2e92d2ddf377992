/**
 * The one access check: load what a request names (a project by slug, a case by reference), then
 * authorize the caller's action on it through the policy table. Every service starts here.
 * Unknown and forbidden look the same: both answer 404 with the same message, and the policy is
 * consulted even when nothing was found, so neither path is faster or says more.
 * The bulk forms answer for many resources with one query and no per-row round trip.
 */
import type { Actor } from '../audit/audit.events.js';
import type { DbReader } from '../db/connection.js';
import { NotFoundError } from '../lib/errors.js';
import { findAdvisoryByAdvisoryId } from '../modules/advisory/advisory.repo.js';
import { findCaseById, findCaseByRef, findCasesByRefs, type CaseRow } from '../modules/cases/cases.repo.js';
import {
  findProjectBySlug,
  listAllProjects,
  listProjectsOfUser,
  type ProjectRow,
} from '../modules/projects/projects.repo.js';
import { authorize, can, type Action, type Principal } from './authz.policy.js';

/** How a project is named in a 404: one text, so that forbidden and missing read the same. */
export const projectLabel = (slug: string): string => `Project '${slug}'`;

/** The project `slug`, if `principal` may `action` on it; otherwise 404, like a missing one. */
export async function loadProjectFor(
  db: DbReader,
  principal: Principal,
  slug: string,
  action: Action,
): Promise<ProjectRow> {
  const project = await findProjectBySlug(db, slug);
  authorize(principal, action, { projectId: project?.id ?? '', label: projectLabel(slug) });
  if (!project) throw new NotFoundError(projectLabel(slug));
  return project;
}

/**
 * The case `ref` names (its human id `CTR-2026-0001`, its uuid, or its advisory's id
 * `CTR-ADV-2026-0001`), if `principal` may `action` on it; otherwise 404, like a missing one.
 */
export async function loadCaseFor(
  db: DbReader,
  principal: Principal,
  ref: string,
  action: Action,
): Promise<CaseRow> {
  const byAdvisory = await advisoryCase(db, ref);
  const c = byAdvisory ? await findCaseById(db, byAdvisory) : await findCaseByRef(db, ref);
  return authorizedCase(principal, action, ref, c);
}

/**
 * The cases `refs` name (as `loadCaseFor` reads each ref), in their order, if `principal` may
 * `action` on every one; otherwise the 404 `loadCaseFor` answers for the first ref that names
 * nothing or a case the caller may not `action` on (the same answer for both). One query for the
 * human ids and uuids whatever their number; an advisory's id is looked up on its own.
 */
export async function loadCasesFor(
  db: DbReader,
  principal: Principal,
  refs: readonly string[],
  action: Action,
): Promise<CaseRow[]> {
  const found = await findCasesByRefs(db, refs);
  const out: CaseRow[] = [];
  for (const ref of refs) {
    const byAdvisory = await advisoryCase(db, ref);
    const c = byAdvisory ? await findCaseById(db, byAdvisory) : found.get(ref);
    out.push(authorizedCase(principal, action, ref, c));
  }
  return out;
}

/** The case id of the advisory `ref` names (`CTR-ADV-2026-0001`), if it names one. */
async function advisoryCase(db: DbReader, ref: string): Promise<string | undefined> {
  if (!/-ADV-/i.test(ref)) return undefined;
  return (await findAdvisoryByAdvisoryId(db, ref.toUpperCase()))?.case_id;
}

/** `c` if `principal` may `action` on it; the policy is asked even when `c` is missing. */
function authorizedCase(principal: Principal, action: Action, ref: string, c: CaseRow | undefined): CaseRow {
  authorize(principal, action, { projectId: c?.project_id ?? '', caseId: c?.id ?? '', label: `Case ${ref}` });
  if (!c) throw new NotFoundError(`Case ${ref}`);
  return c;
}

/** Every project on which `principal` may `action`: one query, then the policy table per row. */
export async function listProjectsFor(
  db: DbReader,
  principal: Principal,
  action: Action,
): Promise<ProjectRow[]> {
  if (principal.kind === 'anonymous') return [];
  const rows =
    principal.kind === 'user' && !principal.isAdmin
      ? await listProjectsOfUser(db, principal.userId)
      : await listAllProjects(db);
  return rows.filter((p) => can(principal, action, { projectId: p.id }));
}

/** The audit actor for a principal. */
export function actorOf(principal: Principal): Actor {
  if (principal.kind === 'user') return { type: 'user', id: principal.userId };
  if (principal.kind === 'operator') return { type: 'operator', id: principal.name };
  if (principal.kind === 'runner') return { type: 'system', id: `runner:${principal.runnerId}` };
  return { type: 'system', id: 'anonymous' };
}
