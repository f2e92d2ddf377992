/**
 * The daily digest (issue 13, item 3): to a person who chose "digest" for some team events, one mail
 * listing what happened since the last one, each line the project's name, the case's id, the kind
 * of event (a name from the list of team mails) and its link. Links only, like every team mail.
 */
import { z } from 'zod';
import {
  body,
  caseHumanIdParam,
  linkParam,
  parseParams,
  projectNameParam,
  type RenderedMail,
} from './template-kit.js';

/** The team mails a digest may list, and how a line says each. */
export const DIGEST_EVENTS = {
  'report-received.team': 'a new report',
  'message.team': 'a new message',
  'reminder.team': 'first response reminder',
  'escalation.team': 'first response overdue',
  'undecryptable.team': 'a report that cannot be read',
  'phase-reminder.team': 'phase reminder',
  'phase-escalation.team': 'phase overdue',
  'distributors.team': 'distributors list',
  'disclosure-date.team': 'disclosure date',
  'publication-held.team': 'publication held',
  'members.team': 'security team membership',
} as const;
export type DigestEvent = keyof typeof DIGEST_EVENTS;
/** At most this many lines; the rest is counted (`omitted`). */
export const DIGEST_MAX_ITEMS = 100;

export const digestTeamParams = z.strictObject({
  /** The notifications page in Vigil. */
  link: linkParam,
  /** One line per notification, oldest first. */
  items: z
    .array(
      z.strictObject({
        projectName: projectNameParam,
        caseHumanId: caseHumanIdParam.nullable(),
        event: z.enum(Object.keys(DIGEST_EVENTS) as [DigestEvent, ...DigestEvent[]]),
        link: linkParam,
      }),
    )
    .min(1)
    .max(DIGEST_MAX_ITEMS),
  /** How many more there were (a count). */
  omitted: z.int().min(0).max(1_000_000),
});
export type DigestTeamParams = z.input<typeof digestTeamParams>;

/** Renders `digest.team`. */
export function renderDigestTeam(params: DigestTeamParams): RenderedMail {
  const p = parseParams('digest.team', digestTeamParams, params);
  const total = p.items.length + p.omitted;
  const lines = p.items.map(
    (i) =>
      `- [${i.projectName}]${i.caseHumanId ? ` ${i.caseHumanId}` : ''}: ${DIGEST_EVENTS[i.event]}\n${i.link}`,
  );
  return {
    subject: `[Vigil] Your daily digest: ${total === 1 ? 'one notification' : `${total} notifications`}`,
    text: body(
      [
        `What happened since your last digest, for the events you chose to receive as a daily digest:`,
        lines.join('\n'),
        p.omitted > 0 && `And ${p.omitted} more.`,
        `See them all, and choose how you are told of each event, in Vigil:\n${p.link}`,
      ],
      'You receive this because you chose a daily digest for some notifications in Vigil. ' +
        'Notifications never contain report content: open the links to read it.',
    ),
  };
}
