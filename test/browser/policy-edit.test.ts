/**
 * A browser journey through the real binaries, as a user would take it: `vigil serve` on a fresh
 * SQLite data directory, a project created with `vigil project create`, then Chromium: open the
 * first admin's one-time link, set a password, open the project, edit the policy and watch the
 * SECURITY.md preview follow before saving, save, reload, sign out and back in.
 *
 * Needs `npm run build` (the server and the web UI) and Chromium at /usr/bin/chromium. Any console
 * error or CSP violation in the page fails the test; screenshots go to test-results/.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type ConsoleMessage } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const VIGIL = join(ROOT, 'bin', 'vigil');
const SHOTS = join(ROOT, 'test-results');
const CHROMIUM = '/usr/bin/chromium';
const PASSWORD = 'correct horse battery staple';
const LINK_PATTERN = /https?:\/\/\S+\/sign-in\/link#token=\S+/;
const RUNNING_PATTERN = /Vigil\b.*\bis running at (https?:\/\/\S+)/;

const run = promisify(execFile);

/** The environment for the binaries: SQLite in our temp dir, whatever the caller's shell says. */
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key === 'DATABASE_URL' || key.startsWith('VIGIL_')) delete env[key];
  }
  return env;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Starts `vigil serve` and waits for its address and the first admin's one-time link. */
