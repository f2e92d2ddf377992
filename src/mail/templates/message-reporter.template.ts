/** To the reporter: the team has written. The message itself stays behind the private link. */
import { z } from 'zod';
import {
  body,
  caseHumanIdParam,
  linkParam,
  parseParams,
  projectNameParam,
  replyHint,
  reporterFooter,
  reporterSubject,
  type RenderedMail,
} from './template-kit.js';

export const messageReporterParams = z.strictObject({
  projectName: projectNameParam,
  caseHumanId: caseHumanIdParam,
  /** The reporter's private link. */
  link: linkParam,
  replyByMail: z.boolean(),
});
export type MessageReporterParams = z.input<typeof messageReporterParams>;

/** Renders `message.reporter`. */
export function renderMessageReporter(params: MessageReporterParams): RenderedMail {
  const p = parseParams('message.reporter', messageReporterParams, params);
  return {
    subject: reporterSubject(p.projectName, p.caseHumanId, 'new message from the security team'),
    text: body(
      [
        `The security team of ${p.projectName} has written to you about your report ${p.caseHumanId}.`,
        `To keep the report private, the message is not in this mail. Read it at your private link:\n${p.link}`,
        replyHint(p.replyByMail),
      ],
      reporterFooter(p.projectName),
    ),
  };
}
