/** To the security team: a mail to the project could not be decrypted or parsed, and was kept. */
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

export const undecryptableTeamParams = z.strictObject({
  projectName: projectNameParam,
  /** The case the mail was filed under, when there is one. */
  caseHumanId: caseHumanIdParam.optional(),
  /** Where the kept mail can be looked at in Vigil. */
  link: linkParam,
  receivedAt: instantParam,
  timeZone: timeZoneParam,
  problem: z.enum(['cannot-decrypt', 'cannot-parse']),
});
export type UndecryptableTeamParams = z.input<typeof undecryptableTeamParams>;

const PROBLEM = {
  'cannot-decrypt': {
    what: 'mail could not be decrypted',
    says: "could not be decrypted with the project's OpenPGP key. The sender may have used an old or wrong key.",
  },
  'cannot-parse': {
    what: 'mail could not be read',
    says: 'could not be parsed (malformed MIME, an unknown charset or an unexpected attachment).',
  },
} as const;

/** Renders `undecryptable.team`. */
export function renderUndecryptableTeam(params: UndecryptableTeamParams): RenderedMail {
  const p = parseParams('undecryptable.team', undecryptableTeamParams, params);
  const problem = PROBLEM[p.problem];
  return {
    subject: teamSubject(p.projectName, p.caseHumanId, problem.what),
    text: body(
      [
        `A mail to the security address of ${p.projectName}, received on ${formatInstant(p.receivedAt, p.timeZone, 'short')}, ${problem.says}`,
        `It was kept whole and flagged${p.caseHumanId ? ` in case ${p.caseHumanId}` : ''}; nothing was dropped. Look at it here:\n${p.link}`,
      ],
      teamFooter(p.projectName),
    ),
  };
}
