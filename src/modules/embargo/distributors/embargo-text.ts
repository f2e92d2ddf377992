/**
 * The embargo text every person of a distributors-list organisation accepts before they see
 * anything embargoed (PROCESS.md §7): the policy's `disclosure.distributorsList.embargoPolicy`, or,
 * when a policy enables the list without one, Vigil's text written from §7. Its version is the
 * SHA-256 hex of the exact text, as for the Fix Team's terms (`fix/team/embargo-terms.ts`).
 */
import type { Policy } from '../../policy/policy.schema.js';
import { termsHash, type EmbargoTerms } from '../../fix/team/embargo-terms.js';

/** The text of §7's Embargo Policy in the project's own names, for a policy that gives none. */
export function defaultDistributorsEmbargoText(projectName: string, policy: Policy): string {
  const team = policy.contacts.securityTeam;
  const contact = team.email ? `${team.name} (${team.email})` : team.name;
  const list = policy.disclosure.distributorsList.name ?? `the ${projectName} distributors list`;
  return [
    `The information that members receive on ${list} must not be made public, shared, or even ` +
      'hinted at anywhere beyond those who need to know within your specific team, unless the ' +
      `${contact} explicitly approves it. This remains true until the public disclosure date and time ` +
      'agreed upon by the list. Use the information only to get the issue fixed for your users.',
    '',
    'Before you share any information from the list with members of your team who are required to fix ' +
      'the issue, they must agree to the same terms, and only be given information on a need-to-know basis.',
    '',
    `If information is shared beyond what this policy permits, you must urgently tell the ${contact} ` +
      'exactly what leaked and to whom. Repeated leaks mean permanent removal from the list.',
  ].join('\n');
}

/**
 * The embargo text of the project's distributors list and its version hash, or null when the
 * policy has no enabled list (then nobody can apply, and nothing is shared).
 */
export function distributorsEmbargo(project: { name: string; policy: Policy }): EmbargoTerms | null {
  const list = project.policy.disclosure.distributorsList;
  if (!list.enabled) return null;
  const text = list.embargoPolicy ?? defaultDistributorsEmbargoText(project.name, project.policy);
  return { text, hash: embargoTextHash(text) };
}

/** SHA-256 hex of the exact embargo text: the version an acceptance records. */
export function embargoTextHash(text: string): string {
  return termsHash(text);
}
