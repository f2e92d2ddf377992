/**
 * What the member view of a case says of the reporter (PROCESS.md §1): people invited to one case
 * (Fix Team engineers, collaborators, former members) never learn who reported it, so wherever
 * they read a name or an address of the reporter's they read "The reporter" and nothing more.
 */
import { can, type Principal } from '../../../authz/authz.policy.js';

/** How the member view names the reporter. */
export const REPORTER_NAME = 'The reporter';

/** True when `principal` reads the case's member view: the reporter's identity is left out. */
export function hidesReporter(principal: Principal, c: { id: string; project_id: string }): boolean {
  return !can(principal, 'case.read', { projectId: c.project_id, caseId: c.id });
}
