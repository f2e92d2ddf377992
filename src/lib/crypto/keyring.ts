/**
 * The keyring: the current master key, which encrypts, plus any previous one still needed to
 * decrypt during a rotation. Keys come from VIGIL_MASTER_KEY (and VIGIL_MASTER_KEY_PREVIOUS) or,
 * when that is unset, from `<dataDir>/master.key`, created on first start with mode 0600. Keys live
 * only in closures: a keyring printed, logged or serialised shows key ids, never key bytes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { randomBytes, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import {
  createPrivateFileExclusively,
  privateFileProblem,
  writePrivateFileAtomically,
} from '../private-file.js';
import {
  CryptoError,
  decryptBinary,
  decryptText,
  encryptBinary,
  encryptText,
  KEY_BYTES,
  prepareKey,
} from './cipher.js';

export type KeySource = 'env' | 'file' | 'memory';

export interface Keyring {
  readonly source: KeySource;
  /** The key file, when the keys came from one. */
  readonly keyFile: string | undefined;
  /** The id of the key that encrypts. */
  readonly currentKeyId: string;
  /** Every key id this keyring can decrypt with, current first. */
  readonly keyIds: readonly string[];
  hasKey(keyId: string): boolean;
  /** Encrypts text into a `v1.<keyId>.<iv>.<data>` envelope bound to `aad` (see fieldAad). */
  encryptField(plaintext: string, aad: string): string;
  decryptField(envelope: string, aad: string): string;
  /** Encrypts bytes (attachments) bound to `aad`. */
  encryptBytes(data: Uint8Array, aad: string): Buffer;
  decryptBytes(data: Uint8Array, aad: string): Buffer;
}

export interface LoadKeyringOptions {
  dataDir: string;
  /** Base64 of 32 bytes (VIGIL_MASTER_KEY); the key file is used when absent. */
  masterKey?: string | undefined;
  /** The key being rotated away from (VIGIL_MASTER_KEY_PREVIOUS); only with `masterKey`. */
  previousMasterKey?: string | undefined;
  /** Create the key file when it is missing (the default); otherwise a missing file is an error. */
  create?: boolean | undefined;
}

/** The master key file's contents: the current key and, during a rotation, the previous one. */
export interface KeyFileContents {
  current: Buffer;
  previous?: Buffer | undefined;
}

const KEY_FILE_NAME = 'master.key';
const KEY_FILE_FORMAT = 'vigil-master-key';

/** Where the master key file of a data directory lives. */
export function keyFilePath(dataDir: string): string {
  return join(dataDir, KEY_FILE_NAME);
}

/** 32 fresh random bytes. */
export function generateMasterKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/**
 * Decodes a base64 master key, naming the setting (never the value) when it is not exactly 32 bytes.
 * Accepts standard and URL-safe base64, with or without padding.
 */
export function parseMasterKey(text: string, setting: string): Buffer {
  const trimmed = text.trim();
  const key = Buffer.from(trimmed, 'base64');
  const canonical = (b64: string) => b64.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  if (!/^[A-Za-z0-9+/_-]+=*$/.test(trimmed) || canonical(key.toString('base64')) !== canonical(trimmed)) {
    throw new CryptoError(`${setting} is not valid base64. Generate a key with: openssl rand -base64 32`);
  }
  if (key.length !== KEY_BYTES) {
    throw new CryptoError(
      `${setting} must be the base64 encoding of exactly ${KEY_BYTES} bytes, but it decodes to ${key.length}. ` +
        'Generate a key with: openssl rand -base64 32',
    );
  }
  return key;
}

