/**
 * The real `vigil serve` anchors its audit log outside the database: a signed checkpoint at start,
 * whenever the log moved (every VIGIL_AUDIT_CHECKPOINT_SECONDS), and at stop, in a folder beside
 * the data directory by default; the built `vigil audit verify` checks the log against them and
 * catches the newest events cut from the database afterwards. Embedded database.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/connection.js';
import { defaultCheckpointDir } from '../../src/lib/config.js';
import { runVigil } from '../support/cli.js';
import { startServer } from '../support/server.js';

describe('vigil serve writes audit checkpoints', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-serve-audit-'));
  const checkpoints = defaultCheckpointDir(dir);
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(checkpoints, { recursive: true, force: true });
  });
  const env = { DATABASE_URL: '', VIGIL_AUDIT_CHECKPOINT_SECONDS: '1' };

  it(
    'at start, while events are appended and at stop; verify passes, then catches a cut',
    { timeout: 90_000 },
    async () => {
      expect(checkpoints).toBe(`${dir}-audit-checkpoints`);
      const server = await startServer(['--data', dir, '--admin-email', 'root@example.org'], env);
      try {
        await server.waitForOutput(`audit checkpoints: ${checkpoints}`);
        expect(readdirSync(checkpoints).length).toBeGreaterThanOrEqual(1);
        // The first admin's creation is in the log; a sign-in link request appends more.
        const res = await fetch(`${server.url}/api/v1/auth/sign-in`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'root@example.org', password: 'not the password at all' }),
        });
        expect(res.status).toBeLessThan(500);
      } finally {
        expect(await server.stop()).toBe(0);
      }
      expect(existsSync(join(dir, 'audit.key'))).toBe(false); // the tests' VIGIL_AUDIT_KEY is used
      const written = readdirSync(checkpoints);
      expect(written.length).toBeGreaterThanOrEqual(2);

      const intact = await runVigil(['audit', 'verify', '--data', dir], env);
      expect(intact.code, intact.stdout + intact.stderr).toBe(0);
      expect(intact.stdout).toMatch(/Checkpoints: \d+ checked in .*: all match the log\./);

      // Someone with the database file cuts the newest event and moves the head back.
      const db = openDb({ dataDir: dir });
      try {
        const events = await db.kysely
          .selectFrom('audit_events')
          .select(['seq', 'hash'])
          .orderBy('seq')
          .execute();
        expect(events.length).toBeGreaterThanOrEqual(1);
        const last = events.at(-1);
        const before = events.at(-2);
        await db.kysely
          .deleteFrom('audit_events')
          .where('seq', '=', last?.seq ?? 0)
          .execute();
        await db.kysely
          .updateTable('audit_head')
          .set({ seq: before?.seq ?? 0, hash: before?.hash ?? '0'.repeat(64) })
          .execute();
      } finally {
        await db.close();
      }
      const cut = await runVigil(['audit', 'verify', '--data', dir], env);
      expect(cut.code).toBe(1);
      expect(cut.stdout).toMatch(/the log (was cut|was wiped)/);
    },
  );
});
