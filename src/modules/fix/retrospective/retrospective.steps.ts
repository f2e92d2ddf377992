/**
 * The retrospective's steps inside a transition's transaction (PROCESS.md §9): drafted when the
 * case is published, and the fact the `retrospectiveClosed` guard asks about.
 */
import { appendAuditEvent } from '../../../audit/audit.log.js';
import type { Actor } from '../../../audit/audit.events.js';
import type { DbReader, DbTransaction } from '../../../db/connection.js';
import type { Clock } from '../../../lib/clock.js';
import type { CaseRow } from '../../cases/cases.repo.js';
import type { Policy } from '../../policy/policy.schema.js';
import * as repo from './retrospective.repo.js';

/**
 * Drafts the retrospective of `c` as it enters `published`, if the policy holds one; does nothing
 * for a case that has one already. True when it drafted one.
 */
export async function draftRetrospective(
  trx: DbTransaction,
  clock: Clock,
  c: CaseRow,
  policy: Policy,
  actor: Actor,
): Promise<boolean> {
  if (!policy.fix.retrospective.enabled) return false;
  if (!(await repo.insertRetrospectiveDraft(trx, c.id, clock.now().toISOString()))) return false;
  await appendAuditEvent(trx, clock, {
    actor,
    action: 'retrospective.drafted',
    subject: { type: 'case', id: c.id },
    projectId: c.project_id,
    data: { caseId: c.id },
  });
  return true;
}

/**
 * Why `c` may not close yet, for the `retrospectiveClosed` guard: nothing when the policy holds
 * no retrospective or it is closed. A case published before the policy held one (an import, or
 * the policy changed since) has no draft and nothing to wait for.
 */
export async function openRetrospectiveReasons(db: DbReader, c: CaseRow, policy: Policy): Promise<string[]> {
  if (!policy.fix.retrospective.enabled) return [];
  const r = await repo.findRetrospective(db, c.id);
  if (!r || r.state === 'closed') return [];
  return ['Its retrospective is still open: the Fix Lead closes it, and with it the case.'];
}
