/**
 * The public pages and the project-key API through HTTP (`app.inject()`), on a Fastify instance with
 * the real error and auth plugins and these modules' routes, on both databases.
 */
import { randomBytes } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import * as openpgp from 'openpgp';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDb } from '../../../test/support/db.js';
import type { Principal } from '../../authz/authz.policy.js';
import type { Db } from '../../db/connection.js';
import { fixedClock } from '../../lib/clock.js';
import { createKeyring } from '../../lib/crypto/keyring.js';
import { registerAuth } from '../../server/plugins/auth.plugin.js';
import { registerErrorHandlers } from '../../server/plugins/errors.plugin.js';
import { createServices, type Services } from '../../server/services.js';
import { registerPgpRoutes } from '../pgp/pgp.routes.js';
import { createPgpService } from '../pgp/pgp.service.js';
import { registerPublicRoutes } from './public.routes.js';
import { createPublicService } from './public.service.js';
import { renderSecurityTxt } from './security-txt.js';

const OPERATOR: Principal = { kind: 'operator', name: 'test' };
const NOW = '2026-03-02T09:00:00.000Z';

/**
 * RFC 9116 §2-§3, as summarised in /work/shared/standards/security-txt: the rules a consumer checks.
 * Returns every violation; an empty list means the file conforms.
 */
function checkSecurityTxt(text: string, now: Date): string[] {
  const issues: string[] = [];
  const fields = new Map<string, string[]>();
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const m = /^([A-Za-z0-9-]+):[ \t]*(\S.*)$/.exec(line);
    if (!m?.[1] || !m[2]) {
      issues.push(`not a field: ${line}`);
      continue;
    }
    const name = m[1].toLowerCase();
    fields.set(name, [...(fields.get(name) ?? []), m[2].trim()]);
  }
  const contacts = fields.get('contact') ?? [];
  if (contacts.length === 0) issues.push('Contact is required');
  for (const c of contacts)
    if (!/^(mailto:|tel:|https:\/\/)/.test(c)) issues.push(`Contact must be mailto:, tel: or https: (${c})`);
  const expires = fields.get('expires') ?? [];
  if (expires.length !== 1) issues.push(`Expires must appear exactly once (${expires.length})`);
  const when = expires[0] ?? '';
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(when)) {
    issues.push(`Expires must be RFC 3339 (${when})`);
  } else {
    const ms = Date.parse(when) - now.getTime();
    if (ms <= 0) issues.push('Expires is in the past');
    if (ms >= 365 * 24 * 3600 * 1000) issues.push('Expires should be less than a year ahead');
  }
  if ((fields.get('preferred-languages') ?? []).length > 1) issues.push('Preferred-Languages at most once');
  for (const name of ['contact', 'encryption', 'acknowledgments', 'canonical', 'policy', 'hiring']) {
    for (const v of fields.get(name) ?? []) {
      if (/^http:/i.test(v)) issues.push(`${name} must use https (${v})`);
      if (name !== 'contact' && !/^[a-z][a-z0-9+.-]*:\S+$/i.test(v))
        issues.push(`${name} must be a URI (${v})`);
    }
  }
  return issues;
}

interface Harness {
  app: FastifyInstance;
  services: Services;
  clock: ReturnType<typeof fixedClock>;
}

async function buildHarness(db: Db, publicUrl: string, securityContact?: string): Promise<Harness> {
  const clock = fixedClock(NOW);
  const cipher = createKeyring({ current: randomBytes(32) });
  const deps = { db, clock, cipher, publicUrl };
  const services = createServices(deps);
  const app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandlers(app);
  await app.register(fastifyCookie);
  registerAuth(app, services, { secureCookies: false });
  registerPgpRoutes(app, createPgpService(deps));
  registerPublicRoutes(app, { publicPages: createPublicService({ ...deps, securityContact }) });
  return { app, services, clock };
}

async function newProject(h: Harness, preset = 'contour'): Promise<string> {
  const slug = `pub-${randomBytes(3).toString('hex')}`;
  await h.services.projects.createProject(OPERATOR, { slug, name: 'Public Demo', preset });
  return slug;
}

/** A bearer token for a new user, optionally on the project's security team. */
async function tokenFor(h: Harness, teamOf?: string): Promise<string> {
  const email = `u-${randomBytes(4).toString('hex')}@example.org`;
  const { user } = await h.services.users.createUser(OPERATOR, { email, name: 'U', isAdmin: false });
  if (teamOf) await h.services.projects.addMember(OPERATOR, teamOf, { email, role: 'security-team' });
  const { token } = await h.services.apiTokens.createApiToken(OPERATOR, {
    userId: user.id,
    name: 't',
    expiresInDays: 1,
  });
  return token;
}

