/**
 * How mail we send is tied back to its case: a per-case reply address that cannot be forged, and
 * Message-IDs in a format of our own. Pure functions; the secret comes from the caller.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TAG_HEX_LENGTH = 16;
const REPLY_LOCAL = /^case\+([0-9a-f]{32})\.([0-9a-f]{16})$/;
const OUR_MESSAGE_ID = /^vigil\.([0-9a-f]{32})\.[a-z0-9-]{1,80}@([a-z0-9.-]{1,253})$/;
// A label in the MAC input, so that a secret shared with another use can never yield these tags.
const TAG_LABEL = 'vigil.case-reply-address.v1:';
const MIN_SECRET_BYTES = 16;

function canonicalCaseId(caseId: string): string {
  const id = caseId.trim().toLowerCase();
  if (!UUID.test(id)) throw new Error(`A case id must be a UUID, not "${caseId.slice(0, 64)}".`);
  return id;
}

/** The reply domain lower-cased, without a trailing dot; throws when it is not a host name. */
export function normalizeReplyDomain(replyDomain: string): string {
  const domain = replyDomain.trim().toLowerCase().replace(/\.$/, '');
  if (!/^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?)*$/.test(domain)) {
    throw new Error(`The reply domain must be a host name such as vigil.example.org, not "${replyDomain}".`);
  }
  return domain;
}

function withDashes(hex32: string): string {
  return `${hex32.slice(0, 8)}-${hex32.slice(8, 12)}-${hex32.slice(12, 16)}-${hex32.slice(16, 20)}-${hex32.slice(20)}`;
}

function replyTag(caseId: string, secret: Buffer): string {
  if (secret.length < MIN_SECRET_BYTES) {
    throw new Error(`The reply-address secret must be at least ${MIN_SECRET_BYTES} bytes.`);
  }
  return createHmac('sha256', secret)
    .update(TAG_LABEL + caseId, 'utf8')
    .digest('hex')
    .slice(0, TAG_HEX_LENGTH);
}

/**
 * Takes the bare address out of `Name <local@domain>`, `<local@domain>` or `local@domain`, lower-cased.
 * Returns undefined when there is no single plausible address.
 */
export function bareAddress(value: string): string | undefined {
  if (value.length > 1000) return undefined;
  const angle = /<([^<>\s]+)>\s*$/.exec(value);
  const candidate = (angle?.[1] ?? value).trim().toLowerCase();
  return /^[^\s@<>]+@[^\s@<>]+$/.test(candidate) ? candidate : undefined;
}

/**
 * The address replies to a case's mail go to: `case+<case id without dashes>.<tag>@<replyDomain>`.
 * The tag is the first 16 hex digits of HMAC-SHA256(secret, label + case id), so an address can be
 * neither guessed from a case id nor forged for another case.
 */
export function caseReplyAddress(caseId: string, secret: Buffer, replyDomain: string): string {
  const id = canonicalCaseId(caseId);
  return `case+${id.replaceAll('-', '')}.${replyTag(id, secret)}@${normalizeReplyDomain(replyDomain)}`;
}

/**
 * The case id a reply address belongs to, or undefined when the address is not one of ours or its
 * tag is wrong. Accepts display names and angle brackets; case-insensitive; compares the tag in
 * constant time.
 */
export function parseCaseReplyAddress(
  address: string,
  secret: Buffer,
  replyDomain: string,
): string | undefined {
  const bare = bareAddress(address);
  if (!bare) return undefined;
  const at = bare.lastIndexOf('@');
  if (bare.slice(at + 1).replace(/\.$/, '') !== normalizeReplyDomain(replyDomain)) return undefined;
  const m = REPLY_LOCAL.exec(bare.slice(0, at));
  if (!m?.[1] || !m[2]) return undefined;
  const caseId = withDashes(m[1]);
  const expected = Buffer.from(replyTag(caseId, secret), 'utf8');
  const given = Buffer.from(m[2], 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected) ? caseId : undefined;
}

/**
 * The first case id found among several addresses (To, Cc, Delivered-To...), checked as
 * `parseCaseReplyAddress` does.
 */
export function findCaseReplyAddress(
  addresses: readonly string[],
  secret: Buffer,
  replyDomain: string,
): string | undefined {
  for (const address of addresses) {
    const caseId = parseCaseReplyAddress(address, secret, replyDomain);
    if (caseId) return caseId;
  }
  return undefined;
}

/**
 * A Message-ID for mail about a case: `<vigil.<case id without dashes>.<kind>-<unique>@<replyDomain>>`.
 * `unique` is random unless `seed` is given (a job id, say): then it is derived from the seed, so a
 * retried job sends the same Message-ID and the recipient's client shows one message, not two.
 */
export function vigilMessageId(caseId: string, kind: string, replyDomain: string, seed?: string): string {
  const id = canonicalCaseId(caseId).replaceAll('-', '');
  const kindSlug =
    kind
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'mail';
  const unique =
    seed === undefined
      ? randomBytes(12).toString('hex')
      : createHmac('sha256', 'vigil.message-id')
          .update(`${id}\n${kindSlug}\n${seed}`)
          .digest('hex')
          .slice(0, 24);
  return `<vigil.${id}.${kindSlug}-${unique}@${normalizeReplyDomain(replyDomain)}>`;
}

/**
 * The case id inside one of our own Message-IDs (with or without angle brackets), or undefined.
 * When `replyDomain` is given the id's domain must match it. Anyone can write such an id into
 * In-Reply-To, so this only names a candidate: the caller must also find the id among the
 * Message-IDs stored for that case (or a valid reply address) before adding mail to it.
 */
export function caseIdFromMessageId(messageId: string, replyDomain?: string): string | undefined {
  const bare = messageId.trim().replace(/^<|>$/g, '').toLowerCase();
  const m = OUR_MESSAGE_ID.exec(bare);
  if (!m?.[1] || !m[2]) return undefined;
  if (replyDomain !== undefined && m[2] !== normalizeReplyDomain(replyDomain)) return undefined;
  return withDashes(m[1]);
}

/**
 * The Message-IDs in an In-Reply-To or References header value, in order, without duplicates; at most
 * 100 (a References chain can be long; the latest ids are the ones that matter, so the tail is kept).
 */
export function messageIdsIn(headerValue: string | readonly string[] | undefined): string[] {
  if (headerValue === undefined) return [];
  const text = typeof headerValue === 'string' ? headerValue : headerValue.join(' ');
  const ids = [...new Set(text.slice(-50_000).match(/<[^<>\s]{1,998}>/g) ?? [])];
  return ids.slice(-100);
}

/**
 * The candidate cases named by our Message-IDs in a reply's In-Reply-To and References headers, most
 * recent reference first; each still to be verified against the stored Message-IDs of that case.
 */
export function caseCandidatesFromThread(
  headers: {
    inReplyTo?: string | readonly string[] | undefined;
    references?: string | readonly string[] | undefined;
  },
  replyDomain?: string,
): { caseId: string; messageId: string }[] {
  const ids = [...messageIdsIn(headers.inReplyTo), ...messageIdsIn(headers.references).reverse()];
  const out: { caseId: string; messageId: string }[] = [];
  for (const messageId of new Set(ids)) {
    const caseId = caseIdFromMessageId(messageId, replyDomain);
    if (caseId) out.push({ caseId, messageId });
  }
  return out;
}

/** The informational `X-Vigil-Case` header: shown to people and filters, never trusted for matching. */
export function caseHeaders(caseHumanId: string): Record<string, string> {
  return { 'X-Vigil-Case': caseHumanId.replace(/[^A-Za-z0-9-]/g, '').slice(0, 40) };
}
