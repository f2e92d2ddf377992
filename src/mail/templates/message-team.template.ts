/** To the security team: the reporter has written (a message or more material). */
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

export const messageTeamParams = z.strictObject({
  projectName: projectNameParam,
  caseHumanId: caseHumanIdParam,
  /** The case page in Vigil. */
  link: linkParam,
});
export type MessageTeamParams = z.input<typeof messageTeamParams>;

/** Renders `message.team`. */
export function renderMessageTeam(params: MessageTeamParams): RenderedMail {
  const p = parseParams('message.team', messageTeamParams, params);
  return {
    subject: teamSubject(p.projectName, p.caseHumanId, 'new message from the reporter'),
    text: body(
      [
        `The reporter of case ${p.caseHumanId} (${p.projectName}) has written to the team.`,
        `Read it on the case page:\n${p.link}`,
      ],
      teamFooter(p.projectName),
    ),
  };
}
