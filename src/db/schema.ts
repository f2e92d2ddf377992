/**
 * Table types for Kysely. Conventions, identical on SQLite and PostgreSQL:
 * ids are UUID text; timestamps are ISO 8601 UTC text with milliseconds (`*_at`);
 * flags are integers 0/1; JSON is text; encrypted fields are text envelopes (`*_enc`, see src/lib/crypto).
 */
import type { ColumnType } from 'kysely';

/** A column with a database default: optional on insert. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string | null;
  is_admin: number;
  created_at: string;
  updated_at: string;
  disabled_at: string | null;
  /** Away (holidays, leave): the Fix Lead rotation skips them between these instants. */
  unavailable_from: string | null;
  unavailable_until: string | null;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  user_agent: string | null;
  /** 1 or 2: how many factors the sign-in that started the session proved. */
  factors: Defaulted<number>;
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
  /** 1 or 2: the factors of the session that created the token. */
  factors: Defaulted<number>;
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
  /** The member who led the project's last case: the Fix Lead rotation continues after them. */
  last_fix_lead_user_id: string | null;
  /** 0/1: the current policy's `access.requireTwoFactor` (written with each policy version). */
  require_two_factor: Defaulted<number>;
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
  /** 1: unkeyed SHA-256 (before issue 11, re-sealed on first open); 2: HMAC under the audit key. */
  chain_version: number;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
  /** The id of the audit key the log is sealed with (public), set by the first keyed append. */
  key_id: string | null;
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

/** A job runner's sign of life (one row per runner instance): what `vigil doctor` checks. */
export interface JobRunnerHeartbeatsTable {
  worker_id: string;
  host: string;
  pid: number;
  started_at: string;
  last_seen_at: string;
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
  /** The advisory's CVSS severity name (`critical`), written when the advisory is saved. */
  severity: string | null;
  /** The advisory's CVSS score (of its newest CVSS version), with `severity`. */
  cvss_score: number | null;
  duplicate_of: string | null;
  flags_json: string;
  received_at: string;
  updated_at: string;
  first_response_due_at: string | null;
  first_responded_at: string | null;
  triaged_at: string | null;
  clock_paused_at: string | null;
  paused_ms: number;
  fix_lead_user_id: string | null;
  fix_lead_assigned_at: string | null;
  accepted_at: string | null;
  team_organised_at: string | null;
  fix_ready_at: string | null;
  users_told_at: string | null;
  disclosure_at: string | null;
  released_at: string | null;
  closed_at: string | null;
  /** `{ cvss, reason, decidedBy, decidedAt }`: the team slowed a low-severity case down (§4). */
  slowdown_json: string | null;
  /** Encrypted `{ name, url, disclosureAt }`: the upstream project whose timeline the case follows. */
  upstream_enc: string | null;
  /** Encrypted JSON list of words no commit, branch or tag may carry before disclosure. */
  watchwords_enc: string | null;
  /** Encrypted: why the Fix Lead was changed by hand. */
  fix_lead_reason_enc: string | null;
  /** Encrypted: why the team slowed the case down (its decision is `slowdown_json`). */
  slowdown_reason_enc: string | null;
  /** When the report was held as possibly a flood (over the project's quota); null when not held or released. */
  held_at: string | null;
  /** Why it is held: `project-quota`. */
  held_reason: string | null;
  /**
   * Generated by the database from the clock's columns (migration 20261205000000_inbox): the
   * inbox's urgency order as one text, and the order newest first; both start with `h` for a
   * report held as possibly a flood. Never written.
   */
  urgency_key: ColumnType<string, never, never>;
  received_key: ColumnType<string, never, never>;
}

/** Someone given access to one case (PROCESS.md §1): nothing is visible before the terms are accepted. */
export interface CaseMembersTable {
  id: string;
  case_id: string;
  user_id: string;
  /** fix-team | collaborator | reporter */
  role: string;
  invited_by: string | null;
  invited_at: string;
  /** SHA-256 of the embargo terms' text they accepted. */
  terms_hash: string | null;
  terms_accepted_at: string | null;
  ended_at: string | null;
  ended_reason: string | null;
  /** Encrypted: the words given when someone removed the member. */
  ended_note_enc: string | null;
}

