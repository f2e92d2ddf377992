/**
 * To every member of a project's security team, about its distributors list: an application came
 * in, a vouching member answered, a leak was reported, or a member organisation's yearly review is
 * due. The kind and a link to the project's Distributors section: never names, answers or words.
 */
import { z } from 'zod';
import { formatInstant } from '../../lib/format-instant.js';
import {
  body,
  instantParam,
  linkParam,
  parseParams,
  projectNameParam,
  teamFooter,
  teamSubject,
  timeZoneParam,
  type RenderedMail,
} from './template-kit.js';

export const DISTRIBUTORS_TEAM_NOTICES = [
  'application-received',
  'vouch-answered',
  'leak-reported',
  'review-due',
] as const;

export const distributorsTeamParams = z.strictObject({
  projectName: projectNameParam,
  /** The project's Distributors section in Vigil. */
  link: linkParam,
  /** What happened: a name from the list, never free text. */
  notice: z.enum(DISTRIBUTORS_TEAM_NOTICES),
  /** The review's due instant (review-due). */
  dueAt: instantParam.optional(),
  timeZone: timeZoneParam,
});
export type DistributorsTeamParams = z.input<typeof distributorsTeamParams>;

const WHAT: Record<(typeof DISTRIBUTORS_TEAM_NOTICES)[number], { subject: string; text: string }> = {
  'application-received': {
    subject: 'new application to the distributors list',
    text: 'An organisation applied to join the distributors list. Its vouching member has been asked; read the answers and decide.',
  },
  'vouch-answered': {
    subject: 'a vouching member answered',
    text: 'The member named to vouch for an application to the distributors list has answered. The application waits for your decision.',
  },
  'leak-reported': {
    subject: 'a leak was reported',
    text: 'Someone reported a leak of embargoed information from the distributors list (PROCESS.md §7). Read the report and record an incident against the organisation responsible, or dismiss it.',
  },
  'review-due': {
    subject: 'a member organisation is due for review',
    text: 'A member organisation of the distributors list is due for its periodic review.',
  },
};

/** Renders `distributors.team`. */
export function renderDistributorsTeam(params: DistributorsTeamParams): RenderedMail {
  const p = parseParams('distributors.team', distributorsTeamParams, params);
  const what = WHAT[p.notice];
  return {
    subject: teamSubject(p.projectName, undefined, what.subject),
    text: body(
      [
        `${what.text}${p.dueAt ? ` It was due by ${formatInstant(p.dueAt, p.timeZone, 'short')}.` : ''}`,
        `Open the distributors list of ${p.projectName}:\n${p.link}`,
      ],
      teamFooter(p.projectName),
    ),
  };
}
