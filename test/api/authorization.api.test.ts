/**
 * The route-wide authorization test. Every route the app registers is collected while the app is
 * built (an `onRoute` hook installed through Fastify's `fastify.initialization` diagnostics
 * channel), so a route added tomorrow is called here, or fails the suite until it has a row in
 * authorization.table.ts. Every route is called by every kind of caller (anonymous, a revoked token,
 * a signed-in user on no team, project B's team, an instance admin on no team, project A's team, a
 * Fix Team engineer invited to A's accepted case and one invited to B's) with project A's real ids,
 * and (for a route naming a case, the policy table is asked about that case):
 * - anonymous on a private route gets 401; a revoked token gets 401 everywhere;
 * - a caller the policy table denies gets 404, the same problem+json as for a nonexistent id (every
 *   way of naming the resource is tried, and an invalid body too), and the database is unchanged;
 * - A's child resource under B's parent (A's attachment under B's case), and A's case named in a
 *   body about B's, answer as a nonexistent one;
 * - whoever the table allows gets neither 400, 401, 403 nor 404: the control that proves the calls
 *   reach the resource;
 * - nobody but A's team (or the holder of the reporter's link) sees A's confidential strings (case
 *   subject and report, reporter email, attachment, advisory title), but for an engineer the member
 *   view of the one case they were invited to (its subject, report, advisory), and nobody but A's team, not
 *   even the reporter, what is the team's alone (team notes, internal notes); the same for B;
 * - nobody gets a 403 or a 5xx.
 * The operator (the CLI's principal) has no HTTP credential: here it only builds the world.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ANONYMOUS, can, type Principal } from '../../src/authz/authz.policy.js';
import type { Db } from '../../src/db/connection.js';
import { findUserById } from '../../src/modules/accounts/accounts.repo.js';
import { startSession } from '../../src/modules/accounts/sessions.service.js';
import { DEFAULT_TEMPLATES } from '../../src/modules/advisory/render/render-advisory.js';
import { queueRunsForPush } from '../../src/modules/fix/ci/ci-queue.steps.js';
import { getPresetYaml } from '../../src/modules/policy/policy.presets.js';
import { projectContextBySlug } from '../../src/modules/cases/case-context.js';
import { distributorEmbargoHash } from '../../src/modules/embargo/portal/portal-access.js';
import { createUser, OPERATOR, uniqueEmail, type TestApp, seedTeamMember } from '../support/app.js';
import { describeEachDb } from '../support/db.js';
import { insertDistributorOrg, insertDistributorPerson } from '../support/distributors.js';
import { buildCollecting, isPublicRoute, type RegisteredRoute } from '../support/routes.js';
import {
  classOf,
  PARAMS,
  PLUGIN_ROUTES,
  ROUTES,
  type ParamValues,
  type Probe,
  type World,
  type WorldCase,
} from './authorization.table.js';

const routeKey = (r: { method: string; url: string }) => `${r.method} ${r.url}`;

/** The probes of a route: its row, its GET's row for a HEAD, or a plugin's public rule. */
function probesOf(r: RegisteredRoute): Probe[] | undefined {
  const row = ROUTES[routeKey(r)] ?? (r.method === 'HEAD' ? ROUTES[`GET ${r.url}`] : undefined);
  if (row) return [row].flat();
  if (PLUGIN_ROUTES.some((p) => p.matches(r.method, r.url))) return [{ who: 'public' }];
  return undefined;
}

const PATH_PARAM = /:([A-Za-z0-9_]+)|\*/g;
const QUERY_PARAM = /\{([A-Za-z0-9_]+)\}/g;

/** Names of the path parameters of `url` and of the `{placeholders}` of `query`. */
function paramNames(url: string, query = ''): string[] {
  const inPath = [...url.matchAll(PATH_PARAM)].map((m) => m[1] ?? '*');
  const inQuery = [...query.matchAll(QUERY_PARAM)].map((m) => m[1] ?? '');
  return [...new Set([...inPath, ...inQuery])];
}

type How = 'real' | 'fake' | 'foreign';

/** A route with its parameters resolved: URLs naming A's resource, nothing, or B's parent. */
function targetOf(route: RegisteredRoute, probe: Probe, w: World) {
  const names = paramNames(route.url, probe.query);
  const values = new Map<string, ParamValues>();
  for (const n of names) {
    const v = (probe.params?.[n] ?? PARAMS[n])?.(w, route.url);
    if (!v) return undefined;
    values.set(n, v);
  }
  const identifiers = names.filter((n) => values.get(n)?.fake);
  const parent = names.find((n) => values.get(n)?.foreign);
  const at = (list: readonly string[], i: number) => list[Math.min(i, list.length - 1)] ?? '';
  const valueOf = (n: string, how: How, i: number) => {
    const v = values.get(n) ?? { real: [], fake: null };
    if (how === 'fake' && v.fake) return at(v.fake, i);
    if (how === 'foreign' && v.foreign) return v.foreign;
    return at(v.real, i);
  };
  /** The URL with each parameter named `how` (the parent alone may be named differently). */
  const url = (how: How, i = 0, parentHow: How = how) => {
    const fill = (n: string) => encodeURIComponent(valueOf(n, n === parent ? parentHow : how, i));
    const path = route.url.replace(PATH_PARAM, (_m, n: string | undefined) => fill(n ?? '*'));
    return path + (probe.query ?? '').replace(QUERY_PARAM, (_m, n: string) => fill(n));
  };
  /** [value, parameter name] of the identifiers among `only`, to tell answers apart by them alone. */
  const idsOf = (how: 'real' | 'fake', i = 0, only = identifiers): [string, string][] =>
    only.map((n) => [encodeURIComponent(valueOf(n, how, i)), n]);
  // A HEAD route runs its GET's handler: one way of naming the resource is enough there.
  const variants =
    route.method === 'HEAD' ? 1 : Math.max(1, ...[...values.values()].map((v) => v.real.length));
  return { values, identifiers, parent, at, url, idsOf, variants };
}