/** Builds a keyring from key bytes: `current` encrypts, all of them decrypt. */
export function createKeyring(
  keys: KeyFileContents,
  origin: { source: KeySource; keyFile?: string | undefined } = { source: 'memory' },
): Keyring {
  // Keys are prepared once (id and KeyObject): every field read and write reuses them.
  const byId = new Map<string, KeyObject>();
  for (const key of [keys.current, keys.previous]) {
    if (!key) continue;
    if (key.length !== KEY_BYTES) throw new CryptoError(`A master key must be ${KEY_BYTES} bytes.`);
    const prepared = prepareKey(key);
    byId.set(prepared.keyId, prepared.key);
  }
  const current = prepareKey(keys.current);
  const currentKeyId = current.keyId;
  const keyIds = [...byId.keys()];
  const keyFor = (keyId: string): KeyObject => {
    const key = byId.get(keyId);
    if (!key) throw new CryptoError(missingKeyMessage(keyId, currentKeyId, origin.source));
    return key;
  };
  return {
    source: origin.source,
    keyFile: origin.keyFile,
    currentKeyId,
    keyIds,
    hasKey: (keyId) => byId.has(keyId),
    encryptField: (plaintext, aad) => encryptText(current, plaintext, aad),
    decryptField: (envelope, aad) => decryptText(envelope, aad, keyFor),
    encryptBytes: (data, aad) => encryptBinary(current, data, aad),
    decryptBytes: (data, aad) => decryptBinary(data, aad, keyFor),
  };
}

function missingKeyMessage(keyId: string, currentKeyId: string, source: KeySource): string {
  const fix =
    source === 'file'
      ? `restore the ${KEY_FILE_NAME} file that holds it (from a backup), or set VIGIL_MASTER_KEY_PREVIOUS to that key`
      : 'set VIGIL_MASTER_KEY_PREVIOUS to that key (and VIGIL_MASTER_KEY to the current one)';
  return `The data was encrypted with key ${keyId}, which is not in the keyring (current key ${currentKeyId}): ${fix}.`;
}

/** Loads the keyring from the environment's key or the data directory's key file (created if missing). */
export function loadKeyring(options: LoadKeyringOptions): Keyring {
  if (options.masterKey) {
    const current = parseMasterKey(options.masterKey, 'VIGIL_MASTER_KEY');
    const previous = options.previousMasterKey
      ? parseMasterKey(options.previousMasterKey, 'VIGIL_MASTER_KEY_PREVIOUS')
      : undefined;
    return createKeyring({ current, previous }, { source: 'env' });
  }
  if (options.previousMasterKey) {
    throw new CryptoError(
      'VIGIL_MASTER_KEY_PREVIOUS is set but VIGIL_MASTER_KEY is not: set both, or neither.',
    );
  }
  const file = keyFilePath(options.dataDir);
  if (!existsSync(file)) {
    if (options.create === false) {
      throw new CryptoError(
        `There is no master key file at ${file} yet: Vigil creates it on its first start.`,
      );
    }
    createKeyFile(file);
  }
  return createKeyring(readKeyFile(file), { source: 'file', keyFile: file });
}

/** Reads a key file after checking that only its owner can read it. */
export function readKeyFile(file: string): KeyFileContents {
  const problem = privateFileProblem(file, 'The master key file');
  if (problem) throw new CryptoError(problem);
  const text = readFileSync(file, 'utf8').trim();
  if (!text.startsWith('{')) {
    // A bare base64 key, e.g. restored from a password manager.
    return { current: parseMasterKey(text, `The key file ${file}`) };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CryptoError(`The master key file ${file} is not valid JSON: restore it from a backup.`);
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    !('current' in parsed) ||
    typeof parsed.current !== 'string'
  ) {
    throw new CryptoError(`The master key file ${file} has no "current" key: restore it from a backup.`);
  }
  const previous = 'previous' in parsed && typeof parsed.previous === 'string' ? parsed.previous : undefined;
  return {
    current: parseMasterKey(parsed.current, `The "current" key in ${file}`),
    previous: previous ? parseMasterKey(previous, `The "previous" key in ${file}`) : undefined,
  };
}

function serialise(contents: KeyFileContents): string {
  const value: Record<string, string | number> = {
    format: KEY_FILE_FORMAT,
    version: 1,
    current: contents.current.toString('base64'),
  };
  if (contents.previous) value.previous = contents.previous.toString('base64');
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * Creates the key file with a new key, exclusively (see createPrivateFileExclusively): two first
 * starts racing agree on one key, and neither can read a half-written file.
 */
function createKeyFile(file: string): void {
  createPrivateFileExclusively(file, serialise({ current: generateMasterKey() }));
}

/** Replaces the key file atomically (temporary file + rename), mode 0600. */
export function writeKeyFile(file: string, contents: KeyFileContents): void {
  writePrivateFileAtomically(file, serialise(contents));
}
