/**
 * The front door (issue 13, item 1) on both databases, through HTTP: `/` lists the instance's
 * projects with only what their public pages show (names escaped), each with its report form,
 * security files, OpenPGP key and advisories, a page of FRONT_PAGE_SIZE at a time; the
 * header offers sign-in, or to a signed-in reader their work (then the page is not shared-cached).
 * An unknown path under `/p/` is the site's 404 page, never the app and its sign-in box.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRONT_PAGE_SIZE } from '../../src/modules/public/site/site.service.js';
import { describeEachDb } from '../support/db.js';
import { buildTestApp, createUser, OPERATOR, signIn, type TestApp } from '../support/app.js';

/** The browser journeys' hostile markup (test/browser/support.ts XSS), as project names. */
const XSS_NAMES = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(2)</script>',
  '<svg onload=alert(3)>',
  '<iframe srcdoc="<script>alert(4)</script>"></iframe>',
  '[link](javascript:alert(5)) <a href="javascript:alert(6)">x</a>',
];

/** No element a payload would make, and no script at all (the site has none). */
function expectNoActiveContent(body: string): void {
  expect(body).not.toMatch(/<script/i);
  expect(body).not.toMatch(/<(img|svg|iframe)\b/i);
  expect(body).not.toMatch(/<[^>]*\son\w+=/i);
  expect(body).not.toMatch(/href="javascript:/i);
}

describeEachDb('the front door', (get) => {
  let t: TestApp;
  // A web root with an index.html, as a built app has: what the app would answer is visible.
  const webRoot = mkdtempSync(join(tmpdir(), 'vigil-front-door-web-'));
  const APP_MARKER = '<div id="root">the single-page app</div>';
  const tag = randomBytes(2).toString('hex');
  const keyed = `fd-keyed-${tag}`;
  const plain = `fd-plain-${tag}`;
  const get_ = (url: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url, headers });

  beforeAll(async () => {
    mkdirSync(webRoot, { recursive: true });
    writeFileSync(join(webRoot, 'index.html'), `<!doctype html><html><body>${APP_MARKER}</body></html>`);
    t = await buildTestApp(get().db, undefined, { webRoot });
    await t.services.projects.createProject(OPERATOR, {
      slug: keyed,
      name: 'Keyed Project',
      preset: 'contour',
    });
    await t.services.projects.createProject(OPERATOR, {
      slug: plain,
      name: 'Plain Project',
      preset: 'sesame',
    });
    for (const [i, name] of XSS_NAMES.entries()) {
      await t.services.projects.createProject(OPERATOR, {
        slug: `fd-xss-${i}-${tag}`,
        name,
        preset: 'contour',
      });
    }
  });
  afterAll(async () => {
    await t?.app.close();
  });

  it('lists the projects, each with its report form, security files, key and advisories', async () => {
    const res = await get_('/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(String(res.headers.vary)).toMatch(/Cookie/);
    for (const slug of [keyed, plain]) {
      for (const tail of ['/report', '/security.txt', '/SECURITY.md', '/advisories']) {
        expect(res.body).toContain(`href="http://vigil.test/p/${slug}${tail}"`);
      }
      expect(res.body).toContain(`href="http://vigil.test/p/${slug}"`);
    }
    expect(res.body).toContain('>Keyed Project</a>');
    expect(res.body).toContain('>Plain Project</a>');
    // The key: every project has one (`pgp-key.asc` makes it when first asked), so the link answers.
    for (const slug of [keyed, plain]) {
      expect(res.body).toContain(`href="http://vigil.test/p/${slug}/pgp-key.asc"`);
      const key = await get_(`/p/${slug}/pgp-key.asc`);
      expect(key.statusCode, slug).toBe(200);
      expect(key.body).toContain('BEGIN PGP PUBLIC KEY BLOCK');
    }
    // Signed out: sign in; nothing of one's work.
    expect(res.body).toContain('<a href="/sign-in">Sign in</a>');
    expect(res.body).not.toContain('href="/dashboard"');
    expect(res.body).not.toContain('Projects 1–');
  });

  it('escapes project names: hostile markup reads as text', async () => {
    const res = await get_('/');
    expectNoActiveContent(res.body);
    expect(res.body).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(res.body).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(res.body).toContain('&lt;iframe srcdoc=&quot;&lt;script&gt;alert(4)&lt;/script&gt;&quot;&gt;');
    expect(res.body).toContain('&lt;a href=&quot;javascript:alert(6)&quot;&gt;x&lt;/a&gt;');
  });

  it('gives a signed-in reader links to their work and the inbox, sent private', async () => {
    const user = await createUser(t);
    const client = await signIn(t, user.email);
    const res = await client.request('GET', '/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.body).toContain('<a href="/dashboard">Your work</a>');
    expect(res.body).toContain('<a href="/cases">Inbox</a>');
    expect(res.body).not.toContain('href="/sign-in"');
    // Only the header changes: the projects are the public ones, as anyone reads them.
    expect(res.body).toContain('>Keyed Project</a>');
    // A stale cookie is just a visitor.
    const stale = await get_('/', { cookie: 'vigil_session=not-a-session-at-all' });
    expect(stale.statusCode).toBe(200);
    expect(stale.body).toContain('<a href="/sign-in">Sign in</a>');
    expect(stale.headers['cache-control']).toBe('public, max-age=300');
  });

  it('answers an unknown path under /p/ with the site 404 page, not the app and its sign-in box', async () => {
    for (const url of [
      '/p/nope',
      '/p/nope/advisories',
      `/p/${keyed}/nonsense`,
      `/p/${keyed}/deep/unknown/path`,
      '/p/nope/deep/unknown/path',
      '/p/nope/report',
      `/p/${keyed}/advisories/NO-SUCH-ADVISORY`,
      `/p/${keyed}/nonsense.txt`,
    ]) {
      const res = await get_(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toBe('text/html; charset=utf-8');
      expect(res.body, url).toContain('<h1>Page not found</h1>');
      expect(res.body, url).toContain('This page does not exist.');
      expect(res.body, url).toContain('<a href="/">See the projects on this instance</a>');
      expect(res.body, url).not.toContain(APP_MARKER);
      expect(res.body, url).not.toMatch(/type="password"|<form/i);
      expectNoActiveContent(res.body);
    }
    // The app's public pages of a project that exists are still the app's.
    for (const url of [`/p/${keyed}/report`, `/p/${keyed}/distributors/apply`]) {
      const res = await get_(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toContain(APP_MARKER);
    }
    // Elsewhere the app answers as before (its own routes decide).
    expect((await get_('/cases')).body).toContain(APP_MARKER);
  });

  describe('many projects', () => {
    beforeAll(async () => {
      for (let i = 0; i < FRONT_PAGE_SIZE; i++) {
        const slug = `fd-many-${String(i).padStart(3, '0')}-${tag}`;
        await t.services.projects.createProject(OPERATOR, { slug, name: `Many ${i}`, preset: 'contour' });
      }
    }, 120_000);

    it(`shows ${FRONT_PAGE_SIZE} a page with links between pages; a page past the last is 404`, async () => {
      const total = FRONT_PAGE_SIZE + 2 + XSS_NAMES.length;
      const first = await get_('/');
      expect(first.statusCode).toBe(200);
      const cards = (body: string) => body.match(/<li class="card">/g)?.length ?? 0;
      expect(cards(first.body)).toBe(FRONT_PAGE_SIZE);
      expect(first.body).toContain(`Projects 1–${FRONT_PAGE_SIZE} of ${total} (page 1 of 2).`);
      expect(first.body).toContain('<a href="/?page=2" rel="next">Next page</a>');
      expect(first.body).not.toContain('rel="prev"');
      const second = await get_('/?page=2');
      expect(second.statusCode).toBe(200);
      expect(cards(second.body)).toBe(total - FRONT_PAGE_SIZE);
      expect(second.body).toContain(`Projects ${FRONT_PAGE_SIZE + 1}–${total} of ${total} (page 2 of 2).`);
      expect(second.body).toContain('<a href="/" rel="prev">Previous page</a>');
      // Every project is on exactly one page.
      const slugs = (body: string) =>
        [...body.matchAll(/<h3><a href="http:\/\/vigil\.test\/p\/([^"]+)">/g)].map((m) => m[1]);
      const all = [...slugs(first.body), ...slugs(second.body)];
      expect(new Set(all).size).toBe(total);
      const past = await get_('/?page=3');
      expect(past.statusCode).toBe(404);
      expect(past.body).toContain('<h1>Page not found</h1>');
      for (const bad of ['0', '-1', 'x', '1.5', '100001']) {
        const res = await get_(`/?page=${bad}`);
        expect(res.statusCode, bad).toBe(400);
        expect(res.headers['content-type'], bad).toMatch(/application\/problem\+json/);
        expect(res.body, bad).toContain('page');
      }
    });
  });
});
