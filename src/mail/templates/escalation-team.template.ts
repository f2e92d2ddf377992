/** To every member of the security team: the first response is overdue. */
import { z } from 'zod';
import { formatInstant } from '../../lib/format-instant.js';
import {
  body,
  caseHumanIdParam,
  formatDuration,
  instantParam,
  linkParam,
  parseParams,
  projectNameParam,
  teamFooter,
  teamSubject,
  timeZoneParam,
  type RenderedMail,
} from './template-kit.js';

export const escalationTeamParams = z.strictObject({
  projectName: projectNameParam,
  caseHumanId: caseHumanIdParam,
  /** The case page in Vigil. */
  link: linkParam,
  dueAt: instantParam,
  /** When the escalation is sent, for "overdue by ...". */
  now: instantParam,
  timeZone: timeZoneParam,
  /** The issue is said to be public: the answer was due "as soon as possible", from `dueAt` on. */
  publiclyKnown: z.boolean().default(false),
});
export type EscalationTeamParams = z.input<typeof escalationTeamParams>;

/** Renders `escalation.team`. */
export function renderEscalationTeam(params: EscalationTeamParams): RenderedMail {
  const p = parseParams('escalation.team', escalationTeamParams, params);
  const late = Math.max(0, p.now.getTime() - p.dueAt.getTime());
  return {
    subject: teamSubject(p.projectName, p.caseHumanId, 'first response overdue'),
    text: body(
      [
        p.publiclyKnown
          ? `The issue of case ${p.caseHumanId} (${p.projectName}) is said to be public already, so the first response to the reporter was due as soon as possible; it has waited ${formatDuration(late)} since ${formatInstant(p.dueAt, p.timeZone, 'short')}. No team member has written to the reporter yet.`
          : `The first response to the reporter of case ${p.caseHumanId} (${p.projectName}) was due by ${formatInstant(p.dueAt, p.timeZone, 'short')}, ${formatDuration(late)} ago. No team member has written to the reporter yet.`,
        'This mail goes to every member of the security team.',
        `Answer the reporter on the case page:\n${p.link}`,
      ],
      teamFooter(p.projectName),
    ),
  };
}
