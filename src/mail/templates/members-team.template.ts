/**
 * To every member of a project's security team (and to a person just removed), when its membership
 * changes (issue 11, item 2): someone asked to add a person (waiting for a member's approval), a
 * person was added or removed, a request was declined. The kind and a link to the project's members
 * section: never names, addresses or report content (the link shows who, to those who may see it).
 */
import { z } from 'zod';
import {
  body,
  linkParam,
  parseParams,
  projectNameParam,
  teamFooter,
  teamSubject,
  type RenderedMail,
} from './template-kit.js';

export const MEMBERS_TEAM_NOTICES = ['requested', 'added', 'removed', 'declined'] as const;
export type MembersTeamNotice = (typeof MEMBERS_TEAM_NOTICES)[number];

export const membersTeamParams = z.strictObject({
  projectName: projectNameParam,
  /** The project's members section in Vigil. */
  link: linkParam,
  /** What happened: a name from the list, never free text. */
  notice: z.enum(MEMBERS_TEAM_NOTICES),
});
export type MembersTeamParams = z.input<typeof membersTeamParams>;

const WHAT: Record<MembersTeamNotice, { subject: string; text: string }> = {
  requested: {
    subject: 'a request to join the security team',
    text:
      'Someone asked to add a person to the security team. Nobody joins until another current member ' +
      'approves: if you did not expect this, decline it.',
  },
  added: {
    subject: 'a member joined the security team',
    text: 'A person was added to the security team: they can now read every report of the project.',
  },
  removed: {
    subject: 'a member left the security team',
    text: 'A person was removed from the security team.',
  },
  declined: {
    subject: 'a request to join the security team was declined',
    text: 'A request to add a person to the security team was declined: nobody was added.',
  },
};

/** Renders `members.team`. */
export function renderMembersTeam(params: MembersTeamParams): RenderedMail {
  const p = parseParams('members.team', membersTeamParams, params);
  const what = WHAT[p.notice];
  return {
    subject: teamSubject(p.projectName, undefined, what.subject),
    text: body(
      [what.text, `See who is on the team of ${p.projectName}, and any request waiting:\n${p.link}`],
      teamFooter(p.projectName),
    ),
  };
}
