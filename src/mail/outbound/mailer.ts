/**
 * The outbound mailer: plain-text mail over SMTP (nodemailer), bounded and header-safe. Job handlers
 * call it after the change that wants the mail has committed; a throw makes the job runner retry.
 */
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import type { Mail, SMTPSentMessageInfo, SMTPTransportOptions } from 'nodemailer';
import { systemClock, type Clock } from '../../lib/clock.js';
import { lazyImport } from '../../lib/lazy.js';
import { bareAddress, normalizeReplyDomain } from './addressing.js';

export const MAIL_LIMITS = {
  recipients: 50,
  subjectChars: 200,
  bodyBytes: 100 * 1024,
  references: 20,
  headerValueChars: 500,
} as const;

/** nodemailer loads with the first mail sent: an instance without SMTP never needs it. */
const nodemailerModule = lazyImport(() => import('nodemailer'));
type SmtpTransporter = Mail<SMTPSentMessageInfo, SMTPTransportOptions>;

const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as const;

/** One plain-text message. Addresses are bare (`a@example.org`); ids are `<...@...>`. */
export interface OutboundMail {
  to: string[];
  subject: string;
  text: string;
  /** Extra headers: `X-*`, `List-*`, `Auto-Submitted` or `Precedence` only. */
  headers?: Record<string, string>;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  replyTo?: string;
}

export interface SendResult {
  messageId: string;
  /** Recipients the server accepted and refused; a send where all are refused throws instead. */
  accepted: string[];
  rejected: string[];
  /** The server's answer to the message (`250 2.0.0 Ok: queued as ...`), bounded; empty if none. */
  response: string;
}

export interface MailerConfig {
  /** `smtp://user:pass@host:587` or `smtps://...`; unset gives a mailer whose sends fail clearly. */
  smtpUrl?: string | undefined;
  /** The From header, e.g. `Vigil <vigil@example.org>`. */
  from: string;
  /** The domain of reply addresses and Message-IDs. */
  replyDomain: string;
  /** Where Vigil is reached, for links (no trailing slash). */
  publicUrl: string;
  /** For the Date header; the system clock when absent. */
  clock?: Clock;
  /** Sends are logged at debug level with the Message-ID and the number of recipients only. */
  logger?: { debug(obj: object, msg: string): void };
}

export interface Mailer {
  /** False when no SMTP URL was given: every send then throws a retryable MailError. */
  readonly configured: boolean;
  readonly from: string;
  readonly replyDomain: string;
  readonly publicUrl: string;
  send(message: OutboundMail): Promise<SendResult>;
  /** Connects (and authenticates) to the SMTP server without sending: for readiness checks. */
  verify(): Promise<void>;
  close(): void;
}

/**
 * A failed send. `permanent` is true when retrying the same message cannot help (invalid message,
 * a 5xx refusal): a job handler should then fail the job for good. The message never carries a
 * mail address or a credential, since it may be stored as the job's last error.
 */
export class MailError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly code?: string,
    readonly responseCode?: number,
  ) {
    super(message);
    this.name = 'MailError';
  }
}

const invalid = (message: string) => new MailError(message, true, 'EINVALID');
const ADDRESS = /^[^\s@<>()[\]\\,;:"]{1,64}@[^\s@<>()[\]\\,;:"]{1,253}$/u;
const MESSAGE_ID = /^<[^<>\s]{1,250}@[^<>\s]{1,250}>$/;
const ALLOWED_HEADER = /^(X-[A-Za-z0-9-]{1,60}|List-[A-Za-z]{1,20}|Auto-Submitted|Precedence)$/i;
const ADDRESS_IN_TEXT = /[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g;

function checkAddress(value: string, field: string): string {
  const address = value.trim();
  if (address.length > 254 || !ADDRESS.test(address)) throw invalid(`${field} is not a bare mail address.`);
  return address;
}

/** Collapses control characters (CR/LF above all: header injection) and bounds the length. */
export function cleanSubject(subject: string): string {
  const flat = subject
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
    .replace(/\s{2,}/g, ' ')
    .trim();
  const chars = [...flat];
  return chars.length <= MAIL_LIMITS.subjectChars
    ? flat
    : `${chars.slice(0, MAIL_LIMITS.subjectChars - 1).join('')}…`;
}

function checkMessageId(value: string, field: string): string {
  const id = value.trim();
  if (!MESSAGE_ID.test(id)) throw invalid(`${field} must look like <id@domain>.`);
  return id;
}

function checkHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!ALLOWED_HEADER.test(name)) throw invalid(`The header "${name.slice(0, 60)}" may not be set.`);
    // eslint-disable-next-line no-control-regex
    out[name] = value.replace(/[\u0000-\u001f\u007f]+/g, ' ').slice(0, MAIL_LIMITS.headerValueChars);
  }
  return out;
}

