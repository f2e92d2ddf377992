/**
 * Clone, fetch and push of a case's fix repository over git's smart HTTP protocol
 * (`/git/<CASE-ID>.git`), bridged to `git http-backend`. Who may: the policy table's
 * `case.repository.read` and `case.repository.push` on the case (the team, and the people invited
 * to it), and a CI runner reading the case while it holds the lease of one of its running jobs.
 * Every push is checked by the repository's pre-receive hook against the case's forbidden words
 * (git-hooks.ts); afterwards the push, or its refusal, is audited and the pushed branch heads are
 * queued for CI, before the client hears that the push is done.
 */
import { recordCaseRead } from '../../access/access-log.js';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { appendAuditEvent } from '../../../audit/audit.log.js';
import type { Actor } from '../../../audit/audit.events.js';
import { actorOf, loadCaseFor } from '../../../authz/access.js';
import type { Principal } from '../../../authz/authz.policy.js';
import type { Db } from '../../../db/connection.js';
import type { Clock } from '../../../lib/clock.js';
import { AppError, ConflictError, NotFoundError } from '../../../lib/errors.js';
import type { ApiTokensService } from '../../accounts/api-tokens.service.js';
import { caseCrypto, type CaseCipher } from '../../cases/case-view.js';
import type { CaseRow } from '../../cases/cases.repo.js';
import { hasActiveLeaseOnCase, listBranchHeads } from '../ci/ci.repo.js';
import { isRunnerToken } from '../ci/runner-token.js';
import { queueRunsForPush } from '../ci/ci-queue.steps.js';
import { projectContextById } from '../../cases/case-context.js';
import type { CaseState } from '../../cases/case-transitions.js';
import { wordsOfCase } from './case-words.js';
import { findForbiddenWord } from './commit-check.js';
import { parseRefUpdates, parseRefusals, type Refusal } from './git-hooks.js';
import { RequestTooLargeError, runHttpBackend, type CgiAnswer, type CgiRequest } from './git-http-backend.js';
import { createGitStore } from './git-store.js';
import * as repo from './repository.repo.js';
import { seedRefsOf } from './repository-view.js';

/** Why the pre-receive hook refused a ref, in the audit log's words. */
const REFUSAL_REASONS = {
  ref: 'a branch or tag name names the case',
  commit: 'a commit or tag message names the case',
  history: 'the fix is prepared: its commits are not rewritten',
} as const;

/** From "fix ready" on, the fix's commits are referenced (PROCESS.md §5): no rewrite, if the policy says so. */
const HISTORY_KEPT_STATES: readonly CaseState[] = ['fix-ready', 'disclosure-scheduled'];

/** What a runner token (`vgr_...`) resolves to; the CI module provides it. */
export interface RunnerTokenResolver {
  resolveRunnerToken(token: string): Promise<Principal | undefined>;
}

export interface GitHttpDeps {
  db: Db;
  clock: Clock;
  cipher: CaseCipher;
  repositoriesDir: string;
  apiTokens: Pick<ApiTokensService, 'resolveApiToken'>;
  runnerTokens?: RunnerTokenResolver | undefined;
}

export type GitAction = 'info-refs' | 'upload-pack' | 'receive-pack';

export interface GitRequest {
  /** `CTR-2026-0001.git`, as the URL names it. */
  repo: string;
  action: GitAction;
  /** `?service=` of info/refs. */
  service: string | undefined;
  query: string;
  contentType: string | undefined;
  contentEncoding: string | undefined;
  gitProtocol: string | undefined;
  remoteAddr: string;
  body: Readable | undefined;
}

export interface GitAnswer {
  status: number;
  headers: Record<string, string>;
  body: Readable;
  /** Settles once the work after the answer (a push's audit and CI runs) is done; rejects if it failed. */
  done: Promise<void>;
}

/** Bounds: a push's pack, a fetch's negotiation, and how long git may take. */
export const RECEIVE_PACK_MAX_BYTES = 100 * 1024 * 1024;
export const UPLOAD_PACK_MAX_BYTES = 10 * 1024 * 1024;
const RPC_TIMEOUT_MS = 10 * 60_000;
const REFS_TIMEOUT_MS = 60_000;
const SERVICES = new Set(['git-upload-pack', 'git-receive-pack']);
/** How a refused ref whose name itself names the case appears in the audit log. */
const REFUSED_NAME = '(a name that names the case)';

export type GitHttpService = ReturnType<typeof createGitHttpService>;

const PATHS: Record<GitAction, string> = {
  'info-refs': 'info/refs',
  'upload-pack': 'git-upload-pack',
  'receive-pack': 'git-receive-pack',
};

