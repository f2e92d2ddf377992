/**
 * The audit key of the tests: one fixed key (VIGIL_AUDIT_KEY, set for every test process and the
 * servers they start by vitest.config.ts), set for `appendAuditEvent` before each api test file
 * (vitest's setupFiles) and by every app a test builds. Tests of the audit key itself set their own.
 */
import { createAuditKeys, setAuditKey, type AuditKeys } from '../../src/audit/audit.key.js';

/** The tests' audit key, base64 (what vitest.config.ts puts in VIGIL_AUDIT_KEY). */
export const TEST_AUDIT_KEY = Buffer.alloc(32, 0x42).toString('base64');

export const TEST_AUDIT_KEYS: AuditKeys = createAuditKeys(
  Buffer.from(process.env.VIGIL_AUDIT_KEY ?? TEST_AUDIT_KEY, 'base64'),
);

/** Sets the tests' audit key for this process; returns it. */
export function useTestAuditKey(): AuditKeys {
  setAuditKey(TEST_AUDIT_KEYS);
  return TEST_AUDIT_KEYS;
}
