/**
 * One typed function per API operation the UI uses, so pages never spell out URLs or methods.
 */
import { apiRequest, publicTextRequest } from './client.js';
import type {
  ApiToken,
  CaseDetail,
  CaseState,
  CaseSummary,
  Credit,
  IntakeInfo,
  AttachmentInput,
  CreatedApiToken,
  CreatedUser,
  ManagedUser,
  PolicyPreset,
  PolicyVersion,
  PolicyVersionSummary,
  ProjectDetail,
  PublicIssueDraft,
  ReporterView,
  ReportInput,
  ResponseMetrics,
  SubmittedReport,
  TransitionInput,
  ProjectRole,
  ProjectSummary,
  RenderedPolicy,
  Session,
  SignInResult,
} from './types.js';

type Signal = AbortSignal | undefined;
const enc = encodeURIComponent;

/** The current session, or an ApiError with status 401 when signed out. */
export function getSession(signal?: Signal): Promise<Session> {
  return apiRequest('GET', '/auth/session', { signal, sessionRequired: false });
}

/** Signs in with email and password. */
export function signIn(email: string, password: string): Promise<SignInResult> {
  return apiRequest('POST', '/auth/sign-in', { body: { email, password }, sessionRequired: false });
}

/** Consumes a one-time sign-in link token, setting the account's password. */
export function signInWithLink(token: string, password: string): Promise<SignInResult> {
  return apiRequest('POST', '/auth/sign-in-link', { body: { token, password }, sessionRequired: false });
}

/** Ends this session. */
export function signOut(): Promise<void> {
  return apiRequest('POST', '/auth/sign-out', { sessionRequired: false });
}

/** Ends every session of the signed-in user. */
export function signOutEverywhere(): Promise<{ sessions: number }> {
  return apiRequest('POST', '/auth/sign-out-everywhere');
}

/** Changes the signed-in user's password. */
export function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  return apiRequest('PUT', '/me/password', { body: { currentPassword, newPassword } });
}

/** The signed-in user's API tokens (never the secrets). */
export function listTokens(signal?: Signal): Promise<{ tokens: ApiToken[] }> {
  return apiRequest('GET', '/me/tokens', { signal });
}

/** Creates an API token; the answer holds the secret, which is never shown again. */
export function createToken(name: string, expiresInDays: number | undefined): Promise<CreatedApiToken> {
  return apiRequest('POST', '/me/tokens', { body: { name, expiresInDays } });
}

/** Revokes an API token. */
export function revokeToken(id: string): Promise<void> {
  return apiRequest('DELETE', `/me/tokens/${enc(id)}`);
}

/** Every user of the instance (admins only). */
export function listUsers(signal?: Signal): Promise<{ users: ManagedUser[] }> {
  return apiRequest('GET', '/users', { signal });
}

/** Creates a user; the answer holds their one-time sign-in link. */
export function createUser(input: { email: string; name: string; isAdmin: boolean }): Promise<CreatedUser> {
  return apiRequest('POST', '/users', { body: input });
}

/** Changes a user's name, admin flag or disabled flag. */
export function updateUser(
  id: string,
  patch: { name?: string; isAdmin?: boolean; disabled?: boolean },
): Promise<{ user: ManagedUser }> {
  return apiRequest('PATCH', `/users/${enc(id)}`, { body: patch });
}

/** Issues a new one-time sign-in link for a user. */
export function createSignInLink(id: string): Promise<{ signInLink: string }> {
  return apiRequest('POST', `/users/${enc(id)}/sign-in-link`);
}

/** The projects the caller may see. */
export function listProjects(signal?: Signal): Promise<{ projects: ProjectSummary[] }> {
  return apiRequest('GET', '/projects', { signal });
}

/** Creates a project from a policy preset. */
export function createProject(input: {
  slug: string;
  name: string;
  preset: PolicyPreset;
}): Promise<{ project: ProjectSummary }> {
  return apiRequest('POST', '/projects', { body: input });
}

/** One project with its current policy, members and the caller's abilities on it. */
export function getProject(slug: string, signal?: Signal): Promise<ProjectDetail> {
  return apiRequest('GET', `/projects/${enc(slug)}`, { signal });
}

/** Saves a new policy version; fails with 409 when `baseVersion` is no longer the current one. */
export function savePolicy(slug: string, yaml: string, baseVersion: number): Promise<{ version: number }> {
  return apiRequest('PUT', `/projects/${enc(slug)}/policy`, { body: { yaml, baseVersion } });
}

/** The policy's version history, newest first as the server orders it. */
export function listPolicyVersions(
  slug: string,
  signal?: Signal,
): Promise<{ versions: PolicyVersionSummary[] }> {
  return apiRequest('GET', `/projects/${enc(slug)}/policy/versions`, { signal });
}

/** One past version of the policy. */
export function getPolicyVersion(slug: string, version: number, signal?: Signal): Promise<PolicyVersion> {
  return apiRequest('GET', `/projects/${enc(slug)}/policy/versions/${version}`, { signal });
}

/** Renders policy YAML to SECURITY.md (markdown and sanitised html) without saving it. */
export function renderPolicy(yaml: string, signal?: Signal): Promise<RenderedPolicy> {
  return apiRequest('POST', '/policy/render', { body: { yaml }, signal });
}

/** Adds a user, by email, to a project role. */
export function addMember(slug: string, email: string, role: ProjectRole): Promise<unknown> {
  return apiRequest('POST', `/projects/${enc(slug)}/members`, { body: { email, role } });
}

