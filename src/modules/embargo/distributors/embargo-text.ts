/**
 * The embargo text every person of a distributors-list organisation accepts before they see
 * anything embargoed (PROCESS.md §7): the policy's `disclosure.distributorsList.embargoPolicy`
 * (required when the list is enabled). Its version is the
 * SHA-256 hex of the exact text, as for the Fix Team's terms (`fix/team/embargo-terms.ts`).
 */
import type { Policy } from '../../policy/policy.schema.js';
import { termsHash, type EmbargoTerms } from '../../fix/team/embargo-terms.js';

/**
 * The embargo text of the project's distributors list and its version hash, or null when the
 * policy has no enabled list (then nobody can apply, and nothing is shared).
 */
export function distributorsEmbargo(project: { name: string; policy: Policy }): EmbargoTerms | null {
  const list = project.policy.disclosure.distributorsList;
  // The policy refuses an enabled list without its text (policy.schema.ts), so both hold together.
  if (!list.enabled || !list.embargoPolicy) return null;
  return { text: list.embargoPolicy, hash: embargoTextHash(list.embargoPolicy) };
}

/** SHA-256 hex of the exact embargo text: the version an acceptance records. */
export function embargoTextHash(text: string): string {
  return termsHash(text);
}
