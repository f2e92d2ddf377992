/**
 * The real runner against the real server: Vigil listens on a port, `vigil runner` (the runner
 * process in this test's process, and the CLI command in process) claims over HTTP, clones a real
 * git repository (a local one: the fix repository's smart-HTTP route is tested with it), runs the
 * test command in its own process group and reports. A passing, a failing, a hanging (killed at the
 * limit, even with SIGTERM ignored) and an unclonable run; a run taken back mid-test is abandoned
 * (its processes killed, nothing reported); a revoked token stops the runner.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fixedClock, systemClock } from '../../src/lib/clock.js';
import { createKeyring } from '../../src/lib/crypto/keyring.js';
import { queueRunsForPush } from '../../src/modules/fix/ci/ci-queue.steps.js';
import { createCiService } from '../../src/modules/fix/ci/ci.service.js';
import { startRunner, type RunnerHandle } from '../../src/modules/fix/ci/runner-process.js';
import { getPresetYaml } from '../../src/modules/policy/policy.presets.js';
import { buildApp } from '../../src/server/app.js';
import { createServices } from '../../src/server/services.js';
import {
  CHEAP_PASSWORDS,
  createUser,
  OPERATOR,
  PUBLIC_URL,
  tokenClient,
  type Client,
  type TestApp,
  seedTeamMember,
} from '../support/app.js';
import { runCommand, runCommandInEnv } from '../support/cli.js';
import { describeEachDb } from '../support/db.js';

/**
 * The test command: with a `hang` file, a shell that ignores SIGTERM waits on a background sleep
 * (whose pid it writes down); otherwise it prints its environment and passes when `ok` exists.
 */
const TEST_COMMAND =
  'if [ -f hang ]; then trap "" TERM; sleep 30 & echo $! > "$HANG_PID_FILE"; wait; fi; env | sort; test -f ok || exit 3';

/** Whether a process still runs: a zombie (killed, not yet reaped by init) does not. */
function alive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

