/**
 * The audit event catalogue: every action Vigil records, with the fields its data carries.
 * These names and fields are a public contract (exports, `vigil audit`), so extend, never rename.
 * Data never holds secrets or confidential text: ids, names, versions, reasons.
 */
/** How a person proved who they are (the first factor, or a passkey that is both). */
export type SignInMethod = 'password' | 'link' | 'oidc' | 'passkey';
/** A second factor that completed a sign-in. */
export type SecondFactorKind = 'totp' | 'recovery' | 'passkey';

export interface AuditCatalogue {
  /** `via: 'oidc'`: created at an OpenID Connect sign-in (VIGIL_OIDC_ALLOW_SIGNUP). */
  'user.created': { email: string; admin: boolean; via?: 'oidc' };
  'user.updated': { fields: string[] };
  /** `vigil demo` filled the instance with made-up projects and cases; every page says so. */
  'instance.demo_marked': { projects: number; cases: number };
  'user.password_set': Record<string, never>;
  /** `factors`: 2 when a second factor (named) completed the sign-in, or a passkey verified the person. */
  'user.signed_in': { method: SignInMethod; factors?: 1 | 2; secondFactor?: SecondFactorKind };
  /** The first factor was right; the session waits for one of `methods`. */
  'user.second_factor_challenged': { method: SignInMethod; methods: SecondFactorKind[] };
  'user.second_factor_failed': { method: SecondFactorKind; attempts: number };
  'user.totp_started': Record<string, never>;
  'user.totp_enabled': { recoveryCodes: number };
  'user.totp_disabled': { by: 'code' | 'recovery' | 'password' };
  'user.recovery_code_used': { left: number };
  'user.signed_out_everywhere': { sessions: number };
  'user.sign_in_link_created': { expiresAt: string; replaced: number };
  /** A provider's account linked to the user: by its verified email, or at sign-up through it. */
  'user.oidc_linked': { identityId: string; issuer: string; by: 'email' | 'signup' };
  /** A WebAuthn passkey registered (its id; whether the authenticator verified the person). */
  'user.passkey_added': { passkeyId: string; userVerified: boolean; backedUp: boolean };
  'user.passkey_removed': { passkeyId: string };
  'token.created': { tokenId: string; name: string; expiresAt: string | null };
  'token.revoked': { tokenId: string };
  'project.created': { slug: string; name: string; preset: string | null };
  'project.updated': { fields: string[] };
  'project.policy_updated': { version: number };
  /**
   * `how` (issue 11): `seeded` (an admin or the operator filled an empty team), `approved` (another
   * current member approved request `requestId`), `sole-member` (the team's only member added
   * someone: nobody else could approve), `operator` (the operator at the server's shell).
   */
  'project.member_added': {
    userId: string;
    role: string;
    how?: 'seeded' | 'approved' | 'sole-member' | 'operator';
    requestId?: string;
  };
  'project.member_requested': { requestId: string; userId: string; role: string };
  'project.member_request_declined': { requestId: string; userId: string; role: string };
  'project.member_removed': { userId: string; role: string };
  'keys.rotated': { fromKeyId: string; toKeyId: string; fields: number };
  /** The legacy unkeyed chain (version 1) was verified and re-sealed under the audit key. */
  'audit.chain_keyed': { events: number; keyId: string };
  'project.key_generated': { keyId: string; fingerprint: string; algorithm: string; automatic: boolean };
  'project.key_imported': { keyId: string; fingerprint: string; algorithm: string };
  'project.key_retired': { keyId: string; fingerprint: string; replacedBy: string };
  'case.received': {
    humanId: string;
    channel: string;
    publiclyKnown: boolean;
    attachments: number;
    /** Held as possibly a flood (over the project's quota): the team is not told until released. */
    held?: boolean;
    /** The report carried a valid proof of work (so it was not held). */
    proofOfWork?: boolean;
  };
  /**
   * A held report stopped being held: released (confirmed by the reporter through the mailed link
   * or a proof of work, or by the team), or closed by a triage outcome (rejected...).
   */
  'case.hold_ended': {
    outcome: 'released' | 'closed';
    by: 'reporter-mail' | 'reporter-proof' | 'team';
    state?: string;
  };
  'case.message_added': { messageId: string; visibility: string; authorType: string; channel: string };
  'case.attachment_added': { attachmentId: string; sizeBytes: number; flags: string[] };
  'case.publicly_known_changed': { publiclyKnown: boolean };
  'case.private_handling_answered': { answer: string };
  'case.credit_updated': { anonymous: boolean };
  'case.first_responded': { messageId: string };
  'case.mail_kept': { inboundMailId: string; flags: string[] };
  'case.triage_started': CaseTransitionData;
  'case.accepted': CaseTransitionData;
  'case.rejected': CaseTransitionData;
  'case.marked_duplicate': CaseTransitionData;
  'case.redirected': CaseTransitionData;
  'case.info_requested': CaseTransitionData;
  'case.info_received': CaseTransitionData;
  'case.reopened': CaseTransitionData;
  'case.fix_started': CaseTransitionData;
  'case.fix_ready': CaseTransitionData;
  'case.fix_reopened': CaseTransitionData;
  'case.disclosure_scheduled': CaseTransitionData;
  'case.published': CaseTransitionData;
  'case.closed': CaseTransitionData;
  // The fix phase (issue 9): ids, roles, branch names, counts, machine reasons; never code, commit text
  // nor the words people give (an override's, a removal's, a slow-down's): those stay encrypted with their rows.
  'case.fix_lead_assigned': {
    userId: string;
    previousUserId: string | null;
    method: 'rotation' | 'manual';
  };
  'case.fix_lead_unassignable': { reason: string };
  'case.member_invited': { userId: string; role: string; newAccount: boolean };
  'case.member_terms_accepted': { userId: string; role: string; termsHash: string };
  'case.member_removed': { userId: string; role: string };
  'case.member_access_ended': { userId: string; role: string; because: string };
  'case.watchwords_updated': { count: number };
  'case.slowed_down': { cvss: number | null };
  'case.users_told_of_fix': { messageId: string | null };
  'case.upstream_set': { disclosureAt: string | null };
  'case.team_organised': Record<string, never>;
  'case.repository_created': { upstream: boolean };
  'case.repository_seed_retried': { upstream: boolean };
  'case.repository_seeded': { branches: string[] };
  'case.repository_seed_failed': { error: string };
  'case.repository_pushed': { refs: string[] };
  'case.push_refused': { refs: string[]; reason: string };
  'case.repository_frozen': { branches: string[] };
  'case.release_recorded': { line: string; version: string | null; state: string };
  'case.release_line_overridden': { line: string };
  'ci.run_queued': { runId: string; caseId: string; branch: string; commit: string };
  'ci.run_claimed': { runId: string; runnerId: string; attempt: number };
  'ci.run_requeued': { runId: string; runnerId: string | null; attempt: number };
  'ci.run_finished': { runId: string; status: string; exitCode: number | null; durationMs: number };
  'runner.registered': { runnerId: string; name: string; projectId: string | null };
  'runner.revoked': { runnerId: string };
  'user.availability_set': { unavailableFrom: string | null; unavailableUntil: string | null };
  'user.notification_settings_set': { events: Record<string, string> };
  /** One's notifications marked read: how many, and whether all were asked for. */
  'user.notifications_read': { count: number; all: boolean };
  'retrospective.drafted': { caseId: string };
  'retrospective.updated': { caseId: string; sections: string[] };
  'retrospective.feedback_added': { caseId: string; feedbackId: string };
  'retrospective.closed': { caseId: string };
  // The disclosure date (PROCESS.md §7): instants, zones, parties, answers and guardrail codes; never
  // the words of a note, a reason or feedback (those stay encrypted with their rows).
  'disclosure_date.proposed': { proposalId: string; at: string; timeZone: string };
  'disclosure_date.responded': {
    proposalId: string;
    party: string;
    orgId: string | null;
    answer: string;
    counterAt: string | null;
  };
  'disclosure_date.decided': {
    decisionId: string;
    proposalId: string | null;
    at: string;
    timeZone: string;
    previousAt: string | null;
    overrides: string[];
    warnings: string[];
  };
  // The distributors' portal: what a person did (what they opened is in the portal's access log).
  'portal.case_acknowledged': { orgId: string };
  'portal.feedback_added': { orgId: string; feedbackId: string };
  // Advisories: ids and revision numbers only, never document text nor the CVE id (private until publication).
  'advisory.created': { advisoryId: string; caseId: string; revision: number };
  'advisory.revised': { advisoryId: string; revision: number; baseRevision: number };
  'advisory.cve_set': { advisoryId: string; replaced: boolean };
  /** The CNA is kept encrypted with the advisory (`cve_request_enc`); events before issue 11 name it. */
  'advisory.cve_requested': { advisoryId: string; cna?: string };
  'advisory.withdrawn': { advisoryId: string; from: string };
  'advisory.rejected': { advisoryId: string; from: string };
  // An advisory brought from an OSV or GitHub record (public already), with its case.
  'advisory.imported': {
    advisoryId: string;
    caseId: string;
    caseHumanId: string;
    sourceId: string;
    format: string;
    state: string;
    unmapped: number;
  };
  // The advisory made public at publication (PROCESS.md §8): its CVE id is public from now on.
  'advisory.published': { advisoryId: string; caseId: string };
  // Publication at the agreed instant (issue 10): instants, generations, counts and channel names.
  'publication.scheduled': { at: string; generation: number; previousAt: string | null };
  'publication.cancelled': { at: string | null; because: string };
  'publication.held': { holdId: string; at: string | null; blockers: number; first: boolean };
  'publication.retry_requested': { holdId: string | null; fixComing: boolean };
  'publication.published': {
    advisoryId: string | null;
    at: string | null;
    announcements: number;
    webhooks: number;
    followUps: number;
  };
  'publication.fix_coming_queued': { at: string; addresses: number };
  // Webhooks: the origin of the URL only (its path may be a credential), never the secret.
  'webhook.created': { webhookId: string; kind: string; origin: string; events?: string[] };
  'webhook.updated': { webhookId: string; events: string[] };
  'webhook.removed': { webhookId: string };
  // Render templates: the template's name and new version only, never its source.
  'advisory.template_saved': { name: string; version: number; baseVersion: number | null };
  'advisory.template_reset': { name: string; version: number };
  // The distributors list (issue 10, PROCESS.md §7): ids, names, hashes, counts and states; never the
  // answers, the leak details nor anyone's reasons, which stay encrypted with their rows.
  'distributors.application_submitted': {
    applicationId: string;
    orgName: string;
    vouchPersonId: string;
    embargoHash: string;
    criteria: number;
  };
  'distributors.vouch_answered': {
    applicationId: string;
    personId: string;
    decision: 'vouched' | 'declined';
  };
  'distributors.application_approved': { applicationId: string; orgId: string };
  'distributors.application_refused': { applicationId: string };
  'distributors.org_joined': {
    orgId: string;
    name: string;
    applicationId: string | null;
    reviewDueAt: string;
  };
  'distributors.org_state_changed': { orgId: string; from: string; to: string };
  'distributors.org_removed_per_policy': { orgId: string; incidents: number; leaksBeforeRemoval: number };
  'distributors.person_added': { orgId: string; personId: string; userId: string; newAccount: boolean };
  'distributors.person_removed': { orgId: string; personId: string; userId: string };
  'distributors.person_key_set': { orgId: string; personId: string; fingerprint: string | null };
  'distributors.embargo_accepted': { orgId: string; personId: string; userId: string; embargoHash: string };
  'distributors.review_recorded': { orgId: string; reviewId: string; nextDueAt: string };
  'distributors.leak_reported': { leakReportId: string; by: 'member' | 'team'; caseId: string | null };
  'distributors.leak_dismissed': { leakReportId: string };
  'distributors.incident_recorded': {
    incidentId: string;
    orgId: string;
    leakReportId: string | null;
    incidents: number;
    removalProposed: boolean;
  };
  // Early disclosure (issue 10): ids, counts, reference codes and machine reasons; never the notice's
  // text, a leaked text, a seed nor the SMTP server's words.
  'early_disclosure.sent': {
    sendId: string;
    advisoryId: string;
    revision: number;
    copies: number;
    encrypted: number;
    orgIds: string[];
    newlyShared: string[];
    withheld: number;
    excluded: number;
  };
  'early_disclosure.copy_accepted': { copyId: string; sendId: string; attempt: number };
  'early_disclosure.copy_failed': { copyId: string; sendId: string; attempts: number; permanent: boolean };
  'early_disclosure.copy_cancelled': { copyId: string; sendId: string; reason: string };
  'early_disclosure.copy_opened': { copyId: string; userId: string };
  'early_disclosure.copy_acknowledged': { copyId: string; userId: string };
  'early_disclosure.leak_traced': {
    verdict: string;
    method: string | null;
    copyId: string | null;
    slotsObserved: number;
    copiesCompared: number;
  };
}

/** Every case transition records where from, where to, and the reason category (never the reason text). */
export interface CaseTransitionData {
  from: string;
  to: string;
  reasonCategory?: string;
  duplicateOf?: string;
  /** A scheduled disclosure instant (not secret: it is the team's own plan). */
  disclosureAt?: string;
  /** Guards the Fix Lead overrode to take it (e.g. a release line without a green run). */
  overridden?: string[];
}

export type AuditAction = keyof AuditCatalogue;

/** The audit actions that record a case transition: the transition table's `action` column. */
export type CaseTransitionAction = {
  [A in AuditAction]: AuditCatalogue[A] extends CaseTransitionData ? A : never;
}[AuditAction];

/** Who did it: a signed-in user, the local operator's CLI, or Vigil itself (jobs, the clock). */
export type Actor =
  { type: 'user'; id: string } | { type: 'operator'; id: string } | { type: 'system'; id: string };

export interface AuditEventInput<A extends AuditAction = AuditAction> {
  actor: Actor;
  action: A;
  subject: { type: string; id: string | null };
  projectId?: string | null;
  data: AuditCatalogue[A];
}
