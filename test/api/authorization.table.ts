/**
 * The route table of the route-wide authorization test (authorization.api.test.ts): for every route
 * the app registers, who may call it (public, any signed-in user, or an action of the policy table on
 * project A's resource), the minimal valid body and query it needs, and what a caller who may see it
 * gets back. A route missing here fails the test until it is added. Path parameters are filled from
 * PARAMS, by name, with project A's real ids; their nonexistent twins are what a denial must look like.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { POLICY, type Action } from '../../src/authz/authz.policy.js';
import { repoRoot } from '../../src/lib/paths.js';
import { DEFAULT_TEMPLATES } from '../../src/modules/advisory/render/render-advisory.js';
import { PASSWORD, uniqueEmail } from '../support/app.js';

/** A case of the world, with the confidential strings planted in it. */
export interface WorldCase {
  id: string;
  humanId: string;
  subject: string;
  report: string;
  reporterEmail: string;
  reporterToken: string;
}

/** One project of the world. */
export interface WorldProject {
  id: string;
  slug: string;
  /** In every confidential string of the project's cases (subject, report, reporter email, attachment...). */
  tag: string;
  /** In what only the team sees, not even the reporter: team notes, internal notes on a case. */
  teamTag: string;
  received: WorldCase & { attachmentId: string; attachmentText: string; internalNote: string };
  notes: string;
}

/** What the routes are called with: project A (the target), project B (the other team's), and more. */
export interface World {
  a: WorldProject & {
    /** A webhook of project A (the one the DELETE route removes; its log stays readable). */
    webhookId: string;
    accepted: WorldCase & {
      advisoryId: string;
      advisoryTitle: string;
      document: unknown;
      revision: number;
      /** The Fix Team engineer's (accepted) membership: the invitation `engineerA` accepted. */
      engineerMemberId: string;
      /** A pending invitation of someone who is not a caller: the member the DELETE route names. */
      victimMemberId: string;
      /** The distributors-list organisation of `distributorA`, which this case is shared with. */
      distributorOrgId: string;
      /** The team's open proposal of a disclosure date for this case (the one the parties answer). */
      proposalId: string;
    };
  };
  /** B's accepted case is the one B's Fix Team engineer was invited to. */
  b: WorldProject & { accepted: WorldCase };
  /** A second member of A's team: the user of the user and member routes (never a caller). */
  spare: { id: string; email: string };
  /** An admin's pending request to add someone (not a caller) to A's team. */
  memberRequestId: string;
  /**
   * A's distributors list: the current embargo text's hash, `distributorA`'s person and address, an
   * application asking `distributorA` to vouch, an organisation and a person of it that are no
   * callers (the team's routes change them), a leak report.
   */
  distributors: {
    embargoHash: string;
    criteria: number;
    personId: string;
    vouchEmail: string;
    applicationId: string;
    victimOrgId: string;
    victimPersonId: string;
    leakId: string;
  };
  /** An API token of A's member, not used to call: the one `DELETE /me/tokens/:id` names. */
  victimTokenId: string;
  /** A passkey of A's member, not used to sign in: the one `DELETE /me/passkeys/:id` names. */
  victimPasskeyId: string;
  policyYaml: string;
  /** A report encrypted to A's published key. */
  encryptedReport: string;
  /** An armored private key to import as a project key. */
  importKey: string;
  /** CI on A's received case: runs the world's runner holds, one finished with `log`; a runner to revoke. */
  ci: { heartbeatRunId: string; resultRunId: string; logRunId: string; log: string; victimRunnerId: string };
}

/**
 * Who may call a route, and with what.
 * - `who`: 'public' (anyone, signed in or not, gets the same answer), 'signed-in' (any signed-in
 *   user, acting as themselves), or the policy action the service authorizes on project A's
 *   resource; the expected answer for each caller is `can(principal, who, A)`.
 * - `owner`: the route acts on the caller's own account; what it names (A's member's token)
 *   is that member's alone; a list of callers: the service admits those alone (the policy row is
 *   any user's, the service asks who they are, as for a vouch request or a leak report).
 *   is that member's alone.
 * - `list`: any signed-in user gets 200, but A's rows (`reveals`) only who may `who` on A.
 */
export interface Probe {
  who: 'public' | 'signed-in' | Action;
  /** `true`: A's team member's own; a caller's name: that caller's own (an invitation, say). */
  owner?: true | 'engineerA' | 'distributorA' | ('teamA' | 'teamB' | 'admin' | 'distributorA')[];
  list?: true;
  /** The query string, with `{param}` placeholders filled like path parameters. */
  query?: string;
  /** A minimal valid body; called for every request. */
  body?: (w: World) => unknown;
  /** Strings of A's world that the answer to who may call carries (the control reaches the resource). */
  reveals?: (w: World) => string[];
  /** Asks about the browser session itself: signed-in callers come with a session cookie. */
  session?: true;
  /**
   * A body that names a resource too (`duplicateOf`): sent to B's counterpart of the path, naming
   * A's resource (each way that `param` names it) must answer exactly as naming a nonexistent one.
   */
  foreignBody?: { param: string; body: (ref: string) => unknown };
  /**
   * A route that names its resource in the body alone (a bulk action's `ids`): a denied caller
   * naming A's resource, each way `values` names it, gets exactly what naming a nonexistent one gets.
   */
  bodyNames?: { values: (w: World) => ParamValues; body: (ref: string) => unknown };
  /** Parameters filled otherwise than PARAMS says (the case a second probe of a route names). */
  params?: Record<string, (w: World, url: string) => ParamValues | undefined>;
}

