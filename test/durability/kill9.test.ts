/**
 * The embedded database is durable: every write the server acknowledged is there after the
 * process is killed with SIGKILL mid-stream (WAL + synchronous=FULL).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/connection.js';
import { getPresetYaml } from '../../src/modules/policy/policy.presets.js';
import { runCommand } from '../support/cli.js';
import { startServer } from '../support/server.js';

const run = promisify(execFile);

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

  // The fix phase: invitations (an account, a membership, a sign-in link, audit, a mail job) and
  // pushes to the fix repository (the push is answered once its CI runs and audit are committed).
  it('keeps every acknowledged invitation and push of the fix phase', async () => {
    const fixDir = mkdtempSync(join(tmpdir(), 'vigil-kill9-fix-'));
    try {
      const cli = async (...args: string[]) => {
        const r = await runCommand([...args, '--data', fixDir], env);
        expect(r.code, r.stderr).toBe(0);
        return r.stdout;
      };
      const policy = join(fixDir, 'policy.yaml');
      writeFileSync(
        policy,
        getPresetYaml('k8spolicy')
          .replace(/upstreamRepository: \S+/, 'upstreamRepository: null')
          .replace(/testCommand: null/, 'testCommand: make test'),
      );
      await cli('project', 'create', 'demo', '--name', 'Demo', '--preset', policy);
      await cli('user', 'add', '--email', 'lead@example.org');
      await cli('project', 'member', 'add', 'demo', '--email', 'lead@example.org', '--role', 'security-team');
      const token = JSON.parse(
        await cli('token', 'create', '--email', 'lead@example.org', '--name', 'k', '--json'),
      ).token as string;
      const server = await startServer(['--data', fixDir], env);
      const api = (method: string, path: string, body?: unknown) =>
        fetch(`${server.url}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      const filed = await fetch(`${server.url}/api/v1/projects/demo/reports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ subject: 'Crash on a long header', reproduction: 'Steps.' }),
      });
      const humanId = ((await filed.json()) as { humanId: string }).humanId;
      expect((await api('POST', `/api/v1/cases/${humanId}/transitions`, { to: 'accepted' })).status).toBe(
        200,
      );
      // The repository starts empty (no upstream) once the seed job has run.
      for (let i = 0; ; i++) {
        const r = (await (await api('GET', `/api/v1/cases/${humanId}/repository`)).json()) as {
          state: string;
        };
        if (r.state === 'ready') break;
        if (i > 200) throw new Error(`the repository stayed ${r.state}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const work = join(fixDir, 'work');
      const gitEnv = {
        ...process.env,
        GIT_TERMINAL_PROMPT: '0',
        GIT_AUTHOR_NAME: 'E',
        GIT_AUTHOR_EMAIL: 'e@example.org',
        GIT_COMMITTER_NAME: 'E',
        GIT_COMMITTER_EMAIL: 'e@example.org',
      };
      const git = (...args: string[]) => run('git', args, { cwd: work, env: gitEnv });
      await run('git', ['init', '-q', '-b', 'main', work]);
      await git(
        'remote',
        'add',
        'origin',
        `${server.url.replace('://', `://k:${token}@`)}/git/${humanId}.git`,
      );

      const invited: string[] = [];
      const pushed: { branch: string; commit: string }[] = [];
      const inviter = (async () => {
        for (let i = 0; i < 500; i++) {
          const email = `engineer-${i}@example.org`;
          try {
            const res = await api('POST', `/api/v1/cases/${humanId}/members`, { email, role: 'fix-team' });
            if (res.status === 201) invited.push(email);
          } catch {
            return; // the server is gone
          }
        }
      })();
      const pusher = (async () => {
        for (let i = 0; i < 200; i++) {
          const branch = `fix-${i}`;
          try {
            writeFileSync(join(work, 'n'), `${i}\n`);
            await git('checkout', '-q', '-B', branch);
            await git('add', 'n');
            await git('commit', '-qm', `Step ${i}`);
            const commit = (await git('rev-parse', 'HEAD')).stdout.trim();
            await git('push', '-q', 'origin', branch);
            pushed.push({ branch, commit });
          } catch {
            return; // the push was cut off, or the server is gone
          }
        }
      })();
      while (invited.length < 10 || pushed.length < 5) await new Promise((r) => setTimeout(r, 5));
      await server.stop('SIGKILL');
      await Promise.all([inviter, pusher]);

      const db = openDb({ dataDir: fixDir });
      try {
        const members = await db.kysely
          .selectFrom('case_members as m')
          .innerJoin('users as u', 'u.id', 'm.user_id')
          .select('u.email')
          .execute();
        const storedMembers = new Set(members.map((m) => m.email));
        expect(invited.filter((e) => !storedMembers.has(e))).toEqual([]);
        const runs = await db.kysely.selectFrom('ci_runs').select(['branch', 'commit_sha']).execute();
        const storedRuns = new Set(runs.map((r) => `${r.branch}@${r.commit_sha}`));
        expect(pushed.filter((p) => !storedRuns.has(`${p.branch}@${p.commit}`))).toEqual([]);
      } finally {
        await db.close();
      }
      const verify = await runCommand(['audit', 'verify', '--data', fixDir], env);
      expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    } finally {
      rmSync(fixDir, { recursive: true, force: true });
    }
  }, 120_000);

  // Held intake (issue 11, item 6): over the project's quota a report is stored and held; one the
  // server answered 201 (held or not) survives kill -9 like any other write.
  it('keeps every acknowledged report, held ones too', async () => {
    const heldDir = mkdtempSync(join(tmpdir(), 'vigil-kill9-held-'));
    try {
      const policy = join(heldDir, 'policy.yaml');
      writeFileSync(
        policy,
        getPresetYaml('k8spolicy').replace(
          /^ {2}redirectNonSecurityBugs: false$/m,
          [
            '  redirectNonSecurityBugs: false',
            '  rateLimits:',
            '    perAddress: { count: 100000, windowSeconds: 3600 }',
            '    perProject: { count: 1, windowSeconds: 3600 }',
          ].join('\n'),
        ),
      );
      const created = await runCommand(
        ['project', 'create', 'demo', '--name', 'Demo', '--preset', policy, '--data', heldDir],
        env,
      );
      expect(created.code, created.stderr).toBe(0);
      const server = await startServer(['--data', heldDir], env);
      const acknowledged: { id: string; held: boolean }[] = [];
      let finished = false;
      const writer = (async () => {
        try {
          for (let i = 0; i < 400; i++) {
            const res = await fetch(`${server.url}/api/v1/projects/demo/reports`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ subject: `Flood ${i}`, reproduction: 'Steps.' }),
            });
            if (res.status === 201) acknowledged.push((await res.json()) as { id: string; held: boolean });
          }
        } catch {
          // the server is gone
        } finally {
          finished = true;
        }
      })();
      while (!finished && acknowledged.filter((r) => r.held).length < 15) {
        await new Promise((r) => setTimeout(r, 5));
      }
      await server.stop('SIGKILL');
      await writer;

      expect(acknowledged.filter((r) => r.held).length).toBeGreaterThanOrEqual(15);
      const db = openDb({ dataDir: heldDir });
      try {
        const rows = await db.kysely.selectFrom('cases').select(['id', 'held_at']).execute();
        const stored = new Map(rows.map((r) => [r.id, r.held_at]));
        expect(acknowledged.filter((r) => !stored.has(r.id))).toEqual([]);
        expect(acknowledged.filter((r) => r.held && !stored.get(r.id))).toEqual([]);
      } finally {
        await db.close();
      }
      const verify = await runCommand(['audit', 'verify', '--data', heldDir], env);
      expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    } finally {
      rmSync(heldDir, { recursive: true, force: true });
    }
  }, 120_000);

  // Bulk triage (issue 12): a batch the server answered 200 is rejected whole after kill -9, with
  // one audit event per case; the batch cut off by the kill is all or nothing too.
  it('keeps every acknowledged bulk transition, and none in part', async () => {
    const bulkDir = mkdtempSync(join(tmpdir(), 'vigil-kill9-bulk-'));
    const BATCH = 20;
    try {
      const cli = async (...args: string[]) => {
        const r = await runCommand([...args, '--data', bulkDir], env);
        expect(r.code, r.stderr).toBe(0);
        return r.stdout;
      };
      const policy = join(bulkDir, 'policy.yaml');
      writeFileSync(
        policy,
        getPresetYaml('k8spolicy').replace(
          /^ {2}redirectNonSecurityBugs: false$/m,
          [
            '  redirectNonSecurityBugs: false',
            '  rateLimits:',
            '    perAddress: { count: 100000, windowSeconds: 3600 }',
            '    perProject: { count: 100000, windowSeconds: 3600 }',
          ].join('\n'),
        ),
      );
      await cli('project', 'create', 'demo', '--name', 'Demo', '--preset', policy);
      await cli('user', 'add', '--email', 'lead@example.org');
      await cli('project', 'member', 'add', 'demo', '--email', 'lead@example.org', '--role', 'security-team');
      const token = JSON.parse(
        await cli('token', 'create', '--email', 'lead@example.org', '--name', 'k', '--json'),
      ).token as string;
      const server = await startServer(['--data', bulkDir], env);
      const batches: string[][] = [];
      for (let b = 0; b < 12; b++) {
        const batch: string[] = [];
        for (let i = 0; i < BATCH; i++) {
          const res = await fetch(`${server.url}/api/v1/projects/demo/reports`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ subject: `Flood ${b}.${i}`, reproduction: 'Steps.' }),
          });
          expect(res.status).toBe(201);
          batch.push(((await res.json()) as { id: string }).id);
        }
        batches.push(batch);
      }
      const acknowledged: string[][] = [];
      let finished = false;
      const writer = (async () => {
        try {
          for (const ids of batches) {
            const res = await fetch(`${server.url}/api/v1/cases/bulk-transitions`, {
              method: 'POST',
              headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
              body: JSON.stringify({
                ids,
                to: 'rejected',
                reasonCategory: 'not-a-vulnerability',
                reason: 'Flood.',
              }),
            });
            if (res.status === 200) acknowledged.push(ids);
            else throw new Error(`bulk transition: ${res.status} ${await res.text()}`);
          }
        } catch (err) {
          if (!(err instanceof TypeError)) throw err; // a TypeError: the server is gone
        } finally {
          finished = true;
        }
      })();
      while (!finished && acknowledged.length < 3) await new Promise((r) => setTimeout(r, 2));
      await server.stop('SIGKILL');
      await writer;

      expect(acknowledged.length).toBeGreaterThanOrEqual(3);
      const db = openDb({ dataDir: bulkDir });
      try {
        const rows = await db.kysely.selectFrom('cases').select(['id', 'state']).execute();
        const state = new Map(rows.map((r) => [r.id, r.state]));
        const events = await db.kysely
          .selectFrom('audit_events')
          .select('subject_id')
          .where('action', '=', 'case.rejected')
          .execute();
        const rejectedEvents = new Set(events.map((e) => e.subject_id));
        expect(events).toHaveLength(rejectedEvents.size);
        for (const ids of acknowledged) {
          expect(ids.filter((id) => state.get(id) !== 'rejected')).toEqual([]);
          expect(ids.filter((id) => !rejectedEvents.has(id))).toEqual([]);
        }
        // Every batch, acknowledged or cut off, is whole or untouched.
        for (const ids of batches) {
          const moved = ids.filter((id) => state.get(id) === 'rejected').length;
          expect([0, BATCH]).toContain(moved);
          expect(ids.filter((id) => rejectedEvents.has(id)).length).toBe(moved);
        }
      } finally {
        await db.close();
      }
      const verify = await runCommand(['audit', 'verify', '--data', bulkDir], env);
      expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    } finally {
      rmSync(bulkDir, { recursive: true, force: true });
    }
  }, 120_000);
});
