/**
 * A distributor's OpenPGP key as the early disclosure uses it (PROCESS.md §7): checked at the
 * instant of sending (the service's clock), and the notice encrypted to it as inline armored text.
 * A person whose key fails is never sent the notice in clear: the preflight names the problem and
 * the send refuses until the team excludes them.
 */
import type * as openpgp from 'openpgp';
import { lazyImport } from '../../../lib/lazy.js';
import { ARMORED_KEY_MAX_CHARS } from '../../pgp/openpgp-keys.js';

const openpgpModule = lazyImport(() => import('openpgp'));

export const KEY_STATES = ['none', 'ok', 'unparsable', 'expired', 'cannot-encrypt'] as const;
export type KeyState = (typeof KEY_STATES)[number];

export interface KeyCheck {
  state: KeyState;
  fingerprint: string | null;
  expiresAt: string | null;
  /** What is wrong, in words; null when the key is usable or there is none. */
  problem: string | null;
}

/** The key and its check; `key` only when the state is `ok`. */
export async function checkRecipientKey(
  armored: string | null,
  at: Date,
): Promise<KeyCheck & { key?: openpgp.PublicKey }> {
  if (armored === null || armored.trim() === '') {
    return { state: 'none', fingerprint: null, expiresAt: null, problem: null };
  }
  let key: openpgp.PublicKey;
  try {
    if (armored.length > ARMORED_KEY_MAX_CHARS) throw new Error('too long');
    key = (await (await openpgpModule()).readKey({ armoredKey: armored })).toPublic();
  } catch {
    return {
      state: 'unparsable',
      fingerprint: null,
      expiresAt: null,
      problem: 'The stored key is not an armored OpenPGP public key that can be read.',
    };
  }
  const fingerprint = key.getFingerprint().toUpperCase();
  const expiration = await key.getExpirationTime().catch(() => null);
  const expiresAt = expiration instanceof Date ? expiration.toISOString() : null;
  if (expiration instanceof Date && expiration.getTime() <= at.getTime()) {
    return { state: 'expired', fingerprint, expiresAt, problem: `The key expired on ${expiresAt}.` };
  }
  if (await key.isRevoked(undefined, undefined, at).catch(() => false)) {
    return { state: 'cannot-encrypt', fingerprint, expiresAt, problem: 'The key is revoked.' };
  }
  try {
    await key.getEncryptionKey(undefined, at);
  } catch {
    return {
      state: 'cannot-encrypt',
      fingerprint,
      expiresAt,
      problem: 'The key has no valid encryption subkey (expired, revoked, or signing only).',
    };
  }
  return { state: 'ok', fingerprint, expiresAt, problem: null, key };
}

/** `text` encrypted to `key`, armored. */
export async function encryptForRecipient(key: openpgp.PublicKey, text: string, at: Date): Promise<string> {
  const pgp = await openpgpModule();
  return pgp.encrypt({
    message: await pgp.createMessage({ text, date: at }),
    encryptionKeys: key,
    date: at,
  });
}
