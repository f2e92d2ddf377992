/**
 * To the security team: the disclosure date of a case moved on (PROCESS.md §7): a proposal was made,
 * a party answered, the team decided, or a distributor gave feedback. The instant, the answer and
 * any words stay behind the link.
 */
import { z } from 'zod';
import {
  body,
  caseHumanIdParam,
  linkParam,
  parseParams,
  projectNameParam,
  teamFooter,
  teamSubject,
  type RenderedMail,
} from './template-kit.js';

export const DISCLOSURE_DATE_TEAM_EVENTS = ['proposed', 'responded', 'decided', 'feedback'] as const;

export const disclosureDateTeamParams = z.strictObject({
  projectName: projectNameParam,
  caseHumanId: caseHumanIdParam,
  /** The case page in Vigil. */
  link: linkParam,
  event: z.enum(DISCLOSURE_DATE_TEAM_EVENTS),
});
export type DisclosureDateTeamParams = z.input<typeof disclosureDateTeamParams>;

const WHAT: Record<(typeof DISCLOSURE_DATE_TEAM_EVENTS)[number], { subject: string; text: string }> = {
  proposed: {
    subject: 'disclosure date proposed',
    text: 'A disclosure date was proposed to the reporter and the distributors.',
  },
  responded: {
    subject: 'answer on the disclosure date',
    text: 'A party answered the proposed disclosure date: they accept it, object or propose another.',
  },
  decided: {
    subject: 'disclosure date decided',
    text: 'The disclosure date was decided, and the parties told.',
  },
  feedback: {
    subject: 'distributor feedback',
    text: 'A distributor gave feedback through the portal.',
  },
};

/** Renders `disclosure-date.team`. */
export function renderDisclosureDateTeam(params: DisclosureDateTeamParams): RenderedMail {
  const p = parseParams('disclosure-date.team', disclosureDateTeamParams, params);
  const what = WHAT[p.event];
  return {
    subject: teamSubject(p.projectName, p.caseHumanId, what.subject),
    text: body(
      [`Case ${p.caseHumanId} of ${p.projectName}: ${what.text}`, `Open the case to read it:\n${p.link}`],
      teamFooter(p.projectName),
    ),
  };
}
