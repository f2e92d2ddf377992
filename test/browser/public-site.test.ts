/**
 * A browser journey through the instance's public face (PROCESS.md §8, issue 10 item 7) with the
 * real binaries: `vigil serve` on a fresh SQLite data directory, project `demo` on the Contour
 * preset, and a published advisory imported with `vigil advisory import` whose summary and
 * details carry markup. Then Chromium:
 *
 * - with JavaScript disabled, a reader goes from the front page `/` to the project's page, its
 *   advisories and the advisory's page, each complete and readable, the imported markup shown as
 *   text; the machine-readable record and the security files answer, under the app's CSP. axe-core
 *   needs JavaScript to run (its timers do not fire in a page without it), so each of these pages
 *   is photographed and checked again in a context with JavaScript: they carry no script, so it is
 *   the same page;
 * - with JavaScript, a member of the security team follows the site's "Sign in" link and
 *   signs in: the app lands on /dashboard, their work.
 *
 * Needs `npm run build` and Chromium at /usr/bin/chromium. Any console error, dialog or CSP
 * violation fails it; every page photographed is checked with axe-core; screenshots go to
 * test-results/site-*.png.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addTeamMember,
  noInjectedMarkup,
  openJourneyPage,
  setPasswordFromLink,
  SHOTS,
  TEAM_MEMBER,
  useJourney,
  XSS,
} from './support.js';

const PASSWORD = 'correct horse battery staple';
const CVE = 'CVE-2025-31999';
const SUMMARY = `Header smuggling in the HTTP proxy ${XSS.script}${XSS.img}`;
const DETAILS = `A crafted request smuggles a second one past the proxy. ${XSS.iframe}

See [the report](javascript:alert(5)) and <a href="javascript:alert(6)">this</a>. ${XSS.svg}`;

/** A published OSV record, as a project's history holds them (osv.dev's shape). */
const RECORD = {
  schema_version: '1.6.0',
  id: 'GHSA-4x2c-9q7m-wv3p',
  aliases: [CVE],
  published: '2025-06-01T12:00:00Z',
  modified: '2025-06-02T08:00:00Z',
  summary: SUMMARY,
  details: DETAILS,
  affected: [
    {
      package: { ecosystem: 'Go', name: 'github.com/projectcontour/contour' },
      ranges: [{ type: 'SEMVER', events: [{ introduced: '1.25.0' }, { fixed: '1.25.3' }] }],
    },
  ],
  references: [{ type: 'ADVISORY', url: 'https://github.com/projectcontour/contour/security/advisories' }],
};

