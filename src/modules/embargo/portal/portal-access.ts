/**
 * What the portal and the disclosure date need to know of a distributor person on a case, once
 * `loadCaseFor` has admitted them (the `distributor` case role): which organisation they act for,
 * and whether the embargo text they accepted is the project's current one. Nothing embargoed
 * reaches a person whose acceptance names an older text (409 `embargo_not_accepted`).
 */
import type { Principal } from '../../../authz/authz.policy.js';
import type { DbReader } from '../../../db/connection.js';
import { AppError, NotFoundError } from '../../../lib/errors.js';
import type { Policy } from '../../policy/policy.schema.js';
import { embargoTextHash } from '../distributors/embargo-text.js';
import { findCasePeople, type CasePerson } from './portal.repo.js';

/**
 * The version of the distributors' embargo text: SHA-256 hex of the policy's
 * `disclosure.distributorsList.embargoPolicy`, or null when the policy has none.
 */
export function distributorEmbargoHash(policy: Pick<Policy, 'disclosure'>): string | null {
  const text = policy.disclosure.distributorsList.embargoPolicy;
  return text === null ? null : embargoTextHash(text);
}

/** True when `principal` holds the distributor role on case `caseId` (and no team role decides instead). */
export function isDistributorOn(principal: Principal, caseId: string): boolean {
  return principal.kind === 'user' && principal.caseRoles.get(caseId)?.has('distributor') === true;
}

/**
 * The person `principal` is on case `caseId` (of the organisation named first, when two share it);
 * 404 when they are none (the role was computed from the same rows: a race with a removal).
 */
export async function casePersonOf(db: DbReader, principal: Principal, c: { id: string; human_id: string }) {
  if (principal.kind !== 'user') throw new NotFoundError(`Case ${c.human_id}`);
  const [person] = await findCasePeople(db, c.id, principal.userId);
  if (!person) throw new NotFoundError(`Case ${c.human_id}`);
  return person;
}

/** True when the person accepted the project's current embargo text (or the policy has none to accept). */
export function acceptedCurrentEmbargo(
  person: Pick<CasePerson, 'embargoHash' | 'embargoAcceptedAt'>,
  policy: Pick<Policy, 'disclosure'>,
): boolean {
  if (!person.embargoAcceptedAt) return false;
  const current = distributorEmbargoHash(policy);
  return current === null || person.embargoHash === current;
}

/** 409 `embargo_not_accepted` unless the person accepted the current embargo text. */
export function requireCurrentEmbargo(
  person: Pick<CasePerson, 'embargoHash' | 'embargoAcceptedAt'>,
  policy: Pick<Policy, 'disclosure'>,
  projectName: string,
): void {
  if (acceptedCurrentEmbargo(person, policy)) return;
  throw new AppError(
    'embargo_not_accepted',
    409,
    `The embargo policy of ${projectName} has changed since you accepted it: accept the current text on your account page before you open embargoed content again.`,
  );
}
