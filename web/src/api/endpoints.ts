/**
 * One function per API operation the UI uses, so pages never spell out URLs or methods. Paths,
 * parameters, bodies and answers are all typed by the API's OpenAPI document (see client.ts).
 */
import { abortSessionReads, answer, api, authApi, done, linkTo, publicApi } from './client.js';
import type {
  AccessLogPage,
  ApiToken,
  Availability,
  Me,
  AttachmentInput,
  CaseDetail,
  CaseState,
  CreatedApiToken,
  CreatedUser,
  Credit,
  InstanceInfo,
  IntakeInfo,
  ManagedUser,
  MemberAdded,
  PolicyVersion,
  PolicyVersionSummary,
  ProjectDetail,
  ProjectRole,
  ProjectSummary,
  PublicIssueDraft,
  RenderedPolicy,
  ReporterView,
  ReportInput,
  ReportChallenge,
  ProofOfWork,
  HeldConfirmation,
  ResponseMetrics,
  Session,
  SignInResult,
  SubmittedReport,
  TransitionInput,
  UserPatch,
  Body,
  BulkTransitionInput,
  BulkTransitionResult,
  CasePage,
  Query,
} from './types.js';
import { allPages } from './pages.js';

type Signal = AbortSignal | undefined;

/** What any page may know of the instance: whether it is a demo holding made-up data. */
export function getInstanceInfo(signal?: Signal): Promise<InstanceInfo> {
  return answer(publicApi.GET('/api/v1/instance', { signal }));
}

/** The current session, or an ApiError with status 401 when signed out. */
export function getSession(signal?: Signal): Promise<Session> {
  return answer(authApi.GET('/api/v1/auth/session', { signal }));
}

/** Signs in with email and password. */
export function signIn(email: string, password: string): Promise<SignInResult> {
  return answer(authApi.POST('/api/v1/auth/sign-in', { body: { email, password } }));
}

/** Consumes a one-time sign-in link token, setting the account's password. */
export function signInWithLink(token: string, password: string): Promise<SignInResult> {
  return answer(authApi.POST('/api/v1/auth/sign-in-link', { body: { token, password } }));
}

/** Ends this session; the reads still on their way, or started meanwhile, are aborted. */
export async function signOut(): Promise<void> {
  abortSessionReads();
  try {
    await done(authApi.POST('/api/v1/auth/sign-out'));
  } finally {
    abortSessionReads();
  }
}

/** Ends every session of the signed-in user; the reads on their way are aborted, as on signing out. */
export async function signOutEverywhere(): Promise<{ sessions: number }> {
  abortSessionReads();
  try {
    return await answer(api.POST('/api/v1/auth/sign-out-everywhere'));
  } finally {
    abortSessionReads();
  }
}

/** Changes the signed-in user's password. */
export function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  return done(api.PUT('/api/v1/me/password', { body: { currentPassword, newPassword } }));
}

/** The signed-in user's API tokens (never the secrets). */
export function listTokens(signal?: Signal): Promise<{ tokens: ApiToken[] }> {
  return answer(api.GET('/api/v1/me/tokens', { signal }));
}

/** Creates an API token; the answer holds the secret, which is never shown again. */
export function createToken(name: string, expiresInDays: number | undefined): Promise<CreatedApiToken> {
  return answer(api.POST('/api/v1/me/tokens', { body: { name, expiresInDays } }));
}

/** Revokes an API token. */
export function revokeToken(id: string): Promise<void> {
  return done(api.DELETE('/api/v1/me/tokens/{id}', { params: { path: { id } } }));
}

/** Every user of the instance (admins only), page after page. */
export async function listUsers(signal?: Signal): Promise<{ users: ManagedUser[] }> {
  const users = await allPages(
    (cursor) =>
      answer(
        api.GET('/api/v1/users', {
          params: { query: { limit: 500, ...(cursor !== undefined && { cursor }) } },
          signal,
        }),
      ),
    (page) => page.users,
  );
  return { users };
}

