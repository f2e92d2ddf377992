/**
 * The one authorization policy table. Every service calls `authorize` before any side effect; the
 * UI receives `abilities` computed from the same table to decide which controls to show.
 * Denials answer 404 (NotFoundError): the caller learns nothing about what it may not see.
 */
import { NotFoundError } from '../lib/errors.js';

/** Roles a user can hold in a project. Later issues add the distributor role. */
export const PROJECT_ROLES = ['security-team'] as const;
export type ProjectRole = (typeof PROJECT_ROLES)[number];

/**
 * Roles a user can hold in one case (PROCESS.md §1), once they accepted the embargo terms:
 * Fix Team engineers, outside collaborators, and the reporter invited to the fix. When the case is
 * published their access ends and they become `former-member`: they may still read and add to the
 * retrospective, nothing else.
 */
export const INVITED_CASE_ROLES = ['fix-team', 'collaborator', 'reporter'] as const;
export type InvitedCaseRole = (typeof INVITED_CASE_ROLES)[number];
/**
 * `distributor`: a named person of a distributors-list organisation the case was shared with by an
 * early disclosure (PROCESS.md §7), while the organisation and the person are active, the person has
 * accepted the embargo text and the case is not yet public. They see the portal's view of it only.
 */
export const CASE_ROLES = [...INVITED_CASE_ROLES, 'former-member', 'distributor'] as const;
export type CaseRole = (typeof CASE_ROLES)[number];

/**
 * Who is asking: a signed-in user (session or API token), the operator at the server's shell
 * (the CLI, who holds the database and its key anyway, and gets what an admin gets), or nobody.
 */
export type Principal =
  | { kind: 'operator'; name: string }
  | {
      kind: 'user';
      userId: string;
      email: string;
      isAdmin: boolean;
      /** project id -> roles held there */
      projectRoles: ReadonlyMap<string, ReadonlySet<ProjectRole>>;
      /** case id -> roles held there (accepted terms; ended access leaves `former-member`) */
      caseRoles: ReadonlyMap<string, ReadonlySet<CaseRole>>;
      /**
       * How many factors the sign-in behind this credential proved (an API token: the session that
       * made it). Roles on projects whose policy requires two factors are left out when 1.
       */
      factors: 1 | 2;
    }
  /** A CI runner process (`vigil runner`): it claims test runs and reports their results, nothing else. */
  | { kind: 'runner'; runnerId: string; name: string }
  | { kind: 'anonymous' };

export const ANONYMOUS: Principal = { kind: 'anonymous' };

interface Rule {
  /** Instance admins may. */
  admin: boolean;
  /** Holders of these roles in the resource's project may. */
  projectRoles: readonly ProjectRole[];
  /** Holders of these roles in the resource's case may (the resource must name the case). */
  caseRoles?: readonly CaseRole[];
  /** Any signed-in user may (for actions on oneself or harmless helpers). */
  anyUser?: boolean;
  /** A registered CI runner may (and nothing else may, unless also listed). */
  runner?: boolean;
  /**
   * The operator at the server's shell may, although admins may not: the operator holds the
   * database and its key already, and exports advisories with `vigil advisory export`.
   */
  operator?: boolean;
}

/**
 * action -> who may. Admins run the instance (users, projects, policies) but see no confidential
 * team content unless they are also on the team (PROCESS.md §1).
 */
