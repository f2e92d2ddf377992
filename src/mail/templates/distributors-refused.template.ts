/**
 * To someone whose application to a distributors list was refused: the project's name and the
 * team's reason, short. The applicant has no account to read it behind, and the reason is the
 * team's words to them about their application, never about a case.
 */
import { z } from 'zod';
import { body, parseParams, projectNameParam, teamSubject, type RenderedMail } from './template-kit.js';

export const distributorsRefusedParams = z.strictObject({
  projectName: projectNameParam,
  /** The team's reason, written for the applicant (bounded; line breaks kept). */
  refusalReason: z.string().trim().min(1).max(2000),
});
export type DistributorsRefusedParams = z.input<typeof distributorsRefusedParams>;

/** Renders `distributors.refused`. */
export function renderDistributorsRefused(params: DistributorsRefusedParams): RenderedMail {
  const p = parseParams('distributors.refused', distributorsRefusedParams, params);
  return {
    subject: teamSubject(p.projectName, undefined, 'Your application to the distributors list'),
    text: body(
      [
        `The security team of ${p.projectName} did not accept your organisation's application to its distributors list. Their reason:`,
        p.refusalReason.replace(/\r\n?/g, '\n'),
        'You may apply again once the reason no longer holds.',
      ],
      `You receive this because this address applied to the distributors list of ${p.projectName} in Vigil.`,
    ),
  };
}
