/**
 * To a person named for an organisation of a distributors list (an approved applicant, or someone
 * the team added): the project's name and the link that gets them in. Nothing embargoed reaches
 * them before they accept the list's embargo policy in Vigil.
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

export const distributorsWelcomeParams = z.strictObject({
  projectName: projectNameParam,
  /** A one-time sign-in link (a new account), or the account page. */
  link: linkParam,
  /** The address had no account: the link sets its password. */
  newAccount: z.boolean(),
});
export type DistributorsWelcomeParams = z.input<typeof distributorsWelcomeParams>;

/** Renders `distributors.welcome`. */
export function renderDistributorsWelcome(params: DistributorsWelcomeParams): RenderedMail {
  const p = parseParams('distributors.welcome', distributorsWelcomeParams, params);
  return {
    subject: teamSubject(p.projectName, undefined, 'You are on the distributors list'),
    text: body(
      [
        `The security team of ${p.projectName} named you as a person of a member organisation of its distributors list.`,
        p.newAccount
          ? `Vigil made an account for this address. Choose your password with this one-time link (valid for 24 hours):\n${p.link}`
          : `Sign in to Vigil and open your account page:\n${p.link}`,
        'Before any early disclosure reaches you, read and accept the embargo policy of the list there: ' +
          'what the list tells you stays among those who need to know it until the agreed disclosure.',
      ],
      `You receive this because the security team of ${p.projectName} added this address to its distributors list in Vigil. ` +
        'The link is private to you: do not forward this mail.',
    ),
  };
}