/** Creates a user; the answer holds their one-time sign-in link. */
export function createUser(input: Body<'createUser'>): Promise<CreatedUser> {
  return answer(api.POST('/api/v1/users', { body: input }));
}

/** Changes a user's name, admin flag or disabled flag. */
export function updateUser(id: string, patch: UserPatch): Promise<{ user: ManagedUser }> {
  return answer(api.PATCH('/api/v1/users/{id}', { params: { path: { id } }, body: patch }));
}

/** Issues a new one-time sign-in link for a user. */
export function createSignInLink(id: string): Promise<{ signInLink: string }> {
  return answer(api.POST('/api/v1/users/{id}/sign-in-link', { params: { path: { id } } }));
}

/** The projects the caller may see. */
export function listProjects(signal?: Signal): Promise<{ projects: ProjectSummary[] }> {
  return answer(api.GET('/api/v1/projects', { signal }));
}

/** Creates a project from a policy preset. */
export function createProject(input: Body<'createProject'>): Promise<{ project: ProjectSummary }> {
  return answer(api.POST('/api/v1/projects', { body: input }));
}

/** One project with its current policy, members and the caller's abilities on it. */
export function getProject(slug: string, signal?: Signal): Promise<ProjectDetail> {
  return answer(api.GET('/api/v1/projects/{slug}', { params: { path: { slug } }, signal }));
}

/** Saves a new policy version; fails with 409 when `baseVersion` is no longer the current one. */
export function savePolicy(slug: string, yaml: string, baseVersion: number): Promise<{ version: number }> {
  return answer(
    api.PUT('/api/v1/projects/{slug}/policy', { params: { path: { slug } }, body: { yaml, baseVersion } }),
  );
}

/** The policy's version history, newest first as the server orders it (page after page). */
export async function listPolicyVersions(
  slug: string,
  signal?: Signal,
): Promise<{ versions: PolicyVersionSummary[] }> {
  const versions = await allPages(
    (cursor) =>
      answer(
        api.GET('/api/v1/projects/{slug}/policy/versions', {
          params: { path: { slug }, query: { limit: 500, ...(cursor !== undefined && { cursor }) } },
          signal,
        }),
      ),
    (page) => page.versions,
  );
  return { versions };
}

/** One past version of the policy. */
export function getPolicyVersion(slug: string, version: number, signal?: Signal): Promise<PolicyVersion> {
  return answer(
    api.GET('/api/v1/projects/{slug}/policy/versions/{version}', {
      params: { path: { slug, version } },
      signal,
    }),
  );
}

/** Renders policy YAML to SECURITY.md (markdown and sanitised html) without saving it. */
export function renderPolicy(yaml: string, signal?: Signal): Promise<RenderedPolicy> {
  return answer(api.POST('/api/v1/policy/render', { body: { yaml }, signal }));
}

/**
 * Adds a user, by email, to a project role; a team that has members answers with a pending request
 * (`status: 'pending'`) that another current member approves.
 */
export function addMember(slug: string, email: string, role: ProjectRole): Promise<MemberAdded> {
  return answer(
    api.POST('/api/v1/projects/{slug}/members', { params: { path: { slug } }, body: { email, role } }),
  );
}

/** Approves a pending request to join the security team (another current member). */
export function approveMemberRequest(slug: string, requestId: string): Promise<unknown> {
  return answer(
    api.POST('/api/v1/projects/{slug}/members/requests/{requestId}/approve', {
      params: { path: { slug, requestId } },
    }),
  );
}

/** Declines a pending request to join the security team. */
export function declineMemberRequest(slug: string, requestId: string): Promise<unknown> {
  return answer(
    api.POST('/api/v1/projects/{slug}/members/requests/{requestId}/decline', {
      params: { path: { slug, requestId } },
    }),
  );
}

/** Who has read the case's confidential content, newest first; `cursor` from the page before. */
export function getCaseAccessLog(id: string, cursor?: string, signal?: Signal): Promise<AccessLogPage> {
  return answer(
    api.GET('/api/v1/cases/{id}/access-log', {
      params: { path: { id }, query: { ...(cursor !== undefined && { cursor }), limit: 50 } },
      signal,
    }),
  );
}