/** The CGI request for http-backend: the case's repository by uuid, and who asks. */
function cgiRequest(
  principal: Principal,
  c: CaseRow,
  req: GitRequest,
  env: Record<string, string> = {},
): CgiRequest {
  const remoteUser =
    principal.kind === 'user'
      ? principal.userId
      : principal.kind === 'runner'
        ? `runner-${principal.runnerId}`
        : 'vigil';
  return {
    method: req.action === 'info-refs' ? 'GET' : 'POST',
    pathInfo: `/${c.id}.git/${PATHS[req.action]}`,
    query: req.query,
    contentType: req.contentType,
    contentEncoding: req.contentEncoding,
    gitProtocol: req.gitProtocol,
    remoteUser,
    remoteAddr: req.remoteAddr,
    body: req.body,
    env,
  };
}

/** What the answer of a push whose recording failed is cut with: nothing of the cause (it is logged). */
export class PushNotRecordedError extends Error {
  constructor() {
    super('The push could not be recorded.');
    this.name = 'PushNotRecordedError';
  }
}

/**
 * A push's answer, whose end waits for `record` (the audit and CI of the push): when git tells
 * its user "done", CI is queued. If recording fails the answer is cut off instead of ended, so git
 * reports the push as failed (its refs are stored: the next push records itself as usual), and
 * `done` rejects with the cause. `cleanup` runs last, whatever happened.
 */
export function holdUntilRecorded(
  answer: Pick<CgiAnswer, 'status' | 'headers' | 'body' | 'exited'>,
  record: () => Promise<void>,
  cleanup: () => Promise<void>,
): GitAnswer {
  const body = new PassThrough();
  answer.body.pipe(body, { end: false });
  body.once('close', () => answer.body.resume());
  const done = (async () => {
    try {
      await finished(answer.body).catch(() => undefined);
      await answer.exited;
      await record();
      body.end();
    } catch (err) {
      body.destroy(new PushNotRecordedError());
      throw err;
    } finally {
      await cleanup();
    }
  })();
  return { status: answer.status, headers: answer.headers, body, done };
}

