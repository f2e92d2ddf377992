/**
 * The phase clocks of a case and of a project (PROCESS.md §6, §8, §9): each phase's due instant
 * and status, and what the team records against them: the Fix Team organised, users told a fix is
 * coming, a low-severity slow-down (§4), the upstream project whose disclosure bounds the release.
 * Each record is audited in its transaction; a change that moves a due instant reschedules the
 * reminders (phase-notify.ts).
 */
import { appendAuditEvent } from '../../../audit/audit.log.js';
import { actorOf, loadCaseFor, loadProjectFor } from '../../../authz/access.js';
import type { Principal } from '../../../authz/authz.policy.js';
import type { AuditEventInput } from '../../../audit/audit.events.js';
import type { Db } from '../../../db/connection.js';
import type { Clock } from '../../../lib/clock.js';
import { ConflictError } from '../../../lib/errors.js';
import { projectContextById } from '../../cases/case-context.js';
import { FIX_OPEN_STATES, type CaseState } from '../../cases/case-transitions.js';
import { caseCrypto, type CaseCipher } from '../../cases/case-view.js';
import * as casesRepo from '../../cases/cases.repo.js';
import type { Policy } from '../../policy/policy.schema.js';
import { actorName, storedActor } from '../actor-name.js';
import { asapClocks, nextDueAt, parseSlowdown, slowdownRefusal, type Slowdown } from './phase-clock.js';
import { currentPhases, schedulePhaseReminders } from './phase-notify.js';
import type { UpstreamInput } from './phases.schemas.js';
import { openUpstream, sealUpstream } from './upstream.js';

export interface PhasesDeps {
  db: Db;
  clock: Clock;
  cipher: CaseCipher;
}

export type PhasesService = ReturnType<typeof createPhasesService>;

type PhaseAction =
  'case.team_organised' | 'case.users_told_of_fix' | 'case.slowed_down' | 'case.upstream_set';

/** Cases whose phases still run: the fix phase, and published ones until their retrospective closes. */
const TIMELINE_STATES: readonly CaseState[] = [...FIX_OPEN_STATES, 'published'];