describe('security.txt checker', () => {
  it('catches what RFC 9116 forbids, so that passing it means something', () => {
    const now = new Date(NOW);
    const bad =
      'Contact: http://x.example/report\nExpires: tomorrow\nExpires: 2020-01-01T00:00:00Z\nPreferred-Languages: en\nPreferred-Languages: de\nEncryption: -----BEGIN\n';
    expect(checkSecurityTxt(bad, now)).toEqual([
      'Contact must be mailto:, tel: or https: (http://x.example/report)',
      'Expires must appear exactly once (2)',
      'Expires must be RFC 3339 (tomorrow)',
      'Preferred-Languages at most once',
      'contact must use https (http://x.example/report)',
      'encryption must be a URI (-----BEGIN)',
    ]);
    expect(checkSecurityTxt('# nothing\n', now)).toEqual([
      'Contact is required',
      'Expires must appear exactly once (0)',
      'Expires must be RFC 3339 ()',
    ]);
  });

  it('renderSecurityTxt keeps every value on its own line', () => {
    const text = renderSecurityTxt({
      contacts: ['mailto:a@example.org\nExpires: 1999-01-01T00:00:00Z'],
      expires: new Date('2027-01-01T00:00:00Z'),
    });
    expect(text.split('\n').filter((l) => l.startsWith('Expires:'))).toEqual([
      'Expires: 2027-01-01T00:00:00.000Z',
    ]);
  });
});