describeEachDb('the runner process against a listening Vigil', (get) => {
  let app: FastifyInstance;
  let url: string;
  let team: Client;
  let caseRow: { id: string; project_id: string; human_id: string };
  let token: string;
  let runnerId: string;
  const dir = mkdtempSync(join(tmpdir(), 'vigil-ci-e2e-'));
  const workDir = join(dir, 'work');
  const commits: Record<'ok' | 'broken' | 'hang', string> = { ok: '', broken: '', hang: '' };
  let cliEnv: Record<string, string>;
  let dataArgs: string[];

  const k = () => get().db.kysely;
  const queue = (branch: string, commit: string) =>
    k()
      .transaction()
      .execute((trx) =>
        queueRunsForPush(trx, systemClock, caseRow, [{ branch, commit }], {
          type: 'system',
          id: 'test-push',
        }),
      );
  const runRow = (id: string) =>
    k().selectFrom('ci_runs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const logOf = async (id: string) =>
    (await team.request('GET', `/api/v1/cases/${caseRow.human_id}/ci/runs/${id}/log`)).json().log as string;
  const vigil = (...args: string[]) => runCommand([...args], cliEnv);

  /** A repository with three commits on main: `ok` present, then removed, then `hang` added. */
  function makeRepository(path: string) {
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=Fixer', '-c', 'user.email=fixer@example.org', ...args], {
        cwd: path,
        encoding: 'utf8',
      }).trim();
    execFileSync('git', ['init', '-q', '-b', 'main', path]);
    writeFileSync(join(path, 'ok'), 'ok\n');
    git('add', '.');
    git('commit', '-q', '-m', 'Fix the parser');
    commits.ok = git('rev-parse', 'HEAD');
    git('rm', '-q', 'ok');
    git('commit', '-q', '-m', 'Break it');
    commits.broken = git('rev-parse', 'HEAD');
    writeFileSync(join(path, 'hang'), '');
    git('add', '.');
    git('commit', '-q', '-m', 'Hang');
    commits.hang = git('rev-parse', 'HEAD');
  }

  function runner(opts: { timeoutSeconds: number; pidFile: string }) {
    const lines: string[] = [];
    const warnings: string[] = [];
    const handle: RunnerHandle = startRunner({
      url,
      token,
      pollSeconds: 1,
      workDir,
      timeoutSeconds: opts.timeoutSeconds,
      killGraceMs: 500,
      env: {
        ...process.env,
        VIGIL_RUNNER_TOKEN: token,
        HANG_PID_FILE: opts.pidFile,
        DEPLOY_API_TOKEN: 'hunter2',
      },
      print: (line) => lines.push(line),
      warn: (line) => warnings.push(line),
    });
    return { handle, lines, warnings };
  }

  beforeAll(async () => {
    const db = get().db;
    const deps = {
      db,
      clock: systemClock,
      cipher: createKeyring({ current: randomBytes(32) }),
      publicUrl: PUBLIC_URL,
      passwords: CHEAP_PASSWORDS,
    };
    // Runners clone from local repositories here, and heartbeat every second (a 3 s lease).
    const services = {
      ...createServices(deps),
      ci: createCiService({ ...deps, runnerGitUrl: `file://${dir}`, leaseSeconds: 3 }),
    };
    app = await buildApp({ db, services, publicUrl: PUBLIC_URL, trustProxy: false, logger: false });
    url = await app.listen({ port: 0, host: '127.0.0.1' });

    const yaml = getPresetYaml('contour').replace(
      'testCommand: null',
      `testCommand: ${JSON.stringify(TEST_COMMAND)}`,
    );
    await services.projects.createProject(OPERATOR, { slug: 'ci-e2e', name: 'CI', policyYaml: yaml });
    // The app factory's helpers, over this app (their clock is not used).
    const t: TestApp = { app, db, services, clock: fixedClock(new Date()) };
    const member = await createUser(t);
    await seedTeamMember(db, 'ci-e2e', member.email);
    team = await tokenClient(t, member.id);
    const filed = await fetch(`${url}/api/v1/projects/ci-e2e/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ subject: 'Heap overflow', reproduction: 'Send it.' }),
    });
    const { id } = (await filed.json()) as { id: string };
    caseRow = await k()
      .selectFrom('cases')
      .select(['id', 'project_id', 'human_id'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    makeRepository(join(dir, `${caseRow.human_id}.git`));
    mkdirSync(workDir);

    // The operator registers the runner with the CLI, on this same database.
    const loc = get().location;
    cliEnv = {
      DATABASE_URL: loc.databaseUrl ?? '',
      VIGIL_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
    };
    dataArgs = loc.dataDir ? ['--data', loc.dataDir] : [];
    const registered = await vigil('runner', 'register', '--name', 'e2e-runner', '--json', ...dataArgs);
    expect(registered.code, registered.stderr).toBe(0);
    ({ token, id: runnerId } = JSON.parse(registered.stdout) as { token: string; id: string });
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a passing, a failing, a hanging and an unclonable commit, and reports each', async () => {
    const pidFile = join(dir, 'hang-1.pid');
    const [passing] = await queue('release-1.0', commits.ok);
    const [failing] = await queue('release-1.1', commits.broken);
    const [hanging] = await queue('hang', commits.hang);
    const [missing] = await queue('gone', 'f'.repeat(40));
    const r = runner({ timeoutSeconds: 2, pidFile });
    await expect.poll(() => r.lines.length, { timeout: 60_000, interval: 200 }).toBe(4);
    r.handle.stop();
    expect(await r.handle.done).toEqual({ runs: 4, passed: 1, failed: 2, errors: 1, abandoned: 0 });
    expect(r.warnings).toEqual([]);
    const prefix = (id: string | undefined, branch: string, commit: string) =>
      `run ${id} ${caseRow.human_id} ${branch}@${commit.slice(0, 12)}: `;
    expect(r.lines[0]).toMatch(
      new RegExp(`^${prefix(passing, 'release-1.0', commits.ok)}passed \\(exit 0\\) in [\\d.]+ s$`),
    );
    expect(r.lines[1]).toContain(`${prefix(failing, 'release-1.1', commits.broken)}failed (exit 3)`);
    expect(r.lines[2]).toContain(`${prefix(hanging, 'hang', commits.hang)}failed (timed out)`);
    expect(r.lines[3]).toContain(
      `${prefix(missing, 'gone', 'f'.repeat(40))}error (git checkout of ${'f'.repeat(40)} failed:)`,
    );

    expect(await runRow(passing ?? '')).toMatchObject({
      state: 'passed',
      exit_code: 0,
      timed_out: 0,
      attempts: 1,
    });
    expect(await runRow(failing ?? '')).toMatchObject({ state: 'failed', exit_code: 3, timed_out: 0 });
    expect(await runRow(hanging ?? '')).toMatchObject({ state: 'failed', exit_code: null, timed_out: 1 });
    expect(await runRow(missing ?? '')).toMatchObject({ state: 'error', exit_code: null });

    // The test saw its environment without the runner's token or anything named like a credential.
    const passed = await logOf(passing ?? '');
    expect(passed).toContain(`$ ${TEST_COMMAND}`);
    expect(passed).toContain(`HANG_PID_FILE=${pidFile}`);
    expect(passed).toContain('CI=true');
    expect(passed).toContain('[exit 0]');
    for (const secret of [token, 'VIGIL_RUNNER_TOKEN', 'hunter2', 'GIT_CONFIG', 'Authorization']) {
      expect(passed).not.toContain(secret);
    }
    expect(await logOf(failing ?? '')).toContain('[exit 3]');
    expect(await logOf(hanging ?? '')).toContain('[killed: the time limit of 2 s was reached]');
    expect(await logOf(missing ?? '')).toContain(`git checkout of ${'f'.repeat(40)} failed:`);
    // The whole process group went, the sleep that ignored SIGTERM too; no checkout is left behind.
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(pid).toBeGreaterThan(0);
    expect(alive(pid)).toBe(false);
    expect(readdirSync(workDir)).toEqual([]);

    const ci = (await team.request('GET', `/api/v1/cases/${caseRow.human_id}/ci`)).json() as {
      branches: { branch: string; latest: { state: string; runnerName: string } }[];
    };
    expect(ci.branches.map((b) => [b.branch, b.latest.state, b.latest.runnerName])).toEqual([
      ['gone', 'error', 'e2e-runner'],
      ['hang', 'failed', 'e2e-runner'],
      ['release-1.0', 'passed', 'e2e-runner'],
      ['release-1.1', 'failed', 'e2e-runner'],
    ]);
  }, 90_000);

  it('abandons a run taken back mid-test: its processes are killed and nothing is reported', async () => {
    const pidFile = join(dir, 'hang-2.pid');
    const [id] = await queue('hang-2', commits.hang);
    const runId = id ?? '';
    const r = runner({ timeoutSeconds: 120, pidFile });
    await expect
      .poll(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '', { timeout: 30_000 })
      .toBe(true);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(alive(pid)).toBe(true);
    // Heartbeats (every second, a third of the lease) push the lease on: a second runner finds nothing.
    const leaseAt = (await runRow(runId)).lease_until ?? '';
    await expect
      .poll(async () => ((await runRow(runId)).lease_until ?? '') > leaseAt, {
        timeout: 10_000,
        interval: 200,
      })
      .toBe(true);
    const other = (await vigil('runner', 'register', '--name', 'other', '--json', ...dataArgs)).stdout;
    const otherToken = (JSON.parse(other) as { token: string }).token;
    const claimAs = (bearer: string) =>
      fetch(`${url}/api/v1/runner/claim`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
        body: '{}',
      });
    expect((await claimAs(otherToken)).status).toBe(204);
    // The runner's lease runs out (as if it had lost the network) and the other runner takes the run.
    await k()
      .updateTable('ci_runs')
      .set({ lease_until: '2000-01-01T00:00:00.000Z' })
      .where('id', '=', runId)
      .execute();
    const taken = await claimAs(otherToken);
    expect(taken.status).toBe(200);
    expect(((await taken.json()) as { run: { id: string; attempt: number } }).run).toMatchObject({
      id: runId,
      attempt: 2,
    });

    await expect.poll(() => r.lines.length, { timeout: 30_000, interval: 200 }).toBe(1);
    expect(r.lines[0]).toMatch(/: abandoned \(the run was taken back\)$/);
    await expect.poll(() => alive(pid), { timeout: 5_000 }).toBe(false);
    expect(await runRow(runId)).toMatchObject({ state: 'running', attempts: 2, log_enc: null });
    r.handle.stop();
    expect(await r.handle.done).toMatchObject({ runs: 1, abandoned: 1 });
    const reported = await fetch(`${url}/api/v1/runner/runs/${runId}/result`, {
      method: 'POST',
      headers: { authorization: `Bearer ${otherToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        status: 'error',
        exitCode: null,
        timedOut: false,
        log: 'stopped by the test',
        attempt: 2,
      }),
    });
    expect(reported.status).toBe(200);
    expect(readdirSync(workDir)).toEqual([]);
  }, 90_000);

  it('runs once from the command line, and stops when its token is revoked', async () => {
    const [id] = await queue('once', commits.ok);
    const once = await vigil('runner', '--url', url, '--token', token, '--once', '--work-dir', workDir);
    expect(once.code, once.stderr).toBe(0);
    expect(once.stdout).toMatch(
      new RegExp(
        `^run ${id} ${caseRow.human_id} once@${commits.ok.slice(0, 12)}: passed \\(exit 0\\) in [\\d.]+ s\\n$`,
      ),
    );
    const idle = await vigil('runner', '--url', url, '--token', token, '--once');
    expect(idle).toEqual({ code: 0, stdout: '', stderr: '' });

    // A token file is read once, and only when nobody else may read it.
    const tokenFile = join(mkdtempSync(join(tmpdir(), 'vigil-token-')), 'runner-token');
    writeFileSync(tokenFile, `${token}\n`, { mode: 0o644 });
    chmodSync(tokenFile, 0o644);
    const open = await vigil('runner', '--url', url, '--token-file', tokenFile, '--once');
    expect(open.code).toBe(2);
    expect(open.stderr).toContain('may be read by its group or others (mode 644)');
    chmodSync(tokenFile, 0o600);
    expect(await vigil('runner', '--url', url, '--token-file', tokenFile, '--once')).toEqual({
      code: 0,
      stdout: '',
      stderr: '',
    });
    const both = await vigil('runner', '--url', url, '--token-file', tokenFile, '--token', token);
    expect(both.code).toBe(2);
    // A token from the environment leaves the runner's environment once read.
    const env: NodeJS.ProcessEnv = { ...process.env, ...cliEnv, VIGIL_RUNNER_TOKEN: token };
    expect(await runCommandInEnv(['runner', '--url', url, '--once'], env)).toMatchObject({ code: 0 });
    expect(env.VIGIL_RUNNER_TOKEN).toBeUndefined();
    const help = await vigil('runner', '--help');
    expect(help.stdout).toContain('visible to every local user and to the code under test');
    expect(help.stdout).toContain('sandbox (a container or a VM)');
    rmSync(join(tokenFile, '..'), { recursive: true, force: true });

    const listed = await vigil('runner', 'list', '--json', ...dataArgs);
    expect(JSON.parse(listed.stdout)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: runnerId,
          name: 'e2e-runner',
          revokedAt: null,
          lastSeenAt: expect.any(String),
        }),
      ]),
    );
    expect((await vigil('runner', 'revoke', runnerId, ...dataArgs)).stdout).toBe(
      `Runner ${runnerId} revoked.\n`,
    );
    const refused = await vigil('runner', '--url', url, '--token', token);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('refused the runner token');
    const usage = await vigil('runner', '--token', token);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--url is required');
  }, 60_000);
});
