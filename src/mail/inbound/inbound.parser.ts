/**
 * Parses one inbound RFC 5322 message into what a case needs: addresses and threading headers, the
 * text (HTML converted, never kept), attachments, and whether it was encrypted (PGP/MIME, RFC 3156,
 * or inline PGP) and decrypted with the project's keys. It never throws on what a sender controls:
 * a message that is truncated, malformed, too deep, undecryptable or oversized comes back with
 * what could be read and flags saying what could not. The caller keeps the raw message. README.md.
 */
import type { AddressObject, Attachment, ParsedMail } from 'mailparser';
import type * as openpgp from 'openpgp';
import { lazyImport } from '../../lib/lazy.js';
import {
  classifyAttachment,
  contentTypeFor,
  extensionOf,
  type AttachmentTypeFlag,
} from './attachment-types.js';
import { scanMime } from './mime-scan.js';
import { ARMORED_MESSAGE, decryptMessage, looksArmored } from './pgp-decrypt.js';

/** mailparser (with its HTML-to-text and charset tables, about 1 MB) loads at the first message. */
const mailparserModule = lazyImport(() => import('mailparser'));

/** The largest raw message parsed whole (30 MiB); beyond it only the beginning is read. */
export const DEFAULT_MAX_INBOUND_BYTES = 30 * 1024 * 1024;
/** The text kept for display is bounded too. */
export const MAX_TEXT_CHARS = 2_000_000;
const MAX_LIST = 100;
const MAX_INLINE_BLOCKS = 20;
/** PGP/MIME inside PGP/MIME is unwrapped this many times at most. */
const MAX_PGP_LAYERS = 2;

/**
 * What could not be taken at face value:
 * - `malformed-mime`: broken structure (boundaries, truncation, invalid base64, header lines);
 * - `undecryptable`: encrypted content none of the project's keys opens (kept as received);
 * - `unknown-charset`: a charset that cannot be decoded, or text invalid in its charset;
 * - `unknown-attachment-type`: an attachment outside the allow-list, or active content;
 * - `oversized`: larger than the limit: only its beginning was read, without attachments;
 * - `too-deep`: nesting or part count beyond the bounds: the body is shown raw;
 * - `html-only`: the text was converted from HTML;
 * - `partly-encrypted`: encrypted mail that also carries unencrypted text or attachments;
 * - `text-truncated`: the text was cut at MAX_TEXT_CHARS.
 */
export type InboundFlag =
  | 'malformed-mime'
  | 'undecryptable'
  | 'unknown-charset'
  | 'unknown-attachment-type'
  | 'oversized'
  | 'too-deep'
  | 'html-only'
  | 'partly-encrypted'
  | 'text-truncated';

export type AttachmentFlag = AttachmentTypeFlag | 'decrypted' | 'undecryptable';

export interface InboundAttachment {
  filename: string;
  contentType: string;
  size: number;
  content: Buffer;
  flags: AttachmentFlag[];
}

export interface InboundMail {
  messageId?: string;
  inReplyTo?: string;
  references: string[];
  from?: { address: string; name: string };
  /** Addresses are lower-cased. */
  to: string[];
  cc: string[];
  /** `Delivered-To` and `X-Original-To`: where the MTA delivered it (a per-case reply address). */
  deliveredTo: string[];
  subject: string;
  text: string;
  attachments: InboundAttachment[];
  encrypted: 'none' | 'pgp-mime' | 'inline-pgp';
  /** True when everything encrypted was decrypted (false when nothing was encrypted). */
  decrypted: boolean;
  /** Carries an OpenPGP signature (multipart/signed, cleartext-signed or a signed encrypted message); not verified. */
  signed: boolean;
  flags: InboundFlag[];
}

export interface ParseInboundOptions {
  /** The project's private keys, unlocked (PgpService.decryptingKeys). */
  decryptionKeys: readonly openpgp.PrivateKey[];
  /** Default DEFAULT_MAX_INBOUND_BYTES. */
  maxBytes?: number;
}

type Envelope = Pick<
  InboundMail,
  'messageId' | 'inReplyTo' | 'references' | 'from' | 'to' | 'cc' | 'deliveredTo' | 'subject'
>;

interface Entity {
  envelope: Envelope;
  topType: string;
  /** The entity declares RFC "protected headers" (its Subject replaces the outer placeholder). */
  protectedHeaders: boolean;
  text: string;
  attachments: InboundAttachment[];
}

interface Context {
  keys: readonly openpgp.PrivateKey[];
  maxBytes: number;
  flags: Set<InboundFlag>;
  encrypted: InboundMail['encrypted'];
  signed: boolean;
}

