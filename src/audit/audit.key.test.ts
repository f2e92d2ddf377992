import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKeyring } from '../lib/crypto/keyring.js';
import { auditKeyFilePath, auditKeyId, createAuditKeys, loadAuditKeys } from './audit.key.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'vigil-audit-key-'));

describe('audit keys', () => {
  it('derives a chain key and a signing key from one audit key, deterministically', () => {
    const raw = randomBytes(32);
    const a = createAuditKeys(raw);
    const b = createAuditKeys(Buffer.from(raw));
    expect(a.mac('event')).toBe(b.mac('event'));
    expect(a.mac('event')).toMatch(/^[0-9a-f]{64}$/);
    expect(a.mac('event')).not.toBe(a.mac('event2'));
    expect(a.publicKey).toBe(b.publicKey);
    expect(Buffer.from(a.publicKey, 'base64')).toHaveLength(32);
    expect(a.keyId).toBe(auditKeyId(a.publicKey));
    // Another key gives other hashes and another signing key.
    const other = createAuditKeys(randomBytes(32));
    expect(other.mac('event')).not.toBe(a.mac('event'));
    expect(other.publicKey).not.toBe(a.publicKey);
  });

  it('signs, and verifies only the signed bytes under the signing public key', () => {
    const keys = createAuditKeys(randomBytes(32));
    const data = Buffer.from('seq 7, hash abc');
    const signature = keys.sign(data);
    expect(keys.verify(data, signature)).toBe(true);
    expect(keys.verify(Buffer.from('seq 8, hash abc'), signature)).toBe(false);
    const other = createAuditKeys(randomBytes(32));
    expect(other.verify(data, signature)).toBe(false);
    expect(other.verify(data, signature, keys.publicKey)).toBe(true);
    expect(keys.verify(data, Buffer.alloc(64))).toBe(false);
  });

  it('never shows the key bytes when printed or serialised', () => {
    const raw = randomBytes(32);
    const keys = createAuditKeys(raw);
    const shown = `${JSON.stringify(keys)} ${String(Object.values(keys))}`;
    expect(shown).not.toContain(raw.toString('base64'));
    expect(shown).not.toContain(raw.toString('hex'));
  });

  it('creates <dataDir>/audit.key once, mode 0600, and loads the same key after', () => {
    const dir = tempDir();
    const first = loadAuditKeys({ dataDir: dir });
    const file = auditKeyFilePath(dir);
    expect(first).toMatchObject({ source: 'file', keyFile: file });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ format: 'vigil-audit-key', version: 1 });
    const again = loadAuditKeys({ dataDir: dir });
    expect(again.publicKey).toBe(first.publicKey);
    expect(again.mac('x')).toBe(first.mac('x'));
  });

  it('is separate from the master key: a master key file is not the audit key, nor the other way', () => {
    const dir = tempDir();
    loadKeyring({ dataDir: dir });
    expect(existsSync(auditKeyFilePath(dir))).toBe(false);
    const audit = loadAuditKeys({ dataDir: dir });
    const master = JSON.parse(readFileSync(join(dir, 'master.key'), 'utf8')) as { current: string };
    expect(JSON.parse(readFileSync(auditKeyFilePath(dir), 'utf8')).key).not.toBe(master.current);
    expect(createAuditKeys(Buffer.from(master.current, 'base64')).publicKey).not.toBe(audit.publicKey);
  });

  it('refuses a key file others can read, a missing file when told not to create it, and a bad key', () => {
    const dir = tempDir();
    loadAuditKeys({ dataDir: dir });
    chmodSync(auditKeyFilePath(dir), 0o644);
    expect(() => loadAuditKeys({ dataDir: dir })).toThrow('accessible to other users (mode 0644)');
    expect(() => loadAuditKeys({ dataDir: tempDir(), create: false })).toThrow('There is no audit key file');
    const bad = tempDir();
    writeFileSync(auditKeyFilePath(bad), '{"key":"c2hvcnQ="}', { mode: 0o600 });
    expect(() => loadAuditKeys({ dataDir: bad })).toThrow('32 bytes');
  });

  it('takes VIGIL_AUDIT_KEY over the file, and names the setting (not the value) when it is wrong', () => {
    const dir = tempDir();
    const raw = randomBytes(32);
    const keys = loadAuditKeys({ dataDir: dir, auditKey: raw.toString('base64') });
    expect(keys.source).toBe('env');
    expect(keys.publicKey).toBe(createAuditKeys(raw).publicKey);
    expect(existsSync(auditKeyFilePath(dir))).toBe(false);
    expect(() => loadAuditKeys({ dataDir: dir, auditKey: 'c2hvcnQ=' })).toThrow('VIGIL_AUDIT_KEY must be');
  });
});
