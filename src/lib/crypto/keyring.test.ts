import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CryptoError, deriveKeyId, keyIdOf } from './cipher.js';
import { fieldAad } from './encrypted-fields.js';
import { createKeyring, generateMasterKey, keyFilePath, loadKeyring, parseMasterKey } from './keyring.js';

const AAD = fieldAad('projects', 'team_notes_enc', 'p-1');

/** Replaces the character at `index` of `s` with a different base64url character. */
function flip(s: string, index: number): string {
  const i = index < 0 ? s.length + index : index;
  return s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
}

describe('field encryption', () => {
  const key = generateMasterKey();
  const keyring = createKeyring({ current: key });

  it('round-trips text, including empty and non-ASCII text, in a self-describing envelope', () => {
    for (const text of ['', 'Private: the fix lands Tuesday.', 'Ünïcödé ✓ 漢字 🔐', 'x'.repeat(100_000)]) {
      const envelope = keyring.encryptField(text, AAD);
      expect(envelope).toMatch(/^v1\.[0-9a-f]{8}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
      expect(keyring.decryptField(envelope, AAD)).toBe(text);
    }
    const envelope = keyring.encryptField('same', AAD);
    expect(keyIdOf(envelope)).toBe(keyring.currentKeyId);
    expect(keyring.currentKeyId).toBe(deriveKeyId(key));
    // A fresh IV per value: the same text never encrypts the same way twice.
    expect(keyring.encryptField('same', AAD)).not.toBe(envelope);
  });

  it('rejects a tampered ciphertext, tag, IV, header or associated data', () => {
    const envelope = keyring.encryptField('team notes', AAD);
    const [version, keyId, iv, data] = envelope.split('.') as [string, string, string, string];
    const tampered = [
      [version, keyId, iv, flip(data, 0)].join('.'), // ciphertext
      [version, keyId, iv, flip(data, -3)].join('.'), // tag
      [version, keyId, flip(iv, 0), data].join('.'), // IV
    ];
    for (const t of tampered) {
      expect(() => keyring.decryptField(t, AAD)).toThrow(/failed authentication: it was altered, or copied/);
    }
    // Copied to another row or another column.
    expect(() => keyring.decryptField(envelope, fieldAad('projects', 'team_notes_enc', 'p-2'))).toThrow(
      CryptoError,
    );
    expect(() => keyring.decryptField(envelope, 'users.secret_enc:p-1')).toThrow(/failed authentication/);
    expect(() => keyring.decryptField(`v2.${keyId}.${iv}.${data}`, AAD)).toThrow(/upgrade Vigil/);
    expect(() => keyring.decryptField('plain text', AAD)).toThrow(/not a Vigil v1 encrypted envelope/);
    expect(() => keyring.decryptField([version, keyId, iv, data.slice(0, 10)].join('.'), AAD)).toThrow(
      CryptoError,
    );
  });

  it('round-trips bytes and rejects tampered or transplanted bytes', () => {
    const data = Buffer.from([0, 1, 2, 255, 254, 0, 7]);
    const sealed = keyring.encryptBytes(data, 'attachments:a-1');
    expect(keyIdOf(sealed)).toBe(keyring.currentKeyId);
    expect(keyring.decryptBytes(sealed, 'attachments:a-1').equals(data)).toBe(true);
    expect(keyring.decryptBytes(keyring.encryptBytes(Buffer.alloc(0), 'a'), 'a').length).toBe(0);
    for (const index of [10, sealed.length - 20, sealed.length - 1]) {
      const bad = Buffer.from(sealed);
      bad[index] = (bad[index] ?? 0) ^ 0x01;
      expect(() => keyring.decryptBytes(bad, 'attachments:a-1')).toThrow(/failed authentication/);
    }
    expect(() => keyring.decryptBytes(sealed, 'attachments:a-2')).toThrow(/failed authentication/);
    expect(() => keyring.decryptBytes(Buffer.from('not encrypted at all, honest'), 'a')).toThrow(
      /binary format/,
    );
  });

  it('names the missing key and how to supply it when the key is not in the keyring', () => {
    const other = createKeyring({ current: generateMasterKey() });
    const envelope = keyring.encryptField('secret', AAD);
    expect(() => other.decryptField(envelope, AAD)).toThrow(
      `The data was encrypted with key ${keyring.currentKeyId}, which is not in the keyring (current key ${other.currentKeyId}): set VIGIL_MASTER_KEY_PREVIOUS`,
    );
    expect(() => other.decryptBytes(keyring.encryptBytes(Buffer.from('x'), 'a'), 'a')).toThrow(
      `key ${keyring.currentKeyId}, which is not in the keyring`,
    );
  });

  it('encrypts with the current key and decrypts with current or previous', () => {
    const next = generateMasterKey();
    const both = createKeyring({ current: next, previous: key });
    expect(both.keyIds).toEqual([deriveKeyId(next), keyring.currentKeyId]);
    expect(both.decryptField(keyring.encryptField('old', AAD), AAD)).toBe('old');
    expect(keyIdOf(both.encryptField('new', AAD))).toBe(deriveKeyId(next));
  });

  it('never exposes key bytes when a keyring is printed or serialised', () => {
    const shown = `${JSON.stringify(keyring)} ${inspect(keyring, { depth: 10, showHidden: true })}`;
    expect(shown).toContain(keyring.currentKeyId);
    expect(shown).not.toContain(key.toString('base64'));
    expect(shown).not.toContain(key.toString('hex'));
  });
});

describe('parseMasterKey', () => {
  it('accepts base64 (standard or URL-safe) of exactly 32 bytes', () => {
    const key = generateMasterKey();
    expect(parseMasterKey(key.toString('base64'), 'VIGIL_MASTER_KEY').equals(key)).toBe(true);
    expect(parseMasterKey(` ${key.toString('base64url')}\n`, 'VIGIL_MASTER_KEY').equals(key)).toBe(true);
  });

  it('rejects anything else with a clear message that does not repeat the value', () => {
    const short = generateMasterKey().subarray(0, 31).toString('base64');
    expect(() => parseMasterKey(short, 'VIGIL_MASTER_KEY')).toThrow(
      'VIGIL_MASTER_KEY must be the base64 encoding of exactly 32 bytes, but it decodes to 31. Generate a key with: openssl rand -base64 32',
    );
    for (const bad of ['correct horse battery staple', 'not/base64!', '', 'a'.repeat(44)]) {
      let message = '';
      try {
        parseMasterKey(bad, 'VIGIL_MASTER_KEY');
      } catch (err) {
        message = err instanceof Error ? err.message : '';
      }
      expect(message).toMatch(/^VIGIL_MASTER_KEY (is not valid base64|must be)/);
      if (bad) expect(message).not.toContain(bad);
    }
  });
});

describe('loadKeyring', () => {
  let dataDir = '';
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'vigil-keys-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('uses VIGIL_MASTER_KEY (and the previous key) without touching the data directory', () => {
    const key = generateMasterKey();
    const previous = generateMasterKey();
    const keyring = loadKeyring({
      dataDir,
      masterKey: key.toString('base64'),
      previousMasterKey: previous.toString('base64'),
    });
    expect(keyring).toMatchObject({ source: 'env', currentKeyId: deriveKeyId(key) });
    expect(keyring.hasKey(deriveKeyId(previous))).toBe(true);
    expect(existsSync(keyFilePath(dataDir))).toBe(false);
    expect(() => loadKeyring({ dataDir, masterKey: 'too-short' })).toThrow(/^VIGIL_MASTER_KEY /);
    expect(() => loadKeyring({ dataDir, previousMasterKey: key.toString('base64') })).toThrow(
      /set both, or neither/,
    );
  });

  it('creates the key file with mode 0600 on first load and reuses it afterwards', () => {
    const nested = join(dataDir, 'fresh');
    const first = loadKeyring({ dataDir: nested });
    const file = keyFilePath(nested);
    expect(first).toMatchObject({ source: 'file', keyFile: file });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = loadKeyring({ dataDir: nested });
    expect(second.currentKeyId).toBe(first.currentKeyId);
    expect(second.decryptField(first.encryptField('kept', AAD), AAD)).toBe('kept');
    // The file holds JSON naming its format; no temporary files are left behind.
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ format: 'vigil-master-key', version: 1 });
    expect(readdirSync(nested)).toEqual(['master.key']);
  });

  it('refuses a key file that other users can read, and says how to fix it', () => {
    loadKeyring({ dataDir });
    const file = keyFilePath(dataDir);
    for (const mode of [0o644, 0o640, 0o604]) {
      chmodSync(file, mode);
      expect(() => loadKeyring({ dataDir })).toThrow(
        `The master key file ${file} is accessible to other users (mode 0${mode.toString(8)}); Vigil will not use it. Restrict it to its owner with: chmod 600 ${file}`,
      );
    }
    chmodSync(file, 0o600);
    expect(() => loadKeyring({ dataDir })).not.toThrow();
  });

  it('reads a bare base64 key file and refuses to create one when told not to', () => {
    expect(() => loadKeyring({ dataDir, create: false })).toThrow(/no master key file/);
    const key = generateMasterKey();
    writeFileSync(keyFilePath(dataDir), `${key.toString('base64')}\n`, { mode: 0o600 });
    expect(loadKeyring({ dataDir, create: false }).currentKeyId).toBe(deriveKeyId(key));
  });
});