export const POLICY = {
  'instance.users.manage': { admin: true, projectRoles: [] },
  'instance.projects.create': { admin: true, projectRoles: [] },
  'self.manage': { admin: false, projectRoles: [], anyUser: true },
  'policy.preview': { admin: false, projectRoles: [], anyUser: true },
  // MITRE's CWE catalogue: public reference data, for any signed-in user and the operator.
  'cwe.read': { admin: true, projectRoles: [], anyUser: true },
  'project.read': { admin: true, projectRoles: ['security-team'] },
  'project.update': { admin: true, projectRoles: [] },
  'project.policy.update': { admin: true, projectRoles: ['security-team'] },
  // Removing a member: an admin (announced to the team by mail).
  'project.members.manage': { admin: true, projectRoles: [] },
  // Asking to add someone to the security team: an admin or a member. An addition to a team that has
  // members is only a request until another current member approves it (issue 11, item 2); an admin
  // may seed an empty team.
  'project.members.request': { admin: true, projectRoles: ['security-team'] },
  // Approving or declining such a request: the team alone (an admin only by being a member).
  'project.members.approve': { admin: false, projectRoles: ['security-team'] },
  'project.notes.read': { admin: false, projectRoles: ['security-team'] },
  'project.notes.update': { admin: false, projectRoles: ['security-team'] },
  'project.audit.read': { admin: true, projectRoles: ['security-team'] },
  'project.keys.manage': { admin: true, projectRoles: ['security-team'] },
  'project.metrics.read': { admin: true, projectRoles: ['security-team'] },
  // Case content is the team's alone: admins run the instance but do not read reports (§1).
  'case.read': { admin: false, projectRoles: ['security-team'] },
  // Who has read this case's confidential content (the access log): the team.
  'case.access-log.read': { admin: false, projectRoles: ['security-team'] },
  'case.triage': { admin: false, projectRoles: ['security-team'] },
  'case.message': { admin: false, projectRoles: ['security-team'] },
  // The case's fix workspace (the report, the Fix Lead, the repository, CI, releases, phases): the
  // team and whoever was invited to this one case (§1 Fix Team), never the conversation or notes.
  'case.workspace.read': {
    admin: false,
    projectRoles: ['security-team'],
    caseRoles: ['fix-team', 'collaborator', 'reporter'],
  },
  // The Fix Lead's work, open to the whole team: the lead, members, watchwords, releases, clocks.
  'case.fix.manage': { admin: false, projectRoles: ['security-team'] },
  'case.members.manage': { admin: false, projectRoles: ['security-team'] },
  // The private fix repository: clone and read (the reporter too), push (those who write the fix).
  'case.repository.read': {
    admin: false,
    projectRoles: ['security-team'],
    caseRoles: ['fix-team', 'collaborator', 'reporter'],
  },
  // The operator too, who holds the database anyway: `vigil check-commits` reads the case's words from it.
  'case.repository.push': {
    admin: false,
    projectRoles: ['security-team'],
    caseRoles: ['fix-team', 'collaborator'],
    operator: true,
  },
  // The retrospective (§9): everyone who took part reads it and adds feedback, after access ended too.
  'case.retrospective.read': {
    admin: false,
    projectRoles: ['security-team'],
    caseRoles: ['fix-team', 'collaborator', 'reporter', 'former-member'],
  },
  'case.retrospective.feedback': {
    admin: false,
    projectRoles: ['security-team'],
    caseRoles: ['fix-team', 'collaborator', 'reporter', 'former-member'],
  },
  'case.retrospective.manage': { admin: false, projectRoles: ['security-team'] },
  // Advisory drafts are case content: the team's, and the draft of the one case someone was invited to.
  'advisory.read': {
    admin: false,
    projectRoles: ['security-team'],
    caseRoles: ['fix-team', 'collaborator', 'reporter'],
    operator: true,
  },
  'advisory.edit': { admin: false, projectRoles: ['security-team'], caseRoles: ['fix-team'] },
  // Bringing a project's published history in (OSV/GHSA files): the team, or the operator's CLI.
  'advisory.import': { admin: false, projectRoles: ['security-team'], operator: true },
  // The project's announcement, distributors' mail, fix-coming and page templates.
  'advisory.templates.edit': { admin: false, projectRoles: ['security-team'] },
  // CI runners: registered by the operator or an admin; a runner claims runs and reports results.
  'instance.runners.manage': { admin: true, projectRoles: [] },
  'ci.run.work': { admin: false, projectRoles: [], runner: true },
  // The distributors list (§7): the team runs it (applications, members, incidents, reviews).
  'distributors.read': { admin: false, projectRoles: ['security-team'] },
  'distributors.manage': { admin: false, projectRoles: ['security-team'] },
  // Vouching and reporting a leak: any signed-in user may ask; the service admits only an active
  // person of the project's list (or the team), and answers 404 to anyone else.
  'distributors.vouch': { admin: false, projectRoles: [], anyUser: true },
  'distributors.leak.report': { admin: false, projectRoles: [], anyUser: true },
  // Early disclosure (§7): sending the distributors' notice, its delivery log, tracing a leaked copy.
  'case.early-disclosure.send': { admin: false, projectRoles: ['security-team'] },
  'case.early-disclosure.read': { admin: false, projectRoles: ['security-team'] },
  'case.leak.trace': { admin: false, projectRoles: ['security-team'], operator: true },
  // The distributor portal: the shared case while embargoed (draft, patches, plan), acknowledgement
  // and feedback. Everything opened through it is logged.
  'case.portal.read': { admin: false, projectRoles: [], caseRoles: ['distributor'] },
  'case.portal.respond': { admin: false, projectRoles: [], caseRoles: ['distributor'] },
  // The disclosure date (§7): the team proposes and decides; the reporter (also through their
  // private link) and each distributor accept, object or counter-propose.
  'case.disclosure-date.read': {
    admin: false,
    projectRoles: ['security-team'],
    caseRoles: ['fix-team', 'collaborator', 'reporter', 'distributor'],
  },
  'case.disclosure-date.propose': { admin: false, projectRoles: ['security-team'] },
  'case.disclosure-date.respond': { admin: false, projectRoles: [], caseRoles: ['reporter', 'distributor'] },
  'case.disclosure-date.decide': { admin: false, projectRoles: ['security-team'] },
  // Publication at the agreed instant (§8): its state, holds and retries.
  'case.publication.read': { admin: false, projectRoles: ['security-team'] },
  'case.publication.manage': { admin: false, projectRoles: ['security-team'] },
  // Where the announcement is posted (Slack-compatible and generic webhooks, HMAC-signed).
  'project.webhooks.manage': { admin: false, projectRoles: ['security-team'] },
  // The mail queue (issue 13): which mail jobs wait, failed or went out, with their last error. Ids
  // and states only, never an address or content: the admins, who run the instance.
  'instance.mail-queue.read': { admin: true, projectRoles: [] },
  // Whether mail goes out (the banner): the admins and the members of any project's security team.
  'instance.mail-status.read': { admin: true, projectRoles: ['security-team'] },
} as const satisfies Record<string, Rule>;

