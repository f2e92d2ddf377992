/**
 * Turns stored case rows into what the API shows, decrypting the confidential fields, and the
 * reverse for writes. The associated data binds each ciphertext to its column and row.
 */
import { fieldAad } from '../../lib/crypto/encrypted-fields.js';
import type { Keyring } from '../../lib/crypto/keyring.js';
import type { CaseState } from './case-transitions.js';
import type { Credit, StoredReport } from './cases.schemas.js';
import type { CaseRow } from './cases.repo.js';
import { clockStatus } from './response-clock.js';
import { HELD_REASONS, type HeldReason } from './intake/held.js';

export type CaseCipher = Pick<Keyring, 'encryptField' | 'decryptField' | 'encryptBytes' | 'decryptBytes'>;

export function caseCrypto(cipher: CaseCipher) {
  return {
    title: {
      seal: (id: string, v: string) => cipher.encryptField(v, fieldAad('cases', 'title_enc', id)),
      open: (id: string, v: string) => cipher.decryptField(v, fieldAad('cases', 'title_enc', id)),
    },
    report: {
      seal: (id: string, v: StoredReport) =>
        cipher.encryptField(JSON.stringify(v), fieldAad('cases', 'report_enc', id)),
      open: (id: string, v: string) =>
        JSON.parse(cipher.decryptField(v, fieldAad('cases', 'report_enc', id))) as StoredReport,
    },
    reporterEmail: {
      seal: (id: string, v: string) => cipher.encryptField(v, fieldAad('cases', 'reporter_email_enc', id)),
      open: (id: string, v: string) => cipher.decryptField(v, fieldAad('cases', 'reporter_email_enc', id)),
    },
    credit: {
      seal: (id: string, v: Credit) =>
        cipher.encryptField(JSON.stringify(v), fieldAad('cases', 'reporter_credit_enc', id)),
      open: (id: string, v: string) =>
        JSON.parse(cipher.decryptField(v, fieldAad('cases', 'reporter_credit_enc', id))) as Credit,
    },
    reporterToken: {
      seal: (id: string, v: string) => cipher.encryptField(v, fieldAad('cases', 'reporter_token_enc', id)),
      open: (id: string, v: string) => cipher.decryptField(v, fieldAad('cases', 'reporter_token_enc', id)),
    },
    message: {
      seal: (id: string, v: string) => cipher.encryptField(v, fieldAad('case_messages', 'body_enc', id)),
      open: (id: string, v: string) => cipher.decryptField(v, fieldAad('case_messages', 'body_enc', id)),
    },
    filename: {
      seal: (id: string, v: string) =>
        cipher.encryptField(v, fieldAad('case_attachments', 'filename_enc', id)),
      open: (id: string, v: string) =>
        cipher.decryptField(v, fieldAad('case_attachments', 'filename_enc', id)),
    },
    attachment: {
      seal: (id: string, v: Uint8Array) => cipher.encryptBytes(v, `case_attachments.data_enc:${id}`),
      open: (id: string, v: Uint8Array) => cipher.decryptBytes(v, `case_attachments.data_enc:${id}`),
    },
    watchwords: {
      seal: (id: string, v: readonly string[]) =>
        cipher.encryptField(JSON.stringify(v), fieldAad('cases', 'watchwords_enc', id)),
      open: (id: string, v: string) =>
        parseFlags(cipher.decryptField(v, fieldAad('cases', 'watchwords_enc', id))),
    },
    rawMail: {
      seal: (id: string, v: Uint8Array) => cipher.encryptBytes(v, `inbound_mail.raw_enc:${id}`),
      open: (id: string, v: Uint8Array) => cipher.decryptBytes(v, `inbound_mail.raw_enc:${id}`),
    },
  };
}
export type CaseCrypto = ReturnType<typeof caseCrypto>;

export function parseFlags(json: string): string[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function heldReason(reason: string | null): HeldReason {
  return HELD_REASONS.find((r) => r === reason) ?? 'project-quota';
}

/** What a case's summary is made of: the inbox reads only these columns. */
export type SummaryRow = Pick<
  CaseRow,
  | 'id'
  | 'human_id'
  | 'state'
  | 'title_enc'
  | 'channel'
  | 'severity'
  | 'cvss_score'
  | 'publicly_known'
  | 'received_at'
  | 'first_response_due_at'
  | 'first_responded_at'
  | 'clock_paused_at'
  | 'flags_json'
  | 'held_at'
  | 'held_reason'
>;

/** The summary of a case for lists and the inbox; `fixLead` as the caller looked it up (by `fix_lead_user_id`). */
export function caseSummary(
  row: SummaryRow,
  project: { slug: string; name: string },
  crypto: CaseCrypto,
  now: Date,
  fixLead: { userId: string; name: string } | null = null,
) {
  const clock = clockStatus(row, now);
  return {
    id: row.id,
    humanId: row.human_id,
    project,
    state: row.state as CaseState,
    title: crypto.title.open(row.id, row.title_enc),
    channel: row.channel,
    severity: row.severity,
    cvssScore: row.cvss_score,
    publiclyKnown: row.publicly_known === 1,
    receivedAt: row.received_at,
    firstResponseDueAt: row.first_response_due_at,
    firstRespondedAt: row.first_responded_at,
    clock: {
      status: clock.status,
      dueAt: clock.dueAt,
      respondedAt: row.first_responded_at,
      hoursLate: clock.hoursLate,
    },
    flags: parseFlags(row.flags_json),
    fixLead: fixLead ? { userId: fixLead.userId, name: fixLead.name } : null,
    held: row.held_at ? { at: row.held_at, reason: heldReason(row.held_reason) } : null,
  };
}

/** An attachment as the API lists it: its name decrypted, never its bytes. */
export function attachmentView(
  crypto: CaseCrypto,
  a: {
    id: string;
    filename_enc: string;
    content_type: string;
    size_bytes: number;
    sha256: string;
    flags_json: string;
    uploaded_by: string;
    created_at: string;
  },
) {
  return {
    id: a.id,
    filename: crypto.filename.open(a.id, a.filename_enc),
    contentType: a.content_type,
    sizeBytes: a.size_bytes,
    sha256: a.sha256,
    flags: parseFlags(a.flags_json),
    uploadedBy: a.uploaded_by,
    createdAt: a.created_at,
  };
}
