/**
 * The fix phase's part in the case workflow (PROCESS.md §6, §8, §9): the facts behind the
 * transition table's guards, and what entering a state sets off. The engine (case-workflow.ts)
 * calls both inside the transition's transaction; each line below delegates to the sub-module that
 * owns the fact or the step.
 */
import type { DbTransaction } from '../../db/connection.js';
import type { Clock } from '../../lib/clock.js';
import type { CaseState, FixGuard } from '../cases/case-transitions.js';
import type { CaseLifecycle } from '../cases/case-workflow.js';
import type { CaseRow } from '../cases/cases.repo.js';
import type { CaseCipher } from '../cases/case-view.js';
import type { Policy } from '../policy/policy.schema.js';
import { draftRetrospective, openRetrospectiveReasons } from './retrospective/retrospective.steps.js';
import { schedulePhaseReminders } from './phases/phase-notify.js';
import { fixBlockers, loadReleaseBoard, releaseBlockers } from './releases/release-board.js';
import { createGitStore } from './repository/git-store.js';
import { createCaseRepository, freezeRepository } from './repository/repository.steps.js';
import { assignFixLeadByRotation } from './team/fix-lead.steps.js';
import { endCaseAccess } from './team/members.steps.js';
import { latestDecision } from '../embargo/disclosure-date/disclosure-date.repo.js';
import {
  blockingFindings,
  checkDisclosureInstant,
  OVERRIDABLE_CODES,
} from '../embargo/disclosure-date/disclosure-guardrails.js';
import {
  cancelPublication,
  recordPublication,
  schedulePublication,
} from '../embargo/publication/publication.steps.js';

export interface LifecycleDeps {
  clock: Clock;
  /** Reads the advisory's affected versions (the release matrix) and the upstream's date (the clocks). */
  cipher: Pick<CaseCipher, 'decryptField'>;
  /** Where the cases' fix repositories live; without it, freezing one names no branches. */
  repositoriesDir?: string | undefined;
}

type GuardCheck = (trx: DbTransaction, c: CaseRow, policy: Policy) => Promise<string[]>;
type Effect = (
  trx: DbTransaction,
  c: CaseRow,
  change: Parameters<CaseLifecycle['entered']>[2],
) => Promise<unknown>;

export function createCaseLifecycle(deps: LifecycleDeps): CaseLifecycle {
  const { clock, cipher } = deps;
  const repositories = deps.repositoriesDir ? createGitStore(deps.repositoriesDir) : undefined;

  // One release board per question: publication asks two guards of it in one transaction.
  const checks = (board: () => ReturnType<typeof loadReleaseBoard>): Record<FixGuard, GuardCheck> => ({
    fixLeadAssigned: async (_trx, c) =>
      c.fix_lead_user_id ? [] : ['It has no Fix Lead: assign one (nobody on the team was available).'],
    fixInEveryLine: async (_trx, c) => {
      const b = await board();
      return [...fixBlockers(b), ...(await untestedHeads(c, b))];
    },
    releasesPublished: async () => releaseBlockers(await board()),
    retrospectiveClosed: (trx, c, policy) => openRetrospectiveReasons(trx, c, policy),
  });

  /**
   * Green rows whose branch has moved on disk past the run Vigil recorded (a push git accepted but
   * Vigil could not record): the tested commit is not what would ship.
   */
  async function untestedHeads(
    c: CaseRow,
    b: Awaited<ReturnType<typeof loadReleaseBoard>>,
  ): Promise<string[]> {
    if (!repositories || !(await repositories.exists(c.id))) return [];
    const heads = await repositories.branchHeads(c.id);
    return b.rows
      .filter((r) => r.green && !r.override && r.ci && heads.get(r.branch) !== r.ci.commit)
      .map(
        (r) =>
          `Line ${r.line}: branch ${r.branch} is at ${heads.get(r.branch)?.slice(0, 12) ?? 'nothing'}, not at the tested ${r.ci?.commit.slice(0, 12)}; push a new commit to it so that its head is tested.`,
      );
  }

  // The phases that start with a state (acceptance: the fix, users told, release; publication: the retrospective).
  const phaseReminders: Effect = (trx, c, { policy }) =>
    schedulePhaseReminders(trx, clock, cipher, c, policy);

  // What entering a state sets off, in order (PROCESS.md §6 on acceptance, §8 and §9 at publication).
  const effects: Partial<Record<CaseState, Effect[]>> = {
    accepted: [
      (trx, c, { actor }) => assignFixLeadByRotation(trx, clock, c, actor.audit),
      (trx, c, { actor, policy }) => createCaseRepository(trx, clock, c, policy, actor.audit),
      phaseReminders,
    ],
    // Back to work from a scheduled disclosure: the publication waits for a new instant.
    fixing: [
      async (trx, c, { from, actor }) =>
        from === 'disclosure-scheduled' && cancelPublication(trx, clock, c, 'case-reopened', actor.audit),
    ],
    // The job that publishes at the agreed instant (and the fix-coming notice ahead of it).
    'disclosure-scheduled': [
      async (trx, c) => c.disclosure_at && schedulePublication(trx, clock, c.id, c.disclosure_at),
    ],
    published: [
      // The advisory, the announcement, the webhooks and the distributors' follow-up: once.
      (trx, c, { actor, policy }) => recordPublication(trx, clock, cipher, c, policy, actor.audit),
      (trx, c, { actor }) => endCaseAccess(trx, clock, c, actor.audit),
      (trx, c, { actor }) => freezeRepository(trx, clock, c, actor.audit, repositories),
      (trx, c, { actor, policy }) => draftRetrospective(trx, clock, c, policy, actor.audit),
      phaseReminders,
    ],
  };

  return {
    async unmetGuards(trx, c, policy, guards) {
      let board: ReturnType<typeof loadReleaseBoard> | undefined;
      const asked = checks(() => (board ??= loadReleaseBoard(trx, cipher, c, policy)));
      const unmet: string[] = [];
      for (const g of guards) unmet.push(...(await asked[g](trx, c, policy)));
      return unmet;
    },

    // The disclosure date's decision (embargo/disclosure-date): what `disclosure-scheduled` takes.
    decidedDisclosureAt: async (trx, c) => (await latestDecision(trx, c.id))?.at ?? null,

    // Its guardrails, on whatever instant the transition takes: a decision applied its overrides.
    disclosureRefusals: (c, policy, at, { now, decided }) =>
      blockingFindings(
        checkDisclosureInstant({
          at,
          now,
          receivedAt: new Date(c.received_at),
          policy,
          cvssScore: c.cvss_score,
          releases: null,
        }),
        decided ? OVERRIDABLE_CODES : [],
      ).blocking.map((f) => f.message),

    async entered(trx, c, change) {
      for (const effect of effects[change.to] ?? []) await effect(trx, c, change);
    },
  };
}