export type Action = keyof typeof POLICY;
export const ACTIONS = Object.keys(POLICY) as Action[];

/**
 * The abilities the UI is told, by what they are about: the session's (the instance), a project's,
 * a case's and an advisory's. Services compute each map with `abilities()`, the response schemas
 * declare exactly these keys, and the web UI takes the names from here.
 */
export const UI_ABILITIES = {
  instance: [
    'instance.users.manage',
    'instance.projects.create',
    'instance.mail-queue.read',
    'instance.mail-status.read',
  ],
  project: [
    'project.policy.update',
    'project.members.manage',
    'project.members.request',
    'project.members.approve',
    'project.update',
    'project.notes.read',
    'project.notes.update',
    'advisory.templates.edit',
    'distributors.read',
    'distributors.manage',
    'project.webhooks.manage',
  ],
  case: [
    'case.read',
    'case.access-log.read',
    'case.triage',
    'case.message',
    'advisory.read',
    'advisory.edit',
    'case.fix.manage',
    'case.members.manage',
    'case.repository.read',
    'case.repository.push',
    'case.retrospective.read',
    'case.retrospective.feedback',
    'case.retrospective.manage',
    'case.early-disclosure.send',
    'case.early-disclosure.read',
    'case.leak.trace',
    'case.portal.read',
    'case.portal.respond',
    'case.disclosure-date.read',
    'case.disclosure-date.propose',
    'case.disclosure-date.respond',
    'case.disclosure-date.decide',
    'case.publication.read',
    'case.publication.manage',
  ],
  advisory: ['advisory.read', 'advisory.edit'],
} as const satisfies Record<string, readonly Action[]>;

