/**
 * The whole mail loop through the real `vigil serve`: its SMTP listener takes a report mailed to
 * `<project>@...`, the case appears in the team's inbox, and the team member gets the notification
 * through real SMTP. Embedded database, as a newcomer runs it.
 */
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../support/cli.js';
import { startServer, type RunningServer } from '../support/server.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

describe('vigil serve with mail in and out', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-serve-mail-'));
  let sink: SmtpSink;
  let server: RunningServer;
  let smtpPort: number;
  let token: string;
  const env: Record<string, string> = { DATABASE_URL: '' };

  beforeAll(async () => {
    sink = await startSmtpSink();
    smtpPort = await freePort();
    Object.assign(env, {
      VIGIL_SMTP_URL: sink.url,
      VIGIL_SMTP_LISTEN: `127.0.0.1:${smtpPort}`,
      VIGIL_MAIL_REPLY_DOMAIN: 'vigil.test',
    });
    for (const args of [
      ['project', 'create', 'demo', '--name', 'Demo', '--preset', 'contour'],
      ['user', 'add', '--email', 'team@example.org'],
      ['project', 'member', 'add', 'demo', '--email', 'team@example.org', '--role', 'security-team'],
    ]) {
      const r = await runCommand([...args, '--data', dir], env);
      expect(r.code, r.stderr).toBe(0);
    }
    const t = await runCommand(
      ['token', 'create', '--email', 'team@example.org', '--name', 'e2e', '--json', '--data', dir],
      env,
    );
    token = JSON.parse(t.stdout).token;
    server = await startServer(['--data', dir], env);
  });
  afterAll(async () => {
    await server?.stop();
    await sink?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('files a mailed report and tells the team by mail', async () => {
    await server.waitForOutput(`SMTP intake: listening on 127.0.0.1:${smtpPort}`);
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: smtpPort,
      secure: false,
      ignoreTLS: true,
    });
    await transport.sendMail({
      from: 'Reporter <reporter@example.org>',
      to: 'demo@security.example',
      subject: 'Mailed report: path traversal',
      text: 'GET /../../etc/passwd returns the file.',
    });
    transport.close();
    const inbox = await fetch(`${server.url}/api/v1/cases`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const cases = (await inbox.json()) as {
      cases: { humanId: string; title: string; channel: string; clock: { status: string } }[];
    };
    const c = cases.cases.find((x) => x.title === 'Mailed report: path traversal');
    expect(c).toMatchObject({ channel: 'email', clock: { status: 'running' } });
    const note = await sink.waitFor(
      (m) => m.envelope.to.includes('team@example.org') && m.subject.includes(c?.humanId ?? '?'),
      15_000,
    );
    expect(note.text).toContain(`/cases/${c?.humanId}`);
    expect(note.raw.toString()).not.toContain('passwd');
    const receipt = await sink.waitFor((m) => m.envelope.to.includes('reporter@example.org'), 15_000);
    expect(receipt.text).toContain('/r/vrt_');
  });

  it('refuses mail for an unknown project at the SMTP level', async () => {
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: smtpPort,
      secure: false,
      ignoreTLS: true,
    });
    await expect(
      transport.sendMail({ from: 'a@example.org', to: 'nobody@security.example', subject: 'x', text: 'x' }),
    ).rejects.toThrow();
    transport.close();
  });
});
