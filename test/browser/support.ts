/**
 * What the browser journeys share: the real `vigil serve` binary on a temp SQLite data directory
 * (whatever DATABASE_URL or VIGIL_* the caller's shell has), the operator commands run in process
 * on that directory, the tier's one Chromium (global-setup.ts) through playwright-core, and a page
 * watcher that fails the journey on any console error, uncaught error, dialog or CSP violation the
 * journey did not announce.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type ConsoleMessage,
  type Page,
} from 'playwright-core';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { runCommandInEnv } from '../support/cli.js';
import { assertChromium } from './chromium.js';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const VIGIL = join(ROOT, 'bin', 'vigil');
export const SHOTS = join(ROOT, 'test-results');
const LINK_PATTERN = /https?:\/\/\S+\/sign-in\/link#token=\S+/;
const RUNNING_PATTERN = /Vigil\b.*\bis running at (https?:\/\/\S+)/;

/** Throws unless the server, the web UI and Chromium are there. */
export function assertPrerequisites(): void {
  for (const built of ['dist/cli/main.js', 'dist/web/index.html']) {
    if (!existsSync(join(ROOT, built))) {
      throw new Error(`${built} is missing: build first with \`npm run build\`, then run this test.`);
    }
  }
  assertChromium();
}

/** The environment for the binaries: SQLite in our temp dir, whatever the caller's shell says. */
export function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key === 'DATABASE_URL' || key.startsWith('VIGIL_')) delete env[key];
  }
  return env;
}

/**
 * Runs `vigil <args> --data <dataDir>` (in process, beside the running server) and returns its
 * standard output; a non-zero exit throws. `publicUrl` is the running server's address, for the
 * links the command prints (as VIGIL_PUBLIC_URL would be set in production).
 */
export async function vigil(dataDir: string, publicUrl: string, ...args: string[]): Promise<string> {
  const r = await runCommandInEnv([...args, '--data', dataDir], {
    ...childEnv(),
    VIGIL_PUBLIC_URL: publicUrl,
  });
  if (r.code !== 0) throw new Error(`vigil ${args.join(' ')} exited with ${r.code}:\n${r.stderr}`);
  return r.stdout;
}

