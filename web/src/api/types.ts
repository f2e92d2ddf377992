/**
 * The shapes of the Vigil HTTP API (`/api/v1`) as the web UI uses them. Kept here, not imported
 * from the server, so the UI never depends on server internals; the server's response schemas
 * are the source of truth.
 */

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
export type ProjectAbility = 'project.policy.update' | 'project.members.manage';

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
