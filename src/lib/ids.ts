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
