/**
 * The private fix repository with real git over real HTTP (PROCESS.md §5, §6, §8): created on
 * acceptance and seeded from the policy's upstream (main and each supported line's branch), cloned
 * and pushed with a team member's token, every push checked against the case's words (refused with
 * `remote:` lines naming the commit and the word, nothing stored), CI queued for pushed heads, an
 * upstream that does not clone shown as failed and retried, frozen at publication (pushes refused,
 * clones still served), and each branch's patch series. Also: who may reach /git/ at all, a CI
 * runner's lease-bound read, and `vigil check-commits`.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { Principal } from '../../src/authz/authz.policy.js';
import { createJobRunner } from '../../src/jobs/job.runner.js';
import { createKeyring } from '../../src/lib/crypto/keyring.js';
import { NotFoundError } from '../../src/lib/errors.js';
import { projectContextById } from '../../src/modules/cases/case-context.js';
import { findCaseByHumanId, findCaseById } from '../../src/modules/cases/cases.repo.js';
import { insertQueuedRun } from '../../src/modules/fix/ci/ci.repo.js';
import { createCaseLifecycle } from '../../src/modules/fix/case-lifecycle.js';
import { registerGitRoutes } from '../../src/modules/fix/repository/git-http.routes.js';
import { createGitHttpService } from '../../src/modules/fix/repository/git-http.service.js';
import { repositorySeedJobHandler } from '../../src/modules/fix/repository/repository-seed.job.js';
import { repositoryFreezeJobHandler } from '../../src/modules/fix/repository/repository-freeze.job.js';
import { FREEZE_JOB, SEED_JOB } from '../../src/modules/fix/repository/repository.steps.js';
import { getPresetYaml } from '../../src/modules/policy/policy.presets.js';
import {
  acceptedCase,
  buildTestApp,
  createUser,
  OPERATOR,
  PUBLIC_URL,
  tokenClient,
  type Client,
  type TestApp,
  seedTeamMember,
} from '../support/app.js';
import { runCommand } from '../support/cli.js';
import { describeEachDb } from '../support/db.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs git as a developer would, with nothing of this machine's configuration. */
function git(cwd: string, args: string[], home: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      'git',
      args,
      {
        cwd,
        timeout: 60_000,
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: home,
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_TERMINAL_PROMPT: '0',
          GIT_AUTHOR_NAME: 'Eve Engineer',
          GIT_AUTHOR_EMAIL: 'eve@example.org',
          GIT_COMMITTER_NAME: 'Eve Engineer',
          GIT_COMMITTER_EMAIL: 'eve@example.org',
        },
      },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describeEachDb('the private fix repository', (get, dialect) => {
  const root = mkdtempSync(join(tmpdir(), `vigil-fix-repo-${dialect}-`));
  const home = join(root, 'home');
  const upstream = join(root, 'upstream');
  const missing = join(root, 'missing.git');
  // The data directory is the repositories directory's parent: the upstreams live beside it.
  const repositoriesDir = join(root, 'data', 'repositories');
  const masterKey = randomBytes(32);
  let t: TestApp;
  let base: string;
  let team: Client;
  let teamToken: string;
  let outsiderToken: string;
  let humanId: string;
  let caseId: string;
  let upstreamHeads: Record<string, string>;
  const seed = () =>
    createJobRunner({
      db: get().db,
      clock: t.clock,
      handlers: {
        [SEED_JOB]: repositorySeedJobHandler({ db: get().db, repositoriesDir, allowLocalUpstream: true }),
      },
    }).runDueJobsOnce();
  const g = (dir: string, ...args: string[]) => git(dir, args, home);
  const ok = async (dir: string, ...args: string[]) => {
    const r = await g(dir, ...args);
    expect(r.code, `git ${args.join(' ')}: ${r.stderr}`).toBe(0);
    return r.stdout.trim();
  };
  const commit = async (dir: string, file: string, text: string, message: string) => {
    writeFileSync(join(dir, file), text);
    await ok(dir, 'add', file);
    await ok(dir, 'commit', '-q', '-m', message);
    return ok(dir, 'rev-parse', 'HEAD');
  };
  const url = (token: string | null, id = humanId) =>
    `${base.replace('://', token ? `://vigil:${token}@` : '://')}/git/${id}.git`;
  const audit = async (action: string) =>
    get()
      .db.kysely.selectFrom('audit_events')
      .select(['data_json'])
      .where('action', '=', action)
      .where('subject_id', '=', caseId)
      .orderBy('seq')
      .execute();
  const policyWith = (upstreamPath: string) =>
    getPresetYaml('contour')
      .replace(/^(\s*upstreamRepository:).*$/m, `$1 ${upstreamPath}`)
      .replace(/^(\s*supportedLines:).*$/m, "$1 ['1.28']")
      .replace(/^(\s*testCommand:).*$/m, '$1 make test')
      // Once the fix is prepared its commits are referenced: not rewritten (PROCESS.md §5).
      .replace(/^(\s*)(branchPattern:.*)$/m, '$1$2\n$1fixCommitsAreNotRewritten: true');

  beforeAll(async () => {
    mkdirSync(home);
    mkdirSync(upstream);
    await ok(upstream, 'init', '-q', '-b', 'main');
    await commit(upstream, 'parser.c', 'int parse(void) { return 0; }\n', 'Initial parser');
    await ok(upstream, 'branch', 'release-1.27');
    await ok(upstream, 'checkout', '-q', '-b', 'release-1.28');
    await commit(upstream, 'VERSION', '1.28.0\n', 'Release 1.28.0');
    await ok(upstream, 'checkout', '-q', 'main');
    await commit(upstream, 'VERSION', '1.29.0-dev\n', 'Open 1.29');
    upstreamHeads = {
      main: await ok(upstream, 'rev-parse', 'main'),
      'release-1.28': await ok(upstream, 'rev-parse', 'release-1.28'),
    };

    t = await buildTestApp(get().db, createKeyring({ current: masterKey }), { repositoriesDir });
    await t.services.projects.createProject(OPERATOR, {
      slug: 'repo',
      name: 'Repo',
      policyYaml: policyWith(upstream),
    });
    await t.services.projects.createProject(OPERATOR, {
      slug: 'gone',
      name: 'Gone',
      policyYaml: policyWith(missing),
    });
    await t.services.projects.createProject(OPERATOR, {
      slug: 'empty',
      name: 'Empty',
      policyYaml: policyWith('null'),
    });
    const member = await createUser(t);
    const outsider = await createUser(t);
    for (const slug of ['repo', 'gone', 'empty']) {
      await seedTeamMember(t.db, slug, member.email);
    }
    team = await tokenClient(t, member.id);
    const token = (userId: string) =>
      t.services.apiTokens
        .createApiToken(OPERATOR, { userId, name: 'git', expiresInDays: 90 })
        .then((r) => r.token);
    teamToken = await token(member.id);
    outsiderToken = await token(outsider.id);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;

    humanId = await acceptedCase(t, 'repo', team, 'Heap overflow in the xDS parser');
    caseId = (await team.request('GET', `/api/v1/cases/${humanId}`)).json().id;
  });
  afterAll(async () => {
    await t.app.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('creates the repository on acceptance and seeds main and each supported line from upstream', async () => {
    const before = (await team.request('GET', `/api/v1/cases/${humanId}/repository`)).json();
    expect(before).toMatchObject({
      state: 'seeding',
      cloneUrl: `${PUBLIC_URL}/git/${humanId}.git`,
      upstream,
      branches: [],
    });
    expect(await audit('case.repository_created')).toHaveLength(1);

    expect(await seed()).toMatchObject({ ran: 1, succeeded: 1 });
    const res = await team.request('GET', `/api/v1/cases/${humanId}/repository`);
    expect(res.statusCode, res.body).toBe(200);
    const repo = res.json();
    expect(repo).toMatchObject({ state: 'ready', error: null, seededAt: t.clock.now().toISOString() });
    // The unsupported 1.27 line is not fetched.
    expect(repo.branches.map((b: { name: string }) => b.name).sort()).toEqual(['main', 'release-1.28']);
    for (const b of repo.branches) {
      expect(b).toMatchObject({
        seededFrom: upstreamHeads[b.name],
        commitsAhead: 0,
        head: { sha: upstreamHeads[b.name] },
      });
    }
    expect(repo.recentCommits.map((c: { subject: string }) => c.subject)).toEqual(
      expect.arrayContaining(['Open 1.29', 'Release 1.28.0', 'Initial parser']),
    );
    const initial = repo.recentCommits.find((c: { subject: string }) => c.subject === 'Initial parser');
    expect(initial.branches).toEqual(['main', 'release-1.28']);
    expect((await audit('case.repository_seeded')).map((e) => JSON.parse(e.data_json))).toEqual([
      { branches: ['main', 'release-1.28'] },
    ]);
    // Nothing is left to run, and the job itself is idempotent: a second run changes nothing.
    expect(await seed()).toMatchObject({ ran: 0 });
    await repositorySeedJobHandler({ db: get().db, repositoriesDir, allowLocalUpstream: true }).handle(
      { caseId },
      {
        jobId: 'again',
        kind: SEED_JOB,
        attempt: 1,
        maxAttempts: 3,
        clock: t.clock,
        signal: new AbortController().signal,
      },
    );
    expect(await audit('case.repository_seeded')).toHaveLength(1);
  });

  it('asks for credentials on every /git/ path, refuses bad tokens, and hides the case from outsiders', async () => {
    const fetchRefs = (id: string, headers: Record<string, string> = {}) =>
      fetch(`${base}/git/${id}.git/info/refs?service=git-upload-pack`, { headers });
    for (const id of [humanId, 'CTR-2026-9999']) {
      const res = await fetchRefs(id);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Basic realm="Vigil", charset="UTF-8"');
    }
    // A path git never asks for (the dumb protocol's files) says no more.
    const dumb = await fetch(`${base}/git/${humanId}.git/HEAD`);
    expect(dumb.status).toBe(401);
    expect(dumb.headers.get('www-authenticate')).toBe('Basic realm="Vigil", charset="UTF-8"');
    expect((await fetchRefs(humanId, { authorization: 'Bearer vgl_not-a-real-token-at-all' })).status).toBe(
      401,
    );
    const basic = (token: string) => ({
      authorization: `Basic ${Buffer.from(`x:${token}`).toString('base64')}`,
    });
    expect((await fetchRefs(humanId, basic('vgl_not-a-real-token-at-all'))).status).toBe(401);
    // An outsider's token: the case is as absent as one that does not exist.
    const forbidden = await fetchRefs(humanId, basic(outsiderToken));
    const absent = await fetchRefs('CTR-2026-9999', basic(outsiderToken));
    expect([forbidden.status, absent.status]).toEqual([404, 404]);
    expect((await forbidden.text()).replaceAll(humanId, 'X')).toBe(
      (await absent.text()).replaceAll('CTR-2026-9999', 'X'),
    );
    expect((await fetchRefs(humanId, basic(teamToken))).status).toBe(200);

    const denied = await g(root, 'clone', '-q', url(outsiderToken), 'outsider');
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain('not found');
    const anonymous = await g(root, 'clone', '-q', url(null), 'anonymous');
    expect(anonymous.code).not.toBe(0);
    for (const path of ['repository', 'commit-check', 'watchwords']) {
      const out = await fetch(`${base}/api/v1/cases/${humanId}/${path}`, {
        headers: { authorization: `Bearer ${outsiderToken}` },
      });
      expect(out.status, path).toBe(404);
    }
  });

  it('clones with a team token, pushes fixes to two branches and queues CI for both heads', async () => {
    const work = join(root, 'work');
    await ok(root, 'clone', '-q', url(teamToken), work);
    expect((await ok(work, 'branch', '-r')).split('\n').map((s) => s.trim())).toEqual(
      expect.arrayContaining(['origin/main', 'origin/release-1.28']),
    );
    await ok(work, 'checkout', '-q', 'release-1.28');
    const onLine = await commit(
      work,
      'parser.c',
      'int parse(void) { return check(); }\n',
      'Tighten a bounds check',
    );
    await ok(work, 'checkout', '-q', 'main');
    const onMain = await commit(
      work,
      'parser.c',
      'int parse(void) { return check() && 1; }\n',
      'Validate lengths',
    );
    // Bearer through an extra header, as CI systems configure git.
    await ok(work, 'remote', 'set-url', 'origin', url(null));
    const pushed = await g(
      work,
      '-c',
      `http.extraHeader=Authorization: Bearer ${teamToken}`,
      'push',
      'origin',
      'main',
      'release-1.28',
    );
    expect(pushed.code, pushed.stderr).toBe(0);

    const runs = await get()
      .db.kysely.selectFrom('ci_runs')
      .select(['branch', 'commit_sha', 'state'])
      .where('case_id', '=', caseId)
      .orderBy('branch')
      .execute();
    expect(runs).toEqual([
      { branch: 'main', commit_sha: onMain, state: 'queued' },
      { branch: 'release-1.28', commit_sha: onLine, state: 'queued' },
    ]);
    expect((await audit('case.repository_pushed')).map((e) => JSON.parse(e.data_json))).toEqual([
      { refs: ['refs/heads/main', 'refs/heads/release-1.28'] },
    ]);
    const repo = (await team.request('GET', `/api/v1/cases/${humanId}/repository`)).json();
    const line = repo.branches.find((b: { name: string }) => b.name === 'release-1.28');
    expect(line).toMatchObject({
      head: { sha: onLine, subject: 'Tighten a bounds check', author: 'Eve Engineer' },
      seededFrom: upstreamHeads['release-1.28'],
      commitsAhead: 1,
    });
    expect(repo.recentCommits[0]).toMatchObject({ subject: expect.any(String), branches: expect.any(Array) });
    expect(repo.recentCommits.find((c: { sha: string }) => c.sha === onMain).branches).toEqual(['main']);

    // CI counts each branch by its head; deleting a branch forgets it.
    const heads = () =>
      get()
        .db.kysely.selectFrom('ci_branch_heads')
        .select(['branch', 'commit_sha'])
        .where('case_id', '=', caseId)
        .orderBy('branch')
        .execute();
    const bearer = `http.extraHeader=Authorization: Bearer ${teamToken}`;
    expect((await g(work, '-c', bearer, 'push', 'origin', 'main:scratch')).code).toBe(0);
    expect(await heads()).toEqual([
      { branch: 'main', commit_sha: onMain },
      { branch: 'release-1.28', commit_sha: onLine },
      { branch: 'scratch', commit_sha: onMain },
    ]);
    const deleted = await g(work, '-c', bearer, 'push', 'origin', '--delete', 'scratch');
    expect(deleted.code, deleted.stderr).toBe(0);
    expect((await heads()).map((h) => h.branch)).toEqual(['main', 'release-1.28']);
  });

  it('refuses a push naming the case, its advisory or the team words, and stores nothing', async () => {
    const work = join(root, 'work');
    const adv = await team.request('POST', `/api/v1/cases/${humanId}/advisory`);
    expect(adv.statusCode, adv.body).toBe(201);
    const advisoryId: string = adv.json().advisoryId;
    const words = await team.request('PUT', `/api/v1/cases/${humanId}/watchwords`, {
      words: ['xDS parser', ' xds parser ', 'ClusterLoadAssignment'],
    });
    expect(words.json()).toEqual({ words: ['xDS parser', 'ClusterLoadAssignment'] });
    expect((await audit('case.watchwords_updated')).map((e) => JSON.parse(e.data_json))).toEqual([
      { count: 2 },
    ]);
    const checkWords = await team.request('GET', `/api/v1/cases/${humanId}/commit-check`);
    expect(checkWords.json()).toEqual({
      words: [humanId, advisoryId, 'xDS parser', 'ClusterLoadAssignment'],
    });
    expect(JSON.stringify(await audit('case.watchwords_updated'))).not.toContain('xDS');

    await ok(work, 'remote', 'set-url', 'origin', url(teamToken));
    const mainBefore = await ok(work, 'rev-parse', 'origin/main');
    const leak = await commit(
      work,
      'parser.c',
      'int parse(void) { return 2; }\n',
      `Fix ${humanId.toLowerCase()} overflow`,
    );
    const refused = await g(work, 'push', 'origin', 'main');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(
      new RegExp(`remote: Vigil: refused refs/heads/main: commit ${leak.slice(0, 12)} names "${humanId}"`),
    );
    const serverRepo = join(repositoriesDir, `${caseId}.git`);
    expect((await g(root, '--git-dir', serverRepo, 'cat-file', '-e', leak)).code).not.toBe(0);
    expect(await ok(root, '--git-dir', serverRepo, 'rev-parse', 'refs/heads/main')).toBe(mainBefore);

    await ok(work, 'reset', '-q', '--hard', mainBefore);
    await ok(work, 'checkout', '-q', '-b', `fix-${advisoryId.toLowerCase()}`);
    const byName = await g(work, 'push', 'origin', 'HEAD');
    expect(byName.code).not.toBe(0);
    expect(byName.stderr).toContain(
      `remote: Vigil: refused refs/heads/fix-${advisoryId.toLowerCase()}: the name contains "${advisoryId}"`,
    );

    await ok(work, 'checkout', '-q', 'main');
    const teamWord = await commit(
      work,
      'parser.c',
      'x\n',
      'Harden the XDS PARSER\n\nSee ClusterLoadAssignment.',
    );
    const byWord = await g(work, 'push', 'origin', 'main');
    expect(byWord.stderr).toContain(`commit ${teamWord.slice(0, 12)} names "xDS parser"`);
    expect(await ok(root, '--git-dir', serverRepo, 'rev-parse', 'refs/heads/main')).toBe(mainBefore);
    await ok(work, 'reset', '-q', '--hard', mainBefore);

    // An annotated tag whose message names the case.
    await ok(work, 'tag', '-a', 'v1.29.1', '-m', `Release for ${humanId}`);
    const byTag = await g(work, 'push', 'origin', 'v1.29.1');
    expect(byTag.code).not.toBe(0);
    expect(byTag.stderr).toContain(
      `remote: Vigil: refused refs/tags/v1.29.1: the tag message names "${humanId}"`,
    );
    await ok(work, 'tag', '-d', 'v1.29.1');

    const refusals = (await audit('case.push_refused')).map((e) => JSON.parse(e.data_json));
    expect(refusals).toEqual([
      { refs: ['refs/heads/main'], reason: 'a commit or tag message names the case' },
      { refs: ['(a name that names the case)'], reason: 'a branch or tag name names the case' },
      { refs: ['refs/heads/main'], reason: 'a commit or tag message names the case' },
      { refs: ['refs/tags/v1.29.1'], reason: 'a commit or tag message names the case' },
    ]);
    // Nothing refused reached CI.
    const runs = await get()
      .db.kysely.selectFrom('ci_runs')
      .select('commit_sha')
      .where('case_id', '=', caseId)
      .execute();
    expect(runs.map((r) => r.commit_sha)).not.toContain(leak);
  });

  it('checks commits locally with vigil check-commits, against the server or the local database', async () => {
    const work = join(root, 'work');
    const viaServer = ['check-commits', '--case', humanId, '-C', work, '--url', base, '--token', teamToken];
    const clean = await runCommand(viaServer);
    expect(clean, clean.stderr).toMatchObject({
      code: 0,
      stdout: `Nothing names ${humanId}: 0 commits checked.\n`,
    });

    const leak = await commit(work, 'notes.txt', 'n\n', `Prepare the fix\n\nRelated: ${humanId}`);
    const caught = await runCommand(viaServer);
    expect(caught.code).toBe(1);
    expect(caught.stderr).toContain(`vigil: commit ${leak.slice(0, 12)}: its message names "${humanId}"`);

    // As a pre-push hook: git's lines on standard input; the remote branch name counts too.
    const zero = '0'.repeat(40);
    const hook = await runCommand(
      ['check-commits', '--hook', 'pre-push', '--case', humanId, '-C', work],
      { VIGIL_URL: base, VIGIL_TOKEN: teamToken },
      `refs/heads/main ${leak} refs/heads/clusterloadassignment-fix ${zero}\n`,
    );
    expect(hook.code).toBe(1);
    expect(hook.stderr).toContain(
      'refs/heads/clusterloadassignment-fix: the name contains "ClusterLoadAssignment"',
    );
    expect(hook.stderr).toContain(`commit ${leak.slice(0, 12)}`);

    // Without a URL: the local database, as the operator.
    const { location } = get();
    const local = await runCommand(
      [
        'check-commits',
        '--case',
        humanId,
        '-C',
        work,
        ...(location.dataDir ? ['--data', location.dataDir] : []),
      ],
      {
        DATABASE_URL: location.databaseUrl,
        VIGIL_URL: undefined,
        VIGIL_MASTER_KEY: masterKey.toString('base64'),
      },
    );
    expect(local.code, local.stderr).toBe(1);
    expect(local.stderr).toContain(`commit ${leak.slice(0, 12)}: its message names "${humanId}"`);
    await ok(work, 'reset', '-q', '--hard', 'origin/main');

    const denied = await runCommand([...viaServer.slice(0, -2), '--token', outsiderToken]);
    expect(denied).toMatchObject({ code: 1 });
    expect(denied.stderr).toContain(`Case ${humanId} was not found`);
  });

  it('lets a CI runner read the case only while it holds a lease on one of its running jobs', async () => {
    const runnerId = 'runner-1';
    const resolveRunnerToken = async (token: string): Promise<Principal | undefined> =>
      token === 'vgr_test-runner-token' ? { kind: 'runner', runnerId, name: 'ci' } : undefined;
    const service = createGitHttpService({
      db: get().db,
      clock: t.clock,
      cipher: createKeyring({ current: masterKey }),
      repositoriesDir,
      apiTokens: t.services.apiTokens,
      runnerTokens: { resolveRunnerToken },
    });
    const runner = await service.resolveToken('vgr_test-runner-token');
    expect(runner).toMatchObject({ kind: 'runner', runnerId });
    const request = (action: 'info-refs' | 'receive-pack', svc: string) =>
      service.serve(runner as Principal, {
        repo: `${humanId}.git`,
        action,
        service: svc,
        query: `service=${svc}`,
        contentType: undefined,
        contentEncoding: undefined,
        gitProtocol: undefined,
        remoteAddr: '127.0.0.1',
        body: undefined,
      });
    await expect(request('info-refs', 'git-upload-pack')).rejects.toThrow(NotFoundError);

    const k = get().db.kysely;
    await k.transaction().execute((trx) =>
      insertQueuedRun(trx, {
        id: 'run-leased',
        case_id: caseId,
        branch: 'main',
        commit_sha: upstreamHeads.main ?? '',
        created_at: t.clock.now().toISOString(),
      }),
    );
    const lease = new Date(t.clock.now().getTime() + 60_000).toISOString();
    await k
      .updateTable('ci_runs')
      .set({ state: 'running', runner_id: runnerId, lease_until: lease })
      .where('id', '=', 'run-leased')
      .execute();
    const answer = await request('info-refs', 'git-upload-pack');
    expect(answer.status).toBe(200);
    let body = '';
    for await (const chunk of answer.body) body += String(chunk);
    await answer.done;
    expect(body).toContain('refs/heads/main');
    await expect(request('receive-pack', 'git-receive-pack')).rejects.toThrow(NotFoundError);
    await expect(request('info-refs', 'git-receive-pack')).rejects.toThrow(NotFoundError);

    t.clock.advance(61_000);
    await expect(request('info-refs', 'git-upload-pack')).rejects.toThrow(NotFoundError);
    await k.deleteFrom('ci_runs').where('id', '=', 'run-leased').execute();
  });

  it('shows an upstream that does not clone as failed, and seeds again when the team retries', async () => {
    const goneId = await acceptedCase(t, 'gone', team, 'Another overflow');
    await seed();
    const failed = (await team.request('GET', `/api/v1/cases/${goneId}/repository`)).json();
    expect(failed).toMatchObject({ state: 'failed', seededAt: null, branches: [] });
    expect(failed.error).toMatch(new RegExp(`^The upstream repository ${missing} could not be read: `));
    expect(failed.error).not.toContain(repositoriesDir);
    const clone = await g(root, 'clone', '-q', url(teamToken, goneId), 'gone-clone');
    expect(clone.code).not.toBe(0);
    expect(clone.stderr).toContain('could not be seeded');

    const outsider = await fetch(`${base}/api/v1/cases/${goneId}/repository/seed`, {
      method: 'POST',
      headers: { authorization: `Bearer ${outsiderToken}` },
    });
    expect(outsider.status).toBe(404);
    await ok(root, 'clone', '-q', '--bare', upstream, missing);
    const retried = await team.request('POST', `/api/v1/cases/${goneId}/repository/seed`);
    expect(retried.statusCode, retried.body).toBe(202);
    expect(retried.json()).toEqual({ state: 'seeding' });
    expect((await team.request('POST', `/api/v1/cases/${goneId}/repository/seed`)).statusCode).toBe(409);
    await seed();
    const ready = (await team.request('GET', `/api/v1/cases/${goneId}/repository`)).json();
    expect(ready).toMatchObject({ state: 'ready', error: null });
    expect(ready.branches.map((b: { name: string }) => b.name).sort()).toEqual(['main', 'release-1.28']);
  });

  it('starts empty without an upstream, and takes a first push', async () => {
    const emptyId = await acceptedCase(t, 'empty', team, 'A third overflow');
    await seed();
    const repo = (await team.request('GET', `/api/v1/cases/${emptyId}/repository`)).json();
    expect(repo).toMatchObject({ state: 'ready', upstream: null, branches: [], recentCommits: [] });
    const work = join(root, 'empty-work');
    await ok(root, 'clone', '-q', url(teamToken, emptyId), work);
    await ok(work, 'checkout', '-q', '-b', 'main');
    // Over git's 1 MiB post buffer: the pack arrives chunked, streamed through to http-backend.
    writeFileSync(join(work, 'fixture.bin'), randomBytes(3 * 1024 * 1024));
    await ok(work, 'add', 'fixture.bin');
    const first = await commit(work, 'README', 'r\n', 'Start');
    await ok(work, 'push', '-q', 'origin', 'main');
    const after = (await team.request('GET', `/api/v1/cases/${emptyId}/repository`)).json();
    expect(after.branches).toEqual([
      expect.objectContaining({
        name: 'main',
        seededFrom: null,
        commitsAhead: 1,
        head: expect.objectContaining({ sha: first }),
      }),
    ]);
    const patches = await team.request('GET', `/api/v1/cases/${emptyId}/repository/patches/main`);
    expect(patches.body).toContain('Subject: [PATCH] Start');

    // While the fix is developed, history may be rewritten; once it is ready, it is kept.
    await commit(work, 'README', 'r2\n', 'Second');
    await ok(work, 'commit', '-q', '--amend', '-m', 'Second, reworded');
    await ok(work, 'push', '-q', '--force', 'origin', 'main');
    // A branch whose name the team lists as a word only after it was pushed.
    await ok(work, 'push', '-q', 'origin', 'main:refs/heads/hotpatch-zeta');
    const listed = await team.request('PUT', `/api/v1/cases/${emptyId}/watchwords`, { words: ['Zeta'] });
    expect(listed.statusCode, listed.body).toBe(200);
    await get()
      .db.kysely.updateTable('cases')
      .set({ state: 'fix-ready' })
      .where('human_id', '=', emptyId)
      .execute();
    const prepared = await ok(work, 'rev-parse', 'HEAD');
    await ok(work, 'commit', '-q', '--amend', '-m', 'Second, reworded again');
    const rewrite = await g(work, 'push', '--force', 'origin', 'main');
    expect(rewrite.code).not.toBe(0);
    expect(rewrite.stderr).toContain('remote: Vigil: refused refs/heads/main: the fix is prepared');
    const deletion = await g(work, 'push', 'origin', ':main');
    expect(deletion.code).not.toBe(0);
    expect(deletion.stderr).toContain('remote: Vigil: refused refs/heads/main: the fix is prepared');
    // Deleting it would rewrite history too, but the name is what the push and the audit log hear of.
    const named = await g(work, 'push', 'origin', ':hotpatch-zeta');
    expect(named.code).not.toBe(0);
    expect(named.stderr).toContain(
      'remote: Vigil: refused refs/heads/hotpatch-zeta: the name contains "Zeta"',
    );
    expect(named.stderr).not.toContain('the fix is prepared');
    const serverRepo = join(
      repositoriesDir,
      `${(await findCaseByHumanId(get().db.kysely, emptyId))?.id}.git`,
    );
    expect(await ok(root, '--git-dir', serverRepo, 'rev-parse', 'refs/heads/main')).toBe(prepared);
    const refusedHistory = await get()
      .db.kysely.selectFrom('audit_events')
      .select(['data_json'])
      .where('action', '=', 'case.push_refused')
      .where('subject_id', '=', (await findCaseByHumanId(get().db.kysely, emptyId))?.id ?? '')
      .orderBy('seq')
      .execute();
    expect(refusedHistory.map((e) => JSON.parse(e.data_json))).toEqual([
      { refs: ['refs/heads/main'], reason: 'the fix is prepared: its commits are not rewritten' },
      { refs: ['refs/heads/main'], reason: 'the fix is prepared: its commits are not rewritten' },
      { refs: ['(a name that names the case)'], reason: 'a branch or tag name names the case' },
    ]);
    expect(JSON.stringify(refusedHistory).toLowerCase()).not.toContain('zeta');
    // New commits on top go through.
    await ok(work, 'reset', '-q', '--hard', prepared);
    await commit(work, 'README', 'r3\n', 'Third');
    await ok(work, 'push', '-q', 'origin', 'main');
  });

  it('tells git a push failed when Vigil cannot record it, logging nothing of the cause', async () => {
    // The same bridge over a database whose transactions fail: the push's audit and CI cannot be written.
    const db = get().db;
    const failing = new Proxy(db.kysely, {
      get(target, prop) {
        if (prop === 'transaction') {
          return () => ({
            execute: () =>
              Promise.reject(Object.assign(new Error('a value the database quoted'), { code: 'XX001' })),
          });
        }
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const logged: string[] = [];
    const app = Fastify({
      logger: { level: 'info', stream: { write: (line: string) => void logged.push(line) } },
    });
    registerGitRoutes(
      app,
      createGitHttpService({
        db: { ...db, kysely: failing },
        clock: t.clock,
        cipher: createKeyring({ current: masterKey }),
        repositoriesDir,
        apiTokens: t.services.apiTokens,
      }),
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const failingUrl = `http://vigil:${teamToken}@127.0.0.1:${(app.server.address() as AddressInfo).port}/git/${humanId}.git`;
      const work = join(root, 'work');
      await ok(work, 'checkout', '-q', 'main');
      await ok(work, 'reset', '-q', '--hard', 'origin/main');
      const unrecorded = await commit(
        work,
        'parser.c',
        'int parse(void) { return 3; }\n',
        'Check the length once',
      );
      const pushed = await g(work, 'push', failingUrl, 'main');
      expect(pushed.code, pushed.stderr).not.toBe(0);
      await vi.waitFor(() => expect(logged.join('')).toContain('recording a push failed'));
      expect(logged.join('')).toContain('XX001');
      expect(logged.join('')).not.toContain('a value the database quoted');
      const pushes = (await audit('case.repository_pushed')).length;

      // The refs are stored; the next push through Vigil records itself and queues its CI.
      const serverRepo = join(repositoriesDir, `${caseId}.git`);
      expect(await ok(root, '--git-dir', serverRepo, 'rev-parse', 'refs/heads/main')).toBe(unrecorded);
      const next = await commit(work, 'parser.c', 'int parse(void) { return 4; }\n', 'Check it twice');
      await ok(work, 'push', '-q', url(teamToken), 'main');
      expect(await audit('case.repository_pushed')).toHaveLength(pushes + 1);
      const runs = await db.kysely
        .selectFrom('ci_runs')
        .select('commit_sha')
        .where('case_id', '=', caseId)
        .execute();
      expect(runs.map((r) => r.commit_sha)).toContain(next);
      await ok(work, 'fetch', '-q', 'origin');
    } finally {
      await app.close();
    }
  });

  it('tests what would ship: a branch moved past its recorded head blocks the line, and the next push records it', async () => {
    const k = get().db.kysely;
    const c = await findCaseById(k, caseId);
    if (!c) throw new Error('no case');
    const { policy } = await projectContextById(k, c.project_id);
    // Line 1.28 and main are affected; every recorded head has passed.
    const adv = (await team.request('GET', `/api/v1/cases/${humanId}/advisory`)).json();
    const saved = await team.request('PUT', `/api/v1/cases/${humanId}/advisory`, {
      baseRevision: adv.revision,
      document: {
        ...adv.document,
        affected: [
          {
            ecosystem: 'Go',
            package: 'github.com/projectcontour/contour',
            ranges: [{ type: 'SEMVER', events: [{ introduced: '1.28.0' }] }],
          },
        ],
      },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    await k.updateTable('ci_runs').set({ state: 'passed' }).where('case_id', '=', caseId).execute();
    const lifecycle = createCaseLifecycle({
      clock: t.clock,
      cipher: createKeyring({ current: masterKey }),
      repositoriesDir,
    });
    const unmet = () =>
      k.transaction().execute((trx) => lifecycle.unmetGuards(trx, c, policy, ['fixInEveryLine']));
    expect(await unmet()).toEqual([]);

    // git moved release-1.28 but Vigil never recorded it (a push whose transaction failed).
    const serverRepo = join(repositoriesDir, `${caseId}.git`);
    const tested = await ok(root, '--git-dir', serverRepo, 'rev-parse', 'refs/heads/release-1.28');
    const moved = upstreamHeads['release-1.28'] ?? '';
    await ok(root, '--git-dir', serverRepo, 'update-ref', 'refs/heads/release-1.28', moved);
    expect(await unmet()).toEqual([
      expect.stringContaining(
        `branch release-1.28 is at ${moved.slice(0, 12)}, not at the tested ${tested.slice(0, 12)}`,
      ),
    ]);

    // The next push through Vigil, to any branch, records every head git has and queues its run.
    const work = join(root, 'reconcile-work');
    await ok(root, 'clone', '-q', url(teamToken), work);
    await ok(work, 'checkout', '-q', '-b', 'scratch-2');
    await commit(work, 'notes.txt', 'n\n', 'Notes');
    await ok(work, 'push', '-q', 'origin', 'scratch-2');
    const heads = await k
      .selectFrom('ci_branch_heads')
      .select(['branch', 'commit_sha'])
      .where('case_id', '=', caseId)
      .where('branch', '=', 'release-1.28')
      .execute();
    expect(heads).toEqual([{ branch: 'release-1.28', commit_sha: moved }]);
    const queued = await k
      .selectFrom('ci_runs')
      .select('state')
      .where('case_id', '=', caseId)
      .where('branch', '=', 'release-1.28')
      .where('commit_sha', '=', moved)
      .execute();
    expect(queued).toEqual([{ state: 'queued' }]);
    expect(await unmet()).toEqual([expect.stringContaining('release-1.28')]);

    // Back as it was for the tests that follow.
    await ok(root, '--git-dir', serverRepo, 'update-ref', 'refs/heads/release-1.28', tested);
    await ok(work, 'push', '-q', 'origin', ':scratch-2');
  });

  it('freezes at publication: pushes are refused, clones still work, patches export per branch', async () => {
    const k = get().db.kysely;
    const c = await findCaseById(k, caseId);
    if (!c) throw new Error('no case');
    const { policy } = await projectContextById(k, c.project_id);
    const lifecycle = createCaseLifecycle({
      clock: t.clock,
      cipher: createKeyring({ current: masterKey }),
      repositoriesDir,
    });
    await k.transaction().execute((trx) =>
      lifecycle.entered(trx, c, {
        from: 'disclosure-scheduled',
        to: 'published',
        actor: { kind: 'system', audit: { type: 'system', id: 'test' }, userId: null },
        policy,
        now: t.clock.now(),
      }),
    );
    const repo = (await team.request('GET', `/api/v1/cases/${humanId}/repository`)).json();
    expect(repo).toMatchObject({ state: 'read-only', frozenAt: t.clock.now().toISOString() });
    expect((await audit('case.repository_frozen')).map((e) => JSON.parse(e.data_json))).toEqual([
      { branches: ['main', 'release-1.28'] },
    ]);
    // The transaction only changed the row (the bridge refuses pushes by it); the disk is frozen
    // by a job after commit, once, however often it runs.
    const serverRepo = join(repositoriesDir, `${caseId}.git`);
    const receivePack = () => g(root, '--git-dir', serverRepo, 'config', 'http.receivepack');
    expect((await receivePack()).stdout.trim()).toBe('');
    const freeze = () =>
      createJobRunner({
        db: get().db,
        clock: t.clock,
        handlers: { [FREEZE_JOB]: repositoryFreezeJobHandler({ db: get().db, repositoriesDir }) },
      }).runDueJobsOnce();
    expect(await freeze()).toMatchObject({ ran: 1, succeeded: 1 });
    expect((await receivePack()).stdout.trim()).toBe('false');
    expect(await freeze()).toMatchObject({ ran: 0 });

    const work = join(root, 'work');
    await commit(work, 'late.txt', 'late\n', 'A late change');
    const push = await g(work, 'push', 'origin', 'main');
    expect(push.code).not.toBe(0);
    expect(push.stderr).toContain(`remote: The repository ${humanId}.git is read-only`);
    const clone = await g(root, 'clone', '-q', url(teamToken), 'after-release');
    expect(clone.code, clone.stderr).toBe(0);

    const patches = await team.request('GET', `/api/v1/cases/${humanId}/repository/patches/release-1.28`);
    expect(patches.statusCode, patches.body).toBe(200);
    expect(patches.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(patches.body).toContain('Subject: [PATCH] Tighten a bounds check');
    expect(patches.body).not.toContain('Release 1.28.0');
    expect((patches.body.match(/^From [0-9a-f]{40} /gm) ?? []).length).toBe(1);
    expect(
      (await team.request('GET', `/api/v1/cases/${humanId}/repository/patches/no-such-branch`)).statusCode,
    ).toBe(404);
    const outsider = await fetch(`${base}/api/v1/cases/${humanId}/repository/patches/release-1.28`, {
      headers: { authorization: `Bearer ${outsiderToken}` },
    });
    expect(outsider.status).toBe(404);
  });

  it('refuses a local upstream unless the operator allows it, and never one inside the data directory', async () => {
    const k = get().db.kysely;
    const id = await acceptedCase(t, 'repo', team, 'A fourth overflow');
    const other = (await findCaseByHumanId(k, id))?.id ?? '';
    const seedFrom = async (from: string, allowLocalUpstream?: boolean) => {
      await k
        .updateTable('case_repositories')
        .set({ state: 'seeding', upstream: from, error: null })
        .where('case_id', '=', other)
        .execute();
      await repositorySeedJobHandler({ db: get().db, repositoriesDir, allowLocalUpstream }).handle(
        { caseId: other },
        {
          jobId: `local-${from}`,
          kind: SEED_JOB,
          attempt: 1,
          maxAttempts: 3,
          clock: t.clock,
          signal: new AbortController().signal,
        },
      );
      return (await team.request('GET', `/api/v1/cases/${id}/repository`)).json();
    };

    // By default: the operator has not allowed local upstreams (VIGIL_ALLOW_LOCAL_UPSTREAM).
    for (const from of [upstream, `file://${upstream}`]) {
      const refused = await seedFrom(from);
      expect(refused).toMatchObject({ state: 'failed', branches: [] });
      expect(refused.error).toBe(
        `The upstream repository ${from} could not be read: local upstream repositories are not ` +
          'allowed on this instance: set VIGIL_ALLOW_LOCAL_UPSTREAM=true.',
      );
    }
    expect(existsSync(join(repositoriesDir, `${other}.git`))).toBe(false);
    const failures = await k
      .selectFrom('audit_events')
      .select('data_json')
      .where('action', '=', 'case.repository_seed_failed')
      .where('subject_id', '=', other)
      .execute();
    expect(failures).toHaveLength(2);

    // Allowed, yet never another case's repository: by path (git adds `.git`), by file URL, by a
    // link into the data directory, or by `..`.
    const link = join(root, 'link');
    symlinkSync(join(root, 'data'), link);
    for (const from of [
      join(repositoriesDir, caseId),
      `file://${join(repositoriesDir, caseId)}.git`,
      join(link, 'repositories', `${caseId}.git`),
      `${root}/home/../data/repositories/${caseId}.git`,
      join(root, 'data'),
    ]) {
      const refused = await seedFrom(from, true);
      expect(refused, from).toMatchObject({ state: 'failed', branches: [] });
      expect(refused.error).toBe(
        `The upstream repository ${from} could not be read: it is inside Vigil's data directory, ` +
          "which no project's upstream may be.",
      );
    }
    // Outside it, allowed: seeded.
    expect(await seedFrom(upstream, true)).toMatchObject({ state: 'ready', error: null });
  });
});
