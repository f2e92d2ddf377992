/**
 * One typed function per API operation the UI uses, so pages never spell out URLs or methods.
 */
import { apiRequest } from './client.js';
import type {
  ApiToken,
  CreatedApiToken,
  CreatedUser,
  ManagedUser,
  PolicyPreset,
  PolicyVersion,
  PolicyVersionSummary,
  ProjectDetail,
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
