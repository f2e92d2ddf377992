/**
 * The Fix Lead (PROCESS.md §6): on acceptance, the next member of the project's security team in
 * turn (Emissary: "round-robin across the EMST"), skipping whoever marked themselves unavailable
 * for that instant. The rotation continues after the project's last lead, so that every member
 * leads in turn whatever the order cases arrive in.
 */
import { appendAuditEvent } from '../../../audit/audit.log.js';
import type { Actor } from '../../../audit/audit.events.js';
import type { DbTransaction } from '../../../db/connection.js';
import type { Clock } from '../../../lib/clock.js';
import type { CaseRow } from '../../cases/cases.repo.js';
import * as repo from './fix-lead.repo.js';

/** True when `c` is away at `at` (between its unavailable instants, either end open). */
export function isUnavailable(c: repo.TeamCandidate, at: Date): boolean {
  if (!c.unavailableFrom && !c.unavailableUntil) return false;
  const t = at.getTime();
  const from = c.unavailableFrom ? Date.parse(c.unavailableFrom) : -Infinity;
  const until = c.unavailableUntil ? Date.parse(c.unavailableUntil) : Infinity;
  return t >= from && t < until;
}

/**
 * The next lead: the first available candidate after `last` in the candidates' order, wrapping
 * around; `last` itself only when nobody else is available. Pure: the order is the caller's.
 */
export function nextInRotation(
  candidates: readonly repo.TeamCandidate[],
  last: string | null,
  at: Date,
): repo.TeamCandidate | undefined {
  if (candidates.length === 0) return undefined;
  const start = last ? candidates.findIndex((c) => c.userId > last) : 0;
  const from = start < 0 ? 0 : start;
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[(from + i) % candidates.length];
    if (c && !isUnavailable(c, at)) return c;
  }
  return undefined;
}

/**
 * Chooses and records the Fix Lead of `c` by rotation, inside the acceptance's transaction. With
 * nobody available the case keeps no lead, the audit log says why, and the team assigns one by hand.
 */
export async function assignFixLeadByRotation(
  trx: DbTransaction,
  clock: Clock,
  c: CaseRow,
  actor: Actor,
): Promise<string | null> {
  if (c.fix_lead_user_id) return c.fix_lead_user_id;
  const now = clock.now();
  const candidates = await repo.listTeamCandidates(trx, c.project_id);
  const lead = nextInRotation(candidates, await repo.findLastFixLead(trx, c.project_id), now);
  if (!lead) {
    await appendAuditEvent(trx, clock, {
      actor,
      action: 'case.fix_lead_unassignable',
      subject: { type: 'case', id: c.id },
      projectId: c.project_id,
      data: {
        reason: candidates.length === 0 ? 'the project has no security team' : 'every member is unavailable',
      },
    });
    return null;
  }
  await repo.setCaseFixLead(trx, c.id, lead.userId, now.toISOString());
  await repo.setLastFixLead(trx, c.project_id, lead.userId);
  await appendAuditEvent(trx, clock, {
    actor,
    action: 'case.fix_lead_assigned',
    subject: { type: 'case', id: c.id },
    projectId: c.project_id,
    data: { userId: lead.userId, previousUserId: null, method: 'rotation' },
  });
  return lead.userId;
}