const PARSER_OPTIONS = {
  skipTextToHtml: true,
  skipTextLinks: true,
  skipImageLinks: true,
  keepCidLinks: true,
};

/** Parses `raw`; never throws on hostile input (see InboundFlag). */
export async function parseInboundMail(raw: Buffer, opts: ParseInboundOptions): Promise<InboundMail> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_INBOUND_BYTES;
  const ctx: Context = {
    keys: opts.decryptionKeys,
    maxBytes,
    flags: new Set(),
    encrypted: 'none',
    signed: false,
  };
  let input = stripMboxFromLine(raw);
  const oversized = input.length > maxBytes;
  if (oversized) {
    ctx.flags.add('oversized');
    input = input.subarray(0, maxBytes);
  }
  const outer = await parseEntity(input, ctx);
  let body = { text: outer.text, attachments: outer.attachments };
  let subject = outer.envelope.subject;
  if (oversized) {
    // The tail is missing: attachments would be cut short and ciphertext incomplete. The text
    // read so far is what the team sees; the raw message the caller keeps holds the rest.
    body.attachments = [];
  } else {
    const inner = await decryptPgpMime(outer, ctx, 0);
    if (inner.protectedHeaders && inner.envelope.subject) subject = inner.envelope.subject;
    else if (
      inner !== outer &&
      /^(\.\.\.|encrypted message)?$/i.test(subject.trim()) &&
      inner.envelope.subject
    ) {
      subject = inner.envelope.subject;
    }
    body = {
      text: await decryptInline(inner.text, ctx),
      attachments: await decryptAttachments(inner.attachments, ctx),
    };
  }
  if (/^-----BEGIN PGP SIGNED MESSAGE-----/m.test(body.text)) ctx.signed = true;
  for (const a of body.attachments) {
    a.flags.push(...classifyAttachment(a.filename, a.contentType, a.content));
    if (a.flags.includes('unknown-type') || a.flags.includes('active-content')) {
      ctx.flags.add('unknown-attachment-type');
    }
  }
  let text = body.text;
  if (text.length > MAX_TEXT_CHARS) {
    text = text.slice(0, MAX_TEXT_CHARS);
    ctx.flags.add('text-truncated');
  }
  return {
    ...outer.envelope,
    subject,
    text,
    attachments: body.attachments,
    encrypted: ctx.encrypted,
    decrypted: ctx.encrypted !== 'none' && !ctx.flags.has('undecryptable'),
    signed: ctx.signed,
    flags: [...ctx.flags].sort(),
  };
}

/** Parses one MIME entity with mailparser after the structure scan says it is safe to. */
async function parseEntity(buf: Buffer, ctx: Context): Promise<Entity> {
  const scan = scanMime(buf);
  if (scan.problems.length > 0) ctx.flags.add('malformed-mime');
  if (scan.charsetProblems.length > 0) ctx.flags.add('unknown-charset');
  if (scan.topType === 'multipart/signed') ctx.signed = true;
  if (scan.tooDeep || scan.tooManyParts) {
    ctx.flags.add('too-deep');
    ctx.flags.add('malformed-mime');
    return fallbackEntity(buf, scan.topType);
  }
  const { simpleParser } = await mailparserModule();
  let mail: ParsedMail;
  try {
    mail = await simpleParser(buf, PARSER_OPTIONS);
  } catch {
    ctx.flags.add('malformed-mime');
    return fallbackEntity(buf, scan.topType);
  }
  if (scan.hasHtml && !scan.hasPlainText && mail.html !== false && mail.html !== undefined) {
    ctx.flags.add('html-only');
  }
  const contentType = mail.headers.get('content-type');
  const params =
    contentType && typeof contentType === 'object' && 'params' in contentType ? contentType.params : {};
  return {
    envelope: envelopeOf(mail),
    topType: scan.topType,
    protectedHeaders: params['protected-headers'] !== undefined,
    text: cleanText(mail.text ?? ''),
    attachments: mail.attachments.map(toAttachment),
  };
}

/** When the structure cannot be parsed: the headers alone, and the body as raw text. */
async function fallbackEntity(buf: Buffer, topType: string): Promise<Entity> {
  const crlf = buf.indexOf('\r\n\r\n');
  const lf = buf.indexOf('\n\n');
  const ends = [crlf === -1 ? -1 : crlf + 4, lf === -1 ? -1 : lf + 2].filter((n) => n !== -1);
  const bodyStart = ends.length > 0 ? Math.min(...ends) : buf.length;
  const { simpleParser } = await mailparserModule();
  let envelope: Envelope = emptyEnvelope();
  try {
    // Only the header block, with a plain body, so that the structure that failed is not parsed again.
    const headerBlock = Buffer.from(
      buf
        .toString('latin1', 0, bodyStart)
        .replace(/^content-type:.*(\r?\n[ \t].*)*\r?\n/gim, '')
        .replace(/\s+$/, ''),
      'latin1',
    );
    envelope = envelopeOf(
      await simpleParser(Buffer.concat([headerBlock, Buffer.from('\r\n\r\n')]), PARSER_OPTIONS),
    );
  } catch {
    // Not even the headers parse: the raw message the caller keeps is all there is.
  }
  const text = cleanText(
    new TextDecoder('utf-8').decode(buf.subarray(bodyStart, bodyStart + MAX_TEXT_CHARS)),
  );
  return { envelope, topType, protectedHeaders: false, text, attachments: [] };
}

