/**
 * Every change to a project's security team is announced to the team (issue 11, item 2): a request
 * to add someone, an addition, a removal, a declined request. Queued inside the change's
 * transaction; the handler (`members-mail.job.ts`) mails the team as it is when the job runs, and
 * the person removed. Payloads carry ids, never names.
 */
import type { DbTransaction } from '../../db/connection.js';
import { enqueueJob } from '../../jobs/job.queue.js';
import type { Clock } from '../../lib/clock.js';
import type { MembersTeamNotice } from '../../mail/templates/members-team.template.js';

export const MEMBERS_MAIL_JOB = 'project.members.mail';

export type MembersMail = {
  projectId: string;
  notice: MembersTeamNotice;
  /** What makes it unique: the request id, or the member and the instant. */
  ref: string;
  /** Someone told besides the team: the person just removed. */
  alsoUserId?: string | undefined;
};

/** Queues the team's notice of a membership change; the same one twice is a no-op. */
export async function enqueueMembersMail(trx: DbTransaction, clock: Clock, m: MembersMail): Promise<void> {
  await enqueueJob(trx, clock, {
    kind: MEMBERS_MAIL_JOB,
    payload: m,
    uniqueKey: `${MEMBERS_MAIL_JOB}:${m.projectId}:${m.notice}:${m.ref}`,
  });
}
