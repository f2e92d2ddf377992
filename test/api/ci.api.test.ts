/**
 * CI on the fix through the API: runners registered by admins, runs queued by pushes
 * (`queueRunsForPush`), claimed under a lease, heartbeated, reported once (fenced), re-queued after
 * a lease expired, and read by the team with the log decrypted; runner tokens reach only the runner
 * API and user tokens never reach it.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasActiveLeaseOnCase, latestRunsByBranch } from '../../src/modules/fix/ci/ci.repo.js';
import { queueRunsForPush, type PushedHead } from '../../src/modules/fix/ci/ci-queue.steps.js';
import { getPresetYaml } from '../../src/modules/policy/policy.presets.js';
import {
  buildTestApp,
  createUser,
  OPERATOR,
  projectWithTeam,
  tokenClient,
  type Client,
  type TestApp,
} from '../support/app.js';
import { describeEachDb } from '../support/db.js';

const SYSTEM = { type: 'system', id: 'test-push' } as const;
const sha = (n: number) => n.toString(16).padStart(40, '0');

/** A policy with CI: the contour preset with a test command and a one-minute limit. */
function policyWithTests(command: string | null): string {
  return getPresetYaml('contour')
    .replace('testCommand: null', `testCommand: ${command === null ? 'null' : JSON.stringify(command)}`)
    .replace('testTimeoutMinutes: 30', 'testTimeoutMinutes: 1');
}

