/**
 * The audit key: 32 bytes that never enter the database, from VIGIL_AUDIT_KEY (base64) or
 * `<dataDir>/audit.key` (created on first start, mode 0600, exactly like master.key). Two keys are
 * derived from it with HKDF-SHA-256: the chain's HMAC key (an event's hash cannot be recomputed
 * without it) and the Ed25519 key that signs the checkpoints written outside the database.
 *
 * It is separate from the master key on purpose: rotating the master key (`vigil keys rotate`)
 * re-encrypts data but must not rewrite the audit chain, whose hashes are its history.
 *
 * `appendAuditEvent` keeps its signature for its hundreds of callers, so the keys live in a holder
 * set once where the process loads its keys (`vigil serve`, the CLI's withDb, the test harness);
 * appending or verifying with no key set throws rather than writing an unkeyed event.
 */
import {
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  hkdfSync,
  sign,
  verify,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CryptoError, KEY_BYTES } from '../lib/crypto/cipher.js';
import { generateMasterKey, parseMasterKey } from '../lib/crypto/keyring.js';
import { createPrivateFileExclusively, privateFileProblem } from '../lib/private-file.js';

export interface AuditKeys {
  /** HMAC-SHA-256 under the chain key, hex. */
  mac(text: string): string;
  /** An Ed25519 signature under the checkpoint key. */
  sign(data: Uint8Array): Buffer;
  /** Whether `signature` over `data` is valid under `publicKey` (raw 32 bytes, base64). */
  verify(data: Uint8Array, signature: Uint8Array, publicKey?: string): boolean;
  /** The checkpoint key's public half: raw 32 bytes, base64. */
  readonly publicKey: string;
  /** A short id of the public key (hex), named in checkpoints and messages. */
  readonly keyId: string;
  /** Where the key came from. */
  readonly source: 'env' | 'file' | 'memory';
  readonly keyFile: string | undefined;
}

const MAC_INFO = 'vigil audit chain hmac-sha256 v1';
const SIGN_INFO = 'vigil audit checkpoint ed25519 v1';
const AUDIT_KEY_FILE = 'audit.key';
const AUDIT_KEY_FORMAT = 'vigil-audit-key';
// PKCS#8 prefix of an Ed25519 private key; the 32-byte seed follows.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

function derive(ikm: Uint8Array, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, Buffer.alloc(0), info, KEY_BYTES));
}

function publicKeyObject(raw: string): KeyObject {
  return createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(raw, 'base64')]),
    format: 'der',
    type: 'spki',
  });
}

/** The id of a checkpoint public key (raw bytes, base64): the first 16 hex digits of its SHA-256. */
export function auditKeyId(publicKey: string): string {
  return createHash('sha256').update(Buffer.from(publicKey, 'base64')).digest('hex').slice(0, 16);
}

/** Derives the chain and checkpoint keys from the 32-byte audit key. */
export function createAuditKeys(
  key: Uint8Array,
  origin: { source: AuditKeys['source']; keyFile?: string | undefined } = { source: 'memory' },
): AuditKeys {
  if (key.length !== KEY_BYTES) throw new CryptoError(`The audit key must be ${KEY_BYTES} bytes.`);
  const macKey = derive(key, MAC_INFO);
  const privateKey = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, derive(key, SIGN_INFO)]),
    format: 'der',
    type: 'pkcs8',
  });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const publicKey = spki.subarray(spki.length - 32).toString('base64');
  const ownPublic = publicKeyObject(publicKey);
  return {
    mac: (text) => createHmac('sha256', macKey).update(text, 'utf8').digest('hex'),
    sign: (data) => sign(null, data, privateKey),
    verify: (data, signature, other) => {
      try {
        return verify(null, data, other ? publicKeyObject(other) : ownPublic, signature);
      } catch {
        return false;
      }
    },
    publicKey,
    keyId: auditKeyId(publicKey),
    source: origin.source,
    keyFile: origin.keyFile,
  };
}

/** Where the audit key file of a data directory lives. */
export function auditKeyFilePath(dataDir: string): string {
  return join(dataDir, AUDIT_KEY_FILE);
}

export interface LoadAuditKeyOptions {
  dataDir: string;
  /** Base64 of 32 bytes (VIGIL_AUDIT_KEY); the key file is used when absent. */
  auditKey?: string | undefined;
  /** Create the key file when it is missing (the default); otherwise a missing file is an error. */
  create?: boolean | undefined;
}

/** Loads the audit keys from VIGIL_AUDIT_KEY or the data directory's audit.key (created if missing). */
export function loadAuditKeys(options: LoadAuditKeyOptions): AuditKeys {
  if (options.auditKey) {
    return createAuditKeys(parseMasterKey(options.auditKey, 'VIGIL_AUDIT_KEY'), { source: 'env' });
  }
  const file = auditKeyFilePath(options.dataDir);
  if (!existsSync(file)) {
    if (options.create === false) {
      throw new CryptoError(
        `There is no audit key file at ${file} yet: Vigil creates it on its first start.`,
      );
    }
    const text = `${JSON.stringify(
      { format: AUDIT_KEY_FORMAT, version: 1, key: generateMasterKey().toString('base64') },
      null,
      2,
    )}\n`;
    createPrivateFileExclusively(file, text);
  }
  const problem = privateFileProblem(file, 'The audit key file');
  if (problem) throw new CryptoError(problem);
  const text = readFileSync(file, 'utf8').trim();
  let encoded = text;
  if (text.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new CryptoError(`The audit key file ${file} is not valid JSON: restore it from a backup.`);
    }
    if (
      typeof parsed !== 'object' ||
      parsed === null ||
      !('key' in parsed) ||
      typeof parsed.key !== 'string'
    ) {
      throw new CryptoError(`The audit key file ${file} has no "key": restore it from a backup.`);
    }
    encoded = parsed.key;
  }
  return createAuditKeys(parseMasterKey(encoded, `The key in ${file}`), { source: 'file', keyFile: file });
}

let current: AuditKeys | undefined;

/**
 * Sets the process's audit keys (undefined: none); returns a function that puts back the previous
 * ones (the CLI run in a test's process restores what the test had).
 */
export function setAuditKey(keys: AuditKeys | undefined): () => void {
  const previous = current;
  current = keys;
  return () => {
    current = previous;
  };
}

/** The process's audit keys; throws when none were set, so that nothing is ever appended unkeyed. */
export function auditKeys(): AuditKeys {
  if (!current) {
    throw new Error(
      'The audit key is not loaded: call setAuditKey(loadAuditKeys(...)) where the process loads its keys ' +
        '(vigil serve, the CLI, the test harness) before anything appends to or verifies the audit log.',
    );
  }
  return current;
}
