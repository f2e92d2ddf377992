/**
 * Table types for Kysely. Conventions, identical on SQLite and PostgreSQL:
 * ids are UUID text; timestamps are ISO 8601 UTC text with milliseconds (`*_at`);
 * flags are integers 0/1; JSON is text; encrypted fields are text envelopes (`*_enc`, see src/lib/crypto).
 */

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string | null;
  is_admin: number;
  created_at: string;
  updated_at: string;
  disabled_at: string | null;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  token_prefix: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface SignInLinksTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface ProjectsTable {
  id: string;
  slug: string;
  name: string;
  policy_version: number;
  team_notes_enc: string | null;
  created_at: string;
  updated_at: string;
}

export interface ProjectPoliciesTable {
  id: string;
  project_id: string;
  version: number;
  source_yaml: string;
  created_by: string | null;
  created_at: string;
}

export interface ProjectMembersTable {
  project_id: string;
  user_id: string;
  role: string;
  created_at: string;
}

export interface AuditEventsTable {
  seq: number;
  id: string;
  occurred_at: string;
  actor_type: string;
  actor_id: string | null;
  action: string;
  subject_type: string;
  subject_id: string | null;
  project_id: string | null;
  data_json: string;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface JobsTable {
  id: string;
  kind: string;
  payload_json: string;
  run_at: string;
  state: string;
  attempts: number;
  max_attempts: number;
  unique_key: string | null;
  locked_by: string | null;
  locked_until: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface RateLimitsTable {
  bucket: string;
  window_start: string;
  hits: number;
}

export interface CaseCountersTable {
  prefix: string;
  year: number;
  last_seq: number;
}

export interface CasesTable {
  id: string;
  project_id: string;
  human_id: string;
  state: string;
  channel: string;
  title_enc: string;
  report_enc: string;
  reporter_email_enc: string | null;
  reporter_credit_enc: string | null;
  reporter_token_hash: string;
  reporter_token_enc: string;
  publicly_known: number;
  private_handling: string;
  severity: string | null;
  duplicate_of: string | null;
  flags_json: string;
  received_at: string;
  updated_at: string;
  first_response_due_at: string | null;
  first_responded_at: string | null;
  triaged_at: string | null;
  clock_paused_at: string | null;
  paused_ms: number;
}

export interface CaseMessagesTable {
  id: string;
  case_id: string;
  visibility: string;
  author_type: string;
  author_user_id: string | null;
  body_enc: string;
  automatic: number;
  channel: string;
  email_message_id: string | null;
  flags_json: string;
  created_at: string;
}

export interface CaseAttachmentsTable {
  id: string;
  case_id: string;
  message_id: string | null;
  filename_enc: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  flags_json: string;
  data_enc: Buffer;
  uploaded_by: string;
  created_at: string;
}

export interface InboundMailTable {
  id: string;
  project_id: string;
  case_id: string | null;
  raw_enc: Buffer;
  size_bytes: number;
  flags_json: string;
  received_at: string;
}

/** A project's OpenPGP key pair; the private key is encrypted at rest. At most one unretired per project. */
export interface ProjectKeysTable {
  id: string;
  project_id: string;
  /** Upper-case hex, no spaces. */
  fingerprint: string;
  user_id_text: string;
  algorithm: string;
  public_key_armored: string;
  private_key_enc: string;
  created_at: string;
  expires_at: string | null;
  retired_at: string | null;
}

export interface InstanceSecretsTable {
  name: string;
  value_enc: string;
  created_at: string;
}

export interface AdvisoryCountersTable {
  prefix: string;
  year: number;
  last_seq: number;
}

/** One advisory per case; its document lives in `advisory_revisions`. */
export interface AdvisoriesTable {
  id: string;
  case_id: string;
  project_id: string;
  /** The Vigil advisory id, `<prefix>-ADV-<year>-<nnnn>`. */
  advisory_id: string;
  state: string;
  /** Why it was withdrawn or rejected. */
  state_reason_enc: string | null;
  /** Private until publication: never in anything distributors see (PROCESS.md §7). */
  cve_id: string | null;
  /** `{ cna, requestedAt, requestedBy }` when a CVE was requested from a CNA. */
  cve_request_json: string | null;
  current_revision: number;
  created_at: string;
  updated_at: string;
}

/** Every saved version of an advisory's document, append-only; the document encrypted. */
export interface AdvisoryRevisionsTable {
  id: string;
  advisory_id: string;
  revision: number;
  document_enc: string;
  author_user_id: string | null;
  author_name: string;
  created_at: string;
}

/** Every saved version of a project's advisory render template; `source` null means the default. */
export interface AdvisoryTemplatesTable {
  id: string;
  project_id: string;
  name: string;
  version: number;
  source: string | null;
  author_user_id: string | null;
  author_name: string;
  created_at: string;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  sign_in_links: SignInLinksTable;
  projects: ProjectsTable;
  project_policies: ProjectPoliciesTable;
  project_members: ProjectMembersTable;
  audit_events: AuditEventsTable;
  audit_head: AuditHeadTable;
  jobs: JobsTable;
  rate_limits: RateLimitsTable;
  case_counters: CaseCountersTable;
  cases: CasesTable;
  case_messages: CaseMessagesTable;
  case_attachments: CaseAttachmentsTable;
  inbound_mail: InboundMailTable;
  project_keys: ProjectKeysTable;
  instance_secrets: InstanceSecretsTable;
  advisory_counters: AdvisoryCountersTable;
  advisories: AdvisoriesTable;
  advisory_revisions: AdvisoryRevisionsTable;
  advisory_templates: AdvisoryTemplatesTable;
}