/** Checks and normalises a message; throws a permanent MailError naming the first problem. */
export function validateOutboundMail(message: OutboundMail): OutboundMail {
  const to = [
    ...new Map(message.to.map((a) => [a.trim().toLowerCase(), checkAddress(a, 'A recipient')])).values(),
  ];
  if (to.length === 0) throw invalid('A mail needs at least one recipient.');
  if (to.length > MAIL_LIMITS.recipients) {
    throw invalid(`A mail may have at most ${MAIL_LIMITS.recipients} recipients, not ${to.length}.`);
  }
  if (Buffer.byteLength(message.text, 'utf8') > MAIL_LIMITS.bodyBytes) {
    throw invalid(`A mail body may be at most ${MAIL_LIMITS.bodyBytes} bytes.`);
  }
  const subject = cleanSubject(message.subject);
  if (!subject) throw invalid('A mail needs a subject.');
  const references = (message.references ?? []).map((r) => checkMessageId(r, 'A reference'));
  return {
    to,
    subject,
    text: message.text,
    headers: checkHeaders(message.headers ?? {}),
    ...(message.messageId !== undefined && {
      messageId: checkMessageId(message.messageId, 'The Message-ID'),
    }),
    ...(message.inReplyTo !== undefined && { inReplyTo: checkMessageId(message.inReplyTo, 'In-Reply-To') }),
    references: references.slice(-MAIL_LIMITS.references),
    ...(message.replyTo !== undefined && { replyTo: checkAddress(message.replyTo, 'Reply-To') }),
  };
}

function redactedUrl(url: URL): string {
  const user = url.username ? `${url.username}${url.password ? ':***' : ''}@` : '';
  return `${url.protocol}//${user}${url.host}`;
}

/**
 * SMTP transport options from `VIGIL_SMTP_URL`. Only `smtp:` and `smtps:` with host, port, user and
 * password, plus the query options `requireTLS`, `tls.rejectUnauthorized` and `name` (the EHLO name):
 * anything else is refused rather than handed to nodemailer, whose URL options could turn on logging.
 */
export function parseSmtpUrl(smtpUrl: string): SMTPTransportOptions {
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    throw new Error('VIGIL_SMTP_URL is not a URL; expected smtp://user:pass@host:587 or smtps://...');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new Error(`VIGIL_SMTP_URL must start with smtp:// or smtps://, not ${url.protocol}//.`);
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!host) throw new Error(`VIGIL_SMTP_URL names no host: ${redactedUrl(url)}`);
  const secure = url.protocol === 'smtps:';
  const options: SMTPTransportOptions = {
    host,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
  };
  if (url.username || url.password) {
    options.auth = { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) };
  }
  const flag = (key: string, value: string) => {
    if (value !== 'true' && value !== 'false') {
      throw new Error(`VIGIL_SMTP_URL option ${key} must be true or false.`);
    }
    return value === 'true';
  };
  for (const [key, value] of url.searchParams) {
    if (key === 'requireTLS') options.requireTLS = flag(key, value);
    else if (key === 'tls.rejectUnauthorized') options.tls = { rejectUnauthorized: flag(key, value) };
    else if (key === 'name') options.name = value;
    else
      throw new Error(
        `VIGIL_SMTP_URL has an unknown option "${key}" (known: requireTLS, tls.rejectUnauthorized, name).`,
      );
  }
  return options;
}

/** The EHLO name: the public URL's host when it is a DNS name, else nodemailer's default (the hostname). */
function ehloName(publicUrl: string): string | undefined {
  try {
    const host = new URL(publicUrl).hostname;
    return host.includes('.') && isIP(host.replace(/^\[|\]$/g, '')) === 0 ? host : undefined;
  } catch {
    return undefined;
  }
}

