/**
 * To someone invited to one case (Fix Team, collaborator, the reporter): the project's name and
 * the link, nothing of the case. What it is about shows only after they accept the embargo terms.
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

export const invitationMemberParams = z.strictObject({
  projectName: projectNameParam,
  /** A one-time sign-in link (a new account), or the invitations page. */
  link: linkParam,
  /** The address had no account: the link sets its password. */
  newAccount: z.boolean(),
});
export type InvitationMemberParams = z.input<typeof invitationMemberParams>;

/** Renders `invitation.member`. */
export function renderInvitationMember(params: InvitationMemberParams): RenderedMail {
  const p = parseParams('invitation.member', invitationMemberParams, params);
  return {
    // No case id: the subject names the project alone.
    subject: teamSubject(p.projectName, undefined, 'You are invited to help with a security issue'),
    text: body(
      [
        `The security team of ${p.projectName} invites you to help with a security issue that is not public yet.`,
        p.newAccount
          ? `Vigil made an account for this address. Choose your password with this one-time link (valid for 24 hours):\n${p.link}`
          : `Sign in to Vigil and open your invitations:\n${p.link}`,
        'You see what the issue is about only after you accept the embargo terms: what you learn stays ' +
          'among those who need to know it until the advisory is published.',
      ],
      `You receive this because a member of the security team of ${p.projectName} invited this address in Vigil. ` +
        'The link is private to you: do not forward this mail.',
    ),
  };
}
