/**
 * `vigil demo` (issue 13, item 6), as a user runs it on a fresh data directory: four projects from
 * the seed presets, a case in every state of the transition table (a state added later fails here
 * until the demo shows it, or UNREACHABLE_STATES says why it cannot), conversations and advisories,
 * a sign-in link that signs the demo team member in, and the demo banner on the app's API and on the
 * server's pages. A second run adds nothing and serves; an instance with data of its own is refused.
 * Embedded SQLite (the demo's services are the API's, tested on both databases elsewhere).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/db/connection.js';
import {
  CASE_STATES,
  DISCLOSED_STATES,
  FIX_OPEN_STATES,
  type CaseState,
} from '../../src/modules/cases/case-transitions.js';
import { UNREACHABLE_STATES } from '../../cli/demo/demo.seed.js';
import { runCommand, runVigil, type CliResult } from '../support/cli.js';
import { startServer, type RunningServer } from '../support/server.js';

const SQLITE = { DATABASE_URL: undefined, VIGIL_PUBLIC_URL: undefined };
const NOTICE = 'Demo instance:</strong> the data here is made up.';

describe('vigil demo', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'vigil-demo-'));
    dirs.push(d);
    return d;
  };
  let data: string;
  let first: CliResult;
  let seconds: number;
  let db: Db;

  beforeAll(async () => {
    data = tempDir();
    const started = Date.now();
    first = await runVigil(['demo', '--data', data, '--no-serve'], SQLITE);
    seconds = (Date.now() - started) / 1000;
    db = openDb({ dataDir: data });
  }, 90_000);

  afterAll(async () => {
    await db?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('fills a fresh instance in under a minute and prints the demo team member’s sign-in link', () => {
    expect(first.code, first.stderr).toBe(0);
    expect(seconds).toBeLessThan(60);
    expect(first.stdout).toMatch(/Demo instance ready in [\d.]+ s: 4 projects/);
    expect(first.stdout).toMatch(/demo-team@demo\.example/);
    expect(first.stdout).toMatch(/\/sign-in\/link#token=sil_/);
  });

  it('creates the four seed projects, a case in every state, conversations and advisories', async () => {
    const k = db.kysely;
    const projects = await k.selectFrom('projects').select('slug').orderBy('slug').execute();
    expect(projects.map((p) => p.slug)).toEqual(['contour', 'emissary', 'k8spolicy', 'sesame']);

    // No demo mail can reach the seeds' real lists: every address in the policies is made up.
    const policies = await k.selectFrom('project_policies').select('source_yaml').execute();
    const addresses = policies.flatMap((p) => p.source_yaml.match(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g) ?? []);
    expect(addresses.length).toBeGreaterThan(0);
    expect(addresses.filter((a) => !a.endsWith('.demo.example'))).toEqual([]);

    const cases = await k.selectFrom('cases').select(['id', 'human_id', 'state']).execute();
    const shown = new Set(cases.map((c) => c.state));
    const missing = CASE_STATES.filter((s) => !shown.has(s) && !(s in UNREACHABLE_STATES));
    expect(missing, 'states no demo case is in (show one, or say why in UNREACHABLE_STATES)').toEqual([]);

    // Every case has a conversation; the reporter and the team both wrote in some.
    const messages = await k.selectFrom('case_messages').select(['case_id', 'author_type']).execute();
    for (const c of cases)
      expect(
        messages.some((m) => m.case_id === c.id),
        c.human_id,
      ).toBe(true);
    expect([...new Set(messages.map((m) => m.author_type))]).toEqual(
      expect.arrayContaining(['reporter', 'team']),
    );

    // From acceptance on, a case has an advisory; the disclosed ones are public.
    const advisories = await k.selectFrom('advisories').select(['case_id', 'state']).execute();
    const withAdvisory: readonly CaseState[] = [...FIX_OPEN_STATES, ...DISCLOSED_STATES];
    for (const c of cases.filter((x) => withAdvisory.includes(x.state as CaseState))) {
      const a = advisories.find((x) => x.case_id === c.id);
      expect(a, c.human_id).toBeDefined();
      expect(a?.state, c.human_id).toBe(
        DISCLOSED_STATES.includes(c.state as CaseState) ? 'published' : 'draft',
      );
    }
  });

  it('serves the demo on a second run: the link signs in, and the banner is on the API and the pages', async () => {
    let server: RunningServer | undefined;
    try {
      server = await startServer(['--data', data], { ...SQLITE, VIGIL_LOG_LEVEL: 'warn' }, 'demo');
      await server.waitForOutput('/sign-in/link#token=');
      expect(server.output()).toMatch(/already is a demo: nothing was added/);
      const link = /(http:\/\/\S+\/sign-in\/link)#token=(sil_[A-Za-z0-9_-]+)/.exec(server.output());
      expect(link?.[1]).toBe(`${server.url}/sign-in/link`);
      const token = link?.[2] ?? '';

      // The link's page is the app's; the app redeems the token with the chosen password.
      const page = await fetch(`${server.url}/sign-in/link`);
      expect(page.status).toBe(200);
      const signIn = await fetch(`${server.url}/api/v1/auth/sign-in-link`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token, password: 'correct horse battery staple' }),
      });
      expect(signIn.status, await signIn.clone().text()).toBe(200);
      const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const session = await fetch(`${server.url}/api/v1/auth/session`, { headers: { cookie } });
      expect(((await session.json()) as { user: { email: string } }).user.email).toBe(
        'demo-team@demo.example',
      );
      // The demo team member sees the cases of the four projects.
      const inbox = await fetch(`${server.url}/api/v1/cases?limit=100`, { headers: { cookie } });
      expect(inbox.status).toBe(200);
      expect(((await inbox.json()) as { cases: unknown[] }).cases.length).toBeGreaterThanOrEqual(12);

      // The app's shell reads the banner from the API; the server's pages carry it.
      const instance = await fetch(`${server.url}/api/v1/instance`);
      expect(await instance.json()).toEqual({
        demo: true,
        notice: 'Demo instance: the data here is made up.',
      });
      for (const path of ['/', '/p/contour/advisories', '/p/no-such-project']) {
        expect(await (await fetch(`${server.url}${path}`)).text(), path).toContain(NOTICE);
      }
    } finally {
      await server?.stop();
    }
  }, 60_000);

  it('is also `vigil serve --demo`, which fills a fresh instance and serves it', async () => {
    const fresh = tempDir();
    let server: RunningServer | undefined;
    try {
      server = await startServer(['--data', fresh, '--demo'], SQLITE);
      await server.waitForOutput('/sign-in/link#token=');
      expect(server.output()).toMatch(/Demo instance ready in [\d.]+ s: 4 projects/);
      const instance = await fetch(`${server.url}/api/v1/instance`);
      expect(await instance.json()).toMatchObject({ demo: true });
      expect(await (await fetch(`${server.url}/`)).text()).toContain(NOTICE);
    } finally {
      await server?.stop();
    }
    const both = await runCommand(
      ['serve', '--demo', '--admin-email', 'a@example.org', '--data', fresh],
      SQLITE,
    );
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--admin-email does not go with --demo/);
  }, 60_000);

  it('refuses an instance that holds data of its own', async () => {
    const other = tempDir();
    const made = await runCommand(
      ['project', 'create', 'own', '--name', 'Own', '--preset', 'contour', '--data', other],
      SQLITE,
    );
    expect(made.code, made.stderr).toBe(0);
    const r = await runCommand(['demo', '--data', other, '--no-serve'], SQLITE);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/already holds projects or cases: `vigil demo` fills only an empty instance/);
    // And a fresh instance answers the app that it is no demo.
    const db2 = openDb({ dataDir: other });
    try {
      const row = await db2.kysely.selectFrom('instance_settings').selectAll().executeTakeFirst();
      expect(row).toBeUndefined();
    } finally {
      await db2.close();
    }
  });
});