export function createGitHttpService(deps: GitHttpDeps) {
  const { db, clock } = deps;
  const k = db.kysely;
  const crypto = caseCrypto(deps.cipher);
  const store = createGitStore(deps.repositoriesDir);

  /** The case a repository name names, if `principal` may read (or push to) it; else 404. */
  async function loadRepositoryCase(principal: Principal, name: string, push: boolean): Promise<CaseRow> {
    const ref = /^([A-Za-z0-9-]{1,64})\.git$/.exec(name)?.[1];
    try {
      if (!ref) throw new NotFoundError(name);
      if (principal.kind !== 'runner') {
        const c = await loadCaseFor(
          k,
          principal,
          ref,
          push ? 'case.repository.push' : 'case.repository.read',
        );
        // A clone or fetch reads the fix: recorded (a push only writes what the pusher has).
        if (!push) await recordCaseRead(db, clock, principal, c, 'repository');
        return c;
      }
      // A runner reads the case it is testing, while its lease on one of the case's runs holds.
      const c = await loadCaseFor(k, principal, ref, 'ci.run.work');
      const leased = await hasActiveLeaseOnCase(k, principal.runnerId, c.id, clock.now().toISOString());
      if (push || !leased) throw new NotFoundError(name);
      return c;
    } catch (err) {
      throw err instanceof NotFoundError ? new NotFoundError(`Repository ${name}`) : err;
    }
  }

  /** The repository's row, if it can serve `push` (or a read) now; otherwise why not. */
  async function servable(c: CaseRow, name: string, push: boolean): Promise<repo.CaseRepositoryRow> {
    const row = await repo.findCaseRepository(k, c.id);
    if (!row) throw new NotFoundError(`Repository ${name}`);
    if (row.state === 'seeding') {
      throw new ConflictError(
        `The repository ${name} is still being seeded from upstream. Try again in a minute.`,
      );
    }
    if (row.state === 'failed') {
      throw new ConflictError(
        `The repository ${name} could not be seeded: ${row.error ?? 'unknown error'} ` +
          'Whoever manages the fix can retry from the case page.',
      );
    }
    if (push && row.state === 'read-only') {
      throw new AppError(
        'read_only',
        403,
        `The repository ${name} is read-only: ${c.human_id} was published. It is kept for the retrospective.`,
      );
    }
    return row;
  }

  /** Writes the push's audit event(s) and queues CI for the pushed branch heads, in one transaction. */
  async function recordPush(c: CaseRow, dir: string, actor: Actor): Promise<void> {
    const read = (file: string) => readFile(join(dir, file), 'utf8').catch(() => '');
    const refusals = parseRefusals(await read('refusals'));
    const words = (await read('words')).split('\n').filter(Boolean);
    // A refused ref whose name names the case (whatever the refusal) is never written by name.
    const refusedRef = (r: Refusal) =>
      r.kind === 'ref' || findForbiddenWord(r.ref, words) !== undefined ? REFUSED_NAME : r.ref;
    const updates = parseRefUpdates(await read('pushed'));
    if (refusals.length === 0 && updates.length === 0) return;
    await k.transaction().execute(async (trx) => {
      const subject = { type: 'case' as const, id: c.id };
      if (refusals.length > 0) {
        const reasons = new Set(refusals.map((r) => REFUSAL_REASONS[r.kind]));
        await appendAuditEvent(trx, clock, {
          actor,
          action: 'case.push_refused',
          subject,
          projectId: c.project_id,
          data: {
            refs: [...new Set(refusals.map(refusedRef))],
            reason: [...reasons].join('; '),
          },
        });
      }
      if (updates.length > 0) {
        await appendAuditEvent(trx, clock, {
          actor,
          action: 'case.repository_pushed',
          subject,
          projectId: c.project_id,
          data: { refs: updates.map((u) => u.ref) },
        });
        // Every branch as git has it now against what Vigil recorded: this push's heads, and any an
        // earlier push left unrecorded (its transaction failed after git had accepted it).
        // A branch still at the commit it was seeded with from upstream was never pushed: no run.
        const [onDisk, recorded, row] = await Promise.all([
          store.branchHeads(c.id),
          listBranchHeads(trx, c.id),
          repo.findCaseRepository(trx, c.id),
        ]);
        const seeded = row ? seedRefsOf(row) : {};
        const heads = [...onDisk]
          .filter(([branch, commit]) => recorded.get(branch) !== commit)
          .filter(([branch, commit]) => recorded.has(branch) || seeded[branch] !== commit)
          .map(([branch, commit]) => ({ branch, commit }));
        const deleted = [...recorded.keys()].filter((branch) => !onDisk.has(branch));
        await queueRunsForPush(trx, clock, c, heads, actor, deleted);
      }
    });
  }

  /**
   * A push's files for the hooks: the case's words in, what was refused and updated out; and
   * whether history is kept (the fix is prepared, and the policy says its commits are not rewritten).
   */
  async function pushFiles(c: CaseRow): Promise<{ dir: string; env: Record<string, string> }> {
    const words = await wordsOfCase(k, deps.cipher, crypto, c);
    const { policy } = await projectContextById(k, c.project_id);
    const keepHistory =
      policy.releases.fixCommitsAreNotRewritten && HISTORY_KEPT_STATES.includes(c.state as CaseState);
    await store.installHooks(c.id);
    const dir = await mkdtemp(join(tmpdir(), 'vigil-push-'));
    await writeFile(join(dir, 'words'), `${words.join('\n')}\n`, { mode: 0o600 });
    return {
      dir,
      env: {
        VIGIL_WORDS_FILE: join(dir, 'words'),
        VIGIL_REFUSALS_FILE: join(dir, 'refusals'),
        VIGIL_PUSHED_FILE: join(dir, 'pushed'),
        VIGIL_KEEP_HISTORY: keepHistory ? '1' : '0',
      },
    };
  }

  return {
    /** The principal of a git request's token: a personal API token, or a CI runner's (`vgr_`). */
    async resolveToken(token: string): Promise<Principal | undefined> {
      if (isRunnerToken(token)) return deps.runnerTokens?.resolveRunnerToken(token);
      return deps.apiTokens.resolveApiToken(token);
    },

    /** Serves one request of the smart HTTP protocol for `principal` (already authenticated). */
    async serve(principal: Principal, req: GitRequest): Promise<GitAnswer> {
      const push =
        req.action === 'receive-pack' || (req.action === 'info-refs' && req.service === 'git-receive-pack');
      const c = await loadRepositoryCase(principal, req.repo, push);
      await servable(c, req.repo, push);
      if (req.action === 'info-refs' && !SERVICES.has(req.service ?? '')) {
        throw new AppError(
          'bad_request',
          400,
          "Vigil serves git's smart HTTP protocol only: use git 1.6.6 or later.",
        );
      }
      const files = req.action === 'receive-pack' ? await pushFiles(c) : undefined;
      const cleanup = () => (files ? rm(files.dir, { recursive: true, force: true }) : Promise.resolve());
      const answer = await runHttpBackend(deps.repositoriesDir, cgiRequest(principal, c, req, files?.env), {
        timeoutMs: req.action === 'info-refs' ? REFS_TIMEOUT_MS : RPC_TIMEOUT_MS,
        maxRequestBytes: req.action === 'receive-pack' ? RECEIVE_PACK_MAX_BYTES : UPLOAD_PACK_MAX_BYTES,
      }).catch(async (err: unknown) => {
        await cleanup();
        if (err instanceof RequestTooLargeError) {
          throw new AppError('payload_too_large', 413, `A push to ${req.repo} may send at most 100 MiB.`);
        }
        throw err;
      });
      if (!files) return { ...answer, done: answer.exited.then(() => undefined) };
      return holdUntilRecorded(answer, () => recordPush(c, files.dir, actorOf(principal)), cleanup);
    },
  };
}
