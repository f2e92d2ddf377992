/**
 * AES-256-GCM with a random 96-bit IV per value, and associated data naming where the value lives
 * (`projects.team_notes_enc:<row id>`), so a ciphertext copied to another row or column fails to
 * decrypt. Two self-describing formats that name the key, so no table of keys is needed:
 *
 *   text:   v1.<key id: 8 hex>.<base64url iv>.<base64url ciphertext + 16-byte tag>
 *   binary: 0x76 0x01 | key id (4 bytes) | iv (12) | ciphertext | tag (16)
 *
 * The version and key id are authenticated too (they are part of the GCM associated data).
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createSecretKey,
  randomBytes,
  type KeyObject,
} from 'node:crypto';

export const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BINARY_MAGIC = 0x76; // 'v'
const BINARY_VERSION = 0x01;
const BINARY_HEADER_BYTES = 2 + 4 + IV_BYTES;
const ENVELOPE = /^v1\.([0-9a-f]{8})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{22,})$/;

/** A decryption or key problem. The message says what to do, and never holds a key or plaintext. */
export class CryptoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CryptoError';
  }
}

/** A key's public name: the first 8 hex digits of its SHA-256. */
export function deriveKeyId(key: Uint8Array): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/** The key id a text envelope or binary value names, without decrypting it; undefined if it is neither. */
export function keyIdOf(value: string | Uint8Array): string | undefined {
  if (typeof value === 'string') return ENVELOPE.exec(value)?.[1];
  if (
    value.length < BINARY_HEADER_BYTES + TAG_BYTES ||
    value[0] !== BINARY_MAGIC ||
    value[1] !== BINARY_VERSION
  ) {
    return undefined;
  }
  return Buffer.from(value.subarray(2, 6)).toString('hex');
}

/**
 * A key prepared once for many operations: its id and a KeyObject (handing createCipheriv raw
 * bytes makes Node build a key object on every call, about three times the cost of the AES-GCM
 * of a short field).
 */
export interface PreparedKey {
  readonly keyId: string;
  readonly key: KeyObject;
}

/** Prepares `key` (32 bytes) for repeated use. */
export function prepareKey(key: Uint8Array): PreparedKey {
  return { keyId: deriveKeyId(key), key: createSecretKey(key) };
}

function gcmAad(format: 'v1' | 'b1', keyId: string, aad: string): Buffer {
  return Buffer.from(`vigil:${format}:${keyId}:${aad}`, 'utf8');
}

function seal(
  key: Uint8Array | KeyObject,
  aad: Buffer,
  plaintext: Uint8Array,
): { iv: Buffer; sealed: Buffer } {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const sealed = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return { iv, sealed };
}

function unseal(
  key: Uint8Array | KeyObject,
  aad: Buffer,
  iv: Uint8Array,
  sealed: Uint8Array,
  where: string,
): Buffer {
  if (sealed.length < TAG_BYTES) throw tamperedError(where);
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw tamperedError(where);
  }
}

function tamperedError(where: string): CryptoError {
  return new CryptoError(
    `The encrypted value for ${where} failed authentication: it was altered, or copied from another place.`,
  );
}

/** Encrypts text under `key` (bytes, or prepared by prepareKey) into a v1 envelope bound to `aad`. */
export function encryptText(key: Uint8Array | PreparedKey, plaintext: string, aad: string): string {
  const k = key instanceof Uint8Array ? prepareKey(key) : key;
  const { iv, sealed } = seal(k.key, gcmAad('v1', k.keyId, aad), Buffer.from(plaintext, 'utf8'));
  return `v1.${k.keyId}.${iv.toString('base64url')}.${sealed.toString('base64url')}`;
}

/** Decrypts a v1 envelope with the key it names, looked up with `keyFor`. */
export function decryptText(
  envelope: string,
  aad: string,
  keyFor: (keyId: string) => Uint8Array | KeyObject,
): string {
  const match = ENVELOPE.exec(envelope);
  if (!match) {
    const hint = /^v\d+\./.test(envelope) && !envelope.startsWith('v1.') ? ': upgrade Vigil to read it' : '';
    throw new CryptoError(
      `The value for ${aad} is not a Vigil v1 encrypted envelope (v1.<key id>.<iv>.<data>)${hint}.`,
    );
  }
  const [, keyId = '', iv = '', sealed = ''] = match;
  const key = keyFor(keyId);
  return unseal(
    key,
    gcmAad('v1', keyId, aad),
    Buffer.from(iv, 'base64url'),
    Buffer.from(sealed, 'base64url'),
    aad,
  ).toString('utf8');
}

/** Encrypts bytes (attachments) under `key` (bytes, or prepared by prepareKey), bound to `aad`. */
export function encryptBinary(key: Uint8Array | PreparedKey, data: Uint8Array, aad: string): Buffer {
  const k = key instanceof Uint8Array ? prepareKey(key) : key;
  const { iv, sealed } = seal(k.key, gcmAad('b1', k.keyId, aad), data);
  return Buffer.concat([
    Buffer.from([BINARY_MAGIC, BINARY_VERSION]),
    Buffer.from(k.keyId, 'hex'),
    iv,
    sealed,
  ]);
}

/** Decrypts bytes written by `encryptBinary` with the key they name. */
export function decryptBinary(
  data: Uint8Array,
  aad: string,
  keyFor: (keyId: string) => Uint8Array | KeyObject,
): Buffer {
  const keyId = keyIdOf(data);
  if (keyId === undefined) {
    throw new CryptoError(`The data for ${aad} is not in Vigil's encrypted binary format.`);
  }
  const iv = data.subarray(6, BINARY_HEADER_BYTES);
  return unseal(keyFor(keyId), gcmAad('b1', keyId, aad), iv, data.subarray(BINARY_HEADER_BYTES), aad);
}
