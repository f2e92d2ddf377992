/** To the security team: a new report arrived. Names the case and the deadline, never the report. */
import { z } from 'zod';
import { formatInstant } from '../../lib/format-instant.js';
import {
  body,
  caseHumanIdParam,
  instantParam,
  linkParam,
  parseParams,
  projectNameParam,
  teamFooter,
  teamSubject,
  timeZoneParam,
  type RenderedMail,
} from './template-kit.js';

export const reportReceivedTeamParams = z.strictObject({
  projectName: projectNameParam,
  caseHumanId: caseHumanIdParam,
  /** The case page in Vigil. */
  link: linkParam,
  receivedAt: instantParam,
  /** Null: no deadline in the policy, or the report is already public, so as soon as possible. */
  firstResponseDueAt: instantParam.nullable(),
  timeZone: timeZoneParam,
  channel: z.enum(['web', 'api', 'email']),
  publiclyKnown: z.boolean(),
});
export type ReportReceivedTeamParams = z.input<typeof reportReceivedTeamParams>;

const CHANNEL_WORDS = { web: 'the web form', api: 'the API', email: 'email' } as const;

/** Renders `report-received.team`. */
export function renderReportReceivedTeam(params: ReportReceivedTeamParams): RenderedMail {
  const p = parseParams('report-received.team', reportReceivedTeamParams, params);
  const due = p.firstResponseDueAt
    ? `The first response to the reporter is due by ${formatInstant(p.firstResponseDueAt, p.timeZone, 'short')}.`
    : 'The first response to the reporter is due as soon as possible.';
  return {
    subject: teamSubject(
      p.projectName,
      p.caseHumanId,
      p.publiclyKnown ? 'new report, said to be public already' : 'new report',
    ),
    text: body(
      [
        `A new security report for ${p.projectName} arrived through ${CHANNEL_WORDS[p.channel]} on ${formatInstant(p.receivedAt, p.timeZone, 'short')}. It is case ${p.caseHumanId}.`,
        p.publiclyKnown &&
          'The reporter says the issue is already public: every clock of this case is "as soon as possible". Ask the reporter whether it can still be handled privately.',
        due,
        `Read the report and answer the reporter:\n${p.link}`,
        'The clock stops only when a team member writes to the reporter; the automatic receipt does not count.',
      ],
      teamFooter(p.projectName),
    ),
  };
}
