import { describe, expect, it } from 'vitest';
import {
  formatFingerprint,
  isUndecryptable,
  oversizeIssue,
  REPORT_REQUEST_LIMIT_BYTES,
} from './report-encryption.js';

describe('formatFingerprint', () => {
  it('groups the hex digits by four, upper-case, as GnuPG prints them', () => {
    expect(formatFingerprint('3a2f9c1b00112233445566778899aabbccddeeff')).toBe(
      '3A2F 9C1B 0011 2233 4455 6677 8899 AABB CCDD EEFF',
    );
  });

  it('reads a fingerprint already spaced, or with separators, the same way', () => {
    expect(formatFingerprint('3A2F 9C1B  0011:2233')).toBe('3A2F 9C1B 0011 2233');
    expect(formatFingerprint('')).toBe('');
  });

  it('keeps a v6 fingerprint whole', () => {
    expect(formatFingerprint('ab'.repeat(32)).replace(/ /g, '')).toBe('AB'.repeat(32));
  });
});

describe('oversizeIssue', () => {
  it('lets a request up to the limit through', () => {
    expect(oversizeIssue(REPORT_REQUEST_LIMIT_BYTES)).toBeNull();
    expect(oversizeIssue(10, 10)).toBeNull();
  });

  it('names the attachments and both sizes when the encrypted request is over the limit', () => {
    const issue = oversizeIssue(40 * 1024 * 1024);
    expect(issue?.path).toBe('attachments');
    expect(issue?.message).toContain('40 MiB');
    expect(issue?.message).toContain('36 MiB');
    expect(issue?.message).toContain('without encryption in the browser');
  });
});

describe('isUndecryptable', () => {
  it('is true only when the message as a whole was refused', () => {
    expect(isUndecryptable([{ path: 'encrypted', message: 'no-key' }])).toBe(true);
    expect(isUndecryptable([{ path: 'body.encrypted', message: 'must be an armored OpenPGP message' }])).toBe(
      true,
    );
    expect(isUndecryptable([{ path: 'encrypted.subject', message: 'is required' }])).toBe(false);
    expect(isUndecryptable([{ path: 'subject', message: 'is required' }])).toBe(false);
    expect(isUndecryptable([])).toBe(false);
  });
});
