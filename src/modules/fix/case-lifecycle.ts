/**
 * The fix phase's part in the case workflow (PROCESS.md §6, §8, §9): the facts behind the
 * transition table's guards, and what entering a state sets off. The engine (case-workflow.ts)
 * calls both inside the transition's transaction; each line below delegates to the sub-module that
 * owns the fact or the step.
 */
import type { DbTransaction } from '../../db/connection.js';
import type { Clock } from '../../lib/clock.js';
import type { Guard } from '../cases/case-transitions.js';
import type { CaseLifecycle } from '../cases/case-workflow.js';
import type { CaseRow } from '../cases/cases.repo.js';
import type { Policy } from '../policy/policy.schema.js';
import { createGitStore } from './repository/git-store.js';
import { createCaseRepository, freezeRepository } from './repository/repository.steps.js';
import { assignFixLeadByRotation } from './team/fix-lead.steps.js';

export interface LifecycleDeps {
  clock: Clock;
  /** Where the cases' fix repositories live; without it, freezing one names no branches. */
  repositoriesDir?: string | undefined;
}

type GuardCheck = (trx: DbTransaction, c: CaseRow, policy: Policy) => Promise<string[]>;

export function createCaseLifecycle(deps: LifecycleDeps): CaseLifecycle {
  const { clock } = deps;
  const repositories = deps.repositoriesDir ? createGitStore(deps.repositoriesDir) : undefined;

  const checks: Record<Guard, GuardCheck> = {
    fixLeadAssigned: async (_trx, c) =>
      c.fix_lead_user_id ? [] : ['It has no Fix Lead: assign one (nobody on the team was available).'],
    fixInEveryLine: async () => [],
    releasesPublished: async () => [],
    retrospectiveClosed: async () => [],
  };

  return {
    async unmetGuards(trx, c, policy, guards) {
      const unmet: string[] = [];
      for (const g of guards) unmet.push(...(await checks[g](trx, c, policy)));
      return unmet;
    },

    async entered(trx, c, { to, actor, policy }) {
      if (to === 'accepted') {
        await assignFixLeadByRotation(trx, clock, c, actor.audit);
        await createCaseRepository(trx, clock, c, policy, actor.audit);
      }
      if (to === 'published') {
        await freezeRepository(trx, clock, c, actor.audit, repositories);
      }
    },
  };
}
