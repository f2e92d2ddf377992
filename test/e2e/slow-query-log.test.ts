/**
 * The slow-query log (`VIGIL_SLOW_QUERY_MS`), through the real binary: at 0 ms every statement of a
 * report filed is logged with its SQL text and time, and nothing of the report: not its subject,
 * not its reporter's address (the values are never logged, sealed or not). A bad value is refused
 * at start, naming the variable.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand } from '../support/cli.js';
import { startServer } from '../support/server.js';

const CANARY = 'CANARY-slow-query-7f3a';

describe('the slow-query log', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-slow-query-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('logs the statements of a report, never its values', async () => {
    const env = { DATABASE_URL: '', VIGIL_SLOW_QUERY_MS: '0' };
    const created = await runCommand(
      ['project', 'create', 'demo', '--name', 'Demo', '--preset', 'contour', '--data', dir],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
    const server = await startServer(['--data', dir], env);
    try {
      const res = await fetch(`${server.url}/api/v1/projects/demo/reports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          subject: `Crash ${CANARY}`,
          reporter: { email: `${CANARY.toLowerCase()}@example.org` },
          reproduction: `Steps ${CANARY}.`,
        }),
      });
      expect(res.status).toBe(201);
      await server.waitForOutput('insert into \\"cases\\"');
      const lines = server
        .output()
        .split('\n')
        .filter((l) => l.includes('"slow query"'));
      expect(lines.length).toBeGreaterThan(3);
      expect(lines.some((l) => /"ms":\d+/.test(l))).toBe(true);
      expect(server.output()).not.toContain(CANARY);
      expect(server.output().toLowerCase()).not.toContain(CANARY.toLowerCase());
    } finally {
      await server.stop();
    }
  });

  it('refuses a value that is not a number of milliseconds', async () => {
    const r = await runCommand(['serve', '--port', '0', '--data', dir], {
      DATABASE_URL: '',
      VIGIL_SLOW_QUERY_MS: 'fast',
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('VIGIL_SLOW_QUERY_MS must be a whole number');
  });
});
