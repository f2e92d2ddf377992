/**
 * The embedded database is durable: every write the server acknowledged is there after the
 * process is killed with SIGKILL mid-stream (WAL + synchronous=FULL).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/connection.js';
import { runCommand } from '../support/cli.js';
import { startServer } from '../support/server.js';

describe('SQLite durability under kill -9', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-kill9-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // The embedded database, whatever the test run's DATABASE_URL says.
  const env = { DATABASE_URL: '' };

  it('keeps every acknowledged write', async () => {
    expect(
      (await runCommand(['user', 'add', '--email', 'ops@example.org', '--admin', '--data', dir], env)).code,
    ).toBe(0);
    const tokenRun = await runCommand(
      ['token', 'create', '--email', 'ops@example.org', '--name', 'k', '--json', '--data', dir],
      env,
    );
    const token = JSON.parse(tokenRun.stdout).token as string;
    const server = await startServer(['--data', dir], env);
    const acknowledged: string[] = [];
    // Writes keep flowing while the process is killed; only those answered 201 must survive.
    const writer = (async () => {
      for (let i = 0; i < 200; i++) {
        const slug = `p-${i}`;
        try {
          const res = await fetch(`${server.url}/api/v1/projects`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ slug, name: `P ${i}`, preset: 'k8spolicy' }),
          });
          if (res.status === 201) acknowledged.push(slug);
        } catch {
          return; // the server is gone
        }
      }
    })();
    while (acknowledged.length < 15) await new Promise((r) => setTimeout(r, 5));
    await server.stop('SIGKILL');
    await writer;

    const db = openDb({ dataDir: dir });
    try {
      const rows = await db.kysely.selectFrom('projects').select('slug').execute();
      const stored = new Set(rows.map((r) => r.slug));
      const lost = acknowledged.filter((s) => !stored.has(s));
      expect(acknowledged.length).toBeGreaterThanOrEqual(15);
      expect(lost).toEqual([]);
    } finally {
      await db.close();
    }
    const verify = await runCommand(['audit', 'verify', '--data', dir], env);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  });
});
