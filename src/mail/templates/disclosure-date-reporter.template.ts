/**
 * To the reporter: a disclosure date for their report was proposed (to accept, object to or answer
 * with another) or decided (PROCESS.md §7). The date itself is behind the private link.
 */
import { z } from 'zod';
import {
  body,
  caseHumanIdParam,
  linkParam,
  parseParams,
  projectNameParam,
  reporterFooter,
  reporterSubject,
  type RenderedMail,
} from './template-kit.js';

export const DISCLOSURE_DATE_PARTY_EVENTS = ['proposed', 'decided'] as const;

export const disclosureDateReporterParams = z.strictObject({
  projectName: projectNameParam,
  caseHumanId: caseHumanIdParam,
  /** The reporter's private link. */
  link: linkParam,
  event: z.enum(DISCLOSURE_DATE_PARTY_EVENTS),
});
export type DisclosureDateReporterParams = z.input<typeof disclosureDateReporterParams>;

/** Renders `disclosure-date.reporter`. */
export function renderDisclosureDateReporter(params: DisclosureDateReporterParams): RenderedMail {
  const p = parseParams('disclosure-date.reporter', disclosureDateReporterParams, params);
  const proposed = p.event === 'proposed';
  return {
    subject: reporterSubject(
      p.projectName,
      p.caseHumanId,
      proposed ? 'a disclosure date is proposed' : 'the disclosure date is set',
    ),
    text: body(
      [
        proposed
          ? `The security team of ${p.projectName} proposes a date to make your report ${p.caseHumanId} public. You can accept it, object with a reason, or propose another date.`
          : `The security team of ${p.projectName} has set the date on which your report ${p.caseHumanId} becomes public.`,
        `See the date at your private link:\n${p.link}`,
      ],
      reporterFooter(p.projectName),
    ),
  };
}