/** Who may call a route, in five words; derived from `who` and the policy table. */
export type RouteClass = 'public' | 'signed-in' | 'admin' | 'team' | 'self';

/** The class of a probe: from its `who` and, for an action, from its row of the policy table. */
export function classOf(p: Probe): RouteClass {
  if (p.who === 'public') return 'public';
  if (p.owner || p.who === 'self.manage') return 'self';
  if (p.who === 'signed-in') return 'signed-in';
  const rule: { admin: boolean; projectRoles: readonly string[]; anyUser?: boolean } = POLICY[p.who];
  if (rule.anyUser) return 'signed-in';
  return rule.projectRoles.length > 0 ? 'team' : 'admin';
}

const REASON = { reason: 'Closed by the authorization test.' };
const distributors = '/api/v1/projects/:slug/distributors';
const LEAK = { what: 'A draft, by the authorization test', toWhom: 'Nobody', when: 'Today' };
const advisory = '/api/v1/cases/:id/advisory';
const templates = '/api/v1/projects/:slug/advisory-templates';
let created = 0;

/** Every route, by `METHOD url` as registered. A HEAD route without its own row follows its GET. */
export const ROUTES: Record<string, Probe | Probe[]> = {
  // The API's description, health and metrics, and the public pages: no sign-in by design.
  'GET /api/openapi.json': { who: 'public' },
  'GET /healthz': { who: 'public' },
  'GET /readyz': { who: 'public' },
  'GET /metrics': { who: 'public' },
  'GET /api/v1/instance': { who: 'public' },
  'GET /.well-known/security.txt': { who: 'public' },
  'GET /security.txt': { who: 'public' },
  'GET /p/:slug/security.txt': { who: 'public' },
  'GET /p/:slug/SECURITY.md': { who: 'public' },
  'GET /p/:slug/pgp-key.asc': { who: 'public' },
  // The public site (src/modules/public/site): published advisories only. A's advisory is a draft,
  // so its page and documents answer 404 to everyone, as a nonexistent one does.
  'GET /': { who: 'public' },
  'GET /site.css': { who: 'public' },
  'GET /p/:slug': { who: 'public' },
  'GET /p/:slug/advisories': { who: 'public' },
  'GET /p/:slug/advisories/:advisoryId': { who: 'public' },
  'GET /p/:slug/advisories/:advisoryId.json': { who: 'public' },
  'GET /p/:slug/advisories/:advisoryId.osv.json': { who: 'public' },
  'GET /p/:slug/advisories.atom': { who: 'public' },
  'GET /p/:slug/advisories.json': { who: 'public' },
  'GET /advisories.atom': { who: 'public' },
  'GET /advisories.json': { who: 'public' },
  'GET /osv/all.zip': { who: 'public' },
  'GET /osv/:ecosystem/all.zip': { who: 'public' },
  'GET /osv/ecosystems.txt': { who: 'public' },
  'POST /osv/v1/query': {
    who: 'public',
    body: () => ({ package: { ecosystem: 'Go', name: 'example.com/x' } }),
  },
  'POST /osv/v1/querybatch': {
    who: 'public',
    body: () => ({ queries: [{ package: { ecosystem: 'Go', name: 'example.com/x' }, version: '1.0.0' }] }),
  },

  // Accounts: signing in is public; the rest acts on the caller's own account, or is an admin's.
  'POST /api/v1/auth/sign-in': {
    who: 'public',
    body: () => ({ email: 'nobody@example.org', password: 'not the password' }),
  },
  'POST /api/v1/auth/sign-in-link': {
    who: 'public',
    body: () => ({ token: `sil_${randomBytes(32).toString('base64url')}`, password: PASSWORD }),
  },
  // The second step of a sign-in: public (the challenge is the credential); an unknown one answers 401.
  'POST /api/v1/auth/second-factor': {
    who: 'public',
    body: () => ({ challenge: `v2f_${randomBytes(32).toString('base64url')}`, totp: '123456' }),
  },
  'GET /api/v1/auth/session': { who: 'signed-in', session: true },
  'POST /api/v1/auth/sign-out': { who: 'public' },
  // OpenID Connect sign-in (browser navigations; the world has no provider: start and callback answer 404).
  'GET /api/v1/auth/methods': { who: 'public' },
  'GET /api/v1/auth/oidc/start': { who: 'public' },
  'GET /api/v1/auth/oidc/callback': { who: 'public' },
  'POST /api/v1/auth/sign-out-everywhere': { who: 'self.manage' },
  'GET /api/v1/me': { who: 'signed-in' },
  'PUT /api/v1/me/availability': {
    who: 'self.manage',
    body: () => ({ unavailableFrom: null, unavailableUntil: null }),
  },
  // One's own notifications and settings (issue 13): only one's own rows, whatever the projects.
  'GET /api/v1/me/notifications': { who: 'self.manage' },
  'POST /api/v1/me/notifications/read': { who: 'self.manage', body: () => ({ all: true }) },
  'GET /api/v1/me/notification-settings': { who: 'self.manage' },
  'PUT /api/v1/me/notification-settings': {
    who: 'self.manage',
    body: () => ({ events: { 'message.team': 'mail' } }),
  },
  'GET /api/v1/me/invitations': { who: 'self.manage' },
  // The engineer's own invitation, accepted already: terms that are not the current text answer 409.
  'POST /api/v1/me/invitations/:memberId/accept': {
    who: 'self.manage',
    owner: 'engineerA',
    body: () => ({ termsHash: '0'.repeat(64) }),
  },
  'PUT /api/v1/me/password': {
    who: 'self.manage',
    body: () => ({ currentPassword: 'not the password', newPassword: 'another passphrase entirely' }),
  },
  'GET /api/v1/me/two-factor': { who: 'self.manage' },
  'POST /api/v1/me/totp': { who: 'self.manage' },
  'POST /api/v1/me/totp/confirm': { who: 'self.manage', body: () => ({ code: '123456' }) },
  'DELETE /api/v1/me/totp': { who: 'self.manage', body: () => ({ password: 'not the password' }) },
  'GET /api/v1/me/tokens': { who: 'self.manage', owner: true, list: true, reveals: (w) => [w.victimTokenId] },
  'POST /api/v1/me/tokens': { who: 'self.manage', body: () => ({ name: 'authz', expiresInDays: 1 }) },
  'DELETE /api/v1/me/tokens/:id': { who: 'self.manage', owner: true },
  // Passkeys: one's own; added from a browser session only (an API token cannot add a way to sign in).
  'GET /api/v1/me/passkeys': {
    who: 'self.manage',
    owner: true,
    list: true,
    reveals: (w) => [w.victimPasskeyId],
  },
  'POST /api/v1/me/passkeys/options': { who: 'self.manage', session: true },
  // A well-formed registration of no ceremony under way: 422 to who may, after the access check.
  'POST /api/v1/me/passkeys': {
    who: 'self.manage',
    session: true,
    body: () => ({ name: 'authz', response: fakeCredential('attestationObject') }),
  },
  'DELETE /api/v1/me/passkeys/:id': { who: 'self.manage', owner: true },
  // Signing in with a passkey (alone, or as the second factor after a password) is public.
  'POST /api/v1/auth/passkey/options': { who: 'public' },
  'POST /api/v1/auth/passkey': { who: 'public', body: () => ({ response: fakeCredential('assertion') }) },
  'POST /api/v1/auth/second-factor/passkey/options': {
    who: 'public',
    body: () => ({ challenge: `sfc_${randomBytes(24).toString('base64url')}` }),
  },
  'POST /api/v1/auth/second-factor/passkey': {
    who: 'public',
    body: () => ({
      challenge: `sfc_${randomBytes(24).toString('base64url')}`,
      response: fakeCredential('assertion'),
    }),
  },
  'GET /api/v1/users': { who: 'instance.users.manage' },
  'POST /api/v1/users': {
    who: 'instance.users.manage',
    body: () => ({ email: uniqueEmail('authz'), name: 'Made by the authorization test', isAdmin: false }),
  },
  'PATCH /api/v1/users/:id': { who: 'instance.users.manage', body: () => ({ name: 'Spare member' }) },
  'POST /api/v1/users/:id/sign-in-link': { who: 'instance.users.manage' },

  // Projects.
  'GET /api/v1/projects': { who: 'project.read', list: true, reveals: (w) => [`"slug":"${w.a.slug}"`] },
  'POST /api/v1/projects': {
    who: 'instance.projects.create',
    body: () => ({ slug: `authz-new-${(created += 1)}`, name: 'New', preset: 'contour' }),
  },
  'GET /api/v1/projects/:slug': { who: 'project.read' },
  'PUT /api/v1/projects/:slug/policy': {
    who: 'project.policy.update',
    body: (w) => ({ yaml: w.policyYaml }),
  },
  'GET /api/v1/projects/:slug/policy/versions': { who: 'project.read' },
  'GET /api/v1/projects/:slug/policy/versions/:version': { who: 'project.read' },
  'GET /api/v1/projects/:slug/security.md': { who: 'project.read' },
  'POST /api/v1/policy/render': { who: 'policy.preview', body: (w) => ({ yaml: w.policyYaml }) },
  'POST /api/v1/projects/:slug/members': {
    who: 'project.members.request',
    body: (w) => ({ email: w.spare.email, role: 'security-team' }),
  },
  'DELETE /api/v1/projects/:slug/members/:userId': {
    who: 'project.members.manage',
    query: '?role=security-team',
  },
  // Another current member decides a request to join (issue 11, item 2); admins only by being members.
  'POST /api/v1/projects/:slug/members/requests/:requestId/approve': { who: 'project.members.approve' },
  'POST /api/v1/projects/:slug/members/requests/:requestId/decline': { who: 'project.members.approve' },
  'GET /api/v1/projects/:slug/team-notes': { who: 'project.notes.read', reveals: (w) => [w.a.notes] },
  'PUT /api/v1/projects/:slug/team-notes': {
    who: 'project.notes.update',
    body: () => ({ notes: 'Rewritten by the authorization test.' }),
  },

  // Intake is public; the reporter's link is a capability: whoever holds it is the reporter.
  'POST /api/v1/projects/:slug/reports': {
    who: 'public',
    body: () => ({ subject: 'Filed by the authorization test', reproduction: 'Steps.' }),
  },
  'POST /api/v1/projects/:slug/reports/encrypted': {
    who: 'public',
    body: (w) => ({ encrypted: w.encryptedReport }),
  },
  'GET /api/v1/projects/:slug/intake': { who: 'public' },
  'GET /api/v1/reporter/cases/:token': { who: 'public', reveals: (w) => [w.a.received.subject] },
  'POST /api/v1/reporter/cases/:token/messages': {
    who: 'public',
    body: () => ({ body: 'From the reporter.' }),
  },
  'PUT /api/v1/reporter/cases/:token/credit': {
    who: 'public',
    body: () => ({ name: 'Ada', anonymous: false }),
  },
  'PUT /api/v1/reporter/cases/:token/private-handling': {
    who: 'public',
    body: () => ({ answer: 'possible' }),
  },
  'GET /api/v1/reporter/cases/:token/attachments/:attachmentId': {
    who: 'public',
    reveals: (w) => [w.a.received.attachmentText],
  },
  // Held intake: the proof-of-work challenge, and the reporter's confirmations (the mailed token,
  // a proof on the private link); the team's release (A's received case is not held: 409).
  'GET /api/v1/projects/:slug/reports/challenge': { who: 'public' },
  'POST /api/v1/reports/confirm': { who: 'public', body: () => ({ token: `${randomUUID()}.forged` }) },
  'POST /api/v1/reporter/cases/:token/confirm': {
    who: 'public',
    body: () => ({ proofOfWork: { challenge: 'pow1.x', nonce: '1' } }),
  },
  'POST /api/v1/cases/:id/release': { who: 'case.triage' },

  // Project keys.
  'GET /api/v1/projects/:slug/pgp-key': { who: 'project.read' },
  'POST /api/v1/projects/:slug/pgp-key': { who: 'project.keys.manage' },
  'PUT /api/v1/projects/:slug/pgp-key': {
    who: 'project.keys.manage',
    body: (w) => ({ privateKey: w.importKey }),
  },

  // Triage: the team's side of a case.
  'GET /api/v1/cases': [
    { who: 'case.read', list: true, reveals: (w) => [w.a.received.humanId, w.a.received.subject] },
    { who: 'case.read', query: '?project={slug}', reveals: (w) => [w.a.received.humanId] },
  ],
  'GET /api/v1/projects/:slug/cases': { who: 'case.read', reveals: (w) => [w.a.received.subject] },
  // The dashboard: any signed-in user; A's cases only to who reads A's cases (its inbox's scope).
  'GET /api/v1/me/dashboard': {
    who: 'case.read',
    list: true,
    reveals: (w) => [w.a.received.humanId, w.a.received.subject],
  },
  'GET /api/v1/cases/:id': [
    {
      who: 'case.workspace.read',
      reveals: (w) => [
        w.a.received.subject,
        w.a.received.report,
        w.a.received.reporterEmail,
        w.a.received.internalNote,
      ],
    },
    // The accepted case, which A's Fix Team engineer sees too (without the team's own content).
    {
      who: 'case.workspace.read',
      params: { id: (w) => caseRef(w.a.accepted, w.b.received.humanId) },
      reveals: (w) => [w.a.accepted.subject, w.a.accepted.report],
    },
  ],
  // The conversation as a list of its own (issue 12): the received case's internal note is in it.
  'GET /api/v1/cases/:id/messages': { who: 'case.read', reveals: (w) => [w.a.received.internalNote] },
  'POST /api/v1/cases/:id/messages': {
    who: 'case.message',
    body: () => ({ body: 'An internal note of the authorization test.', internal: true }),
  },
  'POST /api/v1/cases/:id/transitions': {
    who: 'case.triage',
    body: () => ({ to: 'accepted' }),
    foreignBody: { param: 'id', body: (ref) => ({ to: 'duplicate', duplicateOf: ref }) },
  },
  // Many cases by the body's ids (issue 12): A's received case, each way it can be named.
  'POST /api/v1/cases/bulk-transitions': {
    who: 'case.triage',
    body: (w) => ({ ids: [w.a.received.humanId], to: 'triage' }),
    bodyNames: {
      values: (w) => caseRef(w.a.received, w.b.received.humanId),
      body: (ref) => ({ ids: [ref], to: 'triage' }),
    },
  },
  'PUT /api/v1/cases/:id/publicly-known': { who: 'case.triage', body: () => ({ publiclyKnown: false }) },
  'GET /api/v1/cases/:id/attachments/:attachmentId': {
    who: 'case.read',
    reveals: (w) => [w.a.received.attachmentText],
  },
  'GET /api/v1/cases/:id/public-issue': { who: 'case.read', reveals: (w) => [w.a.received.report] },
  // Who has read the case (issue 11, item 2): the team's reads of it are in the log by now.
  'GET /api/v1/cases/:id/access-log': { who: 'case.access-log.read', reveals: () => ['security-team'] },
  'GET /api/v1/projects/:slug/metrics/response': { who: 'project.metrics.read' },
  // The project's audit events (issue 12): the world's case of A is in them.
  'GET /api/v1/projects/:slug/audit-events': {
    who: 'project.audit.read',
    reveals: (w) => [w.a.received.id],
  },

  // The retrospective (A's received case has none yet: the team's writes answer 409, past the access check).
  'GET /api/v1/cases/:id/retrospective': { who: 'case.retrospective.read' },
  'PUT /api/v1/cases/:id/retrospective': {
    who: 'case.retrospective.manage',
    body: () => ({ sections: { wentWell: 'Written by the authorization test.' } }),
  },
  'POST /api/v1/cases/:id/retrospective/feedback': {
    who: 'case.retrospective.feedback',
    body: () => ({ body: 'Feedback of the authorization test.' }),
  },
  'POST /api/v1/cases/:id/retrospective/close': { who: 'case.retrospective.manage' },
  // The fix phase's people, on the accepted case: the Fix Lead and the members invited to it.
  'PUT /api/v1/cases/:id/fix-lead': {
    who: 'case.fix.manage',
    body: (w) => ({ userId: w.spare.id, reason: 'Set by the authorization test.' }),
  },
  'GET /api/v1/cases/:id/members': { who: 'case.workspace.read' },
  'POST /api/v1/cases/:id/members': {
    who: 'case.members.manage',
    body: () => ({ email: uniqueEmail('authz-invitee'), role: 'collaborator' }),
  },
  'DELETE /api/v1/cases/:id/members/:memberId': { who: 'case.members.manage', body: () => REASON },

  // The CWE catalogue: reference data for any signed-in user.
  'GET /api/v1/cwe': { who: 'cwe.read', query: '?q=79' },
  'GET /api/v1/cwe/:id': { who: 'cwe.read' },

  // The advisory of the accepted case.
  [`POST ${advisory}`]: { who: 'advisory.edit' },
  [`GET ${advisory}`]: { who: 'advisory.read', reveals: (w) => [w.a.accepted.advisoryTitle] },
  [`PUT ${advisory}`]: {
    who: 'advisory.edit',
    body: (w) => ({ document: w.a.accepted.document, baseRevision: w.a.accepted.revision }),
  },
  [`GET ${advisory}/revisions`]: { who: 'advisory.read' },
  [`GET ${advisory}/revisions/:n`]: { who: 'advisory.read' },
  [`GET ${advisory}/diff`]: { who: 'advisory.read', query: '?from=1&to=2' },
  [`PUT ${advisory}/cve`]: { who: 'advisory.edit', body: () => ({ cveId: 'CVE-2026-12345' }) },
  [`POST ${advisory}/cve-request`]: { who: 'advisory.edit', body: () => ({ cna: 'MITRE' }) },
  [`POST ${advisory}/withdraw`]: { who: 'advisory.edit', body: () => REASON },
  [`POST ${advisory}/reject`]: { who: 'advisory.edit', body: () => REASON },
  [`GET ${advisory}/export`]: {
    who: 'advisory.read',
    query: '?format=osv',
    reveals: (w) => [w.a.accepted.advisoryTitle],
  },
  [`GET ${advisory}/render`]: { who: 'advisory.read', query: '?template=announcement' },
  [`POST ${advisory}/render`]: { who: 'advisory.read', body: () => ({ template: 'announcement' }) },
  'POST /api/v1/projects/:slug/advisories/import': {
    who: 'advisory.import',
    body: () => ({
      id: 'AUTHZ-1',
      modified: '2026-01-01T00:00:00Z',
      summary: 'Imported by the authorization test',
    }),
  },
  // The fix phase: the release matrix and the phase clocks of A's case, the project's timeline.
  'GET /api/v1/cases/:id/releases': { who: 'case.workspace.read' },
  'PUT /api/v1/cases/:id/releases/:line': {
    who: 'case.fix.manage',
    body: () => ({ version: '1.28.1', state: 'planned' }),
  },
  'POST /api/v1/cases/:id/releases/:line/override': {
    who: 'case.fix.manage',
    body: () => ({ reason: 'Overridden by the authorization test.' }),
  },
  'GET /api/v1/cases/:id/phases': { who: 'case.workspace.read' },
  'GET /api/v1/projects/:slug/phases': { who: 'case.read' },
  'POST /api/v1/cases/:id/team-organised': { who: 'case.fix.manage' },
  'POST /api/v1/cases/:id/users-told': { who: 'case.fix.manage' },
  'PUT /api/v1/cases/:id/slowdown': {
    who: 'case.fix.manage',
    body: () => ({ reason: 'Slowed down by the authorization test.' }),
  },
  'PUT /api/v1/cases/:id/upstream': {
    who: 'case.fix.manage',
    body: () => ({
      name: 'Envoy',
      url: 'https://github.com/envoyproxy/envoy',
      disclosureAt: '2026-12-24T12:00:00Z',
    }),
  },
  // The accepted case's private fix repository (seeding in the world: no job runs here) and its words.
  'GET /api/v1/cases/:id/repository': { who: 'case.repository.read' },
  'POST /api/v1/cases/:id/repository/seed': { who: 'case.fix.manage' },
  'GET /api/v1/cases/:id/repository/patches/:branch': { who: 'case.repository.read' },
  'GET /api/v1/cases/:id/watchwords': { who: 'case.fix.manage' },
  'PUT /api/v1/cases/:id/watchwords': { who: 'case.fix.manage', body: () => ({ words: ['authz-word'] }) },
  'GET /api/v1/cases/:id/commit-check': { who: 'case.repository.push' },
  // git's smart HTTP protocol: outside /api/v1, it authenticates itself (401 with a Basic challenge).
  'GET /git/:repo/info/refs': [
    { who: 'case.repository.read', query: '?service=git-upload-pack' },
    { who: 'case.repository.push', query: '?service=git-receive-pack' },
  ],
  'POST /git/:repo/git-upload-pack': { who: 'case.repository.read' },
  'POST /git/:repo/git-receive-pack': { who: 'case.repository.push' },

  [`GET ${templates}`]: { who: 'project.read' },
  [`PUT ${templates}/:name`]: {
    who: 'advisory.templates.edit',
    body: () => ({ source: DEFAULT_TEMPLATES.announcement }),
  },
  [`DELETE ${templates}/:name`]: { who: 'advisory.templates.edit' },
  [`POST ${templates}/:name/preview`]: {
    who: 'project.read',
    body: () => ({ source: DEFAULT_TEMPLATES.announcement }),
  },
  // CI on the fix: runners are the instance's (admins); the runner API is the runners' alone.
  'POST /api/v1/runners': { who: 'instance.runners.manage', body: () => ({ name: 'authz' }) },
  'GET /api/v1/runners': { who: 'instance.runners.manage' },
  // The mail queue (admins) and whether mail goes out: the admins and every project's team (the
  // banner is about the instance's mail, not about a project), nobody else.
  'GET /api/v1/admin/mail-queue': { who: 'instance.mail-queue.read' },
  'GET /api/v1/mail-status': { who: 'instance.mail-status.read', owner: ['teamA', 'teamB', 'admin'] },
  'DELETE /api/v1/runners/:runnerId': { who: 'instance.runners.manage' },
  'POST /api/v1/runner/claim': { who: 'ci.run.work' },
  'POST /api/v1/runner/runs/:runId/heartbeat': { who: 'ci.run.work', body: () => ({ attempt: 1 }) },
  'POST /api/v1/runner/runs/:runId/result': {
    who: 'ci.run.work',
    body: () => ({
      status: 'error',
      exitCode: null,
      timedOut: false,
      log: 'From the authorization test.',
      attempt: 1,
    }),
  },
  // Early disclosure of A's received case (not in the fix phase: the send answers 409, past the
  // access check) and tracing a leaked text (inconclusive: no copy was sent).
  'GET /api/v1/cases/:id/early-disclosure': { who: 'case.early-disclosure.read' },
  'POST /api/v1/cases/:id/early-disclosure': {
    who: 'case.early-disclosure.send',
    body: () => ({ releaseAt: '2026-12-08T16:00:00Z' }),
  },
  'POST /api/v1/cases/:id/leak-trace': {
    who: 'case.leak.trace',
    body: () => ({ text: 'A leaked text of the authorization test.' }),
  },
  // Publication at the agreed instant (issue 10): the case's publication, and the project's webhooks.
  'GET /api/v1/cases/:id/publication': { who: 'case.publication.read' },
  'POST /api/v1/cases/:id/publication/retry': { who: 'case.publication.manage' },
  'GET /api/v1/projects/:slug/webhooks': { who: 'project.webhooks.manage' },
  'POST /api/v1/projects/:slug/webhooks': {
    who: 'project.webhooks.manage',
    body: () => ({ url: 'https://hooks.example.org/authz-added', kind: 'json', label: 'Added by the test' }),
  },
  'PATCH /api/v1/projects/:slug/webhooks/:webhookId': {
    who: 'project.webhooks.manage',
    body: () => ({ events: ['advisory.published', 'case.received'] }),
  },
  'DELETE /api/v1/projects/:slug/webhooks/:webhookId': { who: 'project.webhooks.manage' },
  'GET /api/v1/projects/:slug/webhooks/:webhookId/deliveries': { who: 'project.webhooks.manage' },
  'GET /api/v1/cases/:id/ci': { who: 'case.repository.read' },
  // The distributors' portal: distributorA's organisation has A's accepted case shared with it.
  // The list answers any signed-in user, with only their own shared cases.
  'GET /api/v1/portal/cases': { who: 'signed-in' },
  'GET /api/v1/portal/cases/:id': { who: 'case.portal.read', reveals: (w) => [w.a.accepted.advisoryTitle] },
  'POST /api/v1/portal/cases/:id/acknowledge': { who: 'case.portal.respond' },
  'POST /api/v1/portal/cases/:id/feedback': {
    who: 'case.portal.respond',
    body: () => ({ body: 'Feedback of the authorization test.' }),
  },
  'GET /api/v1/cases/:id/portal-log': { who: 'case.read' },
  // The disclosure date of A's accepted case: the team proposes and decides, the parties answer.
  'GET /api/v1/cases/:id/disclosure-date': { who: 'case.disclosure-date.read' },
  'POST /api/v1/cases/:id/disclosure-date': [
    {
      who: 'case.disclosure-date.propose',
      body: () => ({ action: 'propose', at: '2026-12-01T15:00:00Z', timeZone: 'UTC' }),
    },
    // The world's proposal, answered (or, once a newer one replaced it, refused with 409).
    {
      who: 'case.disclosure-date.respond',
      body: (w) => ({ action: 'respond', proposalId: w.a.accepted.proposalId, answer: 'accept' }),
    },
    {
      who: 'case.disclosure-date.decide',
      body: () => ({ action: 'decide', at: '2026-12-01T15:00:00Z', timeZone: 'UTC' }),
    },
  ],
  // The reporter's link of A's received case: nothing to answer before acceptance (409).
  'GET /api/v1/reporter/cases/:token/disclosure-date': { who: 'public' },
  'POST /api/v1/reporter/cases/:token/disclosure-date': {
    who: 'public',
    body: () => ({ action: 'respond', proposalId: '0192f0e4-0000-7000-8000-000000000001', answer: 'accept' }),
  },
  'GET /api/v1/cases/:id/ci/runs/:runId/log': { who: 'case.repository.read', reveals: (w) => [w.ci.log] },

  // The distributors list (§7): applying is public; the vouch request is the asked person's alone;
  // the team runs the list; a person of the list accepts its embargo text and reports leaks.
  [`GET ${distributors}/apply`]: { who: 'public' },
  [`POST ${distributors}/applications`]: {
    who: 'public',
    body: (w) => ({
      orgName: `Applied by the authorization test ${(created += 1)}`,
      contactAlias: uniqueEmail('authz-alias'),
      applicantName: 'Authz Applicant',
      applicantEmail: uniqueEmail('authz-applicant'),
      answers: Array.from({ length: w.distributors.criteria }, () => 'Yes, as the authorization test.'),
      embargoHash: w.distributors.embargoHash,
      vouchEmail: w.distributors.vouchEmail,
    }),
  },
  'GET /api/v1/me/vouches': {
    who: 'distributors.vouch',
    owner: 'distributorA',
    list: true,
    reveals: (w) => [w.distributors.applicationId],
  },
  'GET /api/v1/me/vouches/:applicationId': {
    who: 'distributors.vouch',
    owner: 'distributorA',
    reveals: (w) => [w.distributors.applicationId],
  },
  'POST /api/v1/me/vouches/:applicationId': {
    who: 'distributors.vouch',
    owner: 'distributorA',
    body: () => ({ decision: 'vouch' }),
  },
  [`GET ${distributors}/applications`]: {
    who: 'distributors.read',
    reveals: (w) => [w.distributors.applicationId],
  },
  // Vouched by distributorA just before (the routes run in registration order): approved, then 409.
  [`POST ${distributors}/applications/:applicationId/approve`]: { who: 'distributors.manage' },
  [`POST ${distributors}/applications/:applicationId/refuse`]: {
    who: 'distributors.manage',
    body: () => REASON,
  },
  [`GET ${distributors}`]: { who: 'distributors.read', reveals: (w) => [w.distributors.victimOrgId] },
  [`POST ${distributors}/orgs`]: {
    who: 'distributors.manage',
    body: () => ({
      name: `Put on by the authorization test ${(created += 1)}`,
      contactAlias: 'sec@authz.example',
    }),
  },
  [`POST ${distributors}/orgs/:orgId/people`]: {
    who: 'distributors.manage',
    body: () => ({ name: 'Authz Person', email: uniqueEmail('authz-person') }),
  },
  [`DELETE ${distributors}/orgs/:orgId/people/:personId`]: { who: 'distributors.manage' },
  [`PUT ${distributors}/orgs/:orgId/people/:personId/pgp-key`]: {
    who: 'distributors.manage',
    body: () => ({ pgpPublicKey: null }),
  },
  [`POST ${distributors}/orgs/:orgId/state`]: {
    who: 'distributors.manage',
    body: () => ({ state: 'suspended', reason: 'Suspended by the authorization test.' }),
  },
  // No incidents: the policy's rule is not met (409, past the access check).
  [`POST ${distributors}/orgs/:orgId/removal-per-policy`]: {
    who: 'distributors.manage',
    body: () => ({ confirm: true, reason: 'Removed by the authorization test.' }),
  },
  [`POST ${distributors}/orgs/:orgId/reviews`]: {
    who: 'distributors.manage',
    body: () => ({ note: 'Reviewed by the authorization test.' }),
  },
  'GET /api/v1/me/distributors': {
    who: 'self.manage',
    owner: 'distributorA',
    list: true,
    reveals: (w) => [w.distributors.personId],
  },
  'POST /api/v1/me/distributors/:personId/accept': {
    who: 'self.manage',
    owner: 'distributorA',
    body: (w) => ({ embargoHash: w.distributors.embargoHash }),
  },
  [`POST ${distributors}/leaks`]: {
    who: 'distributors.leak.report',
    owner: ['teamA', 'distributorA'],
    body: () => LEAK,
  },
  [`GET ${distributors}/leaks`]: { who: 'distributors.read', reveals: (w) => [w.distributors.leakId] },
  [`POST ${distributors}/incidents`]: {
    who: 'distributors.manage',
    body: (w) => ({ orgId: w.distributors.victimOrgId, ...LEAK }),
  },
  [`POST ${distributors}/leaks/:leakId/dismiss`]: { who: 'distributors.manage' },
};

