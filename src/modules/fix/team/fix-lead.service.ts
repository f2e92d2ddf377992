/**
 * The Fix Lead by hand (PROCESS.md §6): the rotation chooses one on acceptance (fix-lead.steps.ts);
 * the team may change it, or assign the first one when nobody was available, with a reason that
 * the audit log keeps. The lead must be an enabled member of the project's security team.
 */
import { appendAuditEvent } from '../../../audit/audit.log.js';
import { actorOf, loadCaseFor } from '../../../authz/access.js';
import type { Principal } from '../../../authz/authz.policy.js';
import type { Db } from '../../../db/connection.js';
import type { Clock } from '../../../lib/clock.js';
import { ConflictError, ValidationError } from '../../../lib/errors.js';
import { FIX_OPEN_STATES, type CaseState } from '../../cases/case-transitions.js';
import { findCaseById } from '../../cases/cases.repo.js';
import * as repo from './fix-lead.repo.js';

export interface FixLeadDeps {
  db: Db;
  clock: Clock;
}

/** A case has a Fix Lead from acceptance until it closes: the lead also runs the retrospective (§9). */
const LEAD_STATES: readonly CaseState[] = [...FIX_OPEN_STATES, 'published'];

export type FixLeadService = ReturnType<typeof createFixLeadService>;

/** Builds the Fix Lead service. */
export function createFixLeadService(deps: FixLeadDeps) {
  const { db, clock } = deps;
  const k = db.kysely;

  return {
    /**
     * Makes `userId` the Fix Lead of the case, for `reason` (the audit log keeps it). Choosing the
     * current lead again changes nothing. The rotation's turn is left as it was: a choice by hand
     * is not a turn.
     */
    async setFixLead(principal: Principal, ref: string, input: { userId: string; reason: string }) {
      const c = await loadCaseFor(k, principal, ref, 'case.fix.manage');
      if (!LEAD_STATES.includes(c.state as CaseState)) {
        throw new ConflictError(
          `Case ${c.human_id} is ${c.state}: a case has a Fix Lead from its acceptance until it is closed.`,
        );
      }
      return k.transaction().execute(async (trx) => {
        const lead = (await repo.listTeamCandidates(trx, c.project_id)).find(
          (m) => m.userId === input.userId,
        );
        if (!lead) {
          throw new ValidationError(
            "The Fix Lead must be an enabled member of the project's security team.",
            [{ path: 'userId', message: 'is not an enabled member of the security team' }],
          );
        }
        const previous = (await findCaseById(trx, c.id))?.fix_lead_user_id ?? null;
        const fixLead = { userId: lead.userId, name: lead.name, email: lead.email };
        if (previous === lead.userId) return { fixLead, changed: false };
        await repo.setCaseFixLead(trx, c.id, lead.userId, clock.now().toISOString());
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'case.fix_lead_assigned',
          subject: { type: 'case', id: c.id },
          projectId: c.project_id,
          data: { userId: lead.userId, previousUserId: previous, method: 'manual', reason: input.reason },
        });
        return { fixLead, changed: true };
      });
    },
  };
}