/** The answer with each identifier replaced by its parameter's name. */
function normalized(res: LightMyRequestResponse, ids: [string, string][]) {
  let body = res.body;
  for (const [value, name] of [...ids].sort((x, y) => y[0].length - x[0].length)) {
    body = body.split(value).join(`<${name}>`);
  }
  return JSON.stringify({ status: res.statusCode, type: res.headers['content-type'], body });
}

const problemCode = (res: LightMyRequestResponse) =>
  res.body ? ((res.json() as { code?: string }).code ?? '') : '';

const CALLERS = [
  'anonymous',
  'revoked',
  'outsider',
  'teamB',
  'admin',
  'teamA',
  // A Fix Team engineer invited to A's accepted case (terms accepted), and one of B's accepted case.
  'engineerA',
  'engineerB',
  'runner',
  // A distributors-list person of A's list (embargo accepted) with A's accepted case shared with
  // their organisation, and one of B's list with B's accepted case.
  'distributorA',
  'distributorB',
] as const;
interface Caller {
  name: (typeof CALLERS)[number];
  token?: string;
  email?: string;
  principal: Principal;
  /** Confidential strings of one case this caller was invited to: theirs to see (the member view). */
  entitled?: string[];
}

/** The case a route names by its `id` (a case route), as the policy table's resource: its uuid. */
function caseNamed(url: string, values: Map<string, ParamValues>): string | undefined {
  if (url.startsWith('/api/v1/cases/:id') || url.startsWith('/api/v1/portal/cases/:id'))
    return values.get('id')?.real[1];
  // A fix repository's git URL names its case: `<human id>.git` or `<uuid>.git`.
  if (url.startsWith('/git/:repo')) return values.get('repo')?.real[1]?.replace(/\.git$/, '');
  return undefined;
}

/** Tables whose row counts (with the audit log and the last updates) a denied call must not change. */
const WATCHED_TABLES = [
  'users',
  'case_members',
  'sessions',
  'sign_in_links',
  'projects',
  'project_policies',
  'project_members',
  'jobs',
  'cases',
  'case_messages',
  'case_attachments',
  'project_keys',
  'advisories',
  'advisory_revisions',
  'advisory_templates',
  'runners',
  'ci_runs',
  'distributor_orgs',
  'distributor_people',
  'distributor_applications',
  'distributor_leak_reports',
  'distributor_incidents',
  'distributor_reviews',
  'webhooks',
  'case_publications',
];

/** The audit log's size, and the rest of what a denied call must leave as it was. */
async function snapshot(db: Db): Promise<{ audit: string; rest: string }> {
  const counts = WATCHED_TABLES.map(
    (table) => sql`(select count(*) from ${sql.table(table)}) as ${sql.ref(table)}`,
  );
  const { rows } = await sql<Record<string, unknown>>`select
    (select count(*) from audit_events) as audit_events,
    ${sql.join(counts)},
    (select count(*) from api_tokens where revoked_at is null) as live_tokens,
    (select max(updated_at) from users) as users_updated,
    (select max(updated_at) from projects) as projects_updated,
    (select max(updated_at) from cases) as cases_updated,
    (select max(updated_at) from advisories) as advisories_updated`.execute(db.kysely);
  const row = rows[0] ?? {};
  const rest = Object.entries(row).map(([k, v]) => [k, v === null ? null : String(v)]);
  return { audit: String(row.audit_events), rest: JSON.stringify(rest) };
}