/** Routes that plugins register by themselves, public by where they live (outside /api/v1). */
export const PLUGIN_ROUTES: { what: string; matches(method: string, url: string): boolean }[] = [
  {
    what: 'the API documentation UI (@fastify/swagger-ui)',
    matches: (_method, url) => url === '/api/docs' || url.startsWith('/api/docs/'),
  },
  {
    what: "the built web UI's files (@fastify/static)",
    matches: (method, url) => {
      if (method !== 'GET' && method !== 'HEAD') return false;
      const file = join(repoRoot(), 'dist', 'web', url);
      return url !== '/' && existsSync(file) && statSync(file).isFile();
    },
  },
];

/** The values of one path (or query) parameter. */
export interface ParamValues {
  /** A's values, one per way of naming it: the first is what every caller uses; denied callers try them all. */
  real: string[];
  /** The same forms, naming nothing. `null`: not an identifier (a template name, a revision number). */
  fake: string[] | null;
  /** B's counterpart of a parent resource: A's child named under B's parent must be as absent as a fake one. */
  foreign?: string;
}

/** The ways to name a case (human id, uuid, its advisory's id), and a nonexistent twin of each. */
function caseRef(c: { id: string; humanId: string; advisoryId?: string }, foreign: string): ParamValues {
  const real = [c.humanId, c.id];
  const fake = [c.humanId.replace(/\d+$/, '9999'), randomUUID()];
  if (c.advisoryId) {
    real.push(c.advisoryId);
    fake.push(c.advisoryId.replace(/\d+$/, '9999'));
  }
  return { real, fake, foreign };
}

