/**
 * The case's private fix repository as the API shows it (PROCESS.md §6, §8): its state, branches
 * and recent commits, a retry of its seed, the team's words that no commit may carry, and each
 * release line's patch series. The git protocol itself is git-http.service.ts.
 */
import { recordCaseRead } from '../../access/access-log.js';
import { appendAuditEvent } from '../../../audit/audit.log.js';
import { actorOf, loadCaseFor } from '../../../authz/access.js';
import type { Principal } from '../../../authz/authz.policy.js';
import type { Db } from '../../../db/connection.js';
import type { Clock } from '../../../lib/clock.js';
import { ConflictError, NotFoundError } from '../../../lib/errors.js';
import { newId } from '../../../lib/ids.js';
import { mapWithLimit } from '../../../lib/map-limit.js';
import type { CaseState } from '../../cases/case-transitions.js';
import { caseCrypto, type CaseCipher } from '../../cases/case-view.js';
import { projectContextById } from '../../cases/case-context.js';
import { updateCase, type CaseRow } from '../../cases/cases.repo.js';
import { watchwordsOf, wordsOfCase } from './case-words.js';
import { normaliseWatchwords } from './commit-check.js';
import { BRANCH_NAME, createGitStore, redactUrl } from './git-store.js';
import { cloneUrlOf } from './repository-view.js';
import * as repo from './repository.repo.js';
import { basesOf, seedRefsOf } from './repository-view.js';
import { createCaseRepository, enqueueSeed } from './repository.steps.js';

export interface RepositoryDeps {
  db: Db;
  clock: Clock;
  cipher: CaseCipher;
  publicUrl: string;
  repositoriesDir: string;
}

/** How many git processes the repository panel runs at once to count each branch's commits. */
const AHEAD_CONCURRENCY = 8;
/** The states in which a case has (or may be given) its fix repository, before release. */
const FIX_STATES: readonly CaseState[] = ['accepted', 'fixing', 'fix-ready', 'disclosure-scheduled'];

export type RepositoryService = ReturnType<typeof createRepositoryService>;

