/**
 * Side effects of case changes, handed to the job runner inside the change's transaction: mail to
 * the team and the reporter, and the first-response reminders. Payloads carry ids, never content:
 * the jobs table is not encrypted, so the handlers load and decrypt what they need at send time.
 */
import type { DbTransaction } from '../../db/connection.js';
import { enqueueJob, type EnqueueJobInput } from '../../jobs/job.queue.js';
import type { Clock } from '../../lib/clock.js';
import type { CaseRow } from './cases.repo.js';
import { ASAP_GRACE_MS, reminderInstants } from './response-clock.js';

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

/** The job of one notification about a case; `ref` (a message id or a state) makes it idempotent. */
export function caseMailJob(caseId: string, mail: CaseMail, ref = ''): EnqueueJobInput {
  return {
    kind: CASE_MAIL_JOB,
    payload: { caseId, mail, ref },
    uniqueKey: `${CASE_MAIL_JOB}:${caseId}:${mail}:${ref}`,
  };
}

/** Queues one notification about a case; `ref` (a message id or a state) makes it idempotent. */
export async function enqueueCaseMail(
  trx: DbTransaction,
  clock: Clock,
  caseId: string,
  mail: CaseMail,
  ref = '',
): Promise<void> {
  await enqueueJob(trx, clock, caseMailJob(caseId, mail, ref));
}

/** What the reminders of a case are planned from. */
export type ReminderSubject = Pick<
  CaseRow,
  'id' | 'received_at' | 'first_response_due_at' | 'first_responded_at' | 'publicly_known'
>;

/**
 * The reminders for the case's current due instant: at half the time and 80 percent to the
 * security team, and the escalation to every member when it is overdue. A job whose due instant no
 * longer matches the case (answered, paused, rescheduled) does nothing when it runs.
 */
export function firstResponseReminderJobs(clock: Clock, c: ReminderSubject): EnqueueJobInput[] {
  if (!c.first_response_due_at || c.first_responded_at) return [];
  const dueAt = c.first_response_due_at;
  const due = new Date(dueAt);
  // "As soon as possible" (publicly known) is due at once: escalated once its grace has passed, not
  // the instant the report arrived (the team was told of it then, as of any report).
  const escalateAt = c.publicly_known ? new Date(due.getTime() + ASAP_GRACE_MS) : due;
  const plan = [...reminderInstants(new Date(c.received_at), due), { percent: 100 as const, at: escalateAt }];
  return plan
    .filter(({ percent, at }) => percent === 100 || at.getTime() >= clock.now().getTime())
    .map(({ percent, at }) => ({
      kind: REMINDER_JOB,
      payload: { caseId: c.id, percent, dueAt },
      runAt: at,
      uniqueKey: `${REMINDER_JOB}:${c.id}:${percent}:${dueAt}`,
    }));
}

/** Schedules the reminders of `firstResponseReminderJobs`, one statement each. */
export async function scheduleFirstResponseReminders(
  trx: DbTransaction,
  clock: Clock,
  c: ReminderSubject,
): Promise<void> {
  for (const job of firstResponseReminderJobs(clock, c)) await enqueueJob(trx, clock, job);
}
