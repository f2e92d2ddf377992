/**
 * Side effects of case changes, handed to the job runner inside the change's transaction: mail to
 * the team and the reporter, and the first-response reminders. Payloads carry ids, never content:
 * the jobs table is not encrypted, so the handlers load and decrypt what they need at send time.
 */
import type { DbTransaction } from '../../db/connection.js';
import { enqueueJob } from '../../jobs/job.queue.js';
import type { Clock } from '../../lib/clock.js';
import type { CaseRow } from './cases.repo.js';
import { reminderInstants } from './response-clock.js';

export const CASE_MAIL_JOB = 'case.mail';
export const REMINDER_JOB = 'case.first-response-reminder';

export const CASE_MAILS = [
  'report-received.team',
  'report-received.reporter',
  'message.reporter',
  'message.team',
  'transition.reporter',
  'undecryptable.team',
] as const;
export type CaseMail = (typeof CASE_MAILS)[number];

/** Queues one notification about a case; `ref` (a message id or a state) makes it idempotent. */
export async function enqueueCaseMail(
  trx: DbTransaction,
  clock: Clock,
  caseId: string,
  mail: CaseMail,
  ref = '',
): Promise<void> {
  await enqueueJob(trx, clock, {
    kind: CASE_MAIL_JOB,
    payload: { caseId, mail, ref },
    uniqueKey: `${CASE_MAIL_JOB}:${caseId}:${mail}:${ref}`,
  });
}

/**
 * Schedules the reminders for the case's current due instant: at half the time and 80 percent to
 * the security team, and the escalation to every member when it is overdue. A job whose due instant
 * no longer matches the case (answered, paused, rescheduled) does nothing when it runs.
 */
export async function scheduleFirstResponseReminders(
  trx: DbTransaction,
  clock: Clock,
  c: CaseRow,
): Promise<void> {
  if (!c.first_response_due_at || c.first_responded_at) return;
  const due = new Date(c.first_response_due_at);
  const plan = [...reminderInstants(new Date(c.received_at), due), { percent: 100 as const, at: due }];
  for (const { percent, at } of plan) {
    if (at.getTime() < clock.now().getTime() && percent !== 100) continue;
    await enqueueJob(trx, clock, {
      kind: REMINDER_JOB,
      payload: { caseId: c.id, percent, dueAt: c.first_response_due_at },
      runAt: at,
      uniqueKey: `${REMINDER_JOB}:${c.id}:${percent}:${c.first_response_due_at}`,
    });
  }
}