/** Removes a user from a project role. */
export function removeMember(slug: string, userId: string, role: ProjectRole): Promise<void> {
  return apiRequest('DELETE', `/projects/${enc(slug)}/members/${enc(userId)}?role=${enc(role)}`);
}

/** The security team's inbox: cases of the caller's projects, most urgent first (the server's order). */
export function listCases(
  filter: { project?: string | undefined; states?: CaseState[] | undefined },
  signal?: Signal,
): Promise<{ cases: CaseSummary[] }> {
  const query = new URLSearchParams();
  if (filter.project) query.set('project', filter.project);
  if (filter.states && filter.states.length > 0) query.set('state', filter.states.join(','));
  const qs = query.toString();
  return apiRequest('GET', `/cases${qs ? `?${qs}` : ''}`, { signal });
}

/** One case by its human id (or id), with the report, conversation, notes and triage options. */
export function getCase(id: string, signal?: Signal): Promise<CaseDetail> {
  return apiRequest('GET', `/cases/${enc(id)}`, { signal });
}

/** A message to the reporter, or with `internal` a note only the team sees. */
export function addCaseMessage(id: string, body: string, internal: boolean): Promise<{ id: string }> {
  return apiRequest('POST', `/cases/${enc(id)}/messages`, { body: { body, internal } });
}

/** Moves a case; 409 `invalid_transition` when not allowed from its state, 422 when a field is missing. */
export function transitionCase(
  id: string,
  input: TransitionInput,
): Promise<{ state: CaseState; from: CaseState }> {
  return apiRequest('POST', `/cases/${enc(id)}/transitions`, { body: input });
}

/** Sets the "publicly known" flag, which turns every clock to "as soon as possible". */
export function setCasePubliclyKnown(id: string, publiclyKnown: boolean): Promise<void> {
  return apiRequest('PUT', `/cases/${enc(id)}/publicly-known`, { body: { publiclyKnown } });
}

/** The public issue a non-security report becomes, for the team to review and post. */
export function getPublicIssueDraft(id: string, signal?: Signal): Promise<PublicIssueDraft> {
  return apiRequest('GET', `/cases/${enc(id)}/public-issue`, { signal });
}

/** Where a team member downloads a case's attachment (a plain link: it is always a download). */
export function caseAttachmentUrl(caseId: string, attachmentId: string): string {
  return `/api/v1/cases/${enc(caseId)}/attachments/${enc(attachmentId)}`;
}

/** Time to first response and to triage over the last 90 days. */
export function getResponseMetrics(slug: string, signal?: Signal): Promise<ResponseMetrics> {
  return apiRequest('GET', `/projects/${enc(slug)}/metrics/response`, { signal });
}

/** What the public form shows of a project: its name, what to include, limits and commitments. */
export function getIntakeInfo(slug: string, signal?: Signal): Promise<IntakeInfo> {
  return apiRequest('GET', `/projects/${enc(slug)}/intake`, { signal, anonymous: true });
}

/**
 * The project's armored OpenPGP public key, from its same-origin published path (the intake's
 * `publicKeyUrl` may name another host, which the CSP's `connect-src 'self'` would refuse).
 */
export function getProjectPublicKey(slug: string, signal?: Signal): Promise<string> {
  return publicTextRequest(`/p/${enc(slug)}/pgp-key.asc`, signal);
}

/** Files a report through the public form: no account, no session cookie. */
export function submitReport(slug: string, report: ReportInput): Promise<SubmittedReport> {
  return apiRequest('POST', `/projects/${enc(slug)}/reports`, {
    body: report,
    anonymous: true,
    headers: { 'X-Vigil-Client': 'web' },
  });
}

/**
 * Files a report encrypted in the browser: `encrypted` is an armored OpenPGP message whose
 * plaintext is the JSON of `submitReport`'s body. Field issues come back as `encrypted.<field>`.
 */
export function submitEncryptedReport(slug: string, encrypted: string): Promise<SubmittedReport> {
  return apiRequest('POST', `/projects/${enc(slug)}/reports/encrypted`, {
    body: { encrypted },
    anonymous: true,
    headers: { 'X-Vigil-Client': 'web' },
  });
}

/** The reporter's side of a case, by the private link's token. */
export function getReporterCase(token: string, signal?: Signal): Promise<ReporterView> {
  return apiRequest('GET', `/reporter/cases/${enc(token)}`, { signal, anonymous: true });
}

/** The reporter writes to the team, optionally with more material. */
export function addReporterMessage(
  token: string,
  body: string,
  attachments: AttachmentInput[],
): Promise<{ messageId: string }> {
  return apiRequest('POST', `/reporter/cases/${enc(token)}/messages`, {
    body: { body, attachments },
    anonymous: true,
  });
}

/** How the reporter wants to be credited. */
export function setReporterCredit(token: string, credit: Credit): Promise<void> {
  return apiRequest('PUT', `/reporter/cases/${enc(token)}/credit`, { body: credit, anonymous: true });
}

/** The reporter's answer to "can this still be handled privately?". */
export function answerPrivateHandling(token: string, answer: 'possible' | 'declined'): Promise<void> {
  return apiRequest('PUT', `/reporter/cases/${enc(token)}/private-handling`, {
    body: { answer },
    anonymous: true,
  });
}

/** Where the reporter downloads one of their own attachments. */
export function reporterAttachmentUrl(token: string, attachmentId: string): string {
  return `/api/v1/reporter/cases/${enc(token)}/attachments/${enc(attachmentId)}`;
}