/** The case's private fix repository (a bare git repository under the data directory). */
export interface CaseRepositoriesTable {
  case_id: string;
  project_id: string;
  /** seeding | ready | failed | read-only */
  state: string;
  upstream: string | null;
  error: string | null;
  /** `{ branch: sha }` as seeded: the base of each line's patch series. */
  seed_refs_json: string;
  created_at: string;
  seeded_at: string | null;
  frozen_at: string | null;
}

/** A CI runner process (`vigil runner`), registered by the operator; its token is stored hashed. */
export interface RunnersTable {
  id: string;
  name: string;
  token_hash: string;
  token_prefix: string;
  created_at: string;
  last_seen_at: string | null;
  revoked_at: string | null;
  /** The one project whose runs it claims; null: every project's. */
  project_id: string | null;
}

/** The head of a fix branch as of its last push (a deleted branch has none): what CI counts. */
export interface CiBranchHeadsTable {
  case_id: string;
  branch: string;
  commit_sha: string;
  pushed_at: string;
}

/** One test run of one pushed commit on one fix branch, claimed by a runner under a lease. */
export interface CiRunsTable {
  id: string;
  case_id: string;
  branch: string;
  commit_sha: string;
  /** queued | running | passed | failed | error */
  state: string;
  runner_id: string | null;
  lease_until: string | null;
  attempts: number;
  exit_code: number | null;
  timed_out: number;
  log_enc: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

/** A release the matrix requires, as the team records it. */
export interface CaseReleasesTable {
  id: string;
  case_id: string;
  /** A supported line ("1.28"), "main" or "next". */
  line: string;
  version: string | null;
  planned_at: string | null;
  /** planned | built | published */
  state: string;
  url: string | null;
  /** The Fix Lead's reason to go on without a green run on this line's branch. */
  override_reason_enc: string | null;
  override_by: string | null;
  override_at: string | null;
  updated_at: string;
}

export interface RetrospectivesTable {
  case_id: string;
  /** draft | closed */
  state: string;
  /** Encrypted JSON of the critique sections the team wrote. */
  sections_enc: string | null;
  drafted_at: string;
  updated_at: string;
  closed_at: string | null;
  closed_by: string | null;
}

export interface RetrospectiveFeedbackTable {
  id: string;
  case_id: string;
  author_user_id: string | null;
  author_name: string;
  body_enc: string;
  created_at: string;
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

/** The title search: keyed hashes of each title's words (modules/cases/search/case-search.ts). */
export interface CaseSearchTermsTable {
  project_id: string;
  term: string;
  case_id: string;
}

export interface InstanceSecretsTable {
  name: string;
  value_enc: string;
  created_at: string;
}

/** Instance-wide settings that are not secrets (`demo`: the instance holds made-up data). */
export interface InstanceSettingsTable {
  name: string;
  value: string;
  set_at: string;
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
  /**
   * The CVE id, normalised (CVE-YYYY-NNNN), encrypted: private until publication, never in anything
   * distributors see (PROCESS.md §7). Read it through advisory-cve.ts.
   */
  cve_id_enc: string | null;
  /** HMAC of the CVE id under the instance's index key (keyed-index.ts): lookups and uniqueness. */
  cve_id_index: string | null;
  /** `{ cna, requestedAt, requestedBy }` as JSON, encrypted, when a CVE was requested from a CNA. */
  cve_request_enc: string | null;
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

export interface UserTotpTable {
  user_id: string;
  secret_enc: string;
  confirmed_at: string | null;
  last_used_step: number | null;
  created_at: string;
}

export interface UserRecoveryCodesTable {
  id: string;
  user_id: string;
  code_hash: string;
  created_at: string;
  used_at: string | null;
}

export interface SecondFactorChallengesTable {
  id_hash: string;
  user_id: string;
  first_method: string;
  attempts: number;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface SignInKnownAddressesTable {
  user_id: string;
  address_hash: string;
  last_success_at: string;
}

export interface SignInThrottlesTable {
  key: string;
  failures: number;
  last_failure_at: string | null;
  slow_until: string | null;
  updated_at: string;
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
  job_runner_heartbeats: JobRunnerHeartbeatsTable;
  rate_limits: RateLimitsTable;
  intake_proofs_spent: IntakeProofsSpentTable;
  case_counters: CaseCountersTable;
  cases: CasesTable;
  case_search_terms: CaseSearchTermsTable;
  case_messages: CaseMessagesTable;
  case_attachments: CaseAttachmentsTable;
  inbound_mail: InboundMailTable;
  project_keys: ProjectKeysTable;
  instance_secrets: InstanceSecretsTable;
  instance_settings: InstanceSettingsTable;
  advisory_counters: AdvisoryCountersTable;
  advisories: AdvisoriesTable;
  advisory_revisions: AdvisoryRevisionsTable;
  advisory_templates: AdvisoryTemplatesTable;
  case_members: CaseMembersTable;
  case_repositories: CaseRepositoriesTable;
  runners: RunnersTable;
  ci_runs: CiRunsTable;
  ci_branch_heads: CiBranchHeadsTable;
  case_releases: CaseReleasesTable;
  retrospectives: RetrospectivesTable;
  retrospective_feedback: RetrospectiveFeedbackTable;
  distributor_orgs: DistributorOrgsTable;
  distributor_people: DistributorPeopleTable;
  case_distributor_shares: CaseDistributorSharesTable;
  distributor_applications: DistributorApplicationsTable;
  distributor_leak_reports: DistributorLeakReportsTable;
  distributor_incidents: DistributorIncidentsTable;
  distributor_reviews: DistributorReviewsTable;
  disclosure_proposals: DisclosureProposalsTable;
  disclosure_responses: DisclosureResponsesTable;
  disclosure_decisions: DisclosureDecisionsTable;
  portal_access_log: PortalAccessLogTable;
  portal_acknowledgements: PortalAcknowledgementsTable;
  portal_feedback: PortalFeedbackTable;
  early_disclosure_sends: EarlyDisclosureSendsTable;
  early_disclosure_copies: EarlyDisclosureCopiesTable;
  case_publications: CasePublicationsTable;
  publication_holds: PublicationHoldsTable;
  publication_deliveries: PublicationDeliveriesTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  oidc_states: OidcStatesTable;
  oidc_identities: OidcIdentitiesTable;
  passkeys: PasskeysTable;
  passkey_challenges: PasskeyChallengesTable;
  user_totp: UserTotpTable;
  user_recovery_codes: UserRecoveryCodesTable;
  second_factor_challenges: SecondFactorChallengesTable;
  sign_in_known_addresses: SignInKnownAddressesTable;
  sign_in_throttles: SignInThrottlesTable;
  case_access_log: CaseAccessLogTable;
  project_member_requests: ProjectMemberRequestsTable;
  notifications: NotificationsTable;
  notification_settings: NotificationSettingsTable;
  notification_sweeps: NotificationSweepsTable;
}

/** A member organisation of a project's distributors list (PROCESS.md §7). */
export interface DistributorOrgsTable {
  id: string;
  project_id: string;
  name: string;
  /** The organisation's one contact alias (its security list). */
  contact_alias: string;
  /** active | suspended | removed */
  state: string;
  /** Encrypted: the team's words on the last suspension or removal. */
  state_note_enc: string | null;
  vouched_by_org_id: string | null;
  application_id: string | null;
  joined_at: string;
  review_due_at: string;
  removed_at: string | null;
  created_at: string;
  updated_at: string;
}

/** A named person of a member organisation: a Vigil account, for the portal. */
export interface DistributorPeopleTable {
  id: string;
  org_id: string;
  project_id: string;
  user_id: string;
  name: string;
  pgp_public_key: string | null;
  pgp_fingerprint: string | null;
  pgp_expires_at: string | null;
  /** SHA-256 of the embargo text they accepted; null: nothing embargoed reaches them yet. */
  embargo_hash: string | null;
  embargo_accepted_at: string | null;
  /** active | removed */
  state: string;
  added_by_user_id: string | null;
  created_at: string;
  removed_at: string | null;
}

/** A case shared with an organisation by an early disclosure: its people may open it while embargoed. */
export interface CaseDistributorSharesTable {
  case_id: string;
  org_id: string;
  shared_at: string;
  shared_by_user_id: string | null;
}

/** An organisation's application to a project's distributors list (PROCESS.md §7). */
export interface DistributorApplicationsTable {
  id: string;
  project_id: string;
  org_name: string;
  contact_alias: string;
  applicant_name: string;
  applicant_email: string;
  pgp_public_key: string | null;
  pgp_fingerprint: string | null;
  pgp_expires_at: string | null;
  /** The membership criteria as the applicant read them (JSON list). */
  criteria_json: string;
  /** Encrypted JSON list: one answer per criterion. */
  answers_enc: string;
  embargo_hash: string;
  embargo_accepted_at: string;
  vouch_person_id: string;
  /** asked | vouched | declined */
  vouch_state: string;
  vouch_note_enc: string | null;
  vouch_answered_at: string | null;
  /** pending | approved | refused */
  state: string;
  decision_reason_enc: string | null;
  decided_by_user_id: string | null;
  decided_at: string | null;
  org_id: string | null;
  created_at: string;
  updated_at: string;
}

/** A case's publication at its agreed instant (PROCESS.md §8): one row per case. */
export interface CasePublicationsTable {
  case_id: string;
  project_id: string;
  /** scheduled | held | published | cancelled */
  state: string;
  /** The instant it is for; null when the team published without a schedule. */
  scheduled_for: string | null;
  /** Every (re)schedule takes the next generation: a job of an older one does nothing. */
  generation: number;
  /** Publication attempts queued in this generation (the retries' unique keys). */
  attempt_seq: number;
  pending_job_key: string | null;
  next_attempt_at: string | null;
  /** The instant the "a fix is coming" notice was queued for. */
  fix_coming_for: string | null;
  /** Why the notice could not go, if so. */
  fix_coming_note: string | null;
  /** Why no announcement was mailed, if so. */
  announcement_note: string | null;
  published_at: string | null;
  /** A user id, `operator:<name>` or `system`. */
  published_by: string | null;
  created_at: string;
  updated_at: string;
}

/** A leak reported by a member of the list or the team: what leaked, to whom, when (encrypted). */
export interface DistributorLeakReportsTable {
  id: string;
  project_id: string;
  reported_by_user_id: string;
  reporter_org_id: string | null;
  case_id: string | null;
  case_ref: string | null;
  what_enc: string;
  to_whom_enc: string;
  when_enc: string;
  /** open | confirmed | dismissed */
  state: string;
  incident_id: string | null;
  created_at: string;
  updated_at: string;
}

/** A leak the team attributes to a member organisation (the policy's removal rule counts these). */
export interface DistributorIncidentsTable {
  id: string;
  project_id: string;
  org_id: string;
  leak_report_id: string | null;
  case_id: string | null;
  what_enc: string;
  to_whom_enc: string;
  when_enc: string;
  recorded_by_user_id: string | null;
  recorded_at: string;
}

/** A yearly review of a member organisation. */
export interface DistributorReviewsTable {
  id: string;
  project_id: string;
  org_id: string;
  reviewed_by_user_id: string | null;
  reviewed_at: string;
  note_enc: string | null;
  next_due_at: string;
}

/** A disclosure instant the team proposed (PROCESS.md §7), with the zone it was said in. */
export interface DisclosureProposalsTable {
  id: string;
  case_id: string;
  project_id: string;
  /** UTC ISO 8601. */
  at: string;
  time_zone: string;
  /** Encrypted: the team's note to the parties. */
  note_enc: string | null;
  proposed_by_user_id: string | null;
  created_at: string;
  /** When a newer proposal or a decision replaced it; null while it is the one to answer. */
  closed_at: string | null;
}

/** One party's answer to a proposal: the reporter, or one distributors-list organisation. */
export interface DisclosureResponsesTable {
  id: string;
  proposal_id: string;
  case_id: string;
  /** reporter | distributor */
  party: string;
  /** `reporter` or `org:<org id>`: unique per proposal. */
  party_key: string;
  org_id: string | null;
  user_id: string | null;
  /** accept | object | counter */
  answer: string;
  /** Encrypted: why they object (required), or a word with an acceptance or a counter-proposal. */
  reason_enc: string | null;
  counter_at: string | null;
  counter_time_zone: string | null;
  created_at: string;
  updated_at: string;
}

/** The team's decision on the disclosure instant; the newest one is the case's `disclosure_at`. */
export interface DisclosureDecisionsTable {
  id: string;
  case_id: string;
  project_id: string;
  proposal_id: string | null;
  at: string;
  time_zone: string;
  previous_at: string | null;
  /** JSON list of the guardrail codes overridden. */
  overrides_json: string;
  /** JSON list of the guardrail findings when it was decided. */
  findings_json: string;
  /** Encrypted: the team's note for the record. */
  note_enc: string | null;
  decided_by_user_id: string | null;
  decided_at: string;
}

/** What a distributor person opened or did through the portal. */
export interface PortalAccessLogTable {
  id: string;
  case_id: string;
  project_id: string;
  user_id: string;
  org_id: string | null;
  what: string;
  detail: string | null;
  at: string;
}

/** A distributor person acknowledged a shared case. */
export interface PortalAcknowledgementsTable {
  case_id: string;
  user_id: string;
  org_id: string | null;
  acknowledged_at: string;
}

/** A distributor organisation's feedback on a shared case (encrypted). */
export interface PortalFeedbackTable {
  id: string;
  case_id: string;
  project_id: string;
  org_id: string | null;
  user_id: string;
  body_enc: string;
  created_at: string;
}

/** One send of the distributors' notice of a case: an advisory revision rendered once (PROCESS.md §7). */
export interface EarlyDisclosureSendsTable {
  id: string;
  case_id: string;
  project_id: string;
  advisory_id: string;
  advisory_revision: number;
  release_at: string;
  /** Encrypted: the rendered notice and the slots where its copies differ. */
  layout_enc: string;
  /** [{ personId, reason }]: who was left out, and why. */
  excluded_json: string;
  sent_by_user_id: string | null;
  sent_by_name: string;
  created_at: string;
}

/** One person's copy of a send: its fingerprint, its text (encrypted) and its delivery. */
export interface EarlyDisclosureCopiesTable {
  id: string;
  send_id: string;
  case_id: string;
  advisory_revision: number;
  person_id: string;
  org_id: string;
  user_id: string;
  recipient_name: string;
  recipient_email: string;
  org_name: string;
  reference_code: string;
  seed_enc: string;
  choices_json: string;
  text_enc: string;
  armored_enc: string | null;
  encrypted: number;
  key_fingerprint: string | null;
  /** queued | accepted | failed | cancelled */
  state: string;
  queued_at: string;
  accepted_at: string | null;
  smtp_response: string | null;
  message_id: string | null;
  attempts: number;
  last_error: string | null;
  failed_at: string | null;
  cancelled_reason: string | null;
  opened_at: string | null;
  acknowledged_at: string | null;
  created_at: string;
}

/** A period in which the publication waited for its blockers (an unpublished release...). */
export interface PublicationHoldsTable {
  id: string;
  case_id: string;
  generation: number;
  started_at: string;
  ended_at: string | null;
  /** published | rescheduled | cancelled */
  ended_by: string | null;
  /** JSON list of the blockers' sentences at the last attempt. */
  reasons_json: string;
  attempts: number;
  last_attempt_at: string;
  alerted_at: string | null;
}

/** One outbound message of a publication: an announcement, a fix-coming notice, a follow-up. */
export interface PublicationDeliveriesTable {
  id: string;
  case_id: string;
  project_id: string;
  /** announcement | fix-coming | follow-up */
  channel: string;
  recipient: string;
  /** The release instant of a fix-coming notice; '' otherwise. */
  ref: string;
  org_id: string | null;
  /** queued | sent | failed | cancelled (moot: the instant moved, the advisory is not public) */
  state: string;
  attempts: number;
  last_error: string | null;
  sent_at: string | null;
  created_at: string;
  updated_at: string;
}

/** Where a project's publications are posted: Slack-compatible or generic JSON, HMAC-signed. */
export interface WebhooksTable {
  id: string;
  project_id: string;
  /** slack | json */
  kind: string;
  label: string;
  /** Encrypted: the whole URL (a Slack hook's path is its credential). */
  url_enc: string;
  /** `https://hooks.example.org`: what the UI shows of the URL. */
  url_origin: string;
  /** Encrypted: the HMAC-SHA256 key of the signatures, shown once. */
  secret_enc: string;
  /** JSON array of the events it receives (webhook-message.ts); null: every event. */
  events_json: string | null;
  /** active | removed */
  state: string;
  created_by: string | null;
  created_at: string;
  removed_at: string | null;
  updated_at: string;
}

/** One event posted to one webhook, with its outcome. */
export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  project_id: string;
  case_id: string;
  /** advisory.published, case.received, case.transition, ... (webhook-message.ts) */
  event: string;
  /** Which occurrence of the event: a message id, `<state>:<instant>`, a due instant; '' when once per case. */
  occurrence: string;
  /** The event's one fact besides the case: a transition's new state; null otherwise. */
  detail: string | null;
  /** queued | sent | failed */
  state: string;
  attempts: number;
  status_code: number | null;
  last_error: string | null;
  delivered_at: string | null;
  created_at: string;
  updated_at: string;
}

/** An OpenID Connect sign-in started at the provider: ten minutes, single use. */
export interface OidcStatesTable {
  /** SHA-256 of the `state` sent to the provider. */
  state_hash: string;
  /** SHA-256 of the binding cookie of the browser that started the sign-in. */
  browser_hash: string;
  /** Encrypted: the PKCE code verifier. */
  code_verifier_enc: string;
  nonce: string;
  /** Where the app goes after signing in: a path of this instance. */
  return_to: string;
  created_at: string;
  expires_at: string;
}

/** A provider's account (issuer, subject) linked to a user. */
export interface OidcIdentitiesTable {
  id: string;
  user_id: string;
  issuer: string;
  subject: string;
  /** The verified email the link was made by. */
  email: string;
  created_at: string;
  last_used_at: string;
}

/** A user's WebAuthn passkey: the credential as registered, and its signature counter. */
export interface PasskeysTable {
  id: string;
  user_id: string;
  /** base64url, as the authenticator gave it (unique). */
  credential_id: string;
  /** base64url of the COSE public key (not a secret). */
  public_key: string;
  /** The signature counter last seen; a response at or below it is refused (a cloned authenticator). */
  counter: number;
  /** JSON array of transports. */
  transports_json: string;
  /** singleDevice | multiDevice */
  device_type: string;
  backed_up: number;
  name: string;
  created_at: string;
  last_used_at: string | null;
}

/** A WebAuthn ceremony under way: its challenge (hashed), five minutes, single use. */
export interface PasskeyChallengesTable {
  challenge_hash: string;
  /** register | sign-in | second-factor */
  purpose: string;
  user_id: string | null;
  second_factor_hash: string | null;
  created_at: string;
  expires_at: string;
}

/** A proof of work that admitted a report, kept until its challenge expires (one proof, one report). */
export interface IntakeProofsSpentTable {
  /** SHA-256 of the challenge. */
  challenge_hash: string;
  expires_at: string;
}

/** One read of a case's confidential content (issue 11, item 2): one row per reader, case, part and ten minutes. */
export interface CaseAccessLogTable {
  id: string;
  case_id: string;
  project_id: string;
  /** user | operator */
  principal_kind: string;
  user_id: string | null;
  operator_name: string | null;
  /** case | attachment:<id> | advisory | fix | portal | public-issue */
  what: string;
  /** security-team | fix-team | collaborator | reporter | distributor | operator */
  via: string;
  reader_is_admin: number;
  reader_key: string;
  bucket: number;
  read_at: string;
}

/** A request to add someone to a project's security team, which another current member approves. */
export interface ProjectMemberRequestsTable {
  id: string;
  project_id: string;
  user_id: string;
  role: string;
  requested_by_user_id: string | null;
  /** pending | approved | declined */
  state: string;
  decided_by_user_id: string | null;
  decided_at: string | null;
  created_at: string;
}

/** An in-app notification: one per team mail and recipient (issue 13, item 3). Never content. */
export interface NotificationsTable {
  id: string;
  user_id: string;
  project_id: string;
  case_id: string | null;
  /** The team mail kind (report-received.team, ...). */
  event: string;
  /** The mail's subject: project name, case id, what happened. */
  label: string;
  /** A path in Vigil. */
  link: string;
  /** The job and kind that wrote it (unique per user). */
  dedupe_key: string;
  created_at: string;
  read_at: string | null;
  digested_at: string | null;
}

/** A person's choice for a team event: mail | digest | none (no row: mail). */
export interface NotificationSettingsTable {
  user_id: string;
  event: string;
  mode: string;
  updated_at: string;
}

/** A waiting team-notice job whose notifications were written without mail (issue 13, item 3). */
export interface NotificationSweepsTable {
  job_id: string;
  swept_at: string;
}