/** Removes a user from a project role. */
export function removeMember(slug: string, userId: string, role: ProjectRole): Promise<void> {
  return done(
    api.DELETE('/api/v1/projects/{slug}/members/{userId}', {
      params: { path: { slug, userId }, query: { role } },
    }),
  );
}

/**
 * One page of the inbox: cases of the caller's projects and the cases they were invited to, in the
 * order asked (most urgent first by default), with the count of all that match (`total`, an
 * estimate when `totalIsEstimate`), the held reports' count, and `nextCursor` for the page after
 * (null on the last page). The query is the API's own (see cases/inbox-view.ts).
 */
export function listCases(query: Query<'listCases'>, signal?: Signal): Promise<CasePage> {
  return answer(api.GET('/api/v1/cases', { params: { query }, signal }));
}

/**
 * Moves many cases at once (bulk triage): each through the same workflow as one, all or none.
 * 404 when any is not the caller's to triage; 409/400 naming `body.ids.N` when one may not move.
 */
export function transitionCases(input: BulkTransitionInput): Promise<BulkTransitionResult> {
  return answer(api.POST('/api/v1/cases/bulk-transitions', { body: input }));
}

/** One case by its human id (or id), with the report, conversation, notes and triage options. */
export function getCase(id: string, signal?: Signal): Promise<CaseDetail> {
  return answer(api.GET('/api/v1/cases/{id}', { params: { path: { id } }, signal }));
}

/** A message to the reporter, or with `internal` a note only the team sees. */
export function addCaseMessage(id: string, body: string, internal: boolean): Promise<{ id: string }> {
  return answer(
    api.POST('/api/v1/cases/{id}/messages', { params: { path: { id } }, body: { body, internal } }),
  );
}

/** Moves a case; 409 `invalid_transition` when not allowed from its state, 422 when a field is missing. */
export function transitionCase(
  id: string,
  input: TransitionInput,
): Promise<{ state: CaseState; from: CaseState }> {
  return answer(api.POST('/api/v1/cases/{id}/transitions', { params: { path: { id } }, body: input }));
}

/** Sets the "publicly known" flag, which turns every clock to "as soon as possible". */
export function setCasePubliclyKnown(id: string, publiclyKnown: boolean): Promise<void> {
  return done(
    api.PUT('/api/v1/cases/{id}/publicly-known', { params: { path: { id } }, body: { publiclyKnown } }),
  );
}

/** The public issue a non-security report becomes, for the team to review and post. */
export function getPublicIssueDraft(id: string, signal?: Signal): Promise<PublicIssueDraft> {
  return answer(api.GET('/api/v1/cases/{id}/public-issue', { params: { path: { id } }, signal }));
}

/** Where a team member downloads a case's attachment (a plain link: it is always a download). */
export function caseAttachmentUrl(caseId: string, attachmentId: string): string {
  return linkTo('/api/v1/cases/{id}/attachments/{attachmentId}', { id: caseId, attachmentId });
}

/** Time to first response and to triage over the last 90 days. */
export function getResponseMetrics(slug: string, signal?: Signal): Promise<ResponseMetrics> {
  return answer(api.GET('/api/v1/projects/{slug}/metrics/response', { params: { path: { slug } }, signal }));
}

/** What the public form shows of a project: its name, what to include, limits and commitments. */
export function getIntakeInfo(slug: string, signal?: Signal): Promise<IntakeInfo> {
  return answer(publicApi.GET('/api/v1/projects/{slug}/intake', { params: { path: { slug } }, signal }));
}

/**
 * The project's armored OpenPGP public key, from its same-origin published path (the intake's
 * `publicKeyUrl` may name another host, which the CSP's `connect-src 'self'` would refuse).
 */
export function getProjectPublicKey(slug: string, signal?: Signal): Promise<string> {
  return answer(
    publicApi.GET('/p/{slug}/pgp-key.asc', {
      params: { path: { slug } },
      parseAs: 'text',
      headers: { Accept: 'application/pgp-keys, text/plain' },
      // Revalidated, never taken from the cache as is: a key may have just been rotated.
      cache: 'no-cache',
      signal,
    }),
  );
}

