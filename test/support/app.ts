/**
 * Builds a real Vigil app (real database, real services) for API tests through `app.inject()`,
 * with helpers to create users and sign in. Factories, not fixtures. Passwords are hashed with
 * argon2id at the lowest cost unless a test asks for the real one (accounts.api.test.ts does).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Principal } from '../../src/authz/authz.policy.js';
import type { Db } from '../../src/db/connection.js';
import { fixedClock } from '../../src/lib/clock.js';
import { createPasswordHasher, type PasswordHasher } from '../../src/modules/accounts/password.js';
import { createKeyring } from '../../src/lib/crypto/keyring.js';
import { findUserByEmail } from '../../src/modules/accounts/accounts.repo.js';
import { findProjectBySlug, insertMember } from '../../src/modules/projects/projects.repo.js';
import { buildApp } from '../../src/server/app.js';
import { useTestAuditKey } from './audit-key.js';
import { createServices, type Services } from '../../src/server/services.js';
import type { OidcSettings } from '../../src/modules/accounts/oidc/oidc.settings.js';

export const OPERATOR: Principal = { kind: 'operator', name: 'test' };
export const PUBLIC_URL = 'http://vigil.test';

export interface TestApp {
  app: FastifyInstance;
  /** The database the app runs on (for seeding through repositories). */
  db: Db;
  services: Services;
  clock: ReturnType<typeof fixedClock>;
  /** Where this app keeps the cases' fix repositories (a fresh temporary directory unless given). */
  repositoriesDir?: string;
}

/** Argon2id at its lowest cost (8 KiB, 1 pass): the same code path as the real cost, in microseconds. */
export const CHEAP_PASSWORDS = createPasswordHasher({ memoryCost: 8, timeCost: 1, parallelism: 1 });

export async function buildTestApp(
  db: Db,
  cipher = createKeyring({ current: randomBytes(32) }),
  {
    passwords = CHEAP_PASSWORDS,
    repositoriesDir = mkdtempSync(join(tmpdir(), 'vigil-test-repositories-')),
    publicUrl = PUBLIC_URL,
    allowLocalWebhooks = false,
    oidc,
    webRoot,
  }: {
    passwords?: PasswordHasher;
    repositoriesDir?: string;
    publicUrl?: string;
    /** Webhooks may point at loopback receivers (a test's own HTTP server). */
    allowLocalWebhooks?: boolean;
    /** OpenID Connect sign-in against a test's own provider. */
    oidc?: OidcSettings;
    /** The built web UI's directory (default: the repository's dist/web, built or not). */
    webRoot?: string;
  } = {},
): Promise<TestApp> {
  const clock = fixedClock('2026-11-23T09:00:00Z');
  useTestAuditKey();
  const services = createServices({
    db,
    clock,
    cipher,
    publicUrl,
    passwords,
    repositoriesDir,
    allowLocalWebhooks,
    oidc,
  });
  const app = await buildApp({
    db,
    services,
    publicUrl,
    trustProxy: false,
    logger: false,
    ...(webRoot !== undefined && { webRoot }),
  });
  return { app, db, services, clock, repositoriesDir };
}

let counter = 0;
/** A unique email per call, so suites sharing a database do not collide. */
export function uniqueEmail(prefix = 'user'): string {
  counter += 1;
  return `${prefix}-${counter}-${randomBytes(3).toString('hex')}@example.org`;
}

export const PASSWORD = 'correct horse battery staple';

/** Creates a user with a password set through the real sign-in link flow. */
export async function createUser(t: TestApp, opts: { isAdmin?: boolean; email?: string } = {}) {
  const email = opts.email ?? uniqueEmail(opts.isAdmin ? 'admin' : 'user');
  const { user, signInLink } = await t.services.users.createUser(OPERATOR, {
    email,
    name: email.split('@')[0] ?? email,
    isAdmin: opts.isAdmin ?? false,
  });
  const token = new URL(signInLink).hash.replace('#token=', '');
  await t.services.signInLinks.redeemSignInLink({
    token,
    password: PASSWORD,
    ip: '127.0.0.1',
    userAgent: null,
  });
  return user;
}

