/**
 * Notifications while mail waits (issue 13, item 3). Without SMTP an instance does not run the mail
 * jobs: they wait, untouched, for an instance that can send them (src/server/start.ts), and the mail
 * queue and banner show them. The team's in-app notifications are written where the team mail is
 * decided (notify-team.ts), so without this nobody would be told in Vigil either.
 *
 * On an instance without SMTP this job runs every minute. It takes the due team-notice jobs it has
 * not looked at yet (at most SWEEP_BATCH, oldest first) and runs each one's own handler with the
 * unconfigured mailer: `notifyTeam` writes the notifications, then its send throws "mail is not
 * configured", which ends that dry run. The job itself is left as it was (pending, no attempt
 * counted); when an instance with SMTP runs it, its mail goes out and its notifications are not
 * written twice (unique per person and job). Only kinds whose handlers change nothing before they
 * send, or only what is idempotent (the reminders' webhooks), are run here: NOTICE_KINDS.
 */
import { z } from 'zod';
import type { Db } from '../../db/connection.js';
import { enqueueJob } from '../../jobs/job.queue.js';
import { defineJobHandler, type JobContext, type JobHandlers } from '../../jobs/job.runner.js';
import type { Clock } from '../../lib/clock.js';
import { MailError } from '../../mail/outbound/mailer.js';
import { CASE_MAIL_JOB, REMINDER_JOB } from '../cases/case-notify.js';
import { DISCLOSURE_DATE_MAIL_JOB } from '../embargo/disclosure-date/disclosure-date-notify.js';
import { DISTRIBUTORS_MAIL_JOB, REVIEW_DUE_JOB } from '../embargo/distributors/distributors.steps.js';
import { HOLD_ALERT_JOB } from '../embargo/publication/publication.steps.js';
import { PHASE_REMINDER_JOB } from '../fix/phases/phase-notify.js';
import { MEMBERS_MAIL_JOB } from '../projects/members-notify.js';
import * as repo from './notifications.repo.js';

export const WAITING_MAIL_JOB = 'notifications.waiting-mail';

/** The mail jobs whose handlers may be run dry: they tell the team through notifyTeam. */
export const NOTICE_KINDS: readonly string[] = [
  CASE_MAIL_JOB,
  REMINDER_JOB,
  PHASE_REMINDER_JOB,
  DISCLOSURE_DATE_MAIL_JOB,
  DISTRIBUTORS_MAIL_JOB,
  REVIEW_DUE_JOB,
  HOLD_ALERT_JOB,
  MEMBERS_MAIL_JOB,
];

/** Jobs looked at per run: a flood is told a minute at a time, bounded. */
export const SWEEP_BATCH = 500;
const MINUTE = 60_000;

/** Queues the next run, at the start of the next minute (once: the minute is its key). */
export async function scheduleWaitingMailSweep(db: Db, clock: Clock): Promise<void> {
  const next = new Date(Math.floor(clock.now().getTime() / MINUTE) * MINUTE + MINUTE);
  await db.kysely.transaction().execute((trx) =>
    enqueueJob(trx, clock, {
      kind: WAITING_MAIL_JOB,
      payload: {},
      runAt: next,
      uniqueKey: `${WAITING_MAIL_JOB}:${next.toISOString()}`,
    }),
  );
}

/**
 * The sweep's handler. `handlers` are the notice kinds' own handlers, built with the unconfigured
 * mailer (start.ts builds them once for both uses).
 */
export function waitingMailHandler(db: Db, handlers: Readonly<JobHandlers>) {
  const kinds = NOTICE_KINDS.filter((kind) => handlers[kind] !== undefined);
  return defineJobHandler(z.object({}), async (_payload, ctx) => {
    const k = db.kysely;
    const now = ctx.clock.now().toISOString();
    const jobs = await repo.listUnsweptNoticeJobs(k, kinds, now, SWEEP_BATCH);
    for (const job of jobs) {
      const handler = handlers[job.kind];
      if (!handler) continue;
      const dry: JobContext = {
        ...ctx,
        jobId: job.id,
        kind: job.kind,
        attempt: job.attempts + 1,
        maxAttempts: job.max_attempts,
      };
      try {
        await handler.handle(handler.payload.parse(JSON.parse(job.payload_json)), dry);
      } catch (err) {
        // "Mail is not configured" ends every dry run that reached a send. Anything else (a payload
        // or a subject gone wrong) is the real run's to meet and report: the job is left as it was.
        if (!(err instanceof MailError)) ctx.signal.throwIfAborted();
      }
      await repo.markSwept(k, job.id, now);
    }
    await repo.forgetSweptJobs(k);
    await scheduleWaitingMailSweep(db, ctx.clock);
  });
}
