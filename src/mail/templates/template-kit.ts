/**
 * What every mail template shares: the parameter schemas (the only kinds of value a notification may
 * carry), duration wording, subjects and footers. Instants are said by `lib/format-instant.ts`.
 */
import { z } from 'zod';
import { isValidTimeZone } from '../../lib/calendar/business-time.js';

/** A rendered mail, ready for `Mailer.send` (which adds the headers). */
export interface RenderedMail {
  subject: string;
  text: string;
}

/**
 * Who a kind of mail is for: the security team, the person who reported, someone invited to a case,
 * a person of a distributors-list organisation, or the holder of an account (about the account).
 */
export type MailAudience = 'team' | 'reporter' | 'invitee' | 'distributor' | 'account';

// Free text is limited to the project's name; the rest are identifiers, links, instants and enums.
const singleLine = (max: number) =>
  z
    .string()
    .transform((s) => s.replace(/\s+/g, ' ').trim())
    .pipe(z.string().min(1).max(max));

export const projectNameParam = singleLine(200);
/** `VGL-2026-0001` and the like: letters, digits and dashes. */
export const caseHumanIdParam = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,39}$/, 'must be a case id such as VGL-2026-0001');
export const linkParam = z.url({ protocol: /^https?$/ }).max(2000);
export const timeZoneParam = z.string().max(64).refine(isValidTimeZone, 'must be an IANA time zone');
/** A Date, or ISO 8601 text as stored in the database and in job payloads. */
export const instantParam = z
  .union([z.date(), z.iso.datetime({ offset: true })])
  .transform((v) => (typeof v === 'string' ? new Date(v) : v));

/**
 * Parses a template's parameters with its strict schema: an unknown key (a report's subject, say)
 * is refused. The error names the fields only, never their values.
 */
/** A mail's parameters its template refuses: the same data is refused again (no point retrying). */
export class MailTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MailTemplateError';
  }
}

export function parseParams<S extends z.ZodType>(kind: string, schema: S, params: unknown): z.output<S> {
  const result = schema.safeParse(params);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) =>
    i.code === 'unrecognized_keys'
      ? `unknown field(s) ${i.keys.join(', ')}`
      : `${i.path.join('.') || '(params)'} ${i.message}`,
  );
  throw new MailTemplateError(`Mail template ${kind}: invalid parameters: ${problems.join('; ')}`);
}

/** A wall-clock span in words, two largest units: `2 days 3 hours`, `45 minutes`. */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  if (minutes < 1) return 'less than a minute';
  const parts: [number, string][] = [
    [Math.floor(minutes / 1440), 'day'],
    [Math.floor((minutes % 1440) / 60), 'hour'],
    [minutes % 60, 'minute'],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  return parts
    .slice(first, first + 2)
    .filter(([n]) => n > 0)
    .map(([n, unit]) => `${n} ${unit}${n === 1 ? '' : 's'}`)
    .join(' ');
}

const shortName = (projectName: string) =>
  [...projectName].length <= 60 ? projectName : `${[...projectName].slice(0, 59).join('')}…`;

/** `[Vigil] [<project>] <human id>: <what happened>` */
export function teamSubject(projectName: string, caseHumanId: string | undefined, what: string): string {
  return `[Vigil] [${shortName(projectName)}] ${caseHumanId ? `${caseHumanId}: ` : ''}${what}`;
}

/** `[<project> security] Your report <human id>: <what happened>` */
export function reporterSubject(projectName: string, caseHumanId: string, what: string): string {
  return `[${shortName(projectName)} security] Your report ${caseHumanId}: ${what}`;
}

const WRAP_AT = 72;

/** Greedy word wrap at 72 columns; a word longer than that (a link) stays whole on its own line. */
export function wrapText(line: string): string {
  const out: string[] = [];
  let current = '';
  for (const word of line.split(' ')) {
    if (current && current.length + 1 + word.length > WRAP_AT) {
      out.push(current);
      current = word;
    } else {
      current = current ? `${current} ${word}` : word;
    }
  }
  out.push(current);
  return out.join('\n');
}

/** Paragraphs wrapped and joined by blank lines, then the footer after a signature separator. */
export function body(paragraphs: (string | false | undefined)[], footer: string): string {
  const wrap = (p: string) => p.split('\n').map(wrapText).join('\n');
  const main = paragraphs.filter((p): p is string => Boolean(p)).map(wrap);
  return `${main.join('\n\n')}\n\n-- \n${wrap(footer)}\n`;
}

/** Why a team member got the mail. */
export function teamFooter(projectName: string): string {
  return (
    `You receive this because you are on the security team of ${projectName} in Vigil. ` +
    'Notifications never contain report content: open the link to read it.'
  );
}

/** Why a reporter got the mail, and a warning that their link is private. */
export function reporterFooter(projectName: string): string {
  return (
    `You receive this because you reported a security issue to ${projectName} and gave this address ` +
    'to follow it. The link is private to you: do not forward this mail.'
  );
}

/** The sentence about replying, for reporter mails. */
export function replyHint(replyByMail: boolean): string {
  return replyByMail
    ? 'You can answer on that page, or by replying to this mail.'
    : 'You can answer on that page; replies to this mail are not read.';
}
