/**
 * What a webhook receives, and how it can tell the message came from Vigil. Pure.
 *
 * - The body: for `json`, a stable object with `version` 1: for `advisory.published`, `event`,
 *   `project`, `advisory` with its id, CVE id, title, summary, severity, public URL and publication
 *   instant (only public data, and only of a published advisory); for a case event (`case.*`),
 *   link-only like the team's mail: `event`, `project` (slug, name), `case` (human id, the link to
 *   it in Vigil, and for `case.transition` its new state) and `at` (the event's instant), never a
 *   title, the report, a message or who reported it. For `slack`, `{"text": ...}` with the same
 *   facts (Slack's incoming-webhook format, which Mattermost, Rocket.Chat and others accept).
 * - The signature: `X-Vigil-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` keyed by
 *   the webhook's secret (its UTF-8 text, as shown once), with `X-Vigil-Timestamp` (Unix seconds),
 *   so a receiver can refuse old or replayed messages. `X-Vigil-Delivery` names the delivery: a
 *   retry carries the same id, so a receiver can drop a repeat.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const WEBHOOK_KINDS = ['slack', 'json'] as const;
export type WebhookKind = (typeof WEBHOOK_KINDS)[number];

/** The team's case events, each where the team's mail (or its reminder) is queued. */
export const CASE_WEBHOOK_EVENTS = [
  'case.received',
  'case.reporter-message',
  'case.first-response-due',
  'case.overdue',
  'case.transition',
  'case.undecryptable',
] as const;
export type CaseWebhookEvent = (typeof CASE_WEBHOOK_EVENTS)[number];

export const WEBHOOK_EVENTS = ['advisory.published', ...CASE_WEBHOOK_EVENTS] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** The version of the `json` bodies: raised only if a field changes meaning or goes away. */
export const WEBHOOK_BODY_VERSION = 1;

/** What a published advisory's webhook message says: public data only. */
export interface PublishedAdvisoryEvent {
  event: 'advisory.published';
  project: { slug: string; name: string };
  advisory: {
    id: string;
    cveId: string | null;
    title: string;
    summary: string;
    severity: { score: number; severity: string; vector: string } | null;
    url: string;
    publishedAt: string;
  };
}

/** A new signing secret: `vwhsec_` and 32 random bytes, base64url. */
export function newWebhookSecret(): string {
  return `vwhsec_${randomBytes(32).toString('base64url')}`;
}

/** What a case event's message says: where to look, never what the case is about. */
export interface CaseEvent {
  event: CaseWebhookEvent;
  project: { slug: string; name: string };
  case: { humanId: string; url: string; state?: string };
  at: string;
}

/** The body of the message for a webhook of `kind`, as sent (and signed). */
export function webhookBody(kind: WebhookKind, e: PublishedAdvisoryEvent | CaseEvent): string {
  if (kind === 'json') return JSON.stringify({ version: WEBHOOK_BODY_VERSION, ...e });
  return JSON.stringify({ text: e.event === 'advisory.published' ? slackText(e) : caseSlackText(e) });
}

const CASE_EVENT_WORDS: Record<CaseWebhookEvent, string> = {
  'case.received': 'new report',
  'case.reporter-message': 'the reporter wrote',
  'case.first-response-due': 'first response due soon',
  'case.overdue': 'first response overdue',
  'case.transition': 'moved',
  'case.undecryptable': 'a message could not be read',
};

function caseSlackText(e: CaseEvent): string {
  const what =
    e.event === 'case.transition' && e.case.state ? `moved to ${e.case.state}` : CASE_EVENT_WORDS[e.event];
  return [
    `*${slackEscape(e.project.name)}: ${slackEscape(e.case.humanId)}*, ${what}`,
    `<${e.case.url}|Open ${slackEscape(e.case.humanId)} in Vigil>`,
  ].join('\n');
}

// Slack's mrkdwn gives &, < and > a meaning: they are escaped in text.
const slackEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function slackText(e: PublishedAdvisoryEvent): string {
  const a = e.advisory;
  const name = a.cveId ? `${a.cveId} (${a.id})` : a.id;
  const severity = a.severity
    ? ` ${a.severity.severity.charAt(0).toUpperCase()}${a.severity.severity.slice(1)} (CVSS ${a.severity.score.toFixed(1)})`
    : '';
  const summary = a.summary || a.title;
  return [
    `*[SECURITY] ${slackEscape(e.project.name)}: ${name}*${severity}`,
    slackEscape(summary),
    `<${a.url}|Read the advisory>`,
  ].join('\n');
}

/** `sha256=<hex>`: the HMAC-SHA256, keyed by `secret`, of `<timestamp>.<body>`. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

/**
 * How a receiver checks a message (and Vigil's tests do): the signature matches, in constant
 * time, and the timestamp is within `toleranceSeconds` of `now`.
 */
export function verifyWebhook(
  secret: string,
  headers: { signature: string | undefined; timestamp: string | undefined },
  body: string,
  now: Date,
  toleranceSeconds = 300,
): boolean {
  const ts = Number(headers.timestamp);
  if (!headers.signature || !Number.isInteger(ts)) return false;
  if (Math.abs(now.getTime() / 1000 - ts) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, ts, body));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