/**
 * RFC 3156: multipart/encrypted with an application/pgp-encrypted control part and the
 * application/octet-stream ciphertext. The decrypted content is a MIME entity of its own.
 */
async function decryptPgpMime(entity: Entity, ctx: Context, layer: number): Promise<Entity> {
  const control = entity.attachments.filter(
    (a) => a.contentType === 'application/pgp-encrypted' && !looksArmored(a.content),
  );
  const isPgpMime = entity.topType === 'multipart/encrypted' || control.length > 0;
  if (!isPgpMime || layer >= MAX_PGP_LAYERS) return entity;
  ctx.encrypted = 'pgp-mime';
  const payload = entity.attachments.find((a) => looksArmored(a.content));
  const others = entity.attachments.filter((a) => a !== payload && !control.includes(a));
  if (!payload) {
    ctx.flags.add('malformed-mime');
    ctx.flags.add('undecryptable');
    return entity;
  }
  const outcome = await decryptMessage(payload.content.toString('utf8'), ctx.keys, ctx.maxBytes);
  if (!outcome.ok) {
    ctx.flags.add('undecryptable');
    if (outcome.reason === 'too-large') ctx.flags.add('oversized');
    payload.flags.push('undecryptable');
    return { ...entity, attachments: [payload, ...others] };
  }
  if (outcome.signed) ctx.signed = true;
  if (others.length > 0 || entity.text.trim() !== '') ctx.flags.add('partly-encrypted');
  const inner = await decryptPgpMime(await parseEntity(asMimeEntity(outcome.data), ctx), ctx, layer + 1);
  return {
    envelope: inner.envelope,
    topType: inner.topType,
    protectedHeaders: inner.protectedHeaders,
    text: [entity.text.trim() === '' ? '' : entity.text, inner.text].filter((t) => t !== '').join('\n'),
    attachments: [...inner.attachments, ...others],
  };
}

/** Decrypted PGP/MIME content is a MIME entity; some clients encrypt bare text instead. */
function asMimeEntity(data: Uint8Array): Buffer {
  const content = Buffer.from(data);
  const firstLine = content.subarray(0, 1_000).toString('latin1').split(/\r?\n/, 1)[0] ?? '';
  const header = /^(content-[a-z-]+|mime-version|subject|from|to|cc|date|message-id|reply-to):/i;
  if (header.test(firstLine) || firstLine === '') return content;
  return Buffer.concat([Buffer.from('Content-Type: text/plain; charset=utf-8\r\n\r\n'), content]);
}

/** Inline PGP: armored messages inside the text are replaced by their decrypted text. */
async function decryptInline(text: string, ctx: Context): Promise<string> {
  const blocks = [...text.matchAll(ARMORED_MESSAGE)].slice(0, MAX_INLINE_BLOCKS);
  if (blocks.length === 0) return text;
  if (ctx.encrypted === 'none') ctx.encrypted = 'inline-pgp';
  let out = '';
  let last = 0;
  let outside = '';
  for (const block of blocks) {
    const start = block.index;
    out += text.slice(last, start);
    outside += text.slice(last, start);
    const outcome = await decryptMessage(block[0], ctx.keys, ctx.maxBytes);
    if (outcome.ok) {
      if (outcome.signed) ctx.signed = true;
      out += cleanText(new TextDecoder('utf-8').decode(outcome.data));
    } else {
      ctx.flags.add('undecryptable');
      if (outcome.reason === 'too-large') ctx.flags.add('oversized');
      out += block[0];
    }
    last = start + block[0].length;
  }
  out += text.slice(last);
  outside += text.slice(last);
  if (outside.trim() !== '') ctx.flags.add('partly-encrypted');
  return out;
}