/** Files a report through the public form: no account, no session cookie. */
export function submitReport(slug: string, report: ReportInput): Promise<SubmittedReport> {
  return answer(
    publicApi.POST('/api/v1/projects/{slug}/reports', {
      params: { path: { slug } },
      body: report,
      headers: { 'X-Vigil-Client': 'web' },
    }),
  );
}

/**
 * Files a report encrypted in the browser: `encrypted` is an armored OpenPGP message whose
 * plaintext is the JSON of `submitReport`'s body. Field issues come back as `encrypted.<field>`.
 */
export function submitEncryptedReport(slug: string, encrypted: string): Promise<SubmittedReport> {
  return answer(
    publicApi.POST('/api/v1/projects/{slug}/reports/encrypted', {
      params: { path: { slug } },
      body: { encrypted },
      headers: { 'X-Vigil-Client': 'web' },
    }),
  );
}

/** The reporter's side of a case, by the private link's token. */
export function getReporterCase(token: string, signal?: Signal): Promise<ReporterView> {
  return answer(publicApi.GET('/api/v1/reporter/cases/{token}', { params: { path: { token } }, signal }));
}

/** The reporter writes to the team, optionally with more material. */
export function addReporterMessage(
  token: string,
  body: string,
  attachments: AttachmentInput[],
): Promise<{ messageId: string }> {
  return answer(
    publicApi.POST('/api/v1/reporter/cases/{token}/messages', {
      params: { path: { token } },
      body: { body, attachments },
    }),
  );
}

/** How the reporter wants to be credited. */
export function setReporterCredit(token: string, credit: Credit): Promise<void> {
  return done(
    publicApi.PUT('/api/v1/reporter/cases/{token}/credit', { params: { path: { token } }, body: credit }),
  );
}

/** The reporter's answer to "can this still be handled privately?". */
export function answerPrivateHandling(
  token: string,
  choice: Body<'answerPrivateHandling'>['answer'],
): Promise<void> {
  return done(
    publicApi.PUT('/api/v1/reporter/cases/{token}/private-handling', {
      params: { path: { token } },
      body: { answer: choice },
    }),
  );
}

/** Where the reporter downloads one of their own attachments. */
export function reporterAttachmentUrl(token: string, attachmentId: string): string {
  return linkTo('/api/v1/reporter/cases/{token}/attachments/{attachmentId}', { token, attachmentId });
}

/** The signed-in user's own account, with when they are away. */
export function getMe(signal?: Signal): Promise<Me> {
  return answer(api.GET('/api/v1/me', { signal }));
}

/** When the signed-in user is away (either end open; both null: available). */
export function setAvailability(availability: Availability): Promise<Availability> {
  return answer(api.PUT('/api/v1/me/availability', { body: availability }));
}

/** A proof-of-work challenge for a report to the project (held intake). */
export function getReportChallenge(slug: string, signal?: Signal): Promise<ReportChallenge> {
  return answer(
    publicApi.GET('/api/v1/projects/{slug}/reports/challenge', { params: { path: { slug } }, signal }),
  );
}

/** Confirms a held report with the token of its receipt mail's link. */
export function confirmHeldReport(token: string): Promise<HeldConfirmation> {
  return answer(publicApi.POST('/api/v1/reports/confirm', { body: { token } }));
}

/** The reporter confirms their held report with a solved challenge. */
export function confirmHeldReportWithProof(
  token: string,
  proofOfWork: ProofOfWork,
): Promise<{ released: boolean }> {
  return answer(
    publicApi.POST('/api/v1/reporter/cases/{token}/confirm', {
      params: { path: { token } },
      body: { proofOfWork },
    }),
  );
}

/** The team releases a held report into the inbox. */
export function releaseHeldCase(ref: string): Promise<{ humanId: string }> {
  return answer(api.POST('/api/v1/cases/{id}/release', { params: { path: { id: ref } } }));
}
