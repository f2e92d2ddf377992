/**
 * OpenPGP key material, through openpgp.js: generating a project key pair, checking an imported
 * private key, and describing a key (fingerprint, algorithm, user ID, expiry) for storage.
 */
import type * as openpgp from 'openpgp';
import { ValidationError } from '../../lib/errors.js';
import { lazyImport } from '../../lib/lazy.js';

/** openpgp.js (1.2 MB) loads at the first key operation, not at start. */
const openpgpModule = lazyImport(() => import('openpgp'));

/** Largest armored private key accepted for import (an RSA-4096 key with many signatures fits). */
export const ARMORED_KEY_MAX_CHARS = 200_000;

/** A key ready to store: the armored public key, the unprotected armored private key, and its facts. */
export interface KeyMaterial {
  fingerprint: string;
  userId: string;
  algorithm: string;
  publicKeyArmored: string;
  privateKeyArmored: string;
  createdAt: Date;
  expiresAt: Date | null;
}

/**
 * A new curve25519 key pair (ed25519 signing primary, cv25519 encryption subkey) with no passphrase:
 * the private key is protected by Vigil's encryption at rest instead.
 */
export async function generateKeyMaterial(userId: { name: string; email: string }): Promise<KeyMaterial> {
  // The key's own creation time is the real time, not the service clock: OpenPGP tools such as
  // gpg refuse a key that claims to be created in the future.
  const pgp = await openpgpModule();
  const { privateKey } = await pgp.generateKey({
    // curve25519 "Legacy" is the v4 key format that gpg 2.2 reads; the RFC 9580 one it does not.
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [userId],
    format: 'object',
  });
  return describe(privateKey);
}

/**
 * Checks an armored private key for import and removes its passphrase: it must parse, unlock with
 * `passphrase` when protected, match its public half, and have a usable encryption (sub)key.
 */
export async function readImportedKey(armored: string, passphrase?: string): Promise<KeyMaterial> {
  const invalid = (message: string) =>
    new ValidationError(`The private key cannot be imported: ${message}`, [{ path: 'privateKey', message }]);
  if (armored.length > ARMORED_KEY_MAX_CHARS) throw invalid(`at most ${ARMORED_KEY_MAX_CHARS} characters`);
  const pgp = await openpgpModule();
  let key: openpgp.PrivateKey;
  try {
    key = await pgp.readPrivateKey({ armoredKey: armored });
  } catch {
    throw invalid(
      'this is not an armored OpenPGP private key (-----BEGIN PGP PRIVATE KEY BLOCK-----); a public key is not enough.',
    );
  }
  if (!key.isDecrypted()) {
    if (passphrase === undefined || passphrase === '') {
      throw new ValidationError('The private key is protected by a passphrase: give it too.', [
        { path: 'passphrase', message: 'required for this key' },
      ]);
    }
    try {
      key = await pgp.decryptKey({ privateKey: key, passphrase });
    } catch {
      throw new ValidationError('The passphrase does not unlock this private key.', [
        { path: 'passphrase', message: 'does not unlock the key' },
      ]);
    }
  }
  if (!(await canDecrypt(key))) {
    throw invalid(
      'it cannot decrypt a message encrypted to it (no valid encryption key: expired, revoked, or signing-only).',
    );
  }
  return describe(key);
}

/** Reads a stored (unprotected) armored private key, for decryption. */
export async function readStoredKey(armored: string): Promise<openpgp.PrivateKey> {
  return (await openpgpModule()).readPrivateKey({ armoredKey: armored });
}

/** Proves the key works: encrypts a probe to its public half and decrypts it with the private one. */
async function canDecrypt(key: openpgp.PrivateKey): Promise<boolean> {
  const pgp = await openpgpModule();
  try {
    const probe = 'vigil key check';
    const encrypted = await pgp.encrypt({
      message: await pgp.createMessage({ text: probe }),
      encryptionKeys: key.toPublic(),
    });
    const { data } = await pgp.decrypt({
      message: await pgp.readMessage({ armoredMessage: encrypted }),
      decryptionKeys: key,
    });
    return data === probe;
  } catch {
    return false;
  }
}

async function describe(key: openpgp.PrivateKey): Promise<KeyMaterial> {
  const expiration = await key.getExpirationTime();
  const subkeys = key.subkeys.map((s) => algorithmLabel(s.getAlgorithmInfo()));
  return {
    fingerprint: key.getFingerprint().toUpperCase(),
    userId: key.getUserIDs()[0] ?? '',
    algorithm: [algorithmLabel(key.getAlgorithmInfo()), ...subkeys].join('/'),
    publicKeyArmored: key.toPublic().armor(),
    privateKeyArmored: key.armor(),
    createdAt: key.getCreationTime(),
    expiresAt: expiration instanceof Date ? expiration : null,
  };
}

/** gpg's short names: `ed25519`, `cv25519`, `rsa4096`. */
function algorithmLabel(info: { algorithm: string; bits?: number; curve?: string }): string {
  if (info.curve) {
    const curve = info.curve.replace(/Legacy$/, '');
    return curve === 'curve25519' ? 'cv25519' : curve;
  }
  if (info.algorithm.startsWith('rsa') && info.bits) return `rsa${info.bits}`;
  return info.algorithm;
}
