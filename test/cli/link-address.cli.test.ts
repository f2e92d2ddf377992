/**
 * Papercut (issue 13, item 5): `vigil user add` and `vigil user link` printed links on port 8080
 * while the server ran elsewhere. They use VIGIL_PUBLIC_URL, else the address the running server
 * recorded in the data directory, else they warn that the address is a guess.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readServerAddress, removeServerAddress, writeServerAddress } from '../../src/lib/server-address.js';
import { runCommand } from '../support/cli.js';

describe('the sign-in links the CLI prints', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-link-address-'));
  const env = {
    DATABASE_URL: '',
    VIGIL_PUBLIC_URL: undefined,
    VIGIL_PORT: undefined,
    VIGIL_HOST: undefined,
    VIGIL_MASTER_KEY: Buffer.alloc(32, 9).toString('base64'),
  };
  const vigil = (args: string[], extra: Record<string, string | undefined> = {}) =>
    runCommand([...args, '--data', dir], { ...env, ...extra });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('uses the address the running server recorded, not port 8080', async () => {
    // This process stands in for the running server: its pid is alive.
    writeServerAddress(dir, { url: 'http://127.0.0.1:43117', pid: process.pid, startedAt: '' });
    const added = await vigil(['user', 'add', '--email', 'ops@example.org', '--admin']);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain('http://127.0.0.1:43117/sign-in/link#token=');
    expect(added.stdout).not.toContain(':8080');
    expect(added.stderr).toBe('');
    const link = await vigil(['user', 'link', '--email', 'ops@example.org']);
    expect(link.code, link.stderr).toBe(0);
    expect(link.stdout).toContain('http://127.0.0.1:43117/sign-in/link#token=');
  });

  it('prefers VIGIL_PUBLIC_URL', async () => {
    const link = await vigil(['user', 'link', '--email', 'ops@example.org'], {
      VIGIL_PUBLIC_URL: 'https://vigil.example.org/',
    });
    expect(link.code, link.stderr).toBe(0);
    expect(link.stdout).toContain('https://vigil.example.org/sign-in/link#token=');
    expect(link.stderr).toBe('');
  });

  it('ignores the record of a server that is gone, and warns that the address is a guess', async () => {
    // A pid that no process has (beyond pid_max on Linux): the server crashed without cleaning up.
    writeFileSync(
      join(dir, 'server.json'),
      JSON.stringify({ url: 'http://127.0.0.1:43117', pid: 2 ** 22 + 7, startedAt: '' }),
    );
    const link = await vigil(['user', 'link', '--email', 'ops@example.org']);
    expect(link.code, link.stderr).toBe(0);
    expect(link.stdout).toContain('http://127.0.0.1:8080/sign-in/link#token=');
    expect(link.stderr).toMatch(/warning: the server's address is unknown/);
  });

  it('removes only its own record when a server stops', () => {
    writeServerAddress(dir, { url: 'http://127.0.0.1:1', pid: process.pid + 1, startedAt: '' });
    removeServerAddress(dir);
    expect(readServerAddress(dir)?.url).toBe('http://127.0.0.1:1');
    writeServerAddress(dir, { url: 'http://127.0.0.1:1', pid: process.pid, startedAt: '' });
    removeServerAddress(dir);
    expect(readServerAddress(dir)).toBeUndefined();
  });
});
