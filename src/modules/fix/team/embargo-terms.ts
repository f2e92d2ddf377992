/**
 * The embargo terms someone invited to one case accepts before they see anything of it
 * (PROCESS.md §7: "team members who are told must accept the same terms"): the project policy's
 * embargo policy when it has one, otherwise Vigil's text written from §7. Their version is the
 * SHA-256 of the exact text, so an acceptance names the words that were accepted.
 */
import { createHash } from 'node:crypto';
import type { Policy } from '../../policy/policy.schema.js';

export interface EmbargoTerms {
  text: string;
  /** SHA-256 hex of `text`, exactly as shown. */
  hash: string;
}

/** The default terms, in the project's own names (PROCESS.md §7 and §8). */
export function defaultEmbargoText(projectName: string, policy: Policy): string {
  const team = policy.contacts.securityTeam;
  const contact = team.email ? `${team.name} (${team.email})` : team.name;
  return [
    `You are invited to work on a security issue of ${projectName} that is not public yet. ` +
      'Before you see anything of it, you accept these embargo terms:',
    '',
    '1. What you learn about this issue stays among those who need to know it to fix it. ' +
      'Do not share it, or even hint at it, anywhere else: not in public repositories, issues, ' +
      'pull requests, commit messages, branch names, chats or mailing lists.',
    '2. Anyone else who needs to know must be invited to the case and accept these same terms first.',
    '3. Use what you learn only to get the issue fixed.',
    `4. If anything leaks, tell the ${contact} at once, with exactly what leaked and to whom.`,
    '5. Your access to the case ends when the advisory is published.',
  ].join('\n');
}

/** The terms an invitation to a case of this project asks to accept, with their version hash. */
export function embargoTerms(project: { name: string; policy: Policy }): EmbargoTerms {
  const own = project.policy.disclosure.distributorsList.embargoPolicy;
  const text = own ?? defaultEmbargoText(project.name, project.policy);
  return { text, hash: termsHash(text) };
}

/** SHA-256 hex of the exact text. */
export function termsHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