/** Attachments encrypted on their own (`report.pdf.pgp`, armored `.asc` messages) are decrypted. */
async function decryptAttachments(
  attachments: InboundAttachment[],
  ctx: Context,
): Promise<InboundAttachment[]> {
  const out: InboundAttachment[] = [];
  for (const a of attachments) {
    if (a.flags.includes('undecryptable')) {
      out.push(a);
      continue;
    }
    const armored = looksArmored(a.content);
    const ext = extensionOf(a.filename);
    const binary = !armored && (ext === 'pgp' || ext === 'gpg') && ((a.content[0] ?? 0) & 0x80) !== 0;
    if (!armored && !binary) {
      out.push(a);
      continue;
    }
    const outcome = await decryptMessage(
      armored ? a.content.toString('utf8') : a.content,
      ctx.keys,
      ctx.maxBytes,
    );
    if (outcome.ok) {
      if (ctx.encrypted === 'none') ctx.encrypted = 'inline-pgp';
      if (outcome.signed) ctx.signed = true;
      const filename = cleanFilename(
        outcome.filename ?? a.filename.replace(/\.(pgp|gpg|asc)$/i, ''),
        out.length,
      );
      const content = Buffer.from(outcome.data);
      out.push({
        filename,
        contentType: contentTypeFor(filename),
        size: content.length,
        content,
        flags: ['decrypted'],
      });
    } else if (armored || outcome.reason !== 'unreadable') {
      // A binary file that is not an OpenPGP message (a keyring, say) is just a file.
      if (ctx.encrypted === 'none') ctx.encrypted = 'inline-pgp';
      ctx.flags.add('undecryptable');
      if (outcome.reason === 'too-large') ctx.flags.add('oversized');
      out.push({ ...a, flags: [...a.flags, 'undecryptable'] });
    } else {
      out.push(a);
    }
  }
  return out;
}

function toAttachment(a: Attachment, index: number): InboundAttachment {
  const filename = cleanFilename(a.filename ?? '', index);
  const contentType = (a.contentType || 'application/octet-stream').toLowerCase().slice(0, 200);
  return { filename, contentType, size: a.content.length, content: a.content, flags: [] };
}

function envelopeOf(mail: ParsedMail): Envelope {
  const from = mail.from?.value.find((v) => v.address);
  const deliveredTo = mail.headerLines
    .filter((h) => h.key === 'delivered-to' || h.key === 'x-original-to')
    .map((h) => addressIn(h.line.slice(h.line.indexOf(':') + 1)))
    .filter((a) => a !== '');
  const references =
    typeof mail.references === 'string' ? mail.references.split(/\s+/) : (mail.references ?? []);
  return {
    ...(mail.messageId && { messageId: cleanLine(mail.messageId) }),
    ...(mail.inReplyTo && { inReplyTo: cleanLine(mail.inReplyTo.split(/\s+/)[0] ?? '') }),
    references: references
      .filter((r) => r !== '')
      .slice(0, MAX_LIST)
      .map(cleanLine),
    ...(from?.address && {
      from: { address: cleanLine(from.address).toLowerCase(), name: cleanLine(from.name) },
    }),
    to: addressesOf(mail.to),
    cc: addressesOf(mail.cc),
    deliveredTo: [...new Set(deliveredTo)].slice(0, MAX_LIST),
    subject: cleanLine(mail.subject ?? '').slice(0, 998),
  };
}

function emptyEnvelope(): Envelope {
  return { references: [], to: [], cc: [], deliveredTo: [], subject: '' };
}

function addressesOf(value: AddressObject | AddressObject[] | undefined): string[] {
  const objects = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const out: string[] = [];
  for (const o of objects) {
    for (const v of o.value) {
      for (const member of [v, ...(v.group ?? [])]) {
        if (member.address) out.push(cleanLine(member.address).toLowerCase());
      }
    }
  }
  return [...new Set(out)].slice(0, MAX_LIST);
}

/** The address in a header value: `<a@b>` or the bare value. */
function addressIn(value: string): string {
  const angled = /<([^<>\s]+)>/.exec(value);
  return cleanLine(angled?.[1] ?? value.trim()).toLowerCase();
}

/** An mbox `From ` separator line (added by some MTA pipe transports) is not a header. */
function stripMboxFromLine(raw: Buffer): Buffer {
  if (raw.subarray(0, 5).toString('latin1') !== 'From ') return raw;
  const nl = raw.indexOf(0x0a);
  return nl === -1 ? raw : raw.subarray(nl + 1);
}

// NUL cannot be stored in PostgreSQL text; other C0 controls have no business in display text.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

function cleanText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(CONTROL, '');
}

function cleanLine(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(CONTROL, '')
    .trim()
    .slice(0, 2_000);
}

function cleanFilename(name: string, index: number): string {
  const base = cleanLine(name)
    .replace(/^.*[\\/]/, '')
    .slice(0, 255)
    .trim();
  return base === '' || base === '.' || base === '..' ? `attachment-${index + 1}` : base;
}
