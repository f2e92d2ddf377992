/** To the security team: half (or 80 percent) of the time for the first response has gone. */
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

export const reminderTeamParams = z.strictObject({
  projectName: projectNameParam,
  caseHumanId: caseHumanIdParam,
  /** The case page in Vigil. */
  link: linkParam,
  dueAt: instantParam,
  /** When the reminder is sent (the clock's now), for "due in ...". */
  now: instantParam,
  timeZone: timeZoneParam,
  elapsedPercent: z.union([z.literal(50), z.literal(80)]),
});
export type ReminderTeamParams = z.input<typeof reminderTeamParams>;

/** Renders `reminder.team`. */
export function renderReminderTeam(params: ReminderTeamParams): RenderedMail {
  const p = parseParams('reminder.team', reminderTeamParams, params);
  const left = p.dueAt.getTime() - p.now.getTime();
  const dueIn = left > 0 ? `due in ${formatDuration(left)}` : 'due now';
  return {
    subject: teamSubject(p.projectName, p.caseHumanId, `first response ${dueIn}`),
    text: body(
      [
        `Nobody from the security team of ${p.projectName} has written to the reporter of case ${p.caseHumanId} yet; ${p.elapsedPercent}% of the time for the first response has gone.`,
        `The first response is ${dueIn}, by ${formatInstant(p.dueAt, p.timeZone, 'short')}.`,
        `Answer the reporter on the case page:\n${p.link}`,
        'Only a message from a team member to the reporter stops the clock; the automatic receipt does not count.',
      ],
      teamFooter(p.projectName),
    ),
  };
}
