/**
 * Freezes a published case's repository on disk (PROCESS.md §8): git's `http.receivepack false`,
 * so `git http-backend` refuses a push even beyond the bridge's own check of the `read-only` state.
 * Enqueued by `freezeRepository` (repository.steps.ts) in the publication's transaction, so it runs
 * only once that has committed. Idempotent: it freezes only a repository the database says is
 * read-only, and freezing twice changes nothing.
 */
import { z } from 'zod';
import type { Db } from '../../../db/connection.js';
import { defineJobHandler } from '../../../jobs/job.runner.js';
import { createGitStore } from './git-store.js';
import * as repo from './repository.repo.js';

export function repositoryFreezeJobHandler(deps: { db: Db; repositoriesDir: string }) {
  const store = createGitStore(deps.repositoriesDir);
  return defineJobHandler(z.object({ caseId: z.uuid() }), async ({ caseId }) => {
    const row = await repo.findCaseRepository(deps.db.kysely, caseId);
    if (row?.state !== 'read-only') return;
    await store.freeze(caseId);
  });
}
