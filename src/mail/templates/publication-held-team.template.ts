/**
 * To the case's Fix Lead and every member of the security team, once per hold: the publication
 * was due and is held (a required release is unpublished, or another blocker). Link only: the
 * blockers themselves are on the case page.
 */
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

export const publicationHeldTeamParams = z.strictObject({
  projectName: projectNameParam,
  caseHumanId: caseHumanIdParam,
  /** The case page in Vigil. */
  link: linkParam,
  /** The agreed disclosure instant. */
  dueAt: instantParam,
  timeZone: timeZoneParam,
  /** How many blockers hold it: a count, never their sentences. */
  blockers: z.int().min(1).max(1000),
  /** How often Vigil tries again. */
  retryMinutes: z.int().min(1).max(1440),
});
export type PublicationHeldTeamParams = z.input<typeof publicationHeldTeamParams>;

/** Renders `publication-held.team`. */
export function renderPublicationHeldTeam(params: PublicationHeldTeamParams): RenderedMail {
  const p = parseParams('publication-held.team', publicationHeldTeamParams, params);
  const what = p.blockers === 1 ? 'one blocker remains' : `${p.blockers} blockers remain`;
  return {
    subject: teamSubject(p.projectName, p.caseHumanId, 'publication held'),
    text: body(
      [
        `Case ${p.caseHumanId} (${p.projectName}) was to be published at ${formatInstant(p.dueAt, p.timeZone, 'short')}, and its publication is held: ${what}, such as a required release that is not recorded as published.`,
        `Vigil tries again every ${p.retryMinutes} minutes and publishes as soon as nothing holds it. Record the releases, retry from the case page, or reschedule the disclosure.`,
        'This mail goes to the Fix Lead and every member of the security team, once per hold.',
        `See what holds it on the case page:\n${p.link}`,
      ],
      teamFooter(p.projectName),
    ),
  };
}