describe('browser journey: the public site', () => {
  const journey = useJourney('vigil-site-');
  let teamLink = '';
  let advisoryId = '';
  let dir = '';

  beforeAll(async () => {
    const j = journey();
    await j.vigil('project', 'create', 'demo', '--name', 'Demo Project', '--preset', 'contour');
    teamLink = await addTeamMember(j, 'demo', TEAM_MEMBER);
    dir = mkdtempSync(join(tmpdir(), 'vigil-site-import-'));
    const file = join(dir, 'GHSA-4x2c-9q7m-wv3p.json');
    writeFileSync(file, JSON.stringify(RECORD));
    const report = JSON.parse(await j.vigil('advisory', 'import', file, '--project', 'demo', '--json')) as {
      imported: { advisoryId: string }[];
    };
    advisoryId = report.imported[0]?.advisoryId ?? '';
    expect(advisoryId).not.toBe('');
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reads the front page, a project and its advisories without JavaScript', async () => {
    const { browser, baseUrl } = journey();
    const notFound = { path: '/p/demo/advisories/NO-SUCH-ADVISORY', status: 404 };
    const reader = await openJourneyPage(browser, 'site-nojs', {
      context: { javaScriptEnabled: false },
      expected: [notFound],
    });
    const { page } = reader;
    /** The pages read, each photographed without JavaScript, to check again with it. */
    const read: { name: string; url: string }[] = [];
    const shot = async (name: string) => {
      await page.screenshot({ path: join(SHOTS, `site-nojs-${name}.png`), fullPage: true });
      read.push({ name, url: page.url() });
    };

    // The front page: the instance's projects, each with its report form, files and advisories.
    const front = await page.goto(`${baseUrl}/`);
    expect(front?.status()).toBe(200);
    const csp = front?.headers()['content-security-policy'] ?? '';
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).not.toContain('unsafe-inline');
    await page.getByRole('heading', { level: 1, name: 'Security reporting and advisories' }).waitFor();
    const card = page
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: 'Demo Project' }) });
    await card.getByText(/1 published advisory; the newest: Header smuggling in the HTTP proxy/).waitFor();
    for (const link of [
      'Report a vulnerability',
      'Published advisories',
      'SECURITY.md',
      'security.txt',
      'OpenPGP key',
      'Apply to the distributors list',
    ]) {
      await card.getByRole('link', { name: link }).waitFor();
    }
    await page
      .getByRole('navigation', { name: 'Site' })
      .getByRole('link', { name: 'Sign in', exact: true })
      .waitFor();
    await noInjectedMarkup(page);
    await shot('01-front');

    // The project's page.
    await card.getByRole('link', { name: 'Demo Project' }).click();
    await page.waitForURL(`${baseUrl}/p/demo`);
    await page.getByRole('heading', { level: 1, name: 'Demo Project' }).waitFor();
    const table = page.getByRole('table', { name: 'Published advisories, newest first' });
    await table
      .getByRole('row', { name: new RegExp(`${CVE}.*Header smuggling in the HTTP proxy`) })
      .waitFor();
    await table.getByText(SUMMARY).waitFor();
    await noInjectedMarkup(page);
    await shot('02-project');

    // Its advisories, then the advisory.
    await page
      .getByRole('region', { name: 'Reporting a vulnerability' })
      .getByRole('link', { name: 'Published advisories' })
      .click();
    await page.waitForURL(`${baseUrl}/p/demo/advisories`);
    await page.getByRole('heading', { level: 1, name: 'Security advisories of Demo Project' }).waitFor();
    await page
      .getByRole('navigation', { name: 'Breadcrumb' })
      .getByRole('link', { name: 'Demo Project' })
      .waitFor();
    await noInjectedMarkup(page);
    await shot('03-advisories');
    await page.getByRole('link', { name: CVE }).click();
    await page.waitForURL(`${baseUrl}/p/demo/advisories/${advisoryId}`);
    const main = page.getByRole('main');
    await main.getByText(XSS.iframe, { exact: false }).first().waitFor();
    await main.getByText(XSS.svg, { exact: false }).first().waitFor();
    await main.getByText('Header smuggling in the HTTP proxy', { exact: false }).first().waitFor();
    const record = main.getByRole('complementary', { name: 'This advisory' });
    await record.getByText(CVE, { exact: true }).waitFor();
    await noInjectedMarkup(page);
    await shot('04-advisory');

    // The machine-readable record and the security files, as a scanner or `curl` reads them.
    const osvHref = await record.getByRole('link', { name: 'OSV' }).getAttribute('href');
    const osv = await page.request.get(new URL(osvHref ?? '', baseUrl).href);
    expect(osv.status()).toBe(200);
    const json = (await osv.json()) as { summary: string; aliases: string[] };
    expect(json.summary).toBe(SUMMARY);
    expect(json.aliases).toContain(CVE);
    for (const path of [
      '/p/demo/security.txt',
      '/p/demo/SECURITY.md',
      '/p/demo/advisories.atom',
      '/advisories.atom',
    ]) {
      expect((await page.request.get(`${baseUrl}${path}`)).status(), path).toBe(200);
    }
    // A missing advisory: the site's own 404 page, readable too.
    const missing = await page.goto(`${baseUrl}/p/demo/advisories/NO-SUCH-ADVISORY`);
    expect(missing?.status()).toBe(404);
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    await shot('05-not-found');

    expect(reader.problems).toEqual([]);
    await reader.context.close();

    // The same pages with JavaScript: photographed and checked with axe-core (and for CSP reports).
    const checker = await openJourneyPage(browser, 'site', { expected: [notFound] });
    for (const { name, url } of read) {
      await checker.page.goto(url);
      await checker.page.getByRole('heading', { level: 1 }).waitFor();
      await noInjectedMarkup(checker.page);
      await checker.shot(name);
    }
    expect(checker.problems).toEqual([]);
    await checker.context.close();
  });

  it('signs a team member in from the site: the app lands on /dashboard', async () => {
    const { browser, baseUrl } = journey();
    const first = await openJourneyPage(browser, 'site-link');
    await setPasswordFromLink(first.page, teamLink, PASSWORD);
    await first.context.close();

    const member = await openJourneyPage(browser, 'site-signin');
    const { page, shot } = member;
    await page.goto(`${baseUrl}/`);
    await page.getByRole('heading', { level: 1, name: 'Security reporting and advisories' }).waitFor();
    await page
      .getByRole('navigation', { name: 'Site' })
      .getByRole('link', { name: 'Sign in', exact: true })
      .click();
    await page.waitForURL(`${baseUrl}/sign-in`);
    await page.getByLabel('Email').fill(TEAM_MEMBER.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(`${baseUrl}/dashboard`);
    await page.getByRole('link', { name: 'Demo Project', exact: true }).waitFor();
    await shot('01-projects');
    // The app's root is the site's: a signed-in member going to `/` reads the front page.
    await page.goto(`${baseUrl}/`);
    await page.getByRole('heading', { level: 1, name: 'Security reporting and advisories' }).waitFor();
    await page.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: 'Your work' }).waitFor();
    expect(member.problems).toEqual([]);
    await member.context.close();
  });
});
