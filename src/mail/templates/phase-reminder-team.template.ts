/** To the case's Fix Lead: a phase of the fix (PROCESS.md §6, §8, §9) is due soon. */
import { z } from 'zod';
import { formatInstant } from '../../lib/format-instant.js';
import { PHASE_LABELS } from '../../modules/fix/phases/phase-clock.js';
import { PHASES } from '../../modules/fix/phases/phase.types.js';
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

export const phaseReminderTeamParams = z.strictObject({
  projectName: projectNameParam,
  caseHumanId: caseHumanIdParam,
  /** The case page in Vigil. */
  link: linkParam,
  /** Which phase: a name of the phase clocks, never free text. */
  phase: z.enum(PHASES),
  dueAt: instantParam,
  /** When the reminder is sent, for "due in ...". */
  now: instantParam,
  timeZone: timeZoneParam,
});
export type PhaseReminderTeamParams = z.input<typeof phaseReminderTeamParams>;

/** Renders `phase-reminder.team`. */
export function renderPhaseReminderTeam(params: PhaseReminderTeamParams): RenderedMail {
  const p = parseParams('phase-reminder.team', phaseReminderTeamParams, params);
  const label = PHASE_LABELS[p.phase];
  const left = p.dueAt.getTime() - p.now.getTime();
  const dueIn = left > 0 ? `due in ${formatDuration(left)}` : 'due now';
  return {
    subject: teamSubject(p.projectName, p.caseHumanId, `${label.toLowerCase()} ${dueIn}`),
    text: body(
      [
        `You lead case ${p.caseHumanId} of ${p.projectName}. Its phase "${label}" is ${dueIn}, by ${formatInstant(p.dueAt, p.timeZone, 'short')}, and is not done yet.`,
        `Record it, or act on the case page:\n${p.link}`,
        'If it is still open at the due instant, every member of the security team is told.',
      ],
      teamFooter(p.projectName),
    ),
  };
}
