import { Writable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fixedClock } from '../../src/lib/clock.js';
import { createKeyring } from '../../src/lib/crypto/keyring.js';
import { createLogger } from '../../src/lib/logger.js';
import { buildApp } from '../../src/server/app.js';
import { createServices } from '../../src/server/services.js';
import { describeEachDb } from '../support/db.js';
import {
  buildTestApp,
  CHEAP_PASSWORDS,
  createUser,
  PASSWORD,
  PUBLIC_URL,
  signIn,
  type TestApp,
} from '../support/app.js';

describeEachDb('system endpoints', (get) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(get().db);
  });
  afterAll(async () => {
    await t.app.close();
  });

  it('describes the API as OpenAPI 3.1 with an operationId on every operation', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as {
      openapi: string;
      paths: Record<string, Record<string, { operationId?: string }>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    for (const path of ['/api/v1/projects', '/api/v1/projects/{slug}', '/api/v1/projects/{slug}/policy']) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    const ops = Object.values(doc.paths).flatMap((p) => Object.values(p));
    expect(ops.length).toBeGreaterThan(15);
    for (const op of ops) expect(op.operationId).toMatch(/^[a-zA-Z]+$/);
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
  });

  it('declares the success answer of every operation: its JSON schema, or no content', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<
        string,
        Record<
          string,
          { operationId: string; responses?: Record<string, { content?: Record<string, unknown> }> }
        >
      >;
    };
    // Files and text documents: their bytes are not JSON, so there is no schema to declare.
    const files = new Set([
      'getSecurityMd',
      'getPublishedSecurityMd',
      'getInstanceSecurityTxt',
      'getProjectSecurityTxt',
      'getPublishedProjectKey',
      'getCaseAttachment',
      'getReporterAttachment',
      'exportAdvisory',
      'getCaseRepositoryPatches',
      // The public site's pages, feeds and archives (HTML, Atom, ZIP, text).
      'getFrontPage',
      'getProjectPage',
      'getProjectAdvisoriesPage',
      'getAdvisoryPage',
      'getProjectAdvisoriesFeed',
      'getAdvisoriesFeed',
      'getOsvArchive',
      'getOsvEcosystemArchive',
      'getOsvEcosystems',
    ]);
    const undeclared: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (files.has(op.operationId)) continue;
        const success = Object.entries(op.responses ?? {}).filter(([status]) => status.startsWith('2'));
        // A browser navigation answered only with a redirect (OpenID Connect) declares its 3xx instead.
        const redirectOnly =
          success.length === 0 && Object.keys(op.responses ?? {}).some((status) => status.startsWith('3'));
        const declared =
          redirectOnly ||
          (success.length > 0 &&
            success.every(([status, r]) =>
              status === '204' ? !r.content : r.content?.['application/json'],
            ));
        if (!declared) undeclared.push(`${op.operationId} (${method.toUpperCase()} ${path})`);
      }
    }
    // The web UI's types are generated from these schemas (npm run api:types): none may be missing.
    expect(undeclared).toEqual([]);
  });

  it('answers health, readiness and metrics', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject({ method: 'GET', url: '/readyz' })).json()).toMatchObject({ status: 'ready' });
    await t.app.inject({ method: 'GET', url: '/api/v1/projects' });
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toContain('vigil_http_request_duration_seconds_bucket');
    expect(metrics.body).toContain('route="/api/v1/projects"');
  });

  it('sends a strict CSP and security headers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  // The review found /api/docs with a looser CSP of its own (https: styles, upgrade-insecure-requests
  // on plain http). Every page of the API's documentation now carries the app's header.
  it('sends the app CSP on the API documentation too', async () => {
    const app = String(
      (await t.app.inject({ method: 'GET', url: '/healthz' })).headers['content-security-policy'],
    );
    for (const url of [
      '/api/docs',
      '/api/docs/',
      '/api/docs/static/index.html',
      '/api/docs/static/swagger-ui.css',
      '/api/docs/static/swagger-initializer.js',
      '/api/docs/static/theme/vigil.css',
      '/api/docs/json',
    ]) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBeLessThan(400);
      expect(res.headers['content-security-policy'], url).toBe(app);
    }
    expect(app).not.toContain('upgrade-insecure-requests');
    const page = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    // Files only: no inline script or style for the CSP to refuse.
    expect(page.body).not.toMatch(/<style|style=|<script>|<script(?![^>]*\bsrc=)/);
  });

  it('answers unknown API paths with problem+json', async () => {
    const user = await createUser(t);
    const client = await signIn(t, user.email);
    const res = await client.request('GET', '/api/v1/nothing-here');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 404, code: 'not_found', type: 'urn:vigil:problem:not_found' });
  });

  it('never logs passwords, cookies, tokens or sign-in links', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const db = get().db;
    const clock = fixedClock('2026-11-23T09:00:00Z');
    const services = createServices({
      db,
      clock,
      cipher: createKeyring({ current: randomBytes(32) }),
      publicUrl: PUBLIC_URL,
      passwords: CHEAP_PASSWORDS,
    });
    const app = await buildApp({
      db,
      services,
      publicUrl: PUBLIC_URL,
      trustProxy: false,
      logger: createLogger('debug', sink),
    });
    const user = await createUser({ app, db, services, clock }, {});
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: user.email, password: PASSWORD },
    });
    const cookie = res.cookies.find((c) => c.name === 'vigil_session')?.value ?? 'missing';
    const tokenRes = await app.inject({
      method: 'POST',
      url: '/api/v1/me/tokens',
      headers: { cookie: `vigil_session=${cookie}`, 'x-csrf-token': res.json().csrfToken },
      payload: { name: 'x' },
    });
    const token = tokenRes.json().token as string;
    await app.inject({ method: 'GET', url: `/api/v1/me`, headers: { authorization: `Bearer ${token}` } });
    await app.inject({ method: 'GET', url: `/api/v1/reporter/cases/${'a'.repeat(43)}` });
    await app.close();
    const all = lines.join('');
    expect(all.length).toBeGreaterThan(0);
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain(cookie);
    expect(all).not.toContain(token);
    expect(all).not.toContain('a'.repeat(43));
  });
});
