/** To every member of the security team: a phase of the fix is overdue. */
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

export const phaseEscalationTeamParams = z.strictObject({
  projectName: projectNameParam,
  caseHumanId: caseHumanIdParam,
  /** The case page in Vigil. */
  link: linkParam,
  /** Which phase: a name of the phase clocks, never free text. */
  phase: z.enum(PHASES),
  dueAt: instantParam,
  /** When the escalation is sent, for "overdue by ...". */
  now: instantParam,
  timeZone: timeZoneParam,
});
export type PhaseEscalationTeamParams = z.input<typeof phaseEscalationTeamParams>;

/** Renders `phase-escalation.team`. */
export function renderPhaseEscalationTeam(params: PhaseEscalationTeamParams): RenderedMail {
  const p = parseParams('phase-escalation.team', phaseEscalationTeamParams, params);
  const label = PHASE_LABELS[p.phase];
  const late = Math.max(0, p.now.getTime() - p.dueAt.getTime());
  const ago = late < 60_000 ? 'just now' : `${formatDuration(late)} ago`;
  return {
    subject: teamSubject(p.projectName, p.caseHumanId, `${label.toLowerCase()} overdue`),
    text: body(
      [
        `The phase "${label}" of case ${p.caseHumanId} (${p.projectName}) was due by ${formatInstant(p.dueAt, p.timeZone, 'short')}, ${ago}, and is not done.`,
        'This mail goes to every member of the security team.',
        `Help the Fix Lead on the case page:\n${p.link}`,
      ],
      teamFooter(p.projectName),
    ),
  };
}
