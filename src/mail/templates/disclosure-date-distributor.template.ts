/**
 * To a person of a distributors-list organisation: a disclosure date for an embargoed issue shared
 * with them was proposed (to accept, object to or answer with another) or decided (PROCESS.md §7).
 * Like the invitation, it names the project alone: the case and its date are in the portal.
 */
import { z } from 'zod';
import {
  body,
  linkParam,
  parseParams,
  projectNameParam,
  teamSubject,
  type RenderedMail,
} from './template-kit.js';
import { DISCLOSURE_DATE_PARTY_EVENTS } from './disclosure-date-reporter.template.js';

export const disclosureDateDistributorParams = z.strictObject({
  projectName: projectNameParam,
  /** The case in the distributors' portal. */
  link: linkParam,
  event: z.enum(DISCLOSURE_DATE_PARTY_EVENTS),
});
export type DisclosureDateDistributorParams = z.input<typeof disclosureDateDistributorParams>;

/** Renders `disclosure-date.distributor`. */
export function renderDisclosureDateDistributor(params: DisclosureDateDistributorParams): RenderedMail {
  const p = parseParams('disclosure-date.distributor', disclosureDateDistributorParams, params);
  const proposed = p.event === 'proposed';
  return {
    subject: teamSubject(
      p.projectName,
      undefined,
      proposed ? 'A disclosure date is proposed' : 'The disclosure date is set',
    ),
    text: body(
      [
        proposed
          ? `The security team of ${p.projectName} proposes a public disclosure date for an embargoed issue shared with your organisation. Accept it, object with a reason, or propose another date in the portal.`
          : `The security team of ${p.projectName} has set the public disclosure date of an embargoed issue shared with your organisation: the embargo ends then.`,
        `Sign in to the portal to see it:\n${p.link}`,
      ],
      `You receive this because your organisation is on the distributors list of ${p.projectName} and names you. ` +
        'The link is private to you: do not forward this mail.',
    ),
  };
}
