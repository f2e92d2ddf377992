/**
 * To the reporter: their report's status changed. Plain words for the new state; the team's reason
 * or question is not in the mail, only behind the private link.
 */
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

export const REPORTER_VISIBLE_STATES = [
  'accepted',
  'rejected',
  'duplicate',
  'not-security',
  'needs-info',
] as const;
export type ReporterVisibleState = (typeof REPORTER_VISIBLE_STATES)[number];

export const transitionReporterParams = z.strictObject({
  projectName: projectNameParam,
  caseHumanId: caseHumanIdParam,
  /** The reporter's private link. */
  link: linkParam,
  state: z.enum(REPORTER_VISIBLE_STATES),
  replyByMail: z.boolean(),
});
export type TransitionReporterParams = z.input<typeof transitionReporterParams>;

const WORDS: Record<ReporterVisibleState, { what: string; says: string }> = {
  accepted: {
    what: 'accepted as a vulnerability',
    says: 'The security team has confirmed that your report describes a vulnerability. They will work on a fix and keep you informed of the plan.',
  },
  rejected: {
    what: 'not accepted',
    says: "The security team has decided not to treat your report as a vulnerability. Their reason is on your report's page.",
  },
  duplicate: {
    what: 'already reported',
    says: 'The security team found that your report describes an issue they already know of from an earlier report.',
  },
  'not-security': {
    what: 'not a security issue',
    says: "The security team considers that your report is not a security issue; it belongs in the project's public issue tracker. The page says where it went.",
  },
  'needs-info': {
    what: 'more information needed',
    says: "The security team needs more information from you before going further. Their question is on your report's page.",
  },
};

/** Renders `transition.reporter`. */
export function renderTransitionReporter(params: TransitionReporterParams): RenderedMail {
  const p = parseParams('transition.reporter', transitionReporterParams, params);
  const words = WORDS[p.state];
  return {
    subject: reporterSubject(p.projectName, p.caseHumanId, words.what),
    text: body(
      [
        `The status of your report ${p.caseHumanId} to ${p.projectName} has changed: ${words.what}.`,
        words.says,
        `Read the details at your private link:\n${p.link}`,
        replyHint(p.replyByMail),
      ],
      reporterFooter(p.projectName),
    ),
  };
}
