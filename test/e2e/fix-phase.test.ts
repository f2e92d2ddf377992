/**
 * Issue 9's journey through the real `vigil serve`, real git over smart HTTP and a real
 * `vigil runner` process: a case accepted -> a Fix Lead by rotation -> an engineer invited accepts
 * the embargo terms, clones over HTTP, pushes fixes to two release branches -> the runner reports
 * green on one and red on the other -> the release matrix shows that line blocked -> a leaking
 * commit message is refused -> the engineer sees no other case -> the releases are recorded and the
 * case published: the engineer's clone now fails -> the retrospective's draft lists the timeline
 * with met and missed phases. Embedded SQLite, and PostgreSQL when DATABASE_URL is set.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VIGIL_BIN, runCommand } from '../support/cli.js';
import { startServer, type RunningServer } from '../support/server.js';
import { emissaryPresetYaml as emissaryPreset } from '../../src/modules/policy/presets/emissary.preset.js';

const GIT_ENV = {
  ...process.env,
  GIT_TERMINAL_PROMPT: '0',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Engineer',
  GIT_AUTHOR_EMAIL: 'engineer@example.org',
  GIT_COMMITTER_NAME: 'Engineer',
  GIT_COMMITTER_EMAIL: 'engineer@example.org',
};

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    env: GIT_ENV,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs git and returns its exit status and everything it printed (a refused push prints `remote:` lines). */
function gitStatus(cwd: string, ...args: string[]): { code: number; output: string } {
  try {
    const out = execFileSync('git', args, {
      cwd,
      env: GIT_ENV,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { code: 0, output: out };
  } catch (err) {
    const e = err as { status: number; stdout: string; stderr: string };
    return { code: e.status, output: `${e.stdout}${e.stderr}` };
  }
}

/**
 * The upstream project: `main`, `release-1.27`, `release-1.28`. Its test passes when `FIXED`
 * holds "yes": the fix each branch needs.
 */
function createUpstream(dir: string): string {
  const up = join(dir, 'upstream');
  execFileSync('git', ['init', '-q', '-b', 'main', up], { env: GIT_ENV });
  writeFileSync(join(up, 'test.sh'), 'grep -q yes FIXED\n');
  writeFileSync(join(up, 'FIXED'), 'no\n');
  git(up, 'add', '.');
  git(up, 'commit', '-qm', 'Initial');
  git(up, 'branch', 'release-1.27');
  git(up, 'branch', 'release-1.28');
  return up;
}

/**
 * The Emissary preset, with this upstream, a test command, two supported lines, a fix window already
 * over, and any day allowed for a release (the test schedules a minute ahead of the real clock).
 */
function policyFor(upstream: string): string {
  return emissaryPreset
    .replace(
      / {2}maxEmbargoDays: (\d+)\n/,
      '  maxEmbargoDays: $1\n  releaseWindow:\n    avoidFridays: false\n    avoidWeekends: false\n    avoidHolidays: false\n',
    )
    .replace(/upstreamRepository: \S+/, `upstreamRepository: ${upstream}`)
    .replace(/testCommand: null/, 'testCommand: sh test.sh')
    .replace(/testTimeoutMinutes: \d+/, 'testTimeoutMinutes: 1')
    .replace(/supportedLines: \[\]/, "supportedLines: ['1.27', '1.28']")
    .replace(
      /fixDeveloped:\n {4}minDays: 1\n {4}maxDays: 7/,
      'fixDeveloped:\n    minDays: 0\n    maxDays: 0',
    );
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const databases: { name: string; env: Record<string, string> }[] = [
  { name: 'SQLite', env: { DATABASE_URL: '' } },
];
if (process.env.DATABASE_URL) databases.push({ name: 'PostgreSQL', env: { DATABASE_URL: '' } });

describe.each(databases)('the fix phase end to end on $name', ({ name }) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-fix-'));
  const data = join(dir, 'data');
  const env: Record<string, string> = { DATABASE_URL: '' };
  let server: RunningServer;
  let runner: ChildProcess | undefined;
  let runnerOut = '';
  const tokens: Record<string, string> = {};
  let upstream = '';

  async function call(who: string, method: string, path: string, body?: unknown) {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${tokens[who]}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    // The answers are checked by the assertions that read them, not by types.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text };
  }

  beforeAll(async () => {
    if (name === 'PostgreSQL') {
      // A database of its own on the server DATABASE_URL names.
      const { createPgDatabase, databaseUrl, testDatabaseName } = await import('../support/pg.js');
      const dbName = testDatabaseName();
      await createPgDatabase(process.env.DATABASE_URL ?? '', dbName);
      env.DATABASE_URL = databaseUrl(process.env.DATABASE_URL ?? '', dbName);
    }
    upstream = createUpstream(dir);
    const policyFile = join(dir, 'policy.yaml');
    writeFileSync(policyFile, policyFor(upstream));
    const cli = async (...args: string[]) => {
      const r = await runCommand([...args, '--data', data], env);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      return r.stdout;
    };
    await cli('project', 'create', 'emissary', '--name', 'Emissary', '--preset', policyFile);
    for (const who of ['alice', 'bob', 'carol']) {
      await cli('user', 'add', '--email', `${who}@example.org`);
      await cli(
        'project',
        'member',
        'add',
        'emissary',
        '--email',
        `${who}@example.org`,
        '--role',
        'security-team',
      );
      const t = await cli('token', 'create', '--email', `${who}@example.org`, '--name', 'e2e', '--json');
      tokens[who] = JSON.parse(t).token;
    }
    const registered = await cli('runner', 'register', '--name', 'e2e-runner');
    const runnerToken = /vgr_[A-Za-z0-9_-]+/.exec(registered)?.[0];
    if (!runnerToken) throw new Error(`no runner token in: ${registered}`);
    // The upstream is a path on this host: the operator allows local upstreams here.
    server = await startServer(['--data', data], { ...env, VIGIL_ALLOW_LOCAL_UPSTREAM: 'true' });
    runner = spawn(
      process.execPath,
      [VIGIL_BIN, 'runner', '--url', server.url, '--token', runnerToken, '--poll-seconds', '1'],
      {
        env: { ...process.env, VIGIL_LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    runner.stdout?.on('data', (d: Buffer) => (runnerOut += d.toString()));
    runner.stderr?.on('data', (d: Buffer) => (runnerOut += d.toString()));
  }, 120_000);

  afterAll(async () => {
    runner?.kill('SIGTERM');
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a case from acceptance to its retrospective', async () => {
    // A report comes in; another is the case the engineer must never see.
    const file = async (subject: string) => {
      const res = await fetch(`${server.url}/api/v1/projects/emissary/reports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          subject,
          reporter: { name: 'Ada', email: 'ada@example.org' },
          reproduction: 'Steps.',
        }),
      });
      expect(res.status).toBe(201);
      return ((await res.json()) as { humanId: string }).humanId;
    };
    const id = await file('Query of death in the xDS parser');
    const other = await file('Another report the engineer must not see');

    // Accepted: a Fix Lead by rotation, and the private repository seeded from upstream.
    const accepted = await call('alice', 'POST', `/api/v1/cases/${id}/transitions`, { to: 'accepted' });
    expect(accepted.status, accepted.text).toBe(200);
    const c = (await call('alice', 'GET', `/api/v1/cases/${id}`)).json;
    expect(c.fixLead?.email).toMatch(/^(alice|bob|carol)@example\.org$/);
    const lead = c.fixLead.email.split('@')[0] as string;
    expect(c.repository.cloneUrl).toBe(`${server.url}/git/${id}.git`);
    // The next accepted case goes to the next member in turn.
    await call('alice', 'POST', `/api/v1/cases/${other}/transitions`, { to: 'accepted' });
    expect((await call('alice', 'GET', `/api/v1/cases/${other}`)).json.fixLead.email).not.toBe(
      c.fixLead.email,
    );

    const repo = await waitFor('the seeded repository', async () => {
      const r = await call(lead, 'GET', `/api/v1/cases/${id}/repository`);
      return r.json?.state === 'ready' ? r.json : undefined;
    });
    expect(repo.branches.map((b: { name: string }) => b.name).sort()).toEqual([
      'main',
      'release-1.27',
      'release-1.28',
    ]);

    // The advisory says both supported lines are affected: two patch releases and the fix on main.
    await call(lead, 'POST', `/api/v1/cases/${id}/advisory`);
    const adv = (await call(lead, 'GET', `/api/v1/cases/${id}/advisory`)).json;
    const saved = await call(lead, 'PUT', `/api/v1/cases/${id}/advisory`, {
      baseRevision: adv.revision,
      document: {
        ...adv.document,
        affected: [
          {
            ecosystem: 'Go',
            package: 'github.com/emissary-ingress/emissary',
            ranges: [{ type: 'SEMVER', events: [{ introduced: '1.27.0' }] }],
          },
        ],
        severity: { cvss: [{ vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H' }] },
      },
    });
    expect(saved.status, saved.text).toBe(200);
    expect((await call(lead, 'POST', `/api/v1/cases/${id}/transitions`, { to: 'fixing' })).status).toBe(200);

    // The Fix Lead invites an engineer without an account.
    const invited = await call(lead, 'POST', `/api/v1/cases/${id}/members`, {
      email: 'engineer@example.org',
      role: 'fix-team',
    });
    expect(invited.status, invited.text).toBe(201);
    expect(invited.json.newAccount).toBe(true);
    const linkToken = /token=([A-Za-z0-9_-]+)/.exec(invited.json.invitationUrl)?.[1];
    expect(linkToken).toBeTruthy();
    // The engineer sets a password through the link, then makes a token.
    const signIn = await fetch(`${server.url}/api/v1/auth/sign-in-link`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: linkToken, password: 'correct horse battery staple' }),
    });
    expect(signIn.status, await signIn.clone().text()).toBe(200);
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const { csrfToken } = (await signIn.json()) as { csrfToken: string };
    const made = await fetch(`${server.url}/api/v1/me/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({ name: 'git' }),
    });
    tokens.engineer = ((await made.json()) as { token: string }).token;

    // Nothing of the case before the embargo terms are accepted.
    expect((await call('engineer', 'GET', `/api/v1/cases/${id}`)).status).toBe(404);
    const invitations = (await call('engineer', 'GET', '/api/v1/me/invitations')).json.invitations;
    expect(invitations).toHaveLength(1);
    const acceptedTerms = await call(
      'engineer',
      'POST',
      `/api/v1/me/invitations/${invitations[0].memberId}/accept`,
      {
        termsHash: invitations[0].terms.hash,
      },
    );
    expect(acceptedTerms.status, acceptedTerms.text).toBe(200);
    expect((await call('engineer', 'GET', `/api/v1/cases/${id}`)).status).toBe(200);

    // Clone over HTTP with the token, and push a fix to both release branches: right on 1.28, not on 1.27.
    const work = join(dir, 'work');
    const cloneUrl = repo.cloneUrl.replace('://', `://engineer:${tokens.engineer}@`);
    git(dir, 'clone', '-q', cloneUrl, work);
    const commit = (branch: string, fixed: string, message: string) => {
      git(work, 'checkout', '-q', branch);
      writeFileSync(join(work, 'FIXED'), `${fixed}\n`);
      git(work, 'commit', '-qam', message);
      return git(work, 'rev-parse', 'HEAD').trim();
    };
    const fix28 = commit('release-1.28', 'yes', 'Bound the parser depth');
    const fix27 = commit('release-1.27', 'maybe', 'Bound the parser depth');
    const pushed = gitStatus(work, 'push', '-q', 'origin', 'release-1.28', 'release-1.27');
    expect(pushed.code, pushed.output).toBe(0);

    // The runner tests each pushed head: green on 1.28, red on 1.27.
    const runs = await waitFor('both runs finished', async () => {
      const r = (await call('engineer', 'GET', `/api/v1/cases/${id}/ci`)).json;
      const latest = Object.fromEntries(
        (r?.branches ?? []).map((b: { branch: string; latest: { commit: string; state: string } | null }) => [
          b.branch,
          b.latest,
        ]),
      );
      const done = (s?: string) => s === 'passed' || s === 'failed' || s === 'error';
      return done(latest['release-1.28']?.state) && done(latest['release-1.27']?.state) ? latest : undefined;
    });
    expect(runs['release-1.28']).toMatchObject({ commit: fix28, state: 'passed' });
    expect(runs['release-1.27']).toMatchObject({ commit: fix27, state: 'failed' });

    // The matrix: patch releases on both lines and the fix on main; 1.27 is blocked by its red run.
    const matrix = (await call(lead, 'GET', `/api/v1/cases/${id}/releases`)).json;
    const row = (line: string) => matrix.rows.find((r: { line: string }) => r.line === line);
    expect(matrix.outcome).toBe('patch-releases');
    expect(row('1.28')).toMatchObject({ green: true, blocked: false });
    expect(row('1.27')).toMatchObject({ green: false, blocked: true });
    const early = await call(lead, 'POST', `/api/v1/cases/${id}/transitions`, { to: 'fix-ready' });
    expect(early.status).toBe(409);
    expect(early.json.detail).toContain('1.27');

    // A commit message that names the case is refused, naming the commit and the word.
    const leaking = commit('release-1.27', 'yes', `Fix ${id}: bound the parser depth`);
    const refused = gitStatus(work, 'push', 'origin', 'release-1.27');
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain(leaking.slice(0, 7));
    expect(refused.output).toContain(id);
    // Reworded, it goes through; main gets the fix too.
    git(work, 'commit', '-q', '--amend', '-m', 'Bound the parser depth');
    commit('main', 'yes', 'Bound the parser depth');
    const again = gitStatus(work, 'push', '-q', 'origin', 'release-1.27', 'main');
    expect(again.code, again.output).toBe(0);

    // The engineer sees this case and nothing else of the project.
    expect((await call('engineer', 'GET', `/api/v1/cases/${other}`)).status).toBe(404);
    expect((await call('engineer', 'GET', '/api/v1/projects/emissary')).status).toBe(404);

    await waitFor('every line green', async () => {
      const m = (await call(lead, 'GET', `/api/v1/cases/${id}/releases`)).json;
      return m.rows.every((r: { green: boolean }) => r.green) ? m : undefined;
    });
    for (const to of ['fix-ready', 'disclosure-scheduled'] as const) {
      const moved = await call(lead, 'POST', `/api/v1/cases/${id}/transitions`, {
        to,
        ...(to === 'disclosure-scheduled'
          ? { disclosureAt: new Date(Date.now() + 60_000).toISOString() }
          : {}),
      });
      expect(moved.status, moved.text).toBe(200);
    }
    // Publication waits for the releases.
    expect((await call(lead, 'POST', `/api/v1/cases/${id}/transitions`, { to: 'published' })).status).toBe(
      409,
    );
    for (const [line, version] of [
      ['1.27', '1.27.9'],
      ['1.28', '1.28.4'],
    ] as const) {
      const recorded = await call(lead, 'PUT', `/api/v1/cases/${id}/releases/${line}`, {
        version,
        state: 'published',
        url: `https://github.com/emissary-ingress/emissary/releases/tag/v${version}`,
      });
      expect(recorded.status, recorded.text).toBe(200);
    }
    const published = await call(lead, 'POST', `/api/v1/cases/${id}/transitions`, { to: 'published' });
    expect(published.status, published.text).toBe(200);

    // The engineer's access ended: the clone fails, the case is gone for them.
    const late = gitStatus(dir, 'clone', '-q', cloneUrl, join(dir, 'late'));
    expect(late.code).not.toBe(0);
    expect((await call('engineer', 'GET', `/api/v1/cases/${id}`)).status).toBe(404);

    // The retrospective's draft: the timeline, with met and missed phases.
    const retro = (await call(lead, 'GET', `/api/v1/cases/${id}/retrospective`)).json;
    expect(retro.state).toBe('draft');
    const status = Object.fromEntries(
      retro.phases.map((p: { name: string; status: string }) => [p.name, p.status]),
    );
    // The policy gave the fix no days at all: missed. The release came within 21 days: met.
    expect(status['fix-developed']).toBe('missed');
    expect(status.release).toBe('met');
    expect(retro.timeline.length).toBeGreaterThan(5);
    // Who took part: the Fix Lead and the engineer (accounts named after their addresses here).
    expect(retro.participants.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining([lead, 'engineer']),
    );
    // The engineer may still add feedback after their access ended.
    const feedback = await call('engineer', 'POST', `/api/v1/cases/${id}/retrospective/feedback`, {
      body: 'The CI on the private fork caught the 1.27 backport.',
    });
    expect(feedback.status, feedback.text).toBe(201);
    expect(runnerOut).not.toContain('Error');
  }, 180_000);
});
