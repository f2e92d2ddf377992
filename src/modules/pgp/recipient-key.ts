/**
 * A person's OpenPGP public key, given to encrypt what Vigil sends them (a distributors-list
 * person's copy of an early disclosure): it must parse as a public key, carry a usable encryption
 * (sub)key, and be neither expired nor revoked. Only the public half is ever stored.
 */
import type * as openpgp from 'openpgp';
import { BadFieldError } from '../../lib/errors.js';
import { lazyImport } from '../../lib/lazy.js';

const openpgpModule = lazyImport(() => import('openpgp'));

/** Largest armored public key accepted (an RSA-4096 key with many signatures fits). */
export const ARMORED_PUBLIC_KEY_MAX_CHARS = 100_000;

export interface RecipientKey {
  /** The public key, armored again by openpgp.js (nothing but the key itself). */
  armored: string;
  /** Upper-case hex. */
  fingerprint: string;
  expiresAt: string | null;
}

/**
 * Reads an armored OpenPGP public key for encrypting to its holder at `now`; refuses (400 naming
 * `field`) a key that does not parse, a private key, an expired or revoked key, or one that
 * cannot encrypt. A key whose creation lies after `now` (a clock behind the key's maker) is
 * judged at its creation instead.
 */
export async function readRecipientKey(armored: string, field: string, now: Date): Promise<RecipientKey> {
  if (armored.length > ARMORED_PUBLIC_KEY_MAX_CHARS) {
    throw new BadFieldError(field, `At most ${ARMORED_PUBLIC_KEY_MAX_CHARS} characters.`);
  }
  if (/-----BEGIN PGP PRIVATE KEY BLOCK-----/.test(armored)) {
    throw new BadFieldError(
      field,
      'This is a private key: give the public key only, and keep the private key to yourself.',
    );
  }
  const pgp = await openpgpModule();
  let key: openpgp.Key;
  try {
    key = await pgp.readKey({ armoredKey: armored });
  } catch {
    throw new BadFieldError(
      field,
      'This is not an armored OpenPGP public key (-----BEGIN PGP PUBLIC KEY BLOCK-----).',
    );
  }
  if (key.isPrivate()) throw new BadFieldError(field, 'This is a private key: give the public key only.');
  const created = Math.max(
    key.getCreationTime().getTime(),
    ...key.subkeys.map((s) => s.getCreationTime().getTime()),
  );
  const at = new Date(Math.max(now.getTime(), created));
  let expiration: Date | number | null;
  try {
    expiration = await key.getExpirationTime();
  } catch {
    expiration = null;
  }
  if (expiration instanceof Date && expiration.getTime() <= now.getTime()) {
    throw new BadFieldError(field, `This key expired on ${expiration.toISOString()}.`);
  }
  if (await key.isRevoked(undefined, undefined, at).catch(() => false)) {
    throw new BadFieldError(field, 'This key is revoked.');
  }
  try {
    await key.getEncryptionKey(undefined, at);
  } catch {
    throw new BadFieldError(
      field,
      'This key cannot encrypt: it has no valid encryption subkey (expired, revoked or signing-only).',
    );
  }
  return {
    armored: key.armor(),
    fingerprint: key.getFingerprint().toUpperCase(),
    expiresAt: expiration instanceof Date ? expiration.toISOString() : null,
  };
}
