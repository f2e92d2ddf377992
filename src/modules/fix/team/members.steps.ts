/**
 * Steps on a case's members that run inside a caller's transaction: the end of everyone's access
 * when the case is published (PROCESS.md §8: "Fix Team access ... is removed"), and the invitation
 * mail handed to the job runner.
 */
import { appendAuditEvent } from '../../../audit/audit.log.js';
import type { Actor } from '../../../audit/audit.events.js';
import type { DbTransaction } from '../../../db/connection.js';
import { enqueueJob } from '../../../jobs/job.queue.js';
import type { Clock } from '../../../lib/clock.js';
import type { CaseRow } from '../../cases/cases.repo.js';
import * as repo from './members.repo.js';

export const MEMBER_INVITATION_JOB = 'case.member-invitation';

/** The associated data that binds an invitation mail's encrypted link to its member and invitation. */
export const invitationLinkAad = (memberId: string, invitedAt: string): string =>
  `jobs.payload.${MEMBER_INVITATION_JOB}:${memberId}:${invitedAt}`;

/**
 * Ends the access of every member of `c` whose access has not ended, pending invitations included,
 * with one `case.member_access_ended` event each. Called when the case enters `published`.
 */
export async function endCaseAccess(
  trx: DbTransaction,
  clock: Clock,
  c: Pick<CaseRow, 'id' | 'project_id'>,
  actor: Actor,
): Promise<number> {
  const ended = await repo.endCaseMembers(trx, c.id, 'published', clock.now().toISOString());
  for (const m of ended) {
    await appendAuditEvent(trx, clock, {
      actor,
      action: 'case.member_access_ended',
      subject: { type: 'case', id: c.id },
      projectId: c.project_id,
      data: { userId: m.user_id, role: m.role, because: 'published' },
    });
  }
  return ended.length;
}

/**
 * Queues the invitation mail. The link may be a one-time sign-in link: it travels encrypted
 * (`linkEnc`, bound by `invitationLinkAad`), since the jobs table is not.
 */
export async function enqueueInvitationMail(
  trx: DbTransaction,
  clock: Clock,
  invitation: { memberId: string; invitedAt: string; linkEnc: string; newAccount: boolean },
): Promise<void> {
  await enqueueJob(trx, clock, {
    kind: MEMBER_INVITATION_JOB,
    payload: invitation,
    uniqueKey: `${MEMBER_INVITATION_JOB}:${invitation.memberId}:${invitation.invitedAt}`,
  });
}
