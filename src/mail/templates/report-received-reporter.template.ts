/** To the reporter: the automatic receipt. Says it is automatic, and when a person will answer. */
import { z } from 'zod';
import { formatInstant } from '../../lib/format-instant.js';
import {
  body,
  caseHumanIdParam,
  instantParam,
  linkParam,
  parseParams,
  projectNameParam,
  replyHint,
  reporterFooter,
  reporterSubject,
  timeZoneParam,
  type RenderedMail,
} from './template-kit.js';

export const reportReceivedReporterParams = z.strictObject({
  projectName: projectNameParam,
  caseHumanId: caseHumanIdParam,
  /** The reporter's private link. */
  link: linkParam,
  /** When the team's first response is due; null means "as soon as possible". */
  responseDueAt: instantParam.nullable(),
  timeZone: timeZoneParam,
  /** Whether replies to this mail reach the case (inbound mail is set up). */
  replyByMail: z.boolean(),
  /**
   * The report is held as possibly a flood: the link that confirms it (one click releases it to
   * the team). Absent for a report that is not held.
   */
  confirmLink: linkParam.optional(),
});
export type ReportReceivedReporterParams = z.input<typeof reportReceivedReporterParams>;

/** Renders `report-received.reporter`. */
export function renderReportReceivedReporter(params: ReportReceivedReporterParams): RenderedMail {
  const p = parseParams('report-received.reporter', reportReceivedReporterParams, params);
  const when = p.confirmLink
    ? 'The project received very many reports recently, so yours is held until you confirm that a person ' +
      `sent it: open this link to pass it to the team (one click; nothing else is needed):\n${p.confirmLink}`
    : p.responseDueAt
      ? `A person from the team will answer you by ${formatInstant(p.responseDueAt, p.timeZone, 'short')}.`
      : 'A person from the team will answer you as soon as possible.';
  return {
    subject: reporterSubject(p.projectName, p.caseHumanId, 'received'),
    text: body(
      [
        `This is an automatic receipt. The security team of ${p.projectName} has received your report; its id is ${p.caseHumanId}. Nobody has answered it yet.`,
        when,
        `Follow your report, add material and answer the team's questions at your private link:\n${p.link}`,
        replyHint(p.replyByMail),
      ],
      reporterFooter(p.projectName),
    ),
  };
}