export function createRepositoryService(deps: RepositoryDeps) {
  const { db, clock } = deps;
  const k = db.kysely;
  const crypto = caseCrypto(deps.cipher);
  const store = createGitStore(deps.repositoriesDir);

  async function repositoryOf(c: CaseRow): Promise<repo.CaseRepositoryRow> {
    const row = await repo.findCaseRepository(k, c.id);
    if (!row) {
      throw new NotFoundError(`The fix repository of ${c.human_id} (a case gets one when it is accepted)`);
    }
    return row;
  }

  /** The branches and history on disk, once seeded. */
  async function contents(c: CaseRow, row: repo.CaseRepositoryRow) {
    const readable = (row.state === 'ready' || row.state === 'read-only') && (await store.exists(c.id));
    if (!readable) return { branches: [], recentCommits: [] };
    const seeds = seedRefsOf(row);
    const heads = await store.listBranches(c.id);
    // One `rev-list --count` per branch (up to MAX_BRANCHES), a few at a time.
    const branches = await mapWithLimit(heads, AHEAD_CONCURRENCY, async (h) => ({
      name: h.name,
      head: { sha: h.sha, subject: h.subject, author: h.author, committedAt: h.committedAt },
      seededFrom: seeds[h.name] ?? null,
      commitsAhead: await store.countAhead(c.id, h.name, basesOf(seeds, h.name)),
    }));
    return { branches, recentCommits: await store.recentCommits(c.id) };
  }

  return {
    /** The repository: state, clone URL, upstream, branches with their heads, recent commits. */
    async getRepository(principal: Principal, ref: string) {
      const c = await loadCaseFor(k, principal, ref, 'case.repository.read');
      await recordCaseRead(db, clock, principal, c, 'repository');
      const row = await repositoryOf(c);
      return {
        state: row.state as repo.RepositoryState,
        cloneUrl: cloneUrlOf(deps.publicUrl, c.human_id),
        upstream: row.upstream ? redactUrl(row.upstream) : null,
        error: row.error,
        seededAt: row.seeded_at,
        frozenAt: row.frozen_at,
        ...(await contents(c, row)),
      };
    },

    /**
     * Seeds the repository again after a failure (from the policy's upstream as it is now), or
     * gives one to a case accepted before Vigil had repositories.
     */
    async seedRepository(principal: Principal, ref: string): Promise<{ state: repo.RepositoryState }> {
      const c = await loadCaseFor(k, principal, ref, 'case.fix.manage');
      const { policy } = await projectContextById(k, c.project_id);
      const actor = actorOf(principal);
      await k.transaction().execute(async (trx) => {
        const row = await repo.findCaseRepository(trx, c.id);
        if (!row) {
          if (!FIX_STATES.includes(c.state as CaseState)) {
            throw new ConflictError(
              `Case ${c.human_id} is ${c.state}: it gets a fix repository when it is accepted.`,
            );
          }
          await createCaseRepository(trx, clock, c, policy, actor);
          return;
        }
        if (row.state !== 'failed') {
          throw new ConflictError(
            row.state === 'seeding'
              ? `The repository of ${c.human_id} is being seeded already.`
              : `The repository of ${c.human_id} is ${row.state === 'ready' ? 'seeded already' : 'read-only'}.`,
          );
        }
        const upstream = policy.fix.upstreamRepository;
        await repo.updateCaseRepository(trx, c.id, ['failed'], { state: 'seeding', error: null, upstream });
        await appendAuditEvent(trx, clock, {
          actor,
          action: 'case.repository_seed_retried',
          subject: { type: 'case', id: c.id },
          projectId: c.project_id,
          data: { upstream: upstream !== null },
        });
        await enqueueSeed(trx, clock, c.id, newId());
      });
      return { state: 'seeding' };
    },

    /** The team's own words for the case (beyond its ids), which no commit, branch or tag may carry. */
    async setWatchwords(
      principal: Principal,
      ref: string,
      words: readonly string[],
    ): Promise<{ words: string[] }> {
      const c = await loadCaseFor(k, principal, ref, 'case.fix.manage');
      const list = normaliseWatchwords(words);
      const now = clock.now().toISOString();
      await k.transaction().execute(async (trx) => {
        await updateCase(trx, c.id, {
          watchwords_enc: list.length > 0 ? crypto.watchwords.seal(c.id, list) : null,
          updated_at: now,
        });
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'case.watchwords_updated',
          subject: { type: 'case', id: c.id },
          projectId: c.project_id,
          data: { count: list.length },
        });
      });
      return { words: list };
    },

    /** The team's own words, for whoever may set them. */
    async getWatchwords(principal: Principal, ref: string): Promise<{ words: string[] }> {
      const c = await loadCaseFor(k, principal, ref, 'case.fix.manage');
      return { words: watchwordsOf(crypto, c) };
    },

    /** Every word the case's commits may not carry: for a local hook (`vigil check-commits`). */
    async commitCheckWords(principal: Principal, ref: string): Promise<{ words: string[] }> {
      const c = await loadCaseFor(k, principal, ref, 'case.repository.push');
      return { words: await wordsOfCase(k, deps.cipher, crypto, c) };
    },

    /**
     * A release line's patch series: the commits of `branch` beyond what was seeded from upstream
     * (`git format-patch --stdout`, an mbox), to apply to the public repository at release (§8).
     */
    async getPatches(
      principal: Principal,
      ref: string,
      branch: string,
    ): Promise<{ filename: string; mbox: string }> {
      const c = await loadCaseFor(k, principal, ref, 'case.repository.read');
      await recordCaseRead(db, clock, principal, c, 'repository');
      const row = await repositoryOf(c);
      if (row.state === 'seeding' || row.state === 'failed') {
        throw new ConflictError(
          `The repository of ${c.human_id} is ${row.state === 'seeding' ? 'still being seeded' : 'not seeded'}.`,
        );
      }
      const head =
        BRANCH_NAME.test(branch) && (await store.exists(c.id))
          ? await store.branchHead(c.id, branch)
          : undefined;
      if (!head) throw new NotFoundError(`Branch '${branch}' of ${c.human_id}`);
      const mbox = await store.formatPatches(c.id, branch, basesOf(seedRefsOf(row), branch));
      return { filename: `${c.human_id}-${branch.replace(/[^A-Za-z0-9._-]/g, '_')}.mbox`, mbox };
    },
  };
}