export type InstanceAbility = (typeof UI_ABILITIES.instance)[number];
export type ProjectAbility = (typeof UI_ABILITIES.project)[number];
export type CaseAbility = (typeof UI_ABILITIES.case)[number];
export type AdvisoryAbility = (typeof UI_ABILITIES.advisory)[number];

/** The resource an action is about: a case of a project, a project (by id) or the instance itself. */
export interface Resource {
  projectId?: string;
  /** The case, for rules that admit the case's own members. */
  caseId?: string;
  /** How to name the resource in a 404 ("Project 'demo'"). */
  label?: string;
}

/** True when `principal` may perform `action` on `resource`. */
export function can(principal: Principal, action: Action, resource: Resource = {}): boolean {
  if (principal.kind === 'anonymous') return false;
  const rule: Rule = POLICY[action];
  if (principal.kind === 'runner') return rule.runner === true;
  if (principal.kind === 'operator') return rule.admin || rule.operator === true;
  if (rule.anyUser) return true;
  if (rule.admin && principal.isAdmin) return true;
  if (resource.projectId && rule.projectRoles.length > 0) {
    const held = principal.projectRoles.get(resource.projectId);
    if (held && rule.projectRoles.some((r) => held.has(r))) return true;
  }
  if (resource.caseId && rule.caseRoles) {
    const held = principal.caseRoles.get(resource.caseId);
    if (held && rule.caseRoles.some((r) => held.has(r))) return true;
  }
  return false;
}

/** Throws a 404 unless `principal` may perform `action`; the first line of a service method. */
export function authorize(principal: Principal, action: Action, resource: Resource = {}): void {
  if (!can(principal, action, resource)) {
    throw new NotFoundError(resource.label ?? 'The resource');
  }
}

/** The whole ability map for a resource, for the UI. */
export function abilities<const A extends readonly Action[]>(
  principal: Principal,
  actions: A,
  resource: Resource = {},
): Record<A[number], boolean> {
  const out = {} as Record<A[number], boolean>;
  for (const a of actions) out[a as A[number]] = can(principal, a, resource);
  return out;
}

/**
 * The session's instance abilities (UI_ABILITIES.instance): an action is held on the instance, or
 * through a role held on any one project (the mail banner is shown to every project's team).
 */
export function instanceAbilities(principal: Principal): Record<InstanceAbility, boolean> {
  const projectIds = principal.kind === 'user' ? [...principal.projectRoles.keys()] : [];
  const out = {} as Record<InstanceAbility, boolean>;
  for (const a of UI_ABILITIES.instance) {
    out[a] = can(principal, a) || projectIds.some((projectId) => can(principal, a, { projectId }));
  }
  return out;
}

/** Builds a user principal from project memberships and (accepted or ended) case memberships. */
export function userPrincipal(
  user: { id: string; email: string; isAdmin: boolean },
  memberships: { projectId: string; role: string }[],
  caseMemberships: { caseId: string; role: string }[] = [],
  factors: 1 | 2 = 1,
): Principal {
  return {
    kind: 'user',
    userId: user.id,
    email: user.email,
    isAdmin: user.isAdmin,
    factors,
    projectRoles: groupRoles(
      memberships.map((m) => [m.projectId, m.role]),
      PROJECT_ROLES,
    ),
    caseRoles: groupRoles(
      caseMemberships.map((m) => [m.caseId, m.role]),
      CASE_ROLES,
    ),
  };
}

function groupRoles<R extends string>(pairs: [string, string][], known: readonly R[]): Map<string, Set<R>> {
  const out = new Map<string, Set<R>>();
  for (const [id, role] of pairs) {
    if (!(known as readonly string[]).includes(role)) continue;
    const set = out.get(id) ?? new Set<R>();
    set.add(role as R);
    out.set(id, set);
  }
  return out;
}