/** A WebAuthn response of the right shape whose challenge was never issued. */
function fakeCredential(kind: 'attestationObject' | 'assertion') {
  const id = randomBytes(32).toString('base64url');
  const clientDataJSON = Buffer.from(
    JSON.stringify({
      type: 'webauthn.get',
      challenge: randomBytes(32).toString('base64url'),
      origin: 'http://vigil.test',
    }),
  ).toString('base64url');
  const response =
    kind === 'attestationObject'
      ? { clientDataJSON, attestationObject: randomBytes(64).toString('base64url') }
      : {
          clientDataJSON,
          authenticatorData: randomBytes(37).toString('base64url'),
          signature: randomBytes(70).toString('base64url'),
        };
  return { id, rawId: id, type: 'public-key', clientExtensionResults: {}, response };
}

/** A reporter link token of the right shape that opens nothing. */
const fakeReporterToken = (): string => `vrt_${randomBytes(32).toString('base64url')}`;

/** Path and query parameters by name (`id` means a case, a user, a token or a CWE, by route). */
export const PARAMS: Record<string, (w: World, url: string) => ParamValues | undefined> = {
  slug: (w) => ({ real: [w.a.slug], fake: ['no-such-project'], foreign: w.b.slug }),
  id: (w, url) => {
    if (url.startsWith(advisory) || url.startsWith('/api/v1/cases/:id/repository')) {
      return caseRef(w.a.accepted, w.b.received.humanId);
    }
    if (/^\/api\/v1\/cases\/:id\/(fix-lead|members|disclosure-date|portal-log)/.test(url))
      return caseRef(w.a.accepted, w.b.received.humanId);
    if (url.startsWith('/api/v1/portal/cases/:id')) return caseRef(w.a.accepted, w.b.received.humanId);
    if (url.startsWith('/api/v1/cases/:id')) return caseRef(w.a.received, w.b.received.humanId);
    if (url.startsWith('/api/v1/users/:id')) return { real: [w.spare.id], fake: [randomUUID()] };
    if (url.startsWith('/api/v1/me/tokens/:id')) return { real: [w.victimTokenId], fake: [randomUUID()] };
    if (url.startsWith('/api/v1/me/passkeys/:id')) return { real: [w.victimPasskeyId], fake: [randomUUID()] };
    if (url.startsWith('/api/v1/cwe/:id')) return { real: ['CWE-79'], fake: null };
    return undefined;
  },
  // A fix repository by its case's human id or uuid, as git URLs name it.
  repo: (w) => ({
    real: [`${w.a.accepted.humanId}.git`, `${w.a.accepted.id}.git`],
    fake: [`${w.a.accepted.humanId.replace(/\d+$/, '9999')}.git`, `${randomUUID()}.git`],
  }),
  branch: () => ({ real: ['main'], fake: null }),
  attachmentId: (w) => ({ real: [w.a.received.attachmentId], fake: [randomUUID()] }),
  token: (w) => ({
    real: [w.a.received.reporterToken],
    fake: [fakeReporterToken()],
    foreign: w.b.received.reporterToken,
  }),
  userId: (w) => ({ real: [w.spare.id], fake: [randomUUID()] }),
  requestId: (w) => ({ real: [w.memberRequestId], fake: [randomUUID()] }),
  memberId: (w, url) =>
    url.startsWith('/api/v1/me/invitations/')
      ? { real: [w.a.accepted.engineerMemberId], fake: [randomUUID()] }
      : { real: [w.a.accepted.victimMemberId], fake: [randomUUID()] },
  runnerId: (w) => ({ real: [w.ci.victimRunnerId], fake: [randomUUID()] }),
  webhookId: (w) => ({ real: [w.a.webhookId], fake: [randomUUID()] }),
  runId: (w, url) => {
    const real = url.endsWith('/heartbeat')
      ? w.ci.heartbeatRunId
      : url.endsWith('/result')
        ? w.ci.resultRunId
        : w.ci.logRunId;
    return { real: [real], fake: [randomUUID()] };
  },
  applicationId: (w) => ({ real: [w.distributors.applicationId], fake: [randomUUID()] }),
  orgId: (w) => ({ real: [w.distributors.victimOrgId], fake: [randomUUID()] }),
  personId: (w, url) =>
    url.startsWith('/api/v1/me/distributors/')
      ? { real: [w.distributors.personId], fake: [randomUUID()] }
      : { real: [w.distributors.victimPersonId], fake: [randomUUID()] },
  leakId: (w) => ({ real: [w.distributors.leakId], fake: [randomUUID()] }),
  version: () => ({ real: ['1'], fake: null }),
  line: () => ({ real: ['1.28'], fake: null }),
  n: () => ({ real: ['1'], fake: null }),
  name: () => ({ real: ['announcement'], fake: null }),
  // A's draft on the public site: 404 to everyone (HTML for the page), checked against a
  // nonexistent id by public-site.api.test.ts and public-canary.api.test.ts.
  advisoryId: (w) => ({ real: [w.a.accepted.advisoryId], fake: null }),
  ecosystem: () => ({ real: ['Go'], fake: null }),
  '*': () => ({ real: ['index.html'], fake: null }),
};
