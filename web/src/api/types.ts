/**
 * The shapes of the Vigil HTTP API (`/api/v1`) as the web UI uses them. Kept here, not imported
 * from the server, so the UI never depends on server internals; the server's response schemas
 * are the source of truth. Only the case states come from the server's pure transition table.
 */
import {
  CASE_STATES,
  isCaseState,
  TRIAGE_OPEN_STATES,
  type CaseState,
} from '../../../src/modules/cases/case-transitions.js';

/** One field-level problem, e.g. in a policy: `line` is the YAML source line when known. */
export interface Issue {
  path: string;
  message: string;
  line?: number;
}

/** An RFC 9457 problem document, as every API error is returned. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code?: string;
  issues?: Issue[];
}

export interface User {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
}

export type GlobalAbility = 'instance.users.manage' | 'instance.projects.create';
export type ProjectAbility = 'project.policy.update' | 'project.members.manage' | 'advisory.templates.edit';

export interface Session {
  user: User;
  csrfToken: string;
  abilities: Record<GlobalAbility, boolean>;
}

export interface SignInResult {
  user: User;
  csrfToken: string;
}

export interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface CreatedApiToken {
  token: string;
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
}

export interface ManagedUser extends User {
  disabled: boolean;
  createdAt: string;
}

export interface CreatedUser {
  user: ManagedUser;
  signInLink: string;
}

export type PolicyPreset = 'contour' | 'sesame' | 'emissary' | 'k8spolicy';

export interface ProjectSummary {
  slug: string;
  name: string;
  policyVersion: number;
  updatedAt: string;
}

export interface Author {
  id: string;
  name: string;
}

export interface PolicyVersionSummary {
  version: number;
  createdAt: string;
  createdBy: Author | null;
}

export interface PolicyVersion extends PolicyVersionSummary {
  yaml: string;
}

export type ProjectRole = 'security-team';

export interface Member {
  userId: string;
  email: string;
  name: string;
  role: ProjectRole;
}

export interface ProjectDetail {
  slug: string;
  name: string;
  policyVersion: number;
  createdAt: string;
  updatedAt: string;
  policy: PolicyVersion;
  members: Member[];
  abilities: Record<ProjectAbility, boolean>;
}

export interface RenderedPolicy {
  markdown: string;
  /** Already sanitised by the server. */
  html: string;
}

/** The case's states (PROCESS.md §11), in the order of its life: the server's own list. */
export { CASE_STATES, isCaseState, TRIAGE_OPEN_STATES, type CaseState };

export type ClockStatus = 'none' | 'met' | 'paused' | 'asap' | 'running' | 'overdue';

/** The first-response clock of a case. */
export interface CaseClock {
  status: ClockStatus;
  dueAt: string | null;
  respondedAt: string | null;
}

export interface ProjectRef {
  slug: string;
  name: string;
}

export interface CaseSummary {
  id: string;
  humanId: string;
  project: ProjectRef;
  state: CaseState;
  title: string;
  channel: string;
  severity: string | null;
  publiclyKnown: boolean;
  receivedAt: string;
  firstResponseDueAt: string | null;
  firstRespondedAt: string | null;
  clock: CaseClock;
  flags: string[];
}

export interface CaseMessage {
  id: string;
  visibility: 'conversation' | 'internal';
  /** `type` is 'reporter', 'team', 'system' or 'external'; `name` is a team member's (or the team's). */
  author: { type: string; name: string | null };
  body: string;
  automatic: boolean;
  channel: string;
  flags: string[];
  createdAt: string;
}

export interface CaseAttachment {
  id: string;
  filename: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  flags: string[];
  uploadedBy: string;
  createdAt: string;
}

/** How a reporter wants to be credited. */
export interface Credit {
  name?: string;
  handle?: string;
  affiliation?: string;
  anonymous: boolean;
}

export interface CaseReport {
  reproduction: string;
  effects: string;
  impact: string;
  dependencies: string;
  publicDetails: string;
}

export type CaseAbility = 'case.triage' | 'case.message' | 'advisory.read' | 'advisory.edit';

export interface CaseDetail extends CaseSummary {
  report: CaseReport;
  reporter: { email: string | null; credit: Credit };
  /** 'not-asked', 'asked', 'possible' or 'declined'. */
  privateHandling: string;
  duplicateOf: string | null;
  /** The case's advisory when one was started and the viewer may read it. */
  advisory: { advisoryId: string; state: string } | null;
  triagedAt: string | null;
  messages: CaseMessage[];
  attachments: CaseAttachment[];
  nextStates: CaseState[];
  rejectionCategories: string[];
  abilities: Partial<Record<CaseAbility, boolean>>;
}

/** A file for the API: read in the browser and base64-encoded. */
export interface AttachmentInput {
  filename: string;
  contentType: string;
  contentBase64: string;
}

/** A report as the public form sends it. */
export interface ReportInput {
  subject: string;
  reporter: Credit & { email?: string };
  reproduction: string;
  effects: string;
  impact: string;
  dependencies: string;
  publiclyKnown: boolean;
  publicDetails: string;
  attachments: AttachmentInput[];
}

/** What the public report form needs to know about a project (`GET /projects/{slug}/intake`). */
export interface IntakeInfo {
  slug: string;
  name: string;
  /** What the policy asks a report to contain, one line each. */
  reportContents: string[];
  maxAttachmentBytesPerCase: number;
  /** The first-response commitment in business days; null for "as soon as possible". */
  firstResponseBusinessDays: number | null;
  timeZone: string;
  /** Where the project publishes its OpenPGP key (the instance's public address). */
  publicKeyUrl: string;
  issueTrackerUrl: string | null;
}

export interface SubmittedReport {
  id: string;
  humanId: string;
  /** The reporter's private link (a capability: whoever holds it reads the conversation). */
  reporterLink: string;
  firstResponseDueAt: string | null;
}

/** The reporter's side of a case, reached through the private link. */
export interface ReporterView {
  humanId: string;
  project: ProjectRef;
  title: string;
  state: CaseState;
  /** The state in plain words. */
  status: string;
  receivedAt: string;
  publiclyKnown: boolean;
  privateHandling: string;
  askPrivateHandling: boolean;
  credit: Credit;
  messages: CaseMessage[];
  attachments: CaseAttachment[];
}

export interface TransitionInput {
  to: CaseState;
  reasonCategory?: string;
  reason?: string;
  question?: string;
  duplicateOf?: string;
}

export interface PublicIssueDraft {
  title: string;
  body: string;
  trackerUrl: string | null;
}

/** Response figures over the last 90 days. */
export interface ResponseMetrics {
  windowDays: number;
  cases: number;
  firstResponse: {
    answered: number;
    medianHours: number | null;
    p90Hours: number | null;
    withDeadline: number;
    metDeadline: number;
    metShare: number | null;
    overdueOpen: number;
  };
  triage: { triaged: number; medianHours: number | null; p90Hours: number | null };
}