export interface Client {
  cookie: string;
  csrf: string;
  request(
    method: string,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
}

/** Signs in through the API and returns a client that sends the cookie and CSRF token. */
export async function signIn(t: TestApp, email: string, password = PASSWORD): Promise<Client> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/sign-in',
    payload: { email, password },
  });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  return clientOf(t, res);
}

/**
 * A client for the session a sign-in response set (a password, a link, a second factor): it sends
 * the cookie and CSRF token, from `remoteAddress` when given.
 */
export function clientOf(
  t: TestApp,
  res: LightMyRequestResponse,
  { remoteAddress }: { remoteAddress?: string } = {},
): Client {
  const setCookie = res.cookies.find((c) => c.name === 'vigil_session');
  if (!setCookie) throw new Error(`no session cookie: ${res.statusCode} ${res.body}`);
  const cookie = `vigil_session=${setCookie.value}`;
  const csrf = (res.json() as { csrfToken: string }).csrfToken;
  return {
    cookie,
    csrf,
    request: (method, url, body, headers = {}) =>
      t.app.inject({
        method: method as 'GET',
        url,
        ...(remoteAddress !== undefined && { remoteAddress }),
        headers: { cookie, 'x-csrf-token': csrf, ...headers },
        ...(body !== undefined && { payload: typeof body === 'string' ? body : (body as object) }),
      }),
  };
}

/** A bearer-token client. */
export function bearer(t: TestApp, token: string) {
  return (method: string, url: string, body?: unknown) =>
    t.app.inject({
      method: method as 'GET',
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(body !== undefined && { payload: body as object }),
    });
}

/** A client authenticated by an API token (90 days): unaffected by session idle time when a test moves the clock. */
export async function tokenClient(t: TestApp, userId: string): Promise<Client> {
  const { token } = await t.services.apiTokens.createApiToken(OPERATOR, {
    userId,
    name: 'test',
    expiresInDays: 90,
  });
  const headers = { authorization: `Bearer ${token}` };
  return {
    cookie: '',
    csrf: '',
    request: (method, url, body, extra = {}) =>
      t.app.inject({
        method: method as 'GET',
        url,
        headers: { ...headers, ...extra },
        ...(body !== undefined && { payload: typeof body === 'string' ? body : (body as object) }),
      }),
  };
}

/**
 * Puts a user on a project's security team directly through the repository: how tests that are
 * not about membership seed a team. The product's own way is a request that another member
 * approves (issue 11, item 2: `projects.addMember`), announced by mail; tests of that flow use it.
 */
export async function seedTeamMember(db: Db, slug: string, email: string): Promise<void> {
  await db.kysely.transaction().execute(async (trx) => {
    const project = await findProjectBySlug(trx, slug);
    const user = await findUserByEmail(trx, email);
    if (!project || !user) throw new Error(`seedTeamMember: no project ${slug} or no user ${email}`);
    await insertMember(trx, {
      project_id: project.id,
      user_id: user.id,
      role: 'security-team',
      created_at: new Date().toISOString(),
    });
  });
}

/** A project from a preset with one security-team member, and that member's client. */
export async function projectWithTeam(
  t: TestApp,
  slug: string,
  opts: { name?: string; preset?: string } = {},
): Promise<{ team: Client; member: { id: string; email: string } }> {
  await t.services.projects.createProject(OPERATOR, {
    slug,
    name: opts.name ?? slug,
    preset: opts.preset ?? 'contour',
  });
  const member = await createUser(t);
  await seedTeamMember(t.db, slug, member.email);
  return { team: await tokenClient(t, member.id), member };
}

/** Files a report through the public API and has `team` accept it; its human id. */
export async function acceptedCase(t: TestApp, slug: string, team: Client, subject: string): Promise<string> {
  const filed = await t.app.inject({
    method: 'POST',
    url: `/api/v1/projects/${slug}/reports`,
    payload: { subject, reporter: { name: 'Ada Lovelace' }, reproduction: 'steps' },
  });
  const humanId: string = filed.json().humanId;
  const moved = await team.request('POST', `/api/v1/cases/${humanId}/transitions`, { to: 'accepted' });
  if (moved.statusCode !== 200) throw new Error(`accepting ${humanId}: ${moved.body}`);
  return humanId;
}