describeEachDb('authorization of every route', (get, dialect) => {
  let t: TestApp;
  let routes: RegisteredRoute[];
  let w: World;
  let callers: Caller[];

  let address = 0;
  /** Every request from its own client address, so that no per-address rate limit answers instead. */
  const inject = (method: string, url: string, headers: Record<string, string>, body?: unknown) => {
    address += 1;
    return t.app.inject({
      method: method as 'GET',
      url,
      headers,
      remoteAddress: `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}`,
      ...(body !== undefined && { payload: body as object }),
    });
  };
  const as =
    (token = '') =>
    (method: string, url: string, body?: unknown) =>
      inject(method, url, token ? { authorization: `Bearer ${token}` } : {}, body);
  const ok = async (res: Promise<LightMyRequestResponse>, status = 200) => {
    const r = await res;
    expect(r.statusCode, r.body).toBe(status);
    return (r.body ? r.json() : {}) as Record<string, unknown>;
  };

  /** Files a report through the public API, with the project's confidential strings in it. */
  async function file(slug: string, tag: string, what: string, attachmentText?: string): Promise<WorldCase> {
    const c = {
      subject: `${what} ${tag} subject`,
      report: `${what} ${tag} report`,
      reporterEmail: `${what}-${tag}@example.org`,
    };
    const filed = await ok(
      as()('POST', `/api/v1/projects/${slug}/reports`, {
        subject: c.subject,
        reproduction: c.report,
        reporter: { name: 'Ada', email: c.reporterEmail },
        attachments: attachmentText
          ? [{ filename: `${tag}.txt`, contentBase64: Buffer.from(attachmentText).toString('base64') }]
          : [],
      }),
      201,
    );
    // The intake answer carries the reporter's private link: /r/<token>.
    const reporterToken = String(filed.reporterLink).split('/r/')[1] ?? '';
    return { ...c, id: String(filed.id), humanId: String(filed.humanId), reporterToken };
  }

  /**
   * An API token for a user, and the principal it resolves to: as made from a two-factor session
   * (A's member has a passkey; what one factor may not do is the two-factor tests' subject).
   */
  async function tokenFor(userId: string, name = 'authz') {
    const created = await t.services.apiTokens.createApiToken(OPERATOR, { userId, name, expiresInDays: 90 });
    await t.db.kysely.updateTable('api_tokens').set({ factors: 2 }).where('id', '=', created.id).execute();
    const principal = await t.services.apiTokens.resolveApiToken(created.token);
    if (!principal) throw new Error('a fresh token does not resolve');
    return { token: created.token, id: created.id, principal };
  }

  /** Projects A and B with their teams, and the callers. */
  async function buildTeams() {
    const policyYaml = getPresetYaml('contour');
    await t.services.projects.createProject(OPERATOR, { slug: 'authz-alpha', name: 'Alpha', policyYaml });
    await t.services.projects.createProject(OPERATOR, {
      slug: 'authz-bravo',
      name: 'Bravo',
      preset: 'emissary',
    });
    const [memberA, memberB, admin, outsider, spare] = await Promise.all([
      createUser(t),
      createUser(t),
      createUser(t, { isAdmin: true }),
      createUser(t),
      createUser(t),
    ]);
    for (const [slug, user] of [
      ['authz-alpha', memberA],
      ['authz-alpha', spare],
      ['authz-bravo', memberB],
    ] as const) {
      await seedTeamMember(t.db, slug, user.email);
    }
    const teamA = await tokenFor(memberA.id);
    const revoked = await tokenFor(memberA.id, 'revoked');
    await t.services.apiTokens.revokeApiToken(teamA.principal, revoked.id);
    callers = [
      { name: 'anonymous', principal: ANONYMOUS },
      { name: 'revoked', token: revoked.token, principal: ANONYMOUS },
      { name: 'outsider', email: outsider.email, ...(await tokenFor(outsider.id)) },
      { name: 'teamB', email: memberB.email, ...(await tokenFor(memberB.id)) },
      { name: 'admin', email: admin.email, ...(await tokenFor(admin.id)) },
      { name: 'teamA', email: memberA.email, ...teamA },
    ];
    const victim = await tokenFor(memberA.id, 'named by DELETE /me/tokens/:id');
    // A passkey of A's member (its key is never used: the DELETE route names it).
    const victimPasskeyId = randomUUID();
    await get()
      .db.kysely.insertInto('passkeys')
      .values({
        id: victimPasskeyId,
        user_id: memberA.id,
        credential_id: randomBytes(16).toString('base64url'),
        public_key: randomBytes(16).toString('base64url'),
        counter: 0,
        transports_json: '[]',
        device_type: 'singleDevice',
        backed_up: 0,
        name: 'named by DELETE /me/passkeys/:id',
        created_at: new Date().toISOString(),
        last_used_at: null,
      })
      .execute();
    // An admin's request to add someone to A's team (which has members): pending, for a member to decide.
    const joiner = await createUser(t);
    const adminCaller = callers.find((c) => c.name === 'admin');
    if (!adminCaller) throw new Error('no admin caller');
    const asked = await t.services.projects.addMember(adminCaller.principal, 'authz-alpha', {
      email: joiner.email,
      role: 'security-team',
    });
    if (!asked.requestId) throw new Error(`the admin's addition was not a request: ${asked.status}`);
    return {
      policyYaml,
      spare,
      victimTokenId: victim.id,
      victimPasskeyId,
      memberRequestId: asked.requestId,
    };
  }

  /**
   * A Fix Team engineer invited by `team` to `c`, who accepted the embargo terms; a caller from then
   * on, entitled to `entitled` (the member view of that one case). Their membership's id.
   */
  async function addEngineer(
    name: 'engineerA' | 'engineerB',
    team: ReturnType<typeof as>,
    c: WorldCase,
    entitled: string[],
  ): Promise<string> {
    const user = await createUser(t);
    const invited = await ok(
      team('POST', `/api/v1/cases/${c.humanId}/members`, { email: user.email, role: 'fix-team' }),
      201,
    );
    const memberId = String(invited.memberId);
    const engineer = await tokenFor(user.id, 'engineer');
    const { invitations } = (await ok(as(engineer.token)('GET', '/api/v1/me/invitations'))) as {
      invitations: { memberId: string; terms: { hash: string } }[];
    };
    const termsHash = invitations.find((i) => i.memberId === memberId)?.terms.hash;
    await ok(as(engineer.token)('POST', `/api/v1/me/invitations/${memberId}/accept`, { termsHash }));
    // The principal as the next request resolves it: with the case role.
    callers.push({ name, email: user.email, entitled, ...(await tokenFor(user.id, 'engineer')) });
    return memberId;
  }

  /**
   * A person of an active organisation on `slug`'s distributors list who accepted the embargo text,
   * with `c` shared with the organisation (as an early disclosure does); a caller from then on,
   * entitled to `entitled` (the portal's view of that one case). The organisation's id.
   */
  async function addDistributor(
    name: 'distributorA' | 'distributorB',
    slug: string,
    c: WorldCase,
    entitled: string[],
  ): Promise<{ orgId: string; personId: string; email: string }> {
    const k = get().db.kysely;
    const user = await createUser(t);
    const project = await k
      .selectFrom('projects')
      .select('id')
      .where('slug', '=', slug)
      .executeTakeFirstOrThrow();
    const now = new Date().toISOString();
    const orgId = await insertDistributorOrg(k, {
      projectId: project.id,
      name: `${name} distribution`,
      contactAlias: uniqueEmail(`${name}-security`),
      now,
    });
    const personId = await insertDistributorPerson(k, {
      orgId,
      projectId: project.id,
      userId: user.id,
      name,
      now,
      // The project's current embargo text: the portal opens to nobody whose acceptance is older.
      embargoHash: distributorEmbargoHash((await projectContextBySlug(k, slug)).policy) ?? 'a'.repeat(64),
    });
    await k
      .insertInto('case_distributor_shares')
      .values({ case_id: c.id, org_id: orgId, shared_at: now, shared_by_user_id: null })
      .execute();
    callers.push({ name, email: user.email, entitled, ...(await tokenFor(user.id, 'distributor')) });
    return { orgId, personId, email: user.email };
  }

  /**
   * A's distributors list beyond distributorA: an application asking distributorA to vouch, an
   * organisation with a person that are no callers, a leak report; and the embargo text's hash.
   */
  async function buildDistributors(
    teamA: ReturnType<typeof as>,
    distributorA: { personId: string; email: string },
  ): Promise<World['distributors']> {
    const apply = (await ok(as()('GET', '/api/v1/projects/authz-alpha/distributors/apply'))) as {
      criteria: string[];
      embargo: { hash: string };
    };
    const applied = await ok(
      as()('POST', '/api/v1/projects/authz-alpha/distributors/applications', {
        orgName: 'Applied in the world',
        contactAlias: uniqueEmail('authz-world-alias'),
        applicantName: 'World Applicant',
        applicantEmail: uniqueEmail('authz-world-applicant'),
        answers: apply.criteria.map(() => 'Yes.'),
        embargoHash: apply.embargo.hash,
        vouchEmail: distributorA.email,
      }),
      201,
    );
    const base = '/api/v1/projects/authz-alpha/distributors';
    const org = await ok(
      teamA('POST', `${base}/orgs`, {
        name: 'Victim of the authorization test',
        contactAlias: 'v@authz.example',
      }),
      201,
    );
    const person = await ok(
      teamA('POST', `${base}/orgs/${String(org.orgId)}/people`, {
        name: 'Victim',
        email: uniqueEmail('victim'),
      }),
      201,
    );
    const leak = await ok(
      teamA('POST', `${base}/leaks`, { what: 'A leak of the world', toWhom: 'Nobody', when: 'Today' }),
      201,
    );
    return {
      embargoHash: apply.embargo.hash,
      criteria: apply.criteria.length,
      personId: distributorA.personId,
      vouchEmail: distributorA.email,
      applicationId: String(applied.applicationId),
      victimOrgId: String(org.orgId),
      victimPersonId: String(person.personId),
      leakId: String(leak.leakReportId),
    };
  }

  /** The world: teams, cases, A's advisory draft, notes, key and template. */
  async function buildWorld(): Promise<World> {
    const { policyYaml, spare, victimTokenId, victimPasskeyId, memberRequestId } = await buildTeams();
    const teamA = as(callers.find((c) => c.name === 'teamA')?.token);
    const teamB = as(callers.find((c) => c.name === 'teamB')?.token);
    const [tagA, tagB, teamTagA, teamTagB] = [1, 2, 3, 4].map(
      () => `zq${randomBytes(6).toString('hex')}`,
    ) as [string, string, string, string];
    const attachmentOf = async (team: typeof teamA, humanId: string) =>
      ((await ok(team('GET', `/api/v1/cases/${humanId}`))).attachments as { id: string }[])[0]?.id ?? '';

    const receivedA = await file('authz-alpha', tagA, 'received', `attachment ${tagA} bytes`);
    const acceptedA = await file('authz-alpha', tagA, 'accepted');
    const receivedB = await file('authz-bravo', tagB, 'received', `attachment ${tagB} bytes`);
    await ok(teamA('POST', `/api/v1/cases/${acceptedA.humanId}/transitions`, { to: 'accepted' }));
    const draft = await ok(teamA('POST', `/api/v1/cases/${acceptedA.humanId}/advisory`), 201);
    const advisoryTitle = `advisory ${tagA} title`;
    const document = { ...(draft.document as object), title: advisoryTitle };
    await ok(teamA('PUT', `/api/v1/cases/${acceptedA.humanId}/advisory`, { document, baseRevision: 1 }));
    await ok(teamA('PUT', '/api/v1/projects/authz-alpha/team-notes', { notes: `notes ${teamTagA}` }), 204);
    await ok(teamB('PUT', '/api/v1/projects/authz-bravo/team-notes', { notes: `notes ${teamTagB}` }), 204);
    const internal = (tag: string) => ({ body: `internal ${tag} note`, internal: true });
    await ok(teamA('POST', `/api/v1/cases/${receivedA.humanId}/messages`, internal(teamTagA)), 201);
    await ok(teamB('POST', `/api/v1/cases/${receivedB.humanId}/messages`, internal(teamTagB)), 201);
    const hook = await ok(
      teamA('POST', '/api/v1/projects/authz-alpha/webhooks', {
        url: 'https://hooks.example.org/authz-world',
        kind: 'slack',
        label: "The world's webhook",
      }),
      201,
    );
    const template = { source: DEFAULT_TEMPLATES.announcement };
    await ok(teamA('PUT', '/api/v1/projects/authz-alpha/advisory-templates/announcement', template));

    const acceptedB = await file('authz-bravo', tagB, 'accepted');
    await ok(teamB('POST', `/api/v1/cases/${acceptedB.humanId}/transitions`, { to: 'accepted' }));
    const engineerMemberId = await addEngineer('engineerA', teamA, acceptedA, [
      acceptedA.subject,
      acceptedA.report,
      advisoryTitle,
    ]);
    await addEngineer('engineerB', teamB, acceptedB, [acceptedB.subject, acceptedB.report]);
    const distributorA = await addDistributor('distributorA', 'authz-alpha', acceptedA, [advisoryTitle]);
    const distributorOrgId = distributorA.orgId;
    await addDistributor('distributorB', 'authz-bravo', acceptedB, []);
    const proposed = await ok(
      teamA('POST', `/api/v1/cases/${acceptedA.humanId}/disclosure-date`, {
        action: 'propose',
        at: '2026-12-01T15:00:00Z',
        timeZone: 'UTC',
      }),
    );
    const proposalId = String((proposed.proposals as { id: string }[])[0]?.id);
    const victim = await ok(
      teamA('POST', `/api/v1/cases/${acceptedA.humanId}/members`, {
        email: uniqueEmail('authz-victim'),
        role: 'fix-team',
      }),
      201,
    );

    const published = await t.services.pgp.getPublicKey('authz-alpha');
    const encryptedReport = await openpgp.encrypt({
      message: await openpgp.createMessage({
        text: JSON.stringify({ subject: 'Encrypted by the authorization test', reproduction: 'Steps.' }),
      }),
      encryptionKeys: await openpgp.readKey({ armoredKey: published.armored }),
    });
    const importKey = await openpgp.generateKey({
      type: 'ecc',
      curve: 'curve25519Legacy',
      userIDs: [{ name: 'Imported by the authorization test', email: 'authz@example.org' }],
      format: 'armored',
    });
    const idOf = async (slug: string) =>
      (
        await get()
          .db.kysely.selectFrom('projects')
          .select('id')
          .where('slug', '=', slug)
          .executeTakeFirstOrThrow()
      ).id;
    return {
      a: {
        id: await idOf('authz-alpha'),
        slug: 'authz-alpha',
        tag: tagA,
        teamTag: teamTagA,
        notes: `notes ${teamTagA}`,
        webhookId: String(hook.id),
        received: {
          ...receivedA,
          attachmentId: await attachmentOf(teamA, receivedA.humanId),
          attachmentText: `attachment ${tagA} bytes`,
          internalNote: `internal ${teamTagA} note`,
        },
        accepted: {
          ...acceptedA,
          advisoryId: String(draft.advisoryId),
          advisoryTitle,
          document,
          revision: 2,
          engineerMemberId,
          distributorOrgId,
          proposalId,
          victimMemberId: String(victim.memberId),
        },
      },
      b: {
        id: await idOf('authz-bravo'),
        slug: 'authz-bravo',
        tag: tagB,
        teamTag: teamTagB,
        notes: `notes ${teamTagB}`,
        received: {
          ...receivedB,
          attachmentId: await attachmentOf(teamB, receivedB.humanId),
          attachmentText: `attachment ${tagB} bytes`,
          internalNote: `internal ${teamTagB} note`,
        },
        accepted: acceptedB,
      },
      spare: { id: spare.id, email: spare.email },
      memberRequestId,
      distributors: await buildDistributors(teamA, distributorA),
      victimTokenId,
      victimPasskeyId,
      policyYaml,
      encryptedReport,
      importKey: importKey.privateKey,
      ci: await buildCi(policyYaml, { id: receivedA.id, project_id: await idOf('authz-alpha') }),
    };
  }

  /** The world's runner (a caller), a runner to revoke, and runs on A's received case. */
  async function buildCi(policyYaml: string, c: { id: string; project_id: string }): Promise<World['ci']> {
    const registered = await t.services.runners.registerRunner(OPERATOR, { name: 'authz' });
    const principal = await t.services.runners.resolveRunnerToken(registered.token);
    if (!principal) throw new Error('a fresh runner token does not resolve');
    callers.push({ name: 'runner', token: registered.token, principal });
    const victim = await t.services.runners.registerRunner(OPERATOR, {
      name: 'named by DELETE /runners/:id',
    });
    const yaml = policyYaml.replace('testCommand: null', 'testCommand: make test');
    await t.services.projects.updatePolicy(OPERATOR, 'authz-alpha', { yaml });
    const heads = ['heartbeat', 'result', 'log'].map((branch, i) => ({
      branch,
      commit: String(i).repeat(40),
    }));
    const system = { type: 'system', id: 'authz' } as const;
    await get()
      .db.kysely.transaction()
      .execute((trx) => queueRunsForPush(trx, t.clock, c, heads, system));
    const runner = as(registered.token);
    const claimed: string[] = [];
    for (let i = 0; i < heads.length; i++) {
      claimed.push(((await ok(runner('POST', '/api/v1/runner/claim'))).run as { id: string }).id);
    }
    const [heartbeatRunId, resultRunId, logRunId] = claimed;
    const log = `CI log of the authorization test ${randomBytes(4).toString('hex')}`;
    const body = { status: 'failed', exitCode: 1, timedOut: false, log, attempt: 1 };
    await ok(runner('POST', `/api/v1/runner/runs/${logRunId}/result`, body));
    return {
      heartbeatRunId: heartbeatRunId ?? '',
      resultRunId: resultRunId ?? '',
      logRunId: logRunId ?? '',
      log,
      victimRunnerId: victim.id,
    };
  }

  beforeAll(async () => {
    ({ t, routes } = await buildCollecting(get().db));
    w = await buildWorld();
  });
  afterAll(async () => {
    await t.app.close();
  });

  it('classifies every registered route, consistently with its config and the policy table', () => {
    expect(routes.length).toBeGreaterThan(60);
    const unclassified = routes.filter((r) => !probesOf(r)).map(routeKey);
    expect(unclassified, 'routes without a row in test/api/authorization.table.ts').toEqual([]);
    const registered = new Set(routes.map(routeKey));
    expect(
      Object.keys(ROUTES).filter((k) => !registered.has(k)),
      'rows of routes that no longer exist',
    ).toEqual([]);
    // Public by its config, or by living outside /api/v1 (where the auth plugin asks nothing), but
    // for git's protocol under /git/, which authenticates itself (git-http.routes.ts).
    const mismatched = routes.filter((r) => {
      return (probesOf(r) ?? []).some((p) => (classOf(p) === 'public') !== isPublicRoute(r));
    });
    expect(mismatched.map(routeKey), 'public in the table but not in the config, or the reverse').toEqual([]);
    const unfillable = routes.flatMap((r) =>
      (probesOf(r) ?? []).filter((p) => !targetOf(r, p, w)).map(() => routeKey(r)),
    );
    expect(unfillable, 'routes with a parameter PARAMS cannot fill').toEqual([]);
    // Whoever the table allows must exist in the world, or nothing proves the calls reach the route
    // (asked about the case the route names: some actions are a case role's alone).
    const uncontrolled = routes.filter((r) =>
      (probesOf(r) ?? []).some((p) => {
        const target = targetOf(r, p, w);
        const caseId = target && caseNamed(r.url, target.values);
        return p.who !== 'public' && !callers.some((c) => mayCall(p, c, caseId));
      }),
    );
    expect(uncontrolled.map(routeKey), 'routes no caller of the world may call').toEqual([]);
    // The OpenAPI document describes no route the hook missed.
    const document = t.app.swagger() as { paths?: Record<string, Record<string, unknown>> };
    const described = Object.entries(document.paths ?? {}).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`),
    );
    expect(described.filter((k) => !registered.has(k))).toEqual([]);
  });

  /** What the policy table says of `caller` on the probe's resource in project A (and the case it names). */
  function mayCall(probe: Probe, caller: Caller, caseId?: string): boolean {
    if (probe.who === 'public') return true;
    if (caller.principal.kind === 'anonymous') return false;
    // A CI runner is no user: it reaches the runner API and the public routes, nothing else.
    if (caller.principal.kind === 'runner' && (probe.who === 'signed-in' || probe.owner)) return false;
    if (probe.owner) {
      const owners = probe.owner === true ? ['teamA'] : [probe.owner].flat();
      return (owners as string[]).includes(caller.name);
    }
    if (probe.who === 'signed-in') return true;
    return can(caller.principal, probe.who, { projectId: w.a.id, ...(caseId !== undefined && { caseId }) });
  }

  it('answers every caller of every route as the policy table says, and discloses nothing', async () => {
    const started = Date.now();
    const problems: string[] = [];
    let calls = 0;
    let disclosures = 0;
    const disclosure = (message: string) => {
      disclosures += 1;
      problems.push(`DISCLOSURE ${message}`);
    };
    const failure = (message: string) => problems.push(message);

    /** One call; flags a 403, a 5xx, and confidential strings shown to anyone not entitled to them. */
    async function send(caller: Caller, method: string, url: string, body: unknown, session: boolean) {
      const headers: Record<string, string> = {};
      if (session && caller.email && caller.principal.kind === 'user') {
        // A fresh browser session: a token holder is not a browser, and a sign-out elsewhere ends
        // sessions. Started as every sign-in ends (sign-in itself is tested in the accounts tests;
        // here A's member has a passkey, so a password alone would be asked for a second factor). Two
        // factors, as a person with a second factor signs in.
        const user = await findUserById(t.db.kysely, caller.principal.userId);
        if (!user) throw new Error(`${caller.name} has no account`);
        const started = await t.db.kysely
          .transaction()
          .execute((trx) => startSession(trx, { clock: t.clock }, user, null, { factors: 2 }));
        headers.cookie = `vigil_session=${started.sessionToken}`;
        headers['x-csrf-token'] = started.csrfToken;
      } else if (caller.token) {
        headers.authorization = `Bearer ${caller.token}`;
      }
      calls += 1;
      const res = await inject(method, url, headers, body);
      const label = `${caller.name} ${method} ${url}`;
      if (res.statusCode === 403) disclosure(`${label}: 403 says the resource exists`);
      if (res.statusCode >= 500) failure(`${label}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      for (const [project, team] of [
        [w.a, 'teamA'],
        [w.b, 'teamB'],
      ] as const) {
        // Whoever holds the reporter's link is the reporter, and reads the case through it.
        const holdsLink = url.includes(project.received.reporterToken);
        // A member sees the member view of their one case: its title, report and advisory, nothing more.
        const seen = (caller.entitled ?? []).reduce((body, s) => body.split(s).join(''), res.body);
        if (caller.name !== team && !holdsLink && seen.includes(project.tag)) {
          disclosure(`${label}: the answer carries ${project.slug}'s confidential content`);
        }
        if (caller.name !== team && res.body.includes(project.teamTag)) {
          disclosure(`${label}: the answer carries what only ${project.slug}'s team may see`);
        }
      }
      return res;
    }

    /** Runs denied calls: the audit log, then every watched table, must be as they were. */
    async function unchanged(label: string, run: () => Promise<unknown>): Promise<void> {
      const before = await snapshot(get().db);
      await run();
      const after = await snapshot(get().db);
      if (after.audit !== before.audit)
        disclosure(`${label}: audit events ${before.audit} -> ${after.audit}`);
      else if (after.rest !== before.rest) disclosure(`${label}: the database changed`);
    }

    /** `res` answers (404 unless `status` says otherwise) exactly as `absent`, but for the identifiers. */
    function sameAsAbsent(
      label: string,
      [res, realIds]: [LightMyRequestResponse, [string, string][]],
      [absent, fakeIds]: [LightMyRequestResponse | undefined, [string, string][]],
      status: 404 | 'refused' = 404,
    ) {
      if (status === 404 ? res.statusCode !== 404 : res.statusCode < 400) {
        return disclosure(`${label}: ${res.statusCode} instead of ${status} ${res.body.slice(0, 200)}`);
      }
      const contentType = String(res.headers['content-type']);
      if (
        res.statusCode === 404 &&
        res.body &&
        (problemCode(res) !== 'not_found' || !contentType.startsWith('application/problem+json'))
      ) {
        disclosure(`${label}: a 404 unlike the others: ${res.body.slice(0, 200)}`);
      }
      if (absent && normalized(res, realIds) !== normalized(absent, fakeIds)) {
        disclosure(
          `${label}: differs from a nonexistent id: ${normalized(res, realIds)} vs ${normalized(absent, fakeIds)}`,
        );
      }
    }

    async function probeRoute(route: RegisteredRoute, probe: Probe) {
      const target = targetOf(route, probe, w);
      if (!target) return failure(`${routeKey(route)}: a parameter PARAMS cannot fill`);
      const { identifiers, url, idsOf } = target;
      const caseId = caseNamed(route.url, target.values);
      const method = route.method;
      const statuses = new Set<number>();
      for (const caller of CALLERS.map((n) => callers.find((c) => c.name === n) as Caller)) {
        const label = `${caller.name} ${method} ${url('real')}`;
        const call = (to: string, body: unknown = probe.body?.(w)) =>
          send(caller, method, to, body, probe.session === true);

        if (caller.name === 'revoked') {
          await unchanged(label, async () => {
            const res = await send(caller, method, url('real'), probe.body?.(w), false);
            if (res.statusCode !== 401) disclosure(`${label}: ${res.statusCode} to a revoked token`);
          });
          continue;
        }
        if (probe.who !== 'public' && caller.name === 'anonymous') {
          await unchanged(label, async () => {
            const res = await call(url('real'));
            if (res.statusCode !== 401 || (method !== 'HEAD' && problemCode(res) !== 'unauthenticated')) {
              disclosure(`${label}: ${res.statusCode} to anonymous on a private route`);
            }
          });
          continue;
        }

        if (mayCall(probe, caller, caseId)) {
          const res = await call(url('real'));
          statuses.add(res.statusCode);
          if (
            probe.who === 'public' ? res.statusCode === 400 : [400, 401, 403, 404].includes(res.statusCode)
          ) {
            failure(
              `${label}: ${res.statusCode} to a caller who may (the control): ${res.body.slice(0, 300)}`,
            );
          }
          for (const s of method === 'HEAD' ? [] : (probe.reveals?.(w) ?? [])) {
            if (!res.body.includes(s)) failure(`${label}: the answer lacks ${s} (the control)`);
          }
        } else if (probe.list && caller.principal.kind !== 'runner') {
          await unchanged(label, async () => {
            const res = await call(url('real'));
            if (res.statusCode !== 200)
              failure(`${label}: ${res.statusCode} to a list any signed-in user may call`);
            for (const s of probe.reveals?.(w) ?? []) {
              if (res.body.includes(s)) disclosure(`${label}: the list shows ${s}`);
            }
          });
        } else {
          await unchanged(label, async () => {
            // Denied: every way of naming the resource answers as a nonexistent one does.
            for (let i = 0; i < target.variants; i++) {
              const res = await call(url('real', i));
              const absent = identifiers.length ? await call(url('fake', i)) : undefined;
              sameAsAbsent(
                `${label} [${url('real', i)}]`,
                [res, idsOf('real', i)],
                [absent, idsOf('fake', i)],
              );
            }
            // A resource the body alone names: each way of naming it answers as naming nothing.
            const named = probe.bodyNames;
            const values = named?.values(w);
            for (let i = 0; named && values?.fake && i < values.real.length; i++) {
              const [ref, nothing] = [target.at(values.real, i), target.at(values.fake, i)];
              const res = await call(url('real'), named.body(ref));
              const absent = await call(url('real'), named.body(nothing));
              sameAsAbsent(
                `${label} [${ref} in the body]`,
                [res, [[ref, 'ref']]],
                [absent, [[nothing, 'ref']]],
              );
            }
            // An invalid body: whatever validation answers, it says nothing about the resource.
            if (probe.body && identifiers.length) {
              const res = await call(url('real'), []);
              const absent = await call(url('fake'), []);
              sameAsAbsent(
                `${label} [invalid body]`,
                [res, idsOf('real')],
                [absent, idsOf('fake')],
                'refused',
              );
            }
          });
        }
        await probeForeign(route, probe, target, caller, call);
      }
      if (statuses.size > 1 && probe.who === 'public' && (method === 'GET' || method === 'HEAD')) {
        failure(`${routeKey(route)}: a public route answers differently by caller: ${[...statuses]}`);
      }
    }

    /** A's resource under B's parent (A's attachment under B's case), or named in a body about B's. */
    async function probeForeign(
      route: RegisteredRoute,
      probe: Probe,
      target: NonNullable<ReturnType<typeof targetOf>>,
      caller: Caller,
      call: (to: string, body?: unknown) => Promise<LightMyRequestResponse>,
    ) {
      const { identifiers, parent, url, idsOf, values, at } = target;
      const children = identifiers.filter((n) => n !== parent);
      if (parent && children.length) {
        const label = `${caller.name} ${route.method} ${url('real', 0, 'foreign')} (A's ${children} under B's ${parent})`;
        await unchanged(label, async () => {
          const res = await call(url('real', 0, 'foreign'));
          const absent = await call(url('fake', 0, 'foreign'));
          sameAsAbsent(label, [res, idsOf('real', 0, children)], [absent, idsOf('fake', 0, children)]);
        });
      }
      const named = probe.foreignBody && values.get(probe.foreignBody.param);
      if (probe.foreignBody && named?.fake) {
        const { param, body } = probe.foreignBody;
        for (let i = 0; i < named.real.length; i++) {
          const [ref, nothing] = [at(named.real, i), at(named.fake, i)];
          const label = `${caller.name} ${route.method} ${url('foreign')} (A's ${param} ${ref} in the body)`;
          await unchanged(label, async () => {
            const res = await call(url('foreign'), body(ref));
            const absent = await call(url('foreign'), body(nothing));
            sameAsAbsent(label, [res, [[ref, param]]], [absent, [[nothing, param]]], 'refused');
          });
        }
      }
    }

    for (const route of routes) {
      const probes = probesOf(route);
      if (!probes) failure(`${routeKey(route)}: not classified`);
      for (const probe of probes ?? []) await probeRoute(route, probe);
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    // eslint-disable-next-line no-console -- the one summary line the route-wide test prints
    console.log(
      `authorization [${dialect}]: ${routes.length} routes, ${calls} calls, ${disclosures} disclosures (${seconds} s)`,
    );
    expect(problems).toEqual([]);
  }, 300_000);
});