describeEachDb('public pages and project keys over HTTP', (get) => {
  let h: Harness;
  let slug: string;

  beforeAll(async () => {
    h = await buildHarness(get().db, 'https://vigil.example', 'security@vigil.example');
    slug = await newProject(h);
  });

  it('publishes the project key as application/pgp-keys, and 404s an unknown project', async () => {
    const res = await h.app.inject({ method: 'GET', url: `/p/${slug}/pgp-key.asc` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pgp-keys');
    expect(res.body).toContain('-----BEGIN PGP PUBLIC KEY BLOCK-----');
    expect(res.body).not.toContain('PRIVATE');
    const key = await openpgp.readKey({ armoredKey: res.body });
    expect(key.isPrivate()).toBe(false);

    for (const url of ['/p/nope/pgp-key.asc', '/p/NOT%20A%20SLUG/pgp-key.asc']) {
      const missing = await h.app.inject({ method: 'GET', url });
      expect(missing.statusCode).toBe(404);
      expect(missing.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(missing.json()).toMatchObject({ code: 'not_found' });
    }
  });

  it('shows the team the key, lets it rotate and import, and hides it from others', async () => {
    const team = { authorization: `Bearer ${await tokenFor(h, slug)}` };
    const stranger = { authorization: `Bearer ${await tokenFor(h)}` };
    const url = `/api/v1/projects/${slug}/pgp-key`;

    expect((await h.app.inject({ method: 'GET', url })).statusCode).toBe(401);
    expect((await h.app.inject({ method: 'GET', url, headers: stranger })).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'POST', url, headers: stranger })).statusCode).toBe(404);

    const shown = await h.app.inject({ method: 'GET', url, headers: team });
    expect(shown.statusCode).toBe(200);
    const before = shown.json() as { fingerprint: string; publicKeyUrl: string; previous: unknown[] };
    expect(before.publicKeyUrl).toBe(`https://vigil.example/p/${slug}/pgp-key.asc`);
    expect(shown.body).not.toContain('PRIVATE');

    h.clock.advance(60_000);
    const rotated = await h.app.inject({ method: 'POST', url, headers: team });
    expect(rotated.statusCode).toBe(201);
    const after = (rotated.json() as { key: { fingerprint: string } }).key;
    expect(after.fingerprint).not.toBe(before.fingerprint);
    const published = await h.app.inject({ method: 'GET', url: `/p/${slug}/pgp-key.asc` });
    expect((await openpgp.readKey({ armoredKey: published.body })).getFingerprint().toUpperCase()).toBe(
      after.fingerprint,
    );

    const { privateKey } = await openpgp.generateKey({
      userIDs: [{ name: 'Imported', email: 'imported@example.org' }],
      passphrase: 'pw',
      format: 'armored',
    });
    const refused = await h.app.inject({ method: 'PUT', url, headers: team, payload: { privateKey } });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'validation_failed', issues: [{ path: 'passphrase' }] });
    const tooBig = await h.app.inject({
      method: 'PUT',
      url,
      headers: team,
      payload: { privateKey: 'x'.repeat(200_001) },
    });
    expect(tooBig.statusCode).toBe(400);
    expect(tooBig.json()).toMatchObject({ issues: [{ path: 'body.privateKey' }] });

    h.clock.advance(60_000);
    const imported = await h.app.inject({
      method: 'PUT',
      url,
      headers: team,
      payload: { privateKey, passphrase: 'pw' },
    });
    expect(imported.statusCode).toBe(200);
    expect(imported.body).not.toContain('PRIVATE');
    const detail = (await h.app.inject({ method: 'GET', url, headers: team })).json() as {
      userId: string;
      previous: { fingerprint: string }[];
    };
    expect(detail.userId).toBe('Imported <imported@example.org>');
    expect(detail.previous.map((p) => p.fingerprint)).toEqual([after.fingerprint, before.fingerprint]);
  });

  it('serves a conformant security.txt for the project', async () => {
    const res = await h.app.inject({ method: 'GET', url: `/p/${slug}/security.txt` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(checkSecurityTxt(res.body, h.clock.now())).toEqual([]);
    const base = `https://vigil.example/p/${slug}`;
    expect(res.body).toBe(
      [
        'Contact: mailto:cncf-contour-maintainers@lists.cncf.io',
        `Contact: ${base}/report`,
        `Expires: ${new Date(h.clock.now().getTime() + 364 * 86_400_000).toISOString()}`,
        `Encryption: ${base}/pgp-key.asc`,
        `Policy: ${base}/SECURITY.md`,
        'Preferred-Languages: en',
        `Canonical: ${base}/security.txt`,
        '',
      ].join('\n'),
    );
  });

  it('names only the report form when the policy has no team address', async () => {
    const other = await newProject(h, 'k8spolicy');
    const res = await h.app.inject({ method: 'GET', url: `/p/${other}/security.txt` });
    expect(checkSecurityTxt(res.body, h.clock.now())).toEqual([]);
    expect(res.body.split('\n').filter((l) => l.startsWith('Contact:'))).toEqual([
      `Contact: https://vigil.example/p/${other}/report`,
    ]);
  });

  it('serves the instance security.txt, and redirects the legacy location', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/.well-known/security.txt' });
    expect(res.statusCode).toBe(200);
    expect(checkSecurityTxt(res.body, h.clock.now())).toEqual([]);
    expect(res.body).toContain('Contact: mailto:security@vigil.example\n');
    expect(res.body).toContain('Canonical: https://vigil.example/.well-known/security.txt\n');
    const legacy = await h.app.inject({ method: 'GET', url: '/security.txt' });
    expect(legacy.statusCode).toBe(301);
    expect(legacy.headers.location).toBe('/.well-known/security.txt');
  });

  it('serves the current SECURITY.md, linking to the report form and security.txt', async () => {
    const res = await h.app.inject({ method: 'GET', url: `/p/${slug}/SECURITY.md` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(res.body).toContain(`https://vigil.example/p/${slug}/report`);
    expect(res.body).toContain(`https://vigil.example/p/${slug}/security.txt`);
    for (const url of ['/p/nope/SECURITY.md', '/p/nope/security.txt']) {
      const missing = await h.app.inject({ method: 'GET', url });
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toMatchObject({ code: 'not_found', detail: "Project 'nope' was not found." });
    }
  });
});

describeEachDb('instance security.txt without a configured contact', (get) => {
  it('names the first active admin, and 404s while there is none', async () => {
    const h = await buildHarness(get().db, 'http://localhost:8080');
    expect((await h.app.inject({ method: 'GET', url: '/.well-known/security.txt' })).statusCode).toBe(404);
    const first = `first-${randomBytes(3).toString('hex')}@example.org`;
    await h.services.users.createUser(OPERATOR, { email: first, name: 'First', isAdmin: true });
    h.clock.advance(1_000);
    await h.services.users.createUser(OPERATOR, {
      email: `second-${first}`,
      name: 'Second',
      isAdmin: true,
    });
    const res = await h.app.inject({ method: 'GET', url: '/.well-known/security.txt' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`Contact: mailto:${first}\n`);
    // Served over plain http, the file says what is wrong, and the checker agrees.
    expect(res.body).toContain('# This instance is not served over https');
    expect(checkSecurityTxt(res.body, h.clock.now())).toEqual([
      'canonical must use https (http://localhost:8080/.well-known/security.txt)',
    ]);
  });
});