describeEachDb('CI on the fix', (get) => {
  let t: TestApp;
  let team: Client;
  let admin: Client;
  let caseRow: { id: string; project_id: string; human_id: string };
  let noCiCase: { id: string; project_id: string };
  let runnerA: string;
  let runnerB: string;
  let runnerBId: string;

  const k = () => get().db.kysely;
  const runner =
    (token: string) =>
    (method: string, url: string, body?: unknown): Promise<LightMyRequestResponse> =>
      t.app.inject({
        method: method as 'POST',
        url,
        headers: { authorization: `Bearer ${token}` },
        ...(body !== undefined && { payload: body as object }),
      });
  const claim = (token: string) => runner(token)('POST', '/api/v1/runner/claim');
  /** The run's current attempt: what the runner holding it was given by its claim. */
  const attemptOf = async (runId: string) =>
    Math.max(
      1,
      (await k().selectFrom('ci_runs').select('attempts').where('id', '=', runId).executeTakeFirst())
        ?.attempts ?? 1,
    );
  const heartbeat = async (token: string, runId: string, attempt?: number) =>
    runner(token)('POST', `/api/v1/runner/runs/${runId}/heartbeat`, {
      attempt: attempt ?? (await attemptOf(runId)),
    });
  const result = async (token: string, runId: string, body: Record<string, unknown> = {}) =>
    runner(token)('POST', `/api/v1/runner/runs/${runId}/result`, {
      status: 'passed',
      exitCode: 0,
      timedOut: false,
      log: 'ok',
      attempt: await attemptOf(runId),
      ...body,
    });

  async function fileCase(slug: string) {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/projects/${slug}/reports`,
      payload: { subject: 'Heap overflow in the parser', reproduction: 'Send the payload.' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const { id } = res.json() as { id: string };
    return k()
      .selectFrom('cases')
      .select(['id', 'project_id', 'human_id'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  }

  const queue = (c: { id: string; project_id: string }, heads: PushedHead[]) =>
    k()
      .transaction()
      .execute((trx) => queueRunsForPush(trx, t.clock, c, heads, SYSTEM));

  const runRow = (id: string) =>
    k().selectFrom('ci_runs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const auditOf = async (action: string) =>
    (
      await k()
        .selectFrom('audit_events')
        .select(['data_json', 'actor_id'])
        .where('action', '=', action)
        .orderBy('seq')
        .execute()
    ).map((e): Record<string, unknown> => ({ actor: e.actor_id, ...(JSON.parse(e.data_json) as object) }));

  /** Claims until nothing is queued, reporting each as an error: the next test starts with an empty queue. */
  async function drain(token = runnerA) {
    for (;;) {
      const res = await claim(token);
      if (res.statusCode === 204) return;
      expect(res.statusCode, res.body).toBe(200);
      const run = (res.json() as { run: { id: string } }).run;
      expect(
        (await result(token, run.id, { status: 'error', exitCode: null, log: 'drained' })).statusCode,
      ).toBe(200);
    }
  }

  beforeAll(async () => {
    t = await buildTestApp(get().db);
    ({ team } = await projectWithTeam(t, 'ci-alpha'));
    await t.services.projects.updatePolicy(OPERATOR, 'ci-alpha', { yaml: policyWithTests('make test') });
    await projectWithTeam(t, 'ci-bravo');
    admin = await tokenClient(t, (await createUser(t, { isAdmin: true })).id);
    caseRow = await fileCase('ci-alpha');
    noCiCase = await fileCase('ci-bravo');
    const register = async (name: string) => {
      const res = await admin.request('POST', '/api/v1/runners', { name });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string; name: string; token: string };
    };
    runnerA = (await register('runner-a')).token;
    const b = await register('runner-b');
    runnerB = b.token;
    runnerBId = b.id;
  });
  afterAll(async () => {
    await t.app.close();
  });

  describe('runners', () => {
    it('registers runners for admins only, shows the token once and stores only its hash', async () => {
      expect(runnerA).toMatch(/^vgr_[A-Za-z0-9_-]{43}$/);
      const listed = await admin.request('GET', '/api/v1/runners');
      expect(listed.statusCode).toBe(200);
      const runners = (listed.json() as { runners: Record<string, unknown>[] }).runners;
      expect(runners.map((r) => r.name)).toEqual(['runner-a', 'runner-b']);
      expect(runners[0]).toMatchObject({ prefix: runnerA.slice(0, 12), revokedAt: null });
      expect(listed.body).not.toContain(runnerA);
      const stored = await k().selectFrom('runners').select(['token_hash', 'token_prefix']).execute();
      expect(JSON.stringify(stored)).not.toContain(runnerA);
      expect(await auditOf('runner.registered')).toHaveLength(2);
      // The security team is not an admin: runners are the instance's.
      for (const res of [
        await team.request('POST', '/api/v1/runners', { name: 'mine' }),
        await team.request('GET', '/api/v1/runners'),
        await team.request('DELETE', `/api/v1/runners/${runnerBId}`),
      ]) {
        expect(res.statusCode).toBe(404);
      }
      expect((await admin.request('POST', '/api/v1/runners', { name: 'x'.repeat(101) })).statusCode).toBe(
        400,
      );
    });

    it('resolves runner tokens; unknown and revoked ones answer 401, and last use is written once a minute', async () => {
      expect((await claim(runnerA)).statusCode).toBe(204);
      const seen = async () =>
        (
          await k()
            .selectFrom('runners')
            .select('last_seen_at')
            .where('name', '=', 'runner-a')
            .executeTakeFirstOrThrow()
        ).last_seen_at;
      const first = await seen();
      expect(first).toBe(t.clock.now().toISOString());
      t.clock.advance(30_000);
      await claim(runnerA);
      expect(await seen()).toBe(first);
      t.clock.advance(30_000);
      await claim(runnerA);
      expect(await seen()).toBe(t.clock.now().toISOString());
      expect((await claim(`vgr_${'A'.repeat(43)}`)).statusCode).toBe(401);

      const spare = await admin.request('POST', '/api/v1/runners', { name: 'spare' });
      const { id, token } = spare.json() as { id: string; token: string };
      expect((await claim(token)).statusCode).toBe(204);
      expect((await admin.request('DELETE', `/api/v1/runners/${id}`)).statusCode).toBe(204);
      expect((await admin.request('DELETE', `/api/v1/runners/${id}`)).statusCode).toBe(204);
      const refused = await claim(token);
      expect(refused.statusCode).toBe(401);
      expect(refused.json()).toMatchObject({ code: 'unauthenticated' });
      expect(await auditOf('runner.revoked')).toEqual([{ actor: expect.any(String), runnerId: id }]);
    });

    it('keeps runner tokens to the runner API, and user tokens out of it (404)', async () => {
      for (const [method, url] of [
        ['GET', `/api/v1/cases/${caseRow.human_id}`],
        ['GET', `/api/v1/cases/${caseRow.human_id}/ci`],
        ['GET', '/api/v1/projects'],
        ['GET', '/api/v1/me'],
        ['GET', '/api/v1/runners'],
        ['POST', '/api/v1/runners'],
      ] as const) {
        const res = await runner(runnerA)(method, url, method === 'POST' ? { name: 'x' } : undefined);
        expect(res.statusCode, `${method} ${url}`).toBe(404);
        expect(res.json()).toMatchObject({ code: 'not_found' });
      }
      // Public routes answer a runner as anyone.
      expect((await runner(runnerA)('GET', '/api/v1/projects/ci-alpha/intake')).statusCode).toBe(200);
      await queue(caseRow, [{ branch: 'main', commit: sha(1) }]);
      for (const client of [team, admin]) {
        expect((await client.request('POST', '/api/v1/runner/claim')).statusCode).toBe(404);
      }
      const run = (await claim(runnerA)).json() as { run: { id: string } };
      for (const client of [team, admin]) {
        expect(
          (await client.request('POST', `/api/v1/runner/runs/${run.run.id}/heartbeat`, { attempt: 1 }))
            .statusCode,
        ).toBe(404);
        const res = await client.request('POST', `/api/v1/runner/runs/${run.run.id}/result`, {
          status: 'failed',
          exitCode: 1,
          timedOut: false,
          log: '',
          attempt: 1,
        });
        expect(res.statusCode).toBe(404);
      }
      expect((await runRow(run.run.id)).state).toBe('running');
      await result(runnerA, run.run.id);
    });
  });

  describe('runs', () => {
    it('queues one run per pushed head, and none for a project without a test command', async () => {
      const heads = [
        { branch: 'release-1.28', commit: sha(10) },
        { branch: 'release-1.29', commit: sha(11) },
      ];
      const ids = await queue(caseRow, heads);
      expect(ids).toHaveLength(2);
      expect(await queue(caseRow, heads)).toEqual([]);
      expect(await queue(noCiCase, heads)).toEqual([]);
      const queued = await auditOf('ci.run_queued');
      expect(queued.slice(-2).map((e) => e.branch)).toEqual(['release-1.28', 'release-1.29']);
      await drain();
    });

    it('claims the oldest run under a lease, heartbeats it, and records the result once, encrypted', async () => {
      const [first, second] = await queue(caseRow, [
        { branch: 'release-1.28', commit: sha(20) },
        { branch: 'release-1.29', commit: sha(21) },
      ]);
      const now = t.clock.now().getTime();
      const claimed = await claim(runnerA);
      expect(claimed.statusCode, claimed.body).toBe(200);
      expect(claimed.json()).toEqual({
        run: {
          id: first,
          caseId: caseRow.id,
          caseHumanId: caseRow.human_id,
          branch: 'release-1.28',
          commit: sha(20),
          cloneUrl: `http://vigil.test/git/${caseRow.human_id}.git`,
          testCommand: 'make test',
          timeoutSeconds: 60,
          leaseSeconds: 60,
          attempt: 1,
        },
      });
      expect(await runRow(first ?? '')).toMatchObject({
        state: 'running',
        attempts: 1,
        lease_until: new Date(now + 60_000).toISOString(),
      });

      t.clock.advance(20_000);
      const beat = await heartbeat(runnerA, first ?? '');
      expect(beat.statusCode, beat.body).toBe(200);
      expect(beat.json()).toEqual({ leaseUntil: new Date(now + 80_000).toISOString() });
      // Another runner holds nothing here.
      expect((await heartbeat(runnerB, first ?? '')).statusCode).toBe(404);
      expect((await result(runnerB, first ?? '')).statusCode).toBe(404);

      const log = `PASS parser_test.go\nthe secret output ${'x'.repeat(100)}\n`;
      const done = await result(runnerA, first ?? '', { status: 'failed', exitCode: 2, log });
      expect(done.statusCode, done.body).toBe(200);
      expect(done.json()).toEqual({ id: first, state: 'failed', finishedAt: t.clock.now().toISOString() });
      // The same report again (its answer was lost): the recorded outcome, nothing rewritten.
      const again = await result(runnerA, first ?? '', { status: 'passed', exitCode: 0, log: 'other' });
      expect(again.json()).toEqual(done.json());
      expect((await heartbeat(runnerA, first ?? '')).statusCode).toBe(404);

      const row = await runRow(first ?? '');
      expect(row).toMatchObject({
        state: 'failed',
        exit_code: 2,
        timed_out: 0,
        lease_until: null,
        runner_id: expect.any(String),
      });
      expect(row.log_enc).toMatch(/^v1\./);
      expect(row.log_enc).not.toContain('secret output');
      const fetched = await team.request('GET', `/api/v1/cases/${caseRow.human_id}/ci/runs/${first}/log`);
      expect(fetched.json()).toEqual({ log });

      expect((await auditOf('ci.run_finished')).at(-1)).toMatchObject({
        runId: first,
        status: 'failed',
        exitCode: 2,
        durationMs: 20_000,
      });
      expect((await auditOf('ci.run_claimed')).at(-1)).toMatchObject({ runId: first, attempt: 1 });

      const next = await claim(runnerB);
      expect((next.json() as { run: { id: string } }).run.id).toBe(second);
      expect((await result(runnerB, second ?? '')).statusCode).toBe(200);
      expect((await claim(runnerA)).statusCode).toBe(204);
    });

    it('refuses malformed results, keeps the newest 256 KiB of a log, and answers 413 beyond 1 MiB', async () => {
      const [id] = await queue(caseRow, [{ branch: 'logs', commit: sha(30) }]);
      const runId = id ?? '';
      await claim(runnerA);
      expect((await result(runnerA, runId, { status: 'passed', exitCode: 1 })).statusCode).toBe(400);
      expect((await result(runnerA, runId, { status: 'fine' })).statusCode).toBe(400);
      const huge = await result(runnerA, runId, { log: 'y'.repeat(1024 * 1024 + 10) });
      expect(huge.statusCode).toBe(413);
      expect((await runRow(runId)).state).toBe('running');
      const long = `${'a'.repeat(200 * 1024)}${'b'.repeat(200 * 1024)}THE END`;
      expect((await result(runnerA, runId, { log: long })).statusCode).toBe(200);
      const kept = (
        await team.request('GET', `/api/v1/cases/${caseRow.human_id}/ci/runs/${runId}/log`)
      ).json().log as string;
      expect(kept.endsWith('b'.repeat(1000) + 'THE END')).toBe(true);
      expect(kept).toContain('earlier output dropped');
      expect(Buffer.byteLength(kept)).toBeLessThan(256 * 1024 + 100);
      expect(Buffer.byteLength(kept)).toBeGreaterThan(256 * 1024 - 10);
    });

    it('never gives two concurrent claims the same run', async () => {
      const heads = Array.from({ length: 6 }, (_, i) => ({ branch: `race-${i}`, commit: sha(40 + i) }));
      const ids = await queue(caseRow, heads);
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) => claim(i % 2 === 0 ? runnerA : runnerB)),
      );
      const claimed = answers
        .filter((a) => a.statusCode === 200)
        .map((a) => (a.json() as { run: { id: string } }).run.id);
      expect(answers.filter((a) => a.statusCode === 204)).toHaveLength(6);
      expect([...claimed].sort()).toEqual([...ids].sort());
      const rows = await k()
        .selectFrom('ci_runs')
        .select(['state', 'attempts'])
        .where('id', 'in', ids)
        .execute();
      expect(rows.every((r) => r.state === 'running' && r.attempts === 1)).toBe(true);
      const audited = (await auditOf('ci.run_claimed')).filter((e) => ids.includes(String(e.runId)));
      expect(audited).toHaveLength(6);
      await k()
        .updateTable('ci_runs')
        .set({ lease_until: '2000-01-01T00:00:00.000Z' })
        .where('id', 'in', ids)
        .execute();
      await k().updateTable('ci_runs').set({ attempts: 3 }).where('id', 'in', ids).execute();
      // Three lost leases: finished as errors at the next claim instead of queued again.
      expect((await claim(runnerA)).statusCode).toBe(204);
      const finished = await k()
        .selectFrom('ci_runs')
        .select(['state', 'runner_id'])
        .where('id', 'in', ids)
        .execute();
      expect(finished).toEqual(ids.map(() => ({ state: 'error', runner_id: null })));
    });

    it('takes back a run whose lease expired: the first runner is refused (404), the second reports', async () => {
      const [id] = await queue(caseRow, [{ branch: 'release-1.28', commit: sha(50) }]);
      const runId = id ?? '';
      const first = await claim(runnerA);
      expect((first.json() as { run: { id: string } }).run.id).toBe(runId);
      t.clock.advance(59_000);
      expect((await claim(runnerB)).statusCode).toBe(204);
      t.clock.advance(1_000);
      const second = await claim(runnerB);
      expect(second.statusCode).toBe(200);
      expect(second.json()).toMatchObject({ run: { id: runId, attempt: 2 } });
      expect((await auditOf('ci.run_requeued')).at(-1)).toMatchObject({ runId, attempt: 1 });

      expect((await heartbeat(runnerA, runId)).statusCode).toBe(404);
      expect((await result(runnerA, runId, { status: 'failed', exitCode: 1 })).statusCode).toBe(404);
      expect((await result(runnerB, runId)).statusCode).toBe(200);
      expect(await runRow(runId)).toMatchObject({ state: 'passed', attempts: 2 });
      // A runner restarted under the same token names the attempt it claimed: an older one is refused.
      const [other] = await queue(caseRow, [{ branch: 'release-1.29', commit: sha(51) }]);
      await claim(runnerA);
      t.clock.advance(61_000);
      await claim(runnerA);
      // The attempt is required: without it a stale process could extend or finish a later attempt.
      const bare = runner(runnerA);
      expect((await bare('POST', `/api/v1/runner/runs/${other}/heartbeat`, {})).statusCode).toBe(400);
      const noAttempt = { status: 'passed', exitCode: 0, timedOut: false, log: 'ok' };
      expect((await bare('POST', `/api/v1/runner/runs/${other}/result`, noAttempt)).statusCode).toBe(400);
      const lease = (await runRow(other ?? '')).lease_until;
      t.clock.advance(30_000);
      expect((await heartbeat(runnerA, other ?? '', 1)).statusCode).toBe(404);
      expect((await runRow(other ?? '')).lease_until).toBe(lease);
      expect((await heartbeat(runnerA, other ?? '', 2)).statusCode).toBe(200);
      expect((await result(runnerA, other ?? '', { attempt: 1 })).statusCode).toBe(404);
      expect((await result(runnerA, other ?? '', { attempt: 2 })).statusCode).toBe(200);
    });

    it('finishes as an error a run whose project no longer names a test command', async () => {
      const [id] = await queue(caseRow, [{ branch: 'release-1.28', commit: sha(60) }]);
      await t.services.projects.updatePolicy(OPERATOR, 'ci-alpha', { yaml: policyWithTests(null) });
      try {
        expect((await claim(runnerA)).statusCode).toBe(204);
        expect(await runRow(id ?? '')).toMatchObject({ state: 'error', exit_code: null });
        const log = await team.request('GET', `/api/v1/cases/${caseRow.human_id}/ci/runs/${id}/log`);
        expect(log.json().log).toContain('No test command in the policy');
        const ci = await team.request('GET', `/api/v1/cases/${caseRow.human_id}/ci`);
        expect(ci.json().testCommand).toBeNull();
      } finally {
        await t.services.projects.updatePolicy(OPERATOR, 'ci-alpha', { yaml: policyWithTests('make test') });
      }
    });
  });

  describe('project-scoped runners', () => {
    it("claims only its project's runs; an unknown project is refused", async () => {
      await drain();
      const register = (body: object) => admin.request('POST', '/api/v1/runners', body);
      expect((await register({ name: 'nowhere', project: 'no-such-project' })).statusCode).toBe(404);
      expect((await register({ name: 'bad', project: 'Not A Slug' })).statusCode).toBe(400);
      const bravo = await register({ name: 'bravo-only', project: 'ci-bravo' });
      expect(bravo.statusCode, bravo.body).toBe(201);
      expect(bravo.json()).toMatchObject({ name: 'bravo-only', project: 'ci-bravo' });
      const alpha = (await register({ name: 'alpha-only', project: 'ci-alpha' })).json() as {
        id: string;
        token: string;
      };
      const listed = (await admin.request('GET', '/api/v1/runners')).json() as {
        runners: { id: string; projectId: string | null }[];
      };
      expect(listed.runners.find((r) => r.id === alpha.id)?.projectId).toBe(caseRow.project_id);

      const [id] = await queue(caseRow, [{ branch: 'scoped', commit: sha(90) }]);
      expect((await claim(bravo.json().token)).statusCode).toBe(204);
      expect((await runRow(id ?? '')).state).toBe('queued');
      const claimed = await claim(alpha.token);
      expect(claimed.statusCode, claimed.body).toBe(200);
      expect(claimed.json()).toMatchObject({ run: { id } });
      expect((await result(alpha.token, id ?? '')).statusCode).toBe(200);
    });
  });

  describe('reading', () => {
    it("shows the team each branch's latest run and history, and the matrix's latest per branch", async () => {
      const res = await team.request('GET', `/api/v1/cases/${caseRow.human_id}/ci`);
      expect(res.statusCode, res.body).toBe(200);
      const ci = res.json() as {
        testCommand: string;
        branches: { branch: string; latest: Record<string, unknown>; history: Record<string, unknown>[] }[];
      };
      expect(ci.testCommand).toBe('make test');
      const line = ci.branches.find((b) => b.branch === 'release-1.28');
      expect(line?.latest).toMatchObject({ commit: sha(60), state: 'error' });
      expect(line?.history.map((r) => r.commit)).toEqual([sha(60), sha(50), sha(20), sha(10)]);
      expect(line?.history[1]).toMatchObject({
        state: 'passed',
        attempts: 2,
        runnerName: 'runner-b',
        exitCode: 0,
        timedOut: false,
      });
      expect(ci.branches.map((b) => b.branch)).toEqual([...ci.branches.map((b) => b.branch)].sort());

      const latest = await latestRunsByBranch(get().db.kysely, caseRow.id);
      expect(latest.get('release-1.28')).toEqual({
        id: expect.any(String),
        commit: sha(60),
        state: 'error',
        queuedAt: expect.any(String),
        finishedAt: expect.any(String),
      });
      expect(latest.get('release-1.29')).toMatchObject({ commit: sha(51), state: 'passed' });
      expect(latest.has('no-such-branch')).toBe(false);

      // Another case's run is not this case's (404), nor is a case of another team.
      const runId = String(line?.history[0]?.id);
      expect(
        (await team.request('GET', `/api/v1/cases/${noCiCase.id}/ci/runs/${runId}/log`)).statusCode,
      ).toBe(404);
      expect((await admin.request('GET', `/api/v1/cases/${caseRow.human_id}/ci`)).statusCode).toBe(404);
    });

    it('counts a branch by its head: a force-push back to a red commit is red, a deleted branch has nothing', async () => {
      const [a] = await queue(caseRow, [{ branch: 'heads', commit: sha(80) }]);
      await claim(runnerA);
      await result(runnerA, a ?? '', { status: 'failed', exitCode: 1 });
      const [b] = await queue(caseRow, [{ branch: 'heads', commit: sha(81) }]);
      await claim(runnerA);
      await result(runnerA, b ?? '');
      expect((await latestRunsByBranch(k(), caseRow.id)).get('heads')).toMatchObject({
        id: b,
        state: 'passed',
      });

      // Force-push back to A: its run exists, so nothing is queued, yet the branch is red again.
      expect(await queue(caseRow, [{ branch: 'heads', commit: sha(80) }])).toEqual([]);
      expect((await latestRunsByBranch(k(), caseRow.id)).get('heads')).toMatchObject({
        id: a,
        commit: sha(80),
        state: 'failed',
      });
      const ci = (await team.request('GET', `/api/v1/cases/${caseRow.human_id}/ci`)).json() as {
        branches: { branch: string; latest: { id: string } | null; history: { id: string }[] }[];
      };
      const heads = ci.branches.find((x) => x.branch === 'heads');
      expect(heads?.latest?.id).toBe(a);
      expect(heads?.history.map((r) => r.id)).toEqual([b, a]);

      // Deleting the branch forgets its head: no run counts for it any more.
      await k()
        .transaction()
        .execute((trx) => queueRunsForPush(trx, t.clock, caseRow, [], SYSTEM, ['heads']));
      expect((await latestRunsByBranch(k(), caseRow.id)).has('heads')).toBe(false);
    });

    it('holds an active lease on a case (what lets a runner clone) only while it holds a run of the case', async () => {
      const principalA = await t.services.runners.resolveRunnerToken(runnerA);
      if (principalA?.kind !== 'runner') throw new Error('runner A does not resolve');
      const leased = (caseId: string) =>
        hasActiveLeaseOnCase(k(), principalA.runnerId, caseId, t.clock.now().toISOString());
      expect(await leased(caseRow.id)).toBe(false);
      const [id] = await queue(caseRow, [{ branch: 'clone', commit: sha(70) }]);
      await claim(runnerA);
      expect(await leased(caseRow.id)).toBe(true);
      expect(await leased(noCiCase.id)).toBe(false);
      await result(runnerA, id ?? '');
      expect(await leased(caseRow.id)).toBe(false);
    });
  });
});
