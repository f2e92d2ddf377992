/**
 * Every encrypted column, so that key rotation and `vigil keys status` reach all of them. A module
 * adding an `*_enc` column adds a line here, and encrypts it with `keyring.encryptField(value,
 * fieldAad(table, column, id))`: the associated data ties the ciphertext to its row.
 */
import type { Database } from '../../db/schema.js';

type EncryptedColumn<T extends keyof Database> = Extract<keyof Database[T], `${string}_enc`>;

/** One encrypted text column and the column naming its row (the id in its associated data). */
export type EncryptedField = {
  [T in keyof Database]: {
    table: T;
    column: EncryptedColumn<T>;
    idColumn: Extract<keyof Database[T], string>;
    /** Bytes sealed with encryptBytes (attachments, raw mail) rather than a text envelope. */
    binary?: true;
  };
}[keyof Database];

export const ENCRYPTED_FIELDS: readonly EncryptedField[] = [
  { table: 'projects', column: 'team_notes_enc', idColumn: 'id' },
  { table: 'cases', column: 'title_enc', idColumn: 'id' },
  { table: 'cases', column: 'report_enc', idColumn: 'id' },
  { table: 'cases', column: 'reporter_email_enc', idColumn: 'id' },
  { table: 'cases', column: 'reporter_credit_enc', idColumn: 'id' },
  { table: 'cases', column: 'reporter_token_enc', idColumn: 'id' },
  { table: 'cases', column: 'watchwords_enc', idColumn: 'id' },
  { table: 'case_messages', column: 'body_enc', idColumn: 'id' },
  { table: 'case_attachments', column: 'filename_enc', idColumn: 'id' },
  { table: 'instance_secrets', column: 'value_enc', idColumn: 'name' },
  { table: 'project_keys', column: 'private_key_enc', idColumn: 'id' },
  { table: 'advisories', column: 'state_reason_enc', idColumn: 'id' },
  { table: 'advisories', column: 'cve_id_enc', idColumn: 'id' },
  { table: 'advisories', column: 'cve_request_enc', idColumn: 'id' },
  { table: 'advisory_revisions', column: 'document_enc', idColumn: 'id' },
  { table: 'retrospectives', column: 'sections_enc', idColumn: 'case_id' },
  { table: 'retrospective_feedback', column: 'body_enc', idColumn: 'id' },
  { table: 'cases', column: 'upstream_enc', idColumn: 'id' },
  { table: 'case_releases', column: 'override_reason_enc', idColumn: 'id' },
  { table: 'ci_runs', column: 'log_enc', idColumn: 'id' },
  { table: 'cases', column: 'fix_lead_reason_enc', idColumn: 'id' },
  { table: 'cases', column: 'slowdown_reason_enc', idColumn: 'id' },
  { table: 'case_members', column: 'ended_note_enc', idColumn: 'id' },
  { table: 'distributor_orgs', column: 'state_note_enc', idColumn: 'id' },
  { table: 'distributor_applications', column: 'answers_enc', idColumn: 'id' },
  { table: 'distributor_applications', column: 'vouch_note_enc', idColumn: 'id' },
  { table: 'distributor_applications', column: 'decision_reason_enc', idColumn: 'id' },
  { table: 'distributor_leak_reports', column: 'what_enc', idColumn: 'id' },
  { table: 'distributor_leak_reports', column: 'to_whom_enc', idColumn: 'id' },
  { table: 'distributor_leak_reports', column: 'when_enc', idColumn: 'id' },
  { table: 'distributor_incidents', column: 'what_enc', idColumn: 'id' },
  { table: 'distributor_incidents', column: 'to_whom_enc', idColumn: 'id' },
  { table: 'distributor_incidents', column: 'when_enc', idColumn: 'id' },
  { table: 'distributor_reviews', column: 'note_enc', idColumn: 'id' },
  { table: 'disclosure_proposals', column: 'note_enc', idColumn: 'id' },
  { table: 'disclosure_responses', column: 'reason_enc', idColumn: 'id' },
  { table: 'disclosure_decisions', column: 'note_enc', idColumn: 'id' },
  { table: 'portal_feedback', column: 'body_enc', idColumn: 'id' },
  { table: 'early_disclosure_sends', column: 'layout_enc', idColumn: 'id' },
  { table: 'early_disclosure_copies', column: 'seed_enc', idColumn: 'id' },
  { table: 'early_disclosure_copies', column: 'text_enc', idColumn: 'id' },
  { table: 'oidc_states', column: 'code_verifier_enc', idColumn: 'state_hash' },
  { table: 'early_disclosure_copies', column: 'armored_enc', idColumn: 'id' },
  { table: 'webhooks', column: 'url_enc', idColumn: 'id' },
  { table: 'webhooks', column: 'secret_enc', idColumn: 'id' },
  { table: 'user_totp', column: 'secret_enc', idColumn: 'user_id' },
  { table: 'case_attachments', column: 'data_enc', idColumn: 'id', binary: true },
  { table: 'inbound_mail', column: 'raw_enc', idColumn: 'id', binary: true },
];

/** The associated data for the encrypted `column` of row `id` in `table`: `projects.team_notes_enc:<id>`. */
export function fieldAad<T extends keyof Database>(table: T, column: EncryptedColumn<T>, id: string): string {
  return `${table}.${column}:${id}`;
}

/** The field's name for messages and results: `projects.team_notes_enc`. */
export function fieldName(field: EncryptedField): string {
  return `${field.table}.${field.column}`;
}
