import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** A new random identifier for a row. */
export function newId(): string {
  return randomUUID();
}

/** A bearer secret with 256 bits of entropy, URL-safe, with a readable prefix naming its kind. */
export function newSecret(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/** Secrets are stored only as their SHA-256: a database dump never yields a usable token. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * What is kept of a bearer secret to tell it apart in lists: its kind and its first characters
 * (`vgl_AbCdEfGh`), far too few to guess the rest.
 */
export function secretPrefix(secret: string): string {
  return secret.slice(0, 12);
}

let lastMs = 0;
let counter = 0;

/**
 * A time-ordered UUID (version 7, RFC 9562) with a monotonic counter in this process, so rows
 * written in the same millisecond still sort in the order they were made (a conversation's messages).
 */
export function newSortableId(): string {
  let ms = Date.now();
  if (ms <= lastMs) {
    ms = lastMs;
    counter += 1;
    if (counter > 0xfff) {
      lastMs += 1;
      ms = lastMs;
      counter = 0;
    }
  } else {
    lastMs = ms;
    counter = 0;
  }
  const b = randomBytes(16);
  b.writeUIntBE(ms, 0, 6);
  b[6] = 0x70 | ((counter >> 8) & 0x0f);
  b[7] = counter & 0xff;
  b[8] = 0x80 | ((b[8] ?? 0) & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