function toMailError(err: unknown): MailError {
  if (err instanceof MailError) return err;
  const e = err as { message?: unknown; code?: unknown; responseCode?: unknown; permanent?: unknown };
  const code = typeof e.code === 'string' ? e.code : undefined;
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const text = (typeof e.message === 'string' ? e.message : String(err)).replace(
    ADDRESS_IN_TEXT,
    '[address]',
  );
  return new MailError(
    `SMTP delivery failed${code ? ` (${code}${responseCode ? ` ${responseCode}` : ''})` : ''}: ${text.slice(0, 300)}`,
    e.permanent === true,
    code,
    responseCode,
  );
}

/**
 * Builds the mailer from its configuration. Without `smtpUrl`, `send` and `verify` throw
 * "mail is not configured: set VIGIL_SMTP_URL" as a retryable MailError, so queued mail waits for the
 * operator instead of being lost.
 */
export function createMailer(config: MailerConfig): Mailer {
  if (!bareAddress(config.from) || /[\r\n]/.test(config.from)) {
    throw new Error(`The sender address must be like "Vigil <vigil@example.org>", not "${config.from}".`);
  }
  // The options are checked now (a bad VIGIL_SMTP_URL stops the start); nodemailer itself loads
  // with the first mail sent.
  const options: SMTPTransportOptions | undefined =
    config.smtpUrl === undefined || config.smtpUrl === ''
      ? undefined
      : {
          ...TIMEOUTS,
          name: ehloName(config.publicUrl),
          ...parseSmtpUrl(config.smtpUrl),
          pool: false,
          logger: false,
          debug: false,
        };
  let created: SmtpTransporter | undefined;
  const transport = async (): Promise<SmtpTransporter> => {
    if (!options) throw notConfigured();
    const { createTransport } = await nodemailerModule();
    return (created ??= createTransport(options));
  };
  const notConfigured = () =>
    new MailError('mail is not configured: set VIGIL_SMTP_URL', false, 'ENOTCONFIGURED');
  const domain = normalizeReplyDomain(config.replyDomain);

  return {
    configured: options !== undefined,
    from: config.from,
    replyDomain: domain,
    publicUrl: config.publicUrl,
    async send(message) {
      if (!options) throw notConfigured();
      const m = validateOutboundMail(message);
      const messageId = m.messageId ?? `<vigil.${randomBytes(12).toString('hex')}@${domain}>`;
      const smtp = await transport();
      try {
        const info = await smtp.sendMail({
          from: config.from,
          to: m.to,
          subject: m.subject,
          text: m.text,
          messageId,
          ...(m.inReplyTo && { inReplyTo: m.inReplyTo }),
          ...(m.references?.length && { references: m.references }),
          ...(m.replyTo && { replyTo: m.replyTo }),
          // RFC 3834: auto-responders must not answer, so a vacation reply never opens a new case.
          headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All', ...m.headers },
          date: (config.clock ?? systemClock).now(),
          disableFileAccess: true,
          disableUrlAccess: true,
        });
        const asText = (list: unknown[]) =>
          list.map((a) => (typeof a === 'string' ? a : String((a as { address?: unknown }).address)));
        config.logger?.debug(
          { messageId, recipients: m.to.length, rejected: info.rejected.length },
          'mail sent',
        );
        const response =
          typeof info.response === 'string'
            ? info.response.replace(ADDRESS_IN_TEXT, '[address]').slice(0, MAIL_LIMITS.headerValueChars)
            : '';
        return {
          messageId,
          accepted: asText(info.accepted),
          rejected: asText(info.rejected),
          response,
        };
      } catch (err) {
        throw toMailError(err);
      }
    },
    async verify() {
      const smtp = await transport();
      try {
        await smtp.verify();
      } catch (err) {
        throw toMailError(err);
      }
    },
    close() {
      created?.close();
    },
  };
}

/**
 * The mailer settings from the environment: `VIGIL_SMTP_URL`, `VIGIL_MAIL_FROM` (default
 * `Vigil <vigil@<reply domain>>`) and `VIGIL_MAIL_REPLY_DOMAIN` (default: the host of `publicUrl`).
 */
export function mailSettingsFromEnv(env: NodeJS.ProcessEnv, publicUrl: string): MailerConfig {
  const replyDomain = env.VIGIL_MAIL_REPLY_DOMAIN || new URL(publicUrl).hostname.replace(/^\[|\]$/g, '');
  return {
    smtpUrl: env.VIGIL_SMTP_URL || undefined,
    from: env.VIGIL_MAIL_FROM || `Vigil <vigil@${replyDomain}>`,
    replyDomain,
    publicUrl,
  };
}
