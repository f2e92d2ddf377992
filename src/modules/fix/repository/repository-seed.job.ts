/**
 * Seeds a case's fix repository (PROCESS.md §6: "private security repos"): creates the bare
 * repository with Vigil's hooks, then, if the policy names an upstream, fetches its main branch and
 * the branch of every supported release line (missing ones are skipped). An upstream that cannot
 * be read leaves the repository `failed` with git's first words about it; the team retries with
 * `POST /api/v1/cases/:id/repository/seed`. Idempotent: only a repository still `seeding` changes.
 */
import { z } from 'zod';
import { appendAuditEvent } from '../../../audit/audit.log.js';
import type { Actor } from '../../../audit/audit.events.js';
import type { Db } from '../../../db/connection.js';
import { defineJobHandler } from '../../../jobs/job.runner.js';
import { projectContextById } from '../../cases/case-context.js';
import type { Policy } from '../../policy/policy.schema.js';
import { createGitStore, redactUrl } from './git-store.js';
import { firstLines, GitError } from './git-process.js';
import * as repo from './repository.repo.js';

const SYSTEM: Actor = { type: 'system', id: 'repository-seed' };
const MAX_ERROR = 500;

/** The branches a case's repository is seeded with: the main branch, then one per supported line. */
export function seedBranches(policy: Pick<Policy, 'releases'>): string[] {
  const { mainBranch, branchPattern, supportedLines } = policy.releases;
  const lines = supportedLines.map((line) => branchPattern.replaceAll('{line}', line));
  return [...new Set([mainBranch, ...lines])];
}

/** A failure as the repository shows it: what went wrong with the upstream, bounded, no local paths. */
export function seedErrorMessage(upstream: string, err: unknown, repositoriesDir: string): string {
  const said = err instanceof GitError ? (err.timedOut ? 'it took too long' : firstLines(err.stderr)) : '';
  const text = `The upstream repository ${redactUrl(upstream)} could not be read${said ? `: ${said}` : '.'}`;
  return text
    .split(repositoriesDir)
    .join('<repositories>')
    .replace(/\/\/[^/@\s]*@/g, '//')
    .slice(0, MAX_ERROR);
}

export function repositorySeedJobHandler(deps: { db: Db; repositoriesDir: string }) {
  const { db } = deps;
  const k = db.kysely;
  const store = createGitStore(deps.repositoriesDir);
  return defineJobHandler(z.object({ caseId: z.uuid() }), async ({ caseId }, ctx) => {
    const row = await repo.findCaseRepository(k, caseId);
    if (!row || row.state !== 'seeding') return;
    const { policy } = await projectContextById(k, row.project_id);

    const record = (patch: Parameters<typeof repo.updateCaseRepository>[3], audit: SeedAudit) =>
      k.transaction().execute(async (trx) => {
        if (!(await repo.updateCaseRepository(trx, caseId, ['seeding'], patch))) return;
        await appendAuditEvent(trx, ctx.clock, {
          actor: SYSTEM,
          subject: { type: 'case', id: caseId },
          projectId: row.project_id,
          ...audit,
        });
      });
    const fail = (error: string) =>
      record({ state: 'failed', error }, { action: 'case.repository_seed_failed', data: { error } });

    let refs: Record<string, string> = {};
    let reading = false;
    try {
      await store.init(caseId);
      if (row.upstream) {
        reading = true;
        const available = await store.remoteBranches(row.upstream);
        const wanted = seedBranches(policy).filter((b) => available.has(b));
        refs = await store.fetchBranches(caseId, row.upstream, wanted);
      }
    } catch (err) {
      if (reading && row.upstream && err instanceof GitError) {
        return fail(seedErrorMessage(row.upstream, err, deps.repositoriesDir));
      }
      // Vigil's own disk: worth a retry; after the last one the team sees it and may retry later.
      if (ctx.attempt < ctx.maxAttempts) throw err;
      return fail('Vigil could not create the repository on its disk; see the server log, then retry.');
    }
    await record(
      {
        state: 'ready',
        error: null,
        seed_refs_json: JSON.stringify(refs),
        seeded_at: ctx.clock.now().toISOString(),
      },
      { action: 'case.repository_seeded', data: { branches: Object.keys(refs) } },
    );
  });
}

type SeedAudit =
  | { action: 'case.repository_seeded'; data: { branches: string[] } }
  | { action: 'case.repository_seed_failed'; data: { error: string } };