export async function freePort(): Promise<number> {
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
export async function startServer(
  port: number,
  dataDir: string,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; url: string; link: string }> {
  const child = spawn(process.execPath, [VIGIL, 'serve', '--port', String(port), '--data', dataDir], {
    cwd: ROOT,
    env: { ...childEnv(), ...env },
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

export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** A journey's running parts, once its `beforeAll` has started them. */
export interface Journey {
  dataDir: string;
  /** The server's address, e.g. `http://127.0.0.1:41234`. */
  baseUrl: string;
  /** The first admin's one-time sign-in link, as `vigil serve` printed it. */
  adminLink: string;
  /** The tier's shared Chromium, connected for this journey: open a context of your own. */
  browser: Browser;
  /** Runs `vigil <args>` on the journey's data directory, with its address for the links printed. */
  vigil: (...args: string[]) => Promise<string>;
}

/**
 * Registers the hooks every journey needs: before all, the prerequisites checked, `vigil serve`
 * on a fresh data directory named after `prefix` (with `serverEnv` added to its environment), and a connection to the shared Chromium; after
 * all, the server stopped, the connection closed (the browser stays, for the next journey) and the
 * directory removed. Returns the parts, to call from the journey's own hooks and tests.
 * `serverEnv` may be a function, called when the server starts: for addresses a `beforeAll`
 * registered before this call learns (an SMTP sink's, a webhook receiver's).
 */
export function useJourney(
  prefix: string,
  serverEnv: Record<string, string> | (() => Record<string, string>) = {},
): () => Journey {
  let journey: Journey | undefined;
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  let dataDir = '';

  beforeAll(async () => {
    assertPrerequisites();
    mkdirSync(SHOTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), prefix));
    const [started, connected] = await Promise.all([
      startServer(await freePort(), dataDir, typeof serverEnv === 'function' ? serverEnv() : serverEnv),
      chromium.connect(inject('chromiumEndpoint')),
    ]);
    server = started.child;
    browser = connected;
    const dir = dataDir;
    journey = {
      dataDir: dir,
      baseUrl: started.url,
      adminLink: started.link,
      browser,
      vigil: (...args) => vigil(dir, started.url, ...args),
    };
  });

  afterAll(async () => {
    await browser?.close();
    if (server) await stopServer(server);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  return () => {
    if (!journey) throw new Error('The journey did not start: see the error of its beforeAll.');
    return journey;
  };
}

/** Adds a user with the CLI as a member of project `slug`'s security team; returns their one-time link. */
export async function addTeamMember(
  journey: Journey,
  slug: string,
  user: { email: string; name: string },
): Promise<string> {
  const added = JSON.parse(
    await journey.vigil('user', 'add', '--email', user.email, '--name', user.name, '--json'),
  ) as { signInLink: string };
  await journey.vigil('project', 'member', 'add', slug, '--email', user.email);
  return added.signInLink;
}

/**
 * Creates project `slug` named `name` with the CLI from preset `preset`'s policy, its YAML changed by
 * `edit` first (e.g. a top-level section appended): for a journey that needs a policy setting no
 * preset has.
 */
export async function createProjectWithPolicy(
  journey: Journey,
  slug: string,
  name: string,
  preset: 'contour' | 'sesame' | 'emissary' | 'k8spolicy',
  edit: (yaml: string) => string,
): Promise<void> {
  const r = await runCommandInEnv(['policy', 'preset', preset], childEnv());
  if (r.code !== 0) throw new Error(`vigil policy preset ${preset} exited with ${r.code}:\n${r.stderr}`);
  const file = join(journey.dataDir, `${slug}.policy.yaml`);
  writeFileSync(file, edit(r.stdout));
  await journey.vigil('project', 'create', slug, '--name', name, '--preset', file);
}

/** The member of project `demo`'s security team in the journeys that have one. */
export const TEAM_MEMBER = { email: 'tess@example.org', name: 'Tess Team' };

/** A journey whose project `demo` has TEAM_MEMBER on its security team. */
export interface TeamJourney extends Journey {
  /** TEAM_MEMBER's one-time sign-in link. */
  teamLink: string;
}

/**
 * useJourney, then, before all, project `demo` ("Demo Project", preset contour) created with the
 * CLI and TEAM_MEMBER added to its security team.
 */
export function useTeamJourney(prefix: string): () => TeamJourney {
  const journey = useJourney(prefix);
  let teamLink = '';
  beforeAll(async () => {
    const j = journey();
    await j.vigil('project', 'create', 'demo', '--name', 'Demo Project', '--preset', 'contour');
    teamLink = await addTeamMember(j, 'demo', TEAM_MEMBER);
  });
  return () => ({ ...journey(), teamLink });
}

/** Opens a one-time sign-in link, sets `password`, and waits for the dashboard it leads to. */
export async function setPasswordFromLink(page: Page, link: string, password: string): Promise<void> {
  await page.goto(link);
  await page.getByLabel('New password', { exact: true }).fill(password);
  await page.getByLabel('Confirm new password').fill(password);
  await page.getByRole('button', { name: 'Set password and sign in' }).click();
  await page.waitForURL(`${new URL(link).origin}/dashboard`);
}

/** A network answer the journey expects to fail (Chromium logs each as a console error). */
export interface ExpectedFailure {
  path: string | RegExp;
  status: number;
}

function isExpected(message: ConsoleMessage, expected: ExpectedFailure[]): boolean {
  const text = message.text();
  const url = message.location().url;
  if (!url) return false;
  const path = new URL(url).pathname;
  return expected.some(
    (e) =>
      text.startsWith(`Failed to load resource: the server responded with a status of ${e.status} `) &&
      (typeof e.path === 'string' ? path === e.path : e.path.test(path)),
  );
}

/**
 * Watches a page: collects every console error, uncaught error, JavaScript dialog (an injected
 * `alert(1)` would open one) and CSP violation, except the failures listed in `expected`, which
 * the journey may add to as it goes, and the confirmations it announces in `confirms` (the page's
 * own `confirm()` before something final: the first pattern that matches its message is used up
 * and the dialog accepted, as the user would).
 */
export async function watchPage(page: Page, expected: ExpectedFailure[] = []) {
  const problems: string[] = [];
  const confirms: RegExp[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !isExpected(message, expected)) {
      problems.push(`console error: ${message.text()} (${message.location().url})`);
    }
  });
  page.on('pageerror', (error) => problems.push(`uncaught error: ${error.message}`));
  page.on('dialog', (dialog) => {
    const announced = confirms.findIndex((c) => c.test(dialog.message()));
    if (dialog.type() === 'confirm' && announced >= 0) {
      confirms.splice(announced, 1);
      void dialog.accept();
      return;
    }
    problems.push(`unexpected dialog: ${dialog.type()} ${dialog.message()}`);
    void dialog.dismiss();
  });
  // Reports CSP violations even where Chromium's console message would be easy to miss.
  await page.addInitScript({
    content:
      "document.addEventListener('securitypolicyviolation', (e) => " +
      "console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + e.blockedURI));",
  });
  return { problems, expected, confirms };
}

/** A page opened by openJourneyPage, with its watcher's lists and a screenshot function. */
export interface JourneyPage {
  context: BrowserContext;
  page: Page;
  /** What watchPage collected: the journey fails unless it stays empty. */
  problems: string[];
  /** The failures the journey expects; it may add to them as it goes. */
  expected: ExpectedFailure[];
  /** The `confirm()` dialogs the journey expects next (by message), accepted as they come. */
  confirms: RegExp[];
  /**
   * Saves a full-page screenshot as test-results/<shotPrefix>-<name>.png, and checks the page as it
   * is against axe-core's WCAG 2.1 A and AA rules: each violation joins `problems`.
   */
  shot: (name: string) => Promise<Buffer>;
}

/**
 * A new browser context (1400 x 1000, plus `context` options) and page, with an 8 s default
 * timeout, watched by watchPage: the signed-out app's 401 for its session is expected, and so are
 * the `expected` failures.
 */
export async function openJourneyPage(
  browser: Browser,
  shotPrefix: string,
  options: { context?: BrowserContextOptions; expected?: ExpectedFailure[] } = {},
): Promise<JourneyPage> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, ...options.context });
  const page = await context.newPage();
  page.setDefaultTimeout(8_000);
  const { problems, expected, confirms } = await watchPage(page, [
    { path: '/api/v1/auth/session', status: 401 },
    ...(options.expected ?? []),
  ]);
  const shot = async (name: string) => {
    const png = await page.screenshot({ path: join(SHOTS, `${shotPrefix}-${name}.png`), fullPage: true });
    problems.push(...(await accessibilityViolations(page)).map((v) => `${shotPrefix}-${name}: ${v}`));
    return png;
  };
  return { context, page, problems, expected, confirms, shot };
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * axe-core's WCAG 2.1 A and AA violations on the page as it is now, one line each (rule, impact,
 * the first offending elements). axe is evaluated through the DevTools protocol, which the page's
 * CSP does not govern, so the check adds no script to the page and no CSP exception.
 */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const loaded = await page.evaluate('typeof window.axe === "object"');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async (tags) => {
    // Runs in the page: its globals are the browser's (this file is compiled without the DOM lib).
    const { axe, document } = globalThis as unknown as { axe: AxeApi; document: object };
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? 'unknown',
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    }));
  }, WCAG_21_AA);
  return violations.map((v) => `axe ${v.id} (${v.impact}) at ${v.targets.join(', ')}`);
}

