/**
 * The pure half of encrypting a report in the browser: the key's fingerprint as people compare it,
 * the request size the server takes, and which refusal means the message itself could not be
 * opened. The OpenPGP half is `encrypt-report.ts`, loaded only when a reporter needs it.
 */
import type { Issue } from '../api/types.js';
import { formatBytes } from './files.js';

/**
 * The largest report request the server accepts (its `REPORT_BODY_LIMIT`). Armor is base64 of a
 * JSON body whose attachments are base64 already, so encrypted a report is about 4/3 larger.
 */
export const REPORT_REQUEST_LIMIT_BYTES = 36 * 1024 * 1024;

/** A fingerprint as GnuPG prints it, in groups of four: "3A2F 9C1B …"; anything but hex digits dropped. */
export function formatFingerprint(fingerprint: string): string {
  const hex = fingerprint.replace(/[^0-9a-f]/gi, '').toUpperCase();
  return (hex.match(/.{1,4}/g) ?? []).join(' ');
}

/**
 * The issue to show at the attachments when a request of `requestBytes` is over what the server
 * takes (`limitBytes`), or null when it fits.
 */
export function oversizeIssue(
  requestBytes: number,
  limitBytes: number = REPORT_REQUEST_LIMIT_BYTES,
): Issue | null {
  if (requestBytes <= limitBytes) return null;
  return {
    path: 'attachments',
    message:
      `Encrypted, the report comes to ${formatBytes(requestBytes)}, over the ${formatBytes(limitBytes)} ` +
      'the server takes. Leave out some files (you can add them later from your private link), or send it ' +
      'without encryption in the browser.',
  };
}

/**
 * Whether the server refused the encrypted message as a whole (`encrypted`: not for the project's
 * key, or not a report), as opposed to a field inside it (`encrypted.subject`).
 */
export function isUndecryptable(issues: readonly Issue[]): boolean {
  return issues.some((issue) => issue.path === 'encrypted' || issue.path === 'body.encrypted');
}
