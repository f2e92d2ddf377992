/**
 * The CWE API through HTTP (`app.inject()`), on a Fastify instance with the real error and auth
 * plugins and this module's routes. The catalogue needs no database; signing in does.
 */
import { randomBytes } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDb } from '../../../test/support/db.js';
import type { Principal } from '../../authz/authz.policy.js';
import { fixedClock } from '../../lib/clock.js';
import { createKeyring } from '../../lib/crypto/keyring.js';
import { registerAuth } from '../../server/plugins/auth.plugin.js';
import { registerErrorHandlers } from '../../server/plugins/errors.plugin.js';
import { createServices } from '../../server/services.js';
import { registerCweRoutes } from './cwe.routes.js';
import { createCweCatalogue } from './cwe-catalogue.js';
import { createCweService } from './cwe.service.js';

const OPERATOR: Principal = { kind: 'operator', name: 'test' };

describeEachDb('CWE catalogue over HTTP', (get) => {
  let app: FastifyInstance;
  let token: string;

  beforeAll(async () => {
    const deps = {
      db: get().db,
      clock: fixedClock('2026-03-02T09:00:00Z'),
      cipher: createKeyring({ current: randomBytes(32) }),
      publicUrl: 'http://vigil.test',
    };
    const services = createServices(deps);
    app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    registerErrorHandlers(app);
    await app.register(fastifyCookie);
    registerAuth(app, services, { secureCookies: false });
    registerCweRoutes(app, createCweService({ catalogue: createCweCatalogue() }));

    // A user with no project at all: the catalogue is for anyone signed in.
    const email = `cwe-${randomBytes(4).toString('hex')}@example.org`;
    const { user } = await services.users.createUser(OPERATOR, { email, name: 'U', isAdmin: false });
    ({ token } = await services.apiTokens.createApiToken(OPERATOR, {
      userId: user.id,
      name: 't',
      expiresInDays: 1,
    }));
  });

  const call = (url: string, auth = true) =>
    app.inject({ method: 'GET', url, headers: auth ? { authorization: `Bearer ${token}` } : {} });

  it('searches by words and by id', async () => {
    const words = await call('/api/v1/cwe?q=cross%20sit');
    expect(words.statusCode).toBe(200);
    const body = words.json() as { results: { id: string; name: string; deprecated: boolean }[] };
    expect(body.results[0]).toEqual({
      id: 'CWE-79',
      name: "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')",
      deprecated: false,
    });
    const byId = (await call('/api/v1/cwe?q=CWE-79&limit=3')).json() as { results: { id: string }[] };
    expect(byId.results.map((r) => r.id)).toEqual(['CWE-79', 'CWE-790', 'CWE-791']);
  });

  it('answers an empty list to an empty or missing query', async () => {
    expect((await call('/api/v1/cwe?q=')).json()).toEqual({ results: [] });
    expect((await call('/api/v1/cwe')).json()).toEqual({ results: [] });
  });

  it('shows one entry by any spelling of its id', async () => {
    for (const id of ['CWE-787', 'cwe-787', '787']) {
      const res = await call(`/api/v1/cwe/${id}`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ id: 'CWE-787', name: 'Out-of-bounds Write', deprecated: false });
    }
  });

  it('answers 404 problem+json for an unknown id and 422 for a malformed one', async () => {
    const unknown = await call('/api/v1/cwe/CWE-99999');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(unknown.json()).toMatchObject({ code: 'not_found', detail: 'CWE-99999 was not found.' });
    const malformed = await call('/api/v1/cwe/xss');
    expect(malformed.statusCode).toBe(422);
    expect(malformed.json()).toMatchObject({ code: 'validation_failed' });
  });

  it('refuses unbounded input, naming the field', async () => {
    const cases: [string, number, string][] = [
      [`/api/v1/cwe?q=${'a'.repeat(101)}`, 400, 'querystring.q'],
      ['/api/v1/cwe?q=a%20b%20c%20d%20e%20f%20g%20h%20i', 422, 'q'],
      ['/api/v1/cwe?q=xss&limit=51', 400, 'querystring.limit'],
      ['/api/v1/cwe?q=xss&limit=0', 400, 'querystring.limit'],
      ['/api/v1/cwe?q=xss&limit=ten', 400, 'querystring.limit'],
      [`/api/v1/cwe/${'7'.repeat(21)}`, 400, 'params.id'],
    ];
    for (const [url, status, path] of cases) {
      const res = await call(url);
      expect(res.statusCode, url).toBe(status);
      const issues = (res.json() as { issues?: { path: string }[] }).issues ?? [];
      expect(
        issues.map((i) => i.path),
        url,
      ).toEqual([path]);
    }
  });

  it('asks for sign-in', async () => {
    expect((await call('/api/v1/cwe?q=xss', false)).statusCode).toBe(401);
    expect((await call('/api/v1/cwe/79', false)).statusCode).toBe(401);
  });
});

describe('CWE routes without a database', () => {
  it('declare an operationId and the cwe tag', async () => {
    const app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    const routes: { method: unknown; url: string; operationId?: unknown; tags?: unknown }[] = [];
    app.addHook('onRoute', (r) => {
      const schema = r.schema as { operationId?: unknown; tags?: unknown } | undefined;
      routes.push({ method: r.method, url: r.url, operationId: schema?.operationId, tags: schema?.tags });
    });
    registerCweRoutes(app, createCweService({ catalogue: createCweCatalogue() }));
    await app.ready();
    expect(routes.filter((r) => r.method === 'GET')).toEqual([
      { method: 'GET', url: '/api/v1/cwe', operationId: 'searchCwe', tags: ['cwe'] },
      { method: 'GET', url: '/api/v1/cwe/:id', operationId: 'getCwe', tags: ['cwe'] },
    ]);
  });
});