export function createPhasesService(deps: PhasesDeps) {
  const { db, clock, cipher } = deps;
  const k = db.kysely;
  const crypto = caseCrypto(cipher);

  async function view(c: casesRepo.CaseRow, policy: Policy) {
    const slowdown = parseSlowdown(c.slowdown_json);
    return {
      phases: currentPhases(cipher, c, policy, clock.now()),
      publiclyKnown: c.publicly_known === 1,
      asap: asapClocks(c, policy),
      slowdown: slowdown && { ...slowdown, decidedBy: await actorName(k, slowdown.decidedBy) },
      slowdownRefusal: slowdownRefusal(c, policy),
      upstream: openUpstream(cipher, c),
    };
  }

  /** The case, if the caller may manage its fix and it is in the fix phase (409 otherwise). */
  async function loadOpenCase(principal: Principal, ref: string) {
    const c = await loadCaseFor(k, principal, ref, 'case.fix.manage');
    if (!FIX_OPEN_STATES.includes(c.state as CaseState)) {
      throw new ConflictError(
        `Case ${c.human_id} is ${c.state}: its phases are recorded from acceptance until publication.`,
      );
    }
    return { c, project: await projectContextById(k, c.project_id) };
  }

  /** Writes `patch` on the case with its audit event, reschedules the reminders, answers the phases. */
  async function record<A extends PhaseAction>(
    principal: Principal,
    c: casesRepo.CaseRow,
    policy: Policy,
    patch: Parameters<typeof casesRepo.updateCase>[2],
    event: Pick<AuditEventInput<A>, 'action' | 'data'>,
  ) {
    await k.transaction().execute(async (trx) => {
      await casesRepo.updateCase(trx, c.id, { ...patch, updated_at: clock.now().toISOString() });
      await appendAuditEvent(trx, clock, {
        ...event,
        actor: actorOf(principal),
        subject: { type: 'case', id: c.id },
        projectId: c.project_id,
      });
      const row = await casesRepo.findCaseById(trx, c.id);
      if (row) await schedulePhaseReminders(trx, clock, cipher, row, policy);
    });
    const row = await casesRepo.findCaseById(k, c.id);
    if (!row) throw new Error(`case ${c.id} vanished`);
    return view(row, policy);
  }

  return {
    /** The case's phases, with the public flag, the slow-down and the upstream that shape them. */
    async getPhases(principal: Principal, ref: string) {
      const c = await loadCaseFor(k, principal, ref, 'case.workspace.read');
      return view(c, (await projectContextById(k, c.project_id)).policy);
    },

    /** The project's timeline: every case whose phases run, the one due next first. */
    async projectTimeline(principal: Principal, slug: string) {
      const project = await loadProjectFor(k, principal, slug, 'case.read');
      const policy = (await projectContextById(k, project.id)).policy;
      const rows = await casesRepo.listCases(k, [project.id], [...TIMELINE_STATES], 500);
      const now = clock.now();
      const cases = rows.map((c) => {
        const phases = currentPhases(cipher, c, policy, now);
        return {
          id: c.id,
          humanId: c.human_id,
          title: crypto.title.open(c.id, c.title_enc),
          state: c.state as CaseState,
          publiclyKnown: c.publicly_known === 1,
          nextDueAt: nextDueAt(phases),
          phases,
        };
      });
      cases.sort((a, b) =>
        a.nextDueAt === b.nextDueAt
          ? a.humanId.localeCompare(b.humanId)
          : a.nextDueAt === null
            ? 1
            : b.nextDueAt === null
              ? -1
              : a.nextDueAt.localeCompare(b.nextDueAt),
      );
      return { cases };
    },

    /** The Fix Lead has identified the engineers and given them access (§6): recorded once. */
    async markTeamOrganised(principal: Principal, ref: string) {
      const { c, project } = await loadOpenCase(principal, ref);
      if (c.team_organised_at) {
        throw new ConflictError(
          `The Fix Team of case ${c.human_id} was recorded as organised at ${c.team_organised_at}.`,
        );
      }
      return record(
        principal,
        c,
        project.policy,
        { team_organised_at: clock.now().toISOString() },
        { action: 'case.team_organised', data: {} },
      );
    },

    /** Users were told a fix is coming, with its date and mitigations (§8): recorded once. */
    async markUsersTold(principal: Principal, ref: string) {
      const { c, project } = await loadOpenCase(principal, ref);
      if (c.users_told_at) {
        throw new ConflictError(`Users were told of the fix of case ${c.human_id} at ${c.users_told_at}.`);
      }
      return record(
        principal,
        c,
        project.policy,
        { users_told_at: clock.now().toISOString() },
        { action: 'case.users_told_of_fix', data: { messageId: null } },
      );
    },

    /**
     * The team slows a low-severity case down (§4), for the reason given: only below the policy's
     * threshold, when the policy allows it, and not on "as soon as possible" clocks (409 otherwise).
     * Recording it again replaces the reason.
     */
    async setSlowdown(principal: Principal, ref: string, input: { reason: string }) {
      const { c, project } = await loadOpenCase(principal, ref);
      const refusal = slowdownRefusal(c, project.policy);
      if (refusal) throw new ConflictError(`Case ${c.human_id} cannot slow down: ${refusal}`);
      const slowdown: Slowdown = {
        cvss: c.cvss_score,
        reason: input.reason,
        decidedBy: storedActor(principal),
        decidedAt: clock.now().toISOString(),
      };
      return record(
        principal,
        c,
        project.policy,
        { slowdown_json: JSON.stringify(slowdown) },
        { action: 'case.slowed_down', data: { cvss: c.cvss_score, reason: input.reason } },
      );
    },

    /** The upstream project whose disclosure the case follows (§6), kept encrypted; it bounds the release. */
    async setUpstream(principal: Principal, ref: string, input: UpstreamInput) {
      const { c, project } = await loadOpenCase(principal, ref);
      const upstream = {
        name: input.name,
        url: input.url,
        disclosureAt: input.disclosureAt && new Date(input.disclosureAt).toISOString(),
      };
      return record(
        principal,
        c,
        project.policy,
        { upstream_enc: sealUpstream(cipher, c.id, upstream) },
        { action: 'case.upstream_set', data: { disclosureAt: upstream.disclosureAt } },
      );
    },
  };
}
