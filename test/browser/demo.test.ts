/**
 * `vigil demo` in the browser (issue 13, item 6): the real binary fills a fresh SQLite data
 * directory and serves it; the demo team member signs in with the link it printed. Every page says
 * the data is made up: the app's pages (signed in, and the reporter's side) from the API's field,
 * the server's public pages in their HTML. Each page is photographed and checked with axe-core
 * (test-results/demo-*.png); any console error or CSP violation fails the journey.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  assertPrerequisites,
  childEnv,
  freePort,
  openJourneyPage,
  setPasswordFromLink,
  stopServer,
  VIGIL,
} from './support.js';

const PASSWORD = 'correct horse battery staple';
const BANNER = 'Demo instance: the data here is made up.';

describe('vigil demo in the browser', () => {
  let dataDir = '';
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  let output = '';

  beforeAll(async () => {
    assertPrerequisites();
    dataDir = mkdtempSync(join(tmpdir(), 'vigil-demo-journey-'));
    const port = await freePort();
    server = spawn(process.execPath, [VIGIL, 'demo', '--port', String(port), '--data', dataDir], {
      env: { ...childEnv(), VIGIL_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout?.setEncoding('utf8');
    server.stderr?.setEncoding('utf8');
    server.stdout?.on('data', (chunk: string) => (output += chunk));
    server.stderr?.on('data', (chunk: string) => (output += chunk));
    browser = await chromium.connect(inject('chromiumEndpoint'));
    const until = Date.now() + 60_000;
    while (!/\/sign-in\/link#token=\S+/.test(output)) {
      if (Date.now() > until || server.exitCode !== null)
        throw new Error(`vigil demo did not serve:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    if (server) await stopServer(server);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('marks every page as demo data: the app signed in, the reporter’s side, the public site', async () => {
    const link = /https?:\/\/\S+\/sign-in\/link#token=\S+/.exec(output)?.[0] ?? '';
    const reporterLink = /https?:\/\/\S+\/r\/vrt_\S+/.exec(output)?.[0] ?? '';
    const base = new URL(link).origin;
    if (!browser) throw new Error('no browser');
    const { context, page, problems, shot } = await openJourneyPage(browser, 'demo');
    try {
      await setPasswordFromLink(page, link, PASSWORD);
      await expect.poll(() => page.getByTestId('demo-banner').textContent()).toBe(BANNER);
      await shot('projects');

      // The team member's inbox holds the demo's cases.
      await page.goto(`${base}/cases`);
      await expect.poll(() => page.getByRole('link', { name: /CTR-2026-\d{4}/ }).count()).toBeGreaterThan(0);
      await expect.poll(() => page.getByTestId('demo-banner').isVisible()).toBe(true);
      await shot('cases');

      // The reporter's side, in the app's public frame.
      await page.goto(reporterLink);
      await expect.poll(() => page.getByTestId('demo-banner').isVisible()).toBe(true);
      await shot('reporter');

      // The server's public pages.
      for (const [name, path] of [
        ['front', '/'],
        ['advisories', '/p/contour/advisories'],
      ] as const) {
        await page.goto(`${base}${path}`);
        await expect
          .poll(() => page.getByRole('complementary', { name: 'Demo instance' }).textContent())
          .toBe(BANNER);
        await shot(name);
      }
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});
