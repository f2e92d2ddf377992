/**
 * A browser journey through the front door (issue 13, item 1) with the real binaries: `vigil
 * serve` on a fresh SQLite data directory, projects made with the CLI (a third, named with markup,
 * on the way), then Chromium:
 *
 * - a newcomer opens the site root `/`, finds the Demo Project among the others, follows its
 *   "Report a vulnerability" link to the form, files a report and reads the confirmation;
 * - an unknown path under `/p/` (an unknown project, an unknown page of a known one, a deep one)
 *   is the site's 404 page, which says so and leads back to the front page: never a sign-in box;
 * - a member of the security team, signed in, finds "Your work" and the inbox on the front page,
 *   and the report in the inbox.
 *
 * The front page and the 404 page are checked with axe-core (WCAG 2.1 A and AA). With
 * VIGIL_GUIDE_SCREENSHOTS=1 the journey also writes the guide's pictures,
 * docs/guide/img/front-door.png and docs/guide/img/not-found.png (otherwise it leaves the tree alone).
 *
 * Needs `npm run build` and Chromium at /usr/bin/chromium. Any console error, dialog or CSP
 * violation not announced by the journey fails it; screenshots go to test-results/front-door-*.png.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  noInjectedMarkup,
  openJourneyPage,
  ROOT,
  setPasswordFromLink,
  useTeamJourney,
  XSS,
} from './support.js';

const PASSWORD = 'correct horse battery staple';
const SUBJECT = 'Request smuggling through chunked trailers';
const HOSTILE_NAME = `Hostile ${XSS.script}${XSS.img}`;
const GUIDE_IMAGES = join(ROOT, 'docs', 'guide', 'img');

/** Writes a picture for the guides when VIGIL_GUIDE_SCREENSHOTS=1 (regenerating them), else nothing. */
async function guideShot(page: Page, file: string): Promise<void> {
  if (process.env.VIGIL_GUIDE_SCREENSHOTS !== '1') return;
  mkdirSync(GUIDE_IMAGES, { recursive: true });
  await page.screenshot({ path: join(GUIDE_IMAGES, file), fullPage: true });
}

describe('browser journey: the front door', () => {
  const journey = useTeamJourney('vigil-front-door-');

  beforeAll(async () => {
    const j = journey();
    await j.vigil('project', 'create', 'sesame', '--name', 'Sesame', '--preset', 'sesame');
  });

  it('takes a newcomer from the site root to a filed report; unknown paths are a 404 page', async () => {
    const { browser, baseUrl, teamLink, vigil } = journey();
    const unknown = ['/p/nope', '/p/demo/nonsense', '/p/demo/deep/unknown/path/here'];
    const visitor = await openJourneyPage(browser, 'front-door', {
      expected: unknown.map((path) => ({ path, status: 404 })),
    });
    const { page, shot } = visitor;

    // The site root: the projects, each with where to report and its security files.
    const front = await page.goto(`${baseUrl}/`);
    expect(front?.status()).toBe(200);
    await page.getByRole('heading', { level: 1, name: 'Security reporting and advisories' }).waitFor();
    const site = page.getByRole('navigation', { name: 'Site' });
    await site.getByRole('link', { name: 'Sign in', exact: true }).waitFor();
    expect(await site.getByRole('link', { name: 'Your work' }).count()).toBe(0);
    const projects = page.getByRole('region', { name: 'Projects' });
    await projects.getByRole('heading', { level: 3, name: 'Sesame' }).waitFor();
    const card = projects
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { level: 3, name: 'Demo Project' }) });
    for (const link of ['Published advisories', 'SECURITY.md', 'security.txt', 'OpenPGP key']) {
      await card.getByRole('link', { name: link, exact: true }).waitFor();
    }
    await shot('01-front');
    await guideShot(page, 'front-door.png');

    // A project named with markup: its name reads as text.
    await vigil('project', 'create', 'hostile', '--name', HOSTILE_NAME, '--preset', 'emissary');
    await page.reload();
    await projects.getByRole('heading', { level: 3, name: HOSTILE_NAME }).waitFor();
    await noInjectedMarkup(page);
    await shot('01-front-hostile-name');

    // The report form, from the card.
    await card.getByRole('link', { name: 'Report a vulnerability' }).click();
    await page.waitForURL(`${baseUrl}/p/demo/report`);
    await page
      .getByRole('heading', { level: 1, name: 'Report a vulnerability to the Demo Project security team' })
      .waitFor();
    await page.getByLabel('Subject').fill(SUBJECT);
    await page.getByLabel('Name, or how to be referred to').fill('Nia Newcomer');
    await page.getByLabel('Steps to reproduce').fill('Send a chunked request with a trailer naming Host.');
    // Encrypted in the browser (the default) to the project's key.
    await page.getByTestId('key-fingerprint').waitFor();
    await shot('02-form');
    await page.getByRole('button', { name: 'Send the report' }).click();
    await page.getByRole('heading', { level: 1, name: 'Report received' }).waitFor();
    const humanId = (await page.getByTestId('case-id').textContent())?.trim() ?? '';
    expect(humanId).toMatch(/^[A-Z]+-\d{4}-\d{4}$/);
    await page.getByLabel('Your private link').waitFor();
    await shot('03-received');

    // Unknown paths under /p/: the site's 404 page, with the way back; no sign-in box.
    for (const [i, path] of unknown.entries()) {
      const answer = await page.goto(`${baseUrl}${path}`);
      expect(answer?.status(), path).toBe(404);
      await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
      await page.getByText('This page does not exist.').waitFor();
      expect(await page.locator('input[type="password"], form').count(), path).toBe(0);
      await shot(`04-not-found-${i}`);
    }
    await guideShot(page, 'not-found.png');
    await page.getByRole('link', { name: 'See the projects on this instance' }).click();
    await page.waitForURL(`${baseUrl}/`);
    await page.getByRole('heading', { level: 1, name: 'Security reporting and advisories' }).waitFor();
    expect(visitor.problems).toEqual([]);
    await visitor.context.close();

    // The team member, signed in: the front page leads to their work and the inbox.
    const member = await openJourneyPage(browser, 'front-door-team');
    await setPasswordFromLink(member.page, teamLink, PASSWORD);
    await member.page.goto(`${baseUrl}/`);
    const memberSite = member.page.getByRole('navigation', { name: 'Site' });
    await memberSite.getByRole('link', { name: 'Your work' }).waitFor();
    expect(await memberSite.getByRole('link', { name: 'Sign in', exact: true }).count()).toBe(0);
    await member.shot('01-front-signed-in');
    await memberSite.getByRole('link', { name: 'Your work' }).click();
    await member.page.waitForURL(`${baseUrl}/dashboard`);
    await member.page.getByRole('link', { name: 'Demo Project' }).first().waitFor();
    await member.page.goto(`${baseUrl}/`);
    await memberSite.getByRole('link', { name: 'Inbox' }).click();
    await member.page.waitForURL(`${baseUrl}/cases`);
    await member.page.getByTestId('cases').locator('tbody tr', { hasText: humanId }).waitFor();
    await member.shot('02-inbox');
    expect(member.problems).toEqual([]);
    await member.context.close();
  });
});
