/**
 * `vigil doctor` against a real `vigil serve` on a temporary data directory (issue 13, item 3), and
 * the address the server records for the CLI's links (item 5): before the server runs everything
 * fails; with it running but no SMTP, mail fails and the exit code says so; with SMTP the checks
 * pass; after a clean stop the runner's heartbeat and the recorded address are gone.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../support/cli.js';
import { startServer, type RunningServer } from '../support/server.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

interface Report {
  ok: boolean;
  checks: { name: string; status: 'ok' | 'warn' | 'fail'; message: string; fix: string | null }[];
}

describe('vigil doctor', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-doctor-'));
  // No SMTP, no public URL, the embedded database: a newcomer's first start.
  const env: Record<string, string | undefined> = {
    DATABASE_URL: '',
    VIGIL_SMTP_URL: undefined,
    VIGIL_PUBLIC_URL: undefined,
    VIGIL_MASTER_KEY: undefined,
  };
  let sink: SmtpSink;
  let server: RunningServer | undefined;
  const doctor = async (extra: Record<string, string | undefined> = {}) => {
    const r = await runCommand(['doctor', '--json', '--data', dir], { ...env, ...extra });
    const report = JSON.parse(r.stdout) as Report;
    return { code: r.code, report, status: Object.fromEntries(report.checks.map((c) => [c.name, c.status])) };
  };

  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  afterAll(async () => {
    await server?.stop();
    await sink.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails, naming what to fix, before Vigil ever ran on the directory', async () => {
    const { code, report, status } = await doctor();
    expect(code).toBe(1);
    expect(report.ok).toBe(false);
    expect(report.checks.map((c) => c.name)).toEqual([
      'public-url',
      'smtp',
      'master-key',
      'database',
      'disk',
      'job-runner',
    ]);
    expect(status).toMatchObject({
      'public-url': 'warn',
      smtp: 'fail',
      database: 'fail',
      'job-runner': 'fail',
    });
    expect(report.checks.find((c) => c.name === 'database')?.fix).toContain('vigil serve');
    // Read-only: it made no database.
    expect(existsSync(join(dir, 'vigil.sqlite'))).toBe(false);
  });

  it('with the server running and no SMTP: the runner is alive, mail fails, exit code 1', async () => {
    server = await startServer(['--data', dir], env);
    const recorded = JSON.parse(readFileSync(join(dir, 'server.json'), 'utf8')) as {
      url: string;
      pid: number;
    };
    expect(recorded.url).toBe(server.url);
    // The CLI's links point at the running server, not at port 8080.
    const added = await runCommand(
      ['user', 'add', '--email', 'ops@example.org', '--admin', '--data', dir],
      env,
    );
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain(`${server.url}/sign-in/link#token=`);

    // The admin's mail queue on the real server lists the account's waiting mail.
    const tokenRun = await runCommand(
      ['token', 'create', '--email', 'ops@example.org', '--name', 'doctor', '--json', '--data', dir],
      env,
    );
    const token = (JSON.parse(tokenRun.stdout) as { token: string }).token;
    const queue = await fetch(`${server.url}/api/v1/admin/mail-queue`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(queue.status).toBe(200);
    expect(((await queue.json()) as { summary: { configured: boolean } }).summary.configured).toBe(false);

    // The first heartbeat is written as the runner starts.
    let result = await doctor();
    for (let i = 0; i < 50 && result.status['job-runner'] !== 'ok'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      result = await doctor();
    }
    expect(result.code).toBe(1);
    expect(result.status).toMatchObject({
      smtp: 'fail',
      'master-key': 'ok',
      database: 'ok',
      'job-runner': 'ok',
    });
    expect(result.report.checks.find((c) => c.name === 'smtp')?.message).toMatch(/not configured.*waiting/);
    expect(result.report.checks.find((c) => c.name === 'master-key')?.message).toContain('opens');

    const human = await runCommand(['doctor', '--data', dir], env);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/^fail\s+smtp\s+Mail is not configured/m);
    expect(human.stdout).toMatch(/^\s+fix: Set VIGIL_SMTP_URL/m);
    expect(human.stdout).toMatch(/^ok\s+job-runner/m);
  });

  it('passes with a reachable SMTP server, and fails on a key that does not open the data', async () => {
    const { code, status } = await doctor({
      VIGIL_SMTP_URL: sink.url,
      VIGIL_PUBLIC_URL: 'https://vigil.example.org',
    });
    expect(status).toMatchObject({ 'public-url': 'ok', smtp: 'ok', database: 'ok', 'job-runner': 'ok' });
    expect(code).toBe(status.disk === 'fail' ? 1 : 0);

    const refused = await doctor({ VIGIL_SMTP_URL: 'smtp://127.0.0.1:1' });
    expect(refused.status.smtp).toBe('fail');

    const wrongKey = await doctor({ VIGIL_MASTER_KEY: Buffer.alloc(32, 1).toString('base64') });
    expect(wrongKey.status['master-key']).toBe('fail');
    expect(wrongKey.code).toBe(1);
    const badUrl = await doctor({ VIGIL_PUBLIC_URL: 'http://security.example.org' });
    expect(badUrl.status['public-url']).toBe('warn');
  });

  it('after a clean stop: no runner alive, no recorded address', async () => {
    await server?.stop();
    server = undefined;
    expect(existsSync(join(dir, 'server.json'))).toBe(false);
    const { code, status } = await doctor();
    expect(code).toBe(1);
    expect(status['job-runner']).toBe('fail');
  });
});
