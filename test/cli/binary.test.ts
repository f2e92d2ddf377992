/**
 * The built `bin/vigil`, as a user runs it: one smoke test per command, proving the wiring that the
 * in-process tests (runCommand) do not: the launcher, the lazy command table, the process's
 * streams, environment and exit codes. What each command does is tested in process elsewhere.
 * `vigil serve` runs as a real process in test/e2e, test/durability and the browser journeys.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/lib/paths.js';
import { getPresetYaml } from '../../src/modules/policy/policy.presets.js';
import { requireBuild, runVigil, VIGIL_BIN } from '../support/cli.js';

describe('bin/vigil without a database', () => {
  it.concurrent('--help lists the commands', async () => {
    const r = await runVigil(['--help']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Usage: vigil \[options\] \[command\]\n/);
    expect(r.stdout).toMatch(/\n {2}cvss \[options\] <vector> +score a CVSS/);
  });

  it.concurrent('calendar prints the deadline', async () => {
    const r = await runVigil([
      ...['calendar', 'add', '--from', '2026-12-23T16:00:00Z', '--business-days', '3'],
      ...['--timezone', 'America/New_York', '--holidays', 'US'],
    ]);
    expect(r).toEqual({ code: 0, stdout: '2026-12-29T16:00:00.000Z\n', stderr: '' });
  });

  it.concurrent('cvss exits 1 with every reason on standard error', async () => {
    const r = await runVigil(['cvss', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H', '--json']);
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'vigil: Invalid CVSS vector: missing mandatory base metric "A" (Availability).\n' +
        '  - vector: missing mandatory base metric "A" (Availability)\n',
    });
  });

  it.concurrent('cwe shows an entry', async () => {
    const r = await runVigil(['cwe', 'show', '787', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ id: 'CWE-787', name: 'Out-of-bounds Write', deprecated: false });
  });

  it.concurrent('runner keeps claiming while Vigil is unreachable, and stops at SIGTERM', async () => {
    requireBuild();
    const child = spawn(
      process.execPath,
      [VIGIL_BIN, 'runner', '--url', 'http://127.0.0.1:9', '--poll-seconds', '1'],
      {
        env: { ...process.env, VIGIL_RUNNER_TOKEN: `vgr_${'a'.repeat(43)}` },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await expect.poll(() => stderr, { timeout: 20_000 }).toContain('claiming failed');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('vigil runner: stopping after the current run');
    expect(stderr).toContain('vigil runner: stopped after 0 run(s)');
  });

  it.concurrent('policy check reads standard input', async () => {
    const r = await runVigil(['policy', 'check', '-'], {}, getPresetYaml('sesame'));
    expect(r).toEqual({ code: 0, stdout: 'Policy is valid\n', stderr: '' });
  });
});

describe('bin/vigil on a database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-binary-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // The embedded database, whatever the test run's DATABASE_URL says.
  const vigil = (args: string[], input?: string) =>
    runVigil([...args, '--data', dir], { DATABASE_URL: '', VIGIL_PUBLIC_URL: 'http://vigil.test' }, input);

  it('migrate creates the schema', async () => {
    const r = await vigil(['migrate', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).applied.length).toBeGreaterThan(0);
  });

  it('user add prints a one-time link', async () => {
    const r = await vigil(['user', 'add', '--email', 'ops@example.org', '--admin']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/http:\/\/vigil\.test\/sign-in\/link#token=sil_/);
  });

  it('token create prints a token once', async () => {
    const r = await vigil(['token', 'create', '--email', 'ops@example.org', '--name', 'smoke', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).token).toMatch(/^vgl_/);
  });

  it('runner register prints a runner token once, and runner list shows only its prefix', async () => {
    const r = await vigil(['runner', 'register', '--name', 'smoke', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const { token } = JSON.parse(r.stdout) as { token: string };
    expect(token).toMatch(/^vgr_[A-Za-z0-9_-]{43}$/);
    const listed = await vigil(['runner', 'list']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(`${token.slice(0, 12)}…  smoke  last seen never`);
    expect(listed.stdout).not.toContain(token);
  });

  it('project create and project key show', async () => {
    const created = await vigil(['project', 'create', 'demo', '--name', 'Demo', '--preset', 'contour']);
    expect(created.code, created.stderr).toBe(0);
    const key = await vigil(['project', 'key', 'show', 'demo']);
    expect(key.code, key.stderr).toBe(0);
    expect(key.stdout).toMatch(/^Project demo: key [0-9A-F]{40} /);
  });

  it('mail ingest files the message read on standard input', async () => {
    const message = 'From: ada@example.org\r\nTo: demo@security.test\r\nSubject: Smoke\r\n\r\nSteps.\r\n';
    const r = await vigil(['mail', 'ingest', '--project', 'demo', '--json'], message);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'new-case' });
  });

  it('advisory import reports progress on standard error', async () => {
    const file = join(repoRoot(), '..', 'shared', 'standards', 'osv', 'examples', 'GO-2024-2963.json');
    const r = await vigil(['advisory', 'import', file, '--project', 'demo']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('1/1 imported GO-2024-2963\n');
    expect(r.stdout).toContain('Imported 1, skipped 0, failed 0 (project demo).');
  });

  it('audit verify finds the chain intact', async () => {
    const r = await vigil(['audit', 'verify']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Audit log intact: \d+ events/);
  });

  it('check-commits reads the words of the case from the database', async () => {
    const r = await vigil(['check-commits', '--case', 'CTR-2026-9999', '-C', dir]);
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'vigil: Case CTR-2026-9999 was not found.\n' });
  });

  it('leak trace reads the leaked text from standard input', async () => {
    const r = await vigil(['leak', 'trace', '-', '--case', 'CTR-2026-9999'], 'A leaked text.');
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'vigil: Case CTR-2026-9999 was not found.\n' });
  });

  it('keys status names the key file', async () => {
    const r = await vigil(['keys', 'status', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ source: 'file', keyFile: join(dir, 'master.key') });
  });
});