/** The part of axe-core's API the check uses. */
interface AxeApi {
  run(
    context: object,
    options: { runOnly: { type: 'tag'; values: string[] } },
  ): Promise<{ violations: { id: string; impact?: string | null; nodes: { target: string[] }[] }[] }>;
}

/**
 * Calls the API from inside the page, as the web client does: the session cookie, and the CSRF
 * token (read from the session) on every write. `json` is the parsed body (null when empty), typed
 * as the caller says.
 */
export async function apiFromPage<T = unknown>(
  page: Page,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: T }> {
  const answer = await page.evaluate(
    async ({ method, path, body }) => {
      const session = (await (await fetch('/api/v1/auth/session')).json()) as { csrfToken: string };
      const headers: Record<string, string> = {
        Accept: 'application/json',
        'X-CSRF-Token': session.csrfToken,
      };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const res = await fetch(`/api/v1${path}`, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, json: text ? (JSON.parse(text) as unknown) : null };
    },
    { method, path, body },
  );
  return { status: answer.status, json: answer.json as T };
}

/**
 * Markup a hostile person types into free text (or pushes, or imports): each must show as text,
 * never run nor render. The page watcher fails the journey on any dialog an `alert()` would open,
 * and `noInjectedMarkup` looks for the elements themselves.
 */
export const XSS = {
  img: '<img src=x onerror=alert(1)>',
  script: '<script>alert(2)</script>',
  svg: '<svg onload=alert(3)>',
  iframe: '<iframe srcdoc="<script>alert(4)</script>"></iframe>',
  link: '[link](javascript:alert(5)) <a href="javascript:alert(6)">x</a>',
} as const;

/** No element that any payload of XSS would have made is in the page. */
export async function noInjectedMarkup(page: Page): Promise<void> {
  const injected = await page
    .locator('img[src="x"], svg[onload], iframe[srcdoc], a[href^="javascript:"], script:not([src])')
    .count();
  expect(injected).toBe(0);
}

/** Runs git in `cwd` as `who`, with nothing of the caller's git configuration (HOME is `dir`). */
export function gitAs(dir: string, who: string) {
  return (cwd: string, ...args: string[]) =>
    execFileSync('git', args, {
      cwd,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: who,
        GIT_AUTHOR_EMAIL: 'dev@example.org',
        GIT_COMMITTER_NAME: who,
        GIT_COMMITTER_EMAIL: 'dev@example.org',
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_TERMINAL_PROMPT: '0',
        HOME: dir,
      },
      stdio: 'pipe',
    });
}