async function startServer(
  port: number,
  dataDir: string,
): Promise<{ child: ChildProcess; url: string; link: string }> {
  const child = spawn(process.execPath, [VIGIL, 'serve', '--port', String(port), '--data', dataDir], {
    cwd: ROOT,
    env: childEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolveStart, reject) => {
    const fail = (why: string) => {
      child.stdout?.removeListener('data', onData);
      reject(new Error(`vigil serve ${why}.\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    };
    const onExit = (code: number | null, signal: string | null) => {
      clearTimeout(timer);
      fail(`exited early (${code ?? signal})`);
    };
    const onData = (chunk: string) => {
      stdout += chunk;
      const url = RUNNING_PATTERN.exec(stdout)?.[1];
      const link = LINK_PATTERN.exec(stdout)?.[0];
      if (url && link) {
        clearTimeout(timer);
        child.stdout?.removeListener('data', onData);
        child.removeListener('exit', onExit);
        // Keep draining the server's output so it never blocks on a full pipe.
        child.stdout?.resume();
        resolveStart({ child, url, link });
      }
    };
    const timer = setTimeout(() => {
      child.removeListener('exit', onExit);
      child.kill('SIGKILL');
      fail('did not print its address and one-time link within 20 s');
    }, 20_000);
    child.once('exit', onExit);
    child.stdout?.on('data', onData);
  });
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Network answers the journey expects to fail, which Chromium logs as console errors. */
interface ExpectedFailure {
  path: string;
  status: number;
}

function isExpected(message: ConsoleMessage, expected: ExpectedFailure[]): boolean {
  const text = message.text();
  const url = message.location().url;
  return expected.some(
    (e) =>
      text.startsWith(`Failed to load resource: the server responded with a status of ${e.status} `) &&
      url !== undefined &&
      new URL(url).pathname === e.path,
  );
}

describe('browser journey: editing a project policy', () => {
  let dataDir = '';
  let server: ChildProcess | undefined;
  let baseUrl = '';
  let signInLink = '';
  let browser: Browser | undefined;

  beforeAll(async () => {
    for (const built of ['dist/cli/main.js', 'dist/web/index.html']) {
      if (!existsSync(join(ROOT, built))) {
        throw new Error(`${built} is missing: build first with \`npm run build\`, then run this test.`);
      }
    }
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}.`);
    mkdirSync(SHOTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'vigil-browser-'));

    const started = await startServer(await freePort(), dataDir);
    server = started.child;
    baseUrl = started.url;
    signInLink = started.link;

    await run(
      process.execPath,
      [
        VIGIL,
        'project',
        'create',
        'demo',
        '--name',
        'Demo Project',
        '--preset',
        'contour',
        '--data',
        dataDir,
      ],
      { cwd: ROOT, env: childEnv() },
    );

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (server) await stopServer(server);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('sets a password from the link, edits the policy with a live preview, saves, and signs in again', async () => {
    if (!browser) throw new Error('Chromium did not start.');
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    page.setDefaultTimeout(8_000);

    // Signed out, the app asks for the session and is told 401: that one is expected.
    const expected: ExpectedFailure[] = [{ path: '/api/v1/auth/session', status: 401 }];
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' && !isExpected(message, expected)) {
        problems.push(`console error: ${message.text()} (${message.location().url})`);
      }
    });
    page.on('pageerror', (error) => problems.push(`uncaught error: ${error.message}`));
    // Reports CSP violations even where Chromium's console message would be easy to miss.
    await page.addInitScript({
      content:
        "document.addEventListener('securitypolicyviolation', (e) => " +
        "console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + e.blockedURI));",
    });
    const shot = (name: string) =>
      page.screenshot({ path: join(SHOTS, `policy-edit-${name}.png`), fullPage: true });

    // 1. The one-time link: set a password, land on the projects, the token gone from the address.
    expect(new URL(signInLink).origin).toBe(baseUrl);
    const first = await page.goto(signInLink);
    expect(first?.status()).toBe(200);
    const csp = first?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    await page.getByRole('heading', { name: 'Set your password' }).waitFor();
    await page.getByLabel('New password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Confirm new password').fill(PASSWORD);
    await shot('01-set-password');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await page.waitForURL(`${baseUrl}/projects`);
    expect(new URL(page.url()).hash).toBe('');
    const email = (await page.getByTestId('signed-in-email').textContent())?.trim() ?? '';
    expect(email).toContain('@');

    // 2. The project: its policy renders to SECURITY.md with the preset's 3 business days.
    await page.getByRole('link', { name: 'Demo Project' }).click();
    await page.waitForURL(`${baseUrl}/projects/demo`);
    await page.getByRole('heading', { level: 1, name: 'Demo Project' }).waitFor();
    const preview = page.getByTestId('security-md-preview');
    await preview.filter({ hasText: '3 business days' }).waitFor();
    await expect(page.getByTestId('policy-version').textContent()).resolves.toBe('Policy version 1');
    await shot('02-project');

    // 3. An invalid value: the issue is listed by line and path, the last good preview stays, marked
    // out of date. (The render endpoint answers 422, which Chromium logs.)
    const editor = page.getByLabel('Policy YAML');
    const original = await editor.inputValue();
    const withFirstResponse = (days: number) =>
      original.replace(/(firstResponse:\s*\n\s*businessDays:\s*)3\b/, (_, key: string) => `${key}${days}`);
    expect(withFirstResponse(5)).not.toBe(original);
    expected.push({ path: '/api/v1/policy/render', status: 422 });
    await editor.fill(withFirstResponse(0));
    await page.getByText(/^line \d+, triage\.firstResponse\.businessDays: /).waitFor();
    await page.getByText('Out of date').waitFor();
    await preview.filter({ hasText: '3 business days' }).waitFor();
    await shot('03-invalid');

    // 4. Five business days: the preview follows as the user types; nothing is saved yet.
    await editor.fill(withFirstResponse(5));
    await preview.filter({ hasText: '5 business days' }).waitFor();
    expected.pop();
    await expect(preview.textContent()).resolves.not.toContain('3 business days');
    await page.getByText('Out of date').waitFor({ state: 'detached' });
    await page.getByText('Unsaved changes to version 1.').waitFor();
    const unsaved = await page.request.get(`${baseUrl}/api/v1/projects/demo`);
    expect(((await unsaved.json()) as { policyVersion: number }).policyVersion).toBe(1);
    await shot('04-edited');

    // 5. Save: version 2.
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved as version 2.').waitFor();
    await page.getByTestId('policy-version').filter({ hasText: 'Policy version 2' }).waitFor();
    await shot('05-saved');

    // 6. Reload: version 2 is what the server now holds.
    await page.reload();
    await preview.filter({ hasText: '5 business days' }).waitFor();
    await expect(page.getByTestId('policy-version').textContent()).resolves.toBe('Policy version 2');
    await expect(editor.inputValue()).resolves.toMatch(/businessDays:\s*5\b/);
    await page.getByTestId('policy-versions').locator('tbody tr').nth(1).waitFor();
    await expect(page.getByTestId('policy-versions').locator('tbody tr').count()).resolves.toBe(2);
    await shot('06-reloaded');

    // 7. Sign out; a wrong password is refused with the server's message.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${baseUrl}/sign-in`);
    await page.goto(`${baseUrl}/projects/demo`);
    await page.waitForURL(`${baseUrl}/sign-in?next=%2Fprojects%2Fdemo`);
    expected.push({ path: '/api/v1/auth/sign-in', status: 401 });
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'Sign-in failed' }).waitFor();
    await shot('07-wrong-password');

    // 8. Sign back in with the password set in step 1: back on the page the user asked for.
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(`${baseUrl}/projects/demo`);
    await preview.filter({ hasText: '5 business days' }).waitFor();
    await expect(page.getByTestId('signed-in-email').textContent()).resolves.toBe(email);
    await shot('08-signed-in-again');

    await context.close();
    expect(problems).toEqual([]);
  });
});
