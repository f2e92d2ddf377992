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
    };
  };
  /** B's accepted case is the one B's Fix Team engineer was invited to. */
  b: WorldProject & { accepted: WorldCase };
  /** A second member of A's team: the user of the user and member routes (never a caller). */
  spare: { id: string; email: string };
  /** An API token of A's member, not used to call: the one `DELETE /me/tokens/:id` names. */
  victimTokenId: string;
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
 *   is that member's alone.
 * - `list`: any signed-in user gets 200, but A's rows (`reveals`) only who may `who` on A.
 */
export interface Probe {
  who: 'public' | 'signed-in' | Action;
  /** `true`: A's team member's own; a caller's name: that caller's own (an invitation, say). */
  owner?: true | 'engineerA';
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
  'GET /.well-known/security.txt': { who: 'public' },
  'GET /security.txt': { who: 'public' },
  'GET /p/:slug/security.txt': { who: 'public' },
  'GET /p/:slug/SECURITY.md': { who: 'public' },
  'GET /p/:slug/pgp-key.asc': { who: 'public' },

  // Accounts: signing in is public; the rest acts on the caller's own account, or is an admin's.
  'POST /api/v1/auth/sign-in': {
    who: 'public',
    body: () => ({ email: 'nobody@example.org', password: 'not the password' }),
  },
  'POST /api/v1/auth/sign-in-link': {
    who: 'public',
    body: () => ({ token: `sil_${randomBytes(32).toString('base64url')}`, password: PASSWORD }),
  },
  'GET /api/v1/auth/session': { who: 'signed-in', session: true },
  'POST /api/v1/auth/sign-out': { who: 'public' },
  'POST /api/v1/auth/sign-out-everywhere': { who: 'self.manage' },
  'GET /api/v1/me': { who: 'signed-in' },
  'PUT /api/v1/me/availability': {
    who: 'self.manage',
    body: () => ({ unavailableFrom: null, unavailableUntil: null }),
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
  'GET /api/v1/me/tokens': { who: 'self.manage', owner: true, list: true, reveals: (w) => [w.victimTokenId] },
  'POST /api/v1/me/tokens': { who: 'self.manage', body: () => ({ name: 'authz', expiresInDays: 1 }) },
  'DELETE /api/v1/me/tokens/:id': { who: 'self.manage', owner: true },
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
    who: 'project.members.manage',
    body: (w) => ({ email: w.spare.email, role: 'security-team' }),
  },
  'DELETE /api/v1/projects/:slug/members/:userId': {
    who: 'project.members.manage',
    query: '?role=security-team',
  },
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
  'POST /api/v1/cases/:id/messages': {
    who: 'case.message',
    body: () => ({ body: 'An internal note of the authorization test.', internal: true }),
  },
  'POST /api/v1/cases/:id/transitions': {
    who: 'case.triage',
    body: () => ({ to: 'accepted' }),
    foreignBody: { param: 'id', body: (ref) => ({ to: 'duplicate', duplicateOf: ref }) },
  },
  'PUT /api/v1/cases/:id/publicly-known': { who: 'case.triage', body: () => ({ publiclyKnown: false }) },
  'GET /api/v1/cases/:id/attachments/:attachmentId': {
    who: 'case.read',
    reveals: (w) => [w.a.received.attachmentText],
  },
  'GET /api/v1/cases/:id/public-issue': { who: 'case.read', reveals: (w) => [w.a.received.report] },
  'GET /api/v1/projects/:slug/metrics/response': { who: 'project.metrics.read' },

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
  // Publication at the agreed instant (issue 10): the case's publication, and the project's webhooks.
  'GET /api/v1/cases/:id/publication': { who: 'case.publication.read' },
  'POST /api/v1/cases/:id/publication/retry': { who: 'case.publication.manage' },
  'GET /api/v1/projects/:slug/webhooks': { who: 'project.webhooks.manage' },
  'POST /api/v1/projects/:slug/webhooks': {
    who: 'project.webhooks.manage',
    body: () => ({ url: 'https://hooks.example.org/authz-added', kind: 'json', label: 'Added by the test' }),
  },
  'DELETE /api/v1/projects/:slug/webhooks/:webhookId': { who: 'project.webhooks.manage' },
  'GET /api/v1/projects/:slug/webhooks/:webhookId/deliveries': { who: 'project.webhooks.manage' },
  'GET /api/v1/cases/:id/ci': { who: 'case.repository.read' },
  'GET /api/v1/cases/:id/ci/runs/:runId/log': { who: 'case.repository.read', reveals: (w) => [w.ci.log] },
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

/** A reporter link token of the right shape that opens nothing. */
const fakeReporterToken = (): string => `vrt_${randomBytes(32).toString('base64url')}`;

/** Path and query parameters by name (`id` means a case, a user, a token or a CWE, by route). */
export const PARAMS: Record<string, (w: World, url: string) => ParamValues | undefined> = {
  slug: (w) => ({ real: [w.a.slug], fake: ['no-such-project'], foreign: w.b.slug }),
  id: (w, url) => {
    if (url.startsWith(advisory) || url.startsWith('/api/v1/cases/:id/repository')) {
      return caseRef(w.a.accepted, w.b.received.humanId);
    }
    if (/^\/api\/v1\/cases\/:id\/(fix-lead|members)/.test(url))
      return caseRef(w.a.accepted, w.b.received.humanId);
    if (url.startsWith('/api/v1/cases/:id')) return caseRef(w.a.received, w.b.received.humanId);
    if (url.startsWith('/api/v1/users/:id')) return { real: [w.spare.id], fake: [randomUUID()] };
    if (url.startsWith('/api/v1/me/tokens/:id')) return { real: [w.victimTokenId], fake: [randomUUID()] };
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
  version: () => ({ real: ['1'], fake: null }),
  line: () => ({ real: ['1.28'], fake: null }),
  n: () => ({ real: ['1'], fake: null }),
  name: () => ({ real: ['announcement'], fake: null }),
  '*': () => ({ real: ['index.html'], fake: null }),
};
