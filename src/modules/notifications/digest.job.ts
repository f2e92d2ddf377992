/**
 * The daily digest (issue 13, item 3). `notifications.digest-day` runs once a day (07:00 UTC; the
 * unique key per day makes scheduling idempotent across instances): it enqueues one
 * `notifications.digest` per person who chose the digest for some event, then schedules the next
 * day. That job mails the person one list of their notifications of those events not yet in a
 * digest (links only: `digest.team`), then marks them listed. At least once: a run that dies after
 * the mail went and before the mark sends the same list again.
 */
import { z } from 'zod';
import type { Db } from '../../db/connection.js';
import type { Clock } from '../../lib/clock.js';
import { enqueueJob } from '../../jobs/job.queue.js';
import { PermanentJobError, defineJobHandler } from '../../jobs/job.runner.js';
import { MailError, type Mailer } from '../../mail/outbound/mailer.js';
import { DIGEST_MAX_ITEMS, type DigestEvent } from '../../mail/templates/digest-team.template.js';
import { renderMail } from '../../mail/templates/mail-templates.js';
import { findUserById } from '../accounts/accounts.repo.js';
import * as repo from './notifications.repo.js';

export const DIGEST_DAY_JOB = 'notifications.digest-day';
export const DIGEST_JOB = 'notifications.digest';
const DAY = 86_400_000;
/** The hour (UTC) the digests go. */
const DIGEST_HOUR_UTC = 7;

/** The next digest instant after `now`. */
export function nextDigestAt(now: Date): Date {
  const today = Math.floor(now.getTime() / DAY) * DAY + DIGEST_HOUR_UTC * 3_600_000;
  return new Date(today > now.getTime() ? today : today + DAY);
}

/** Enqueues the next day's digest run (a no-op when already scheduled). */
export async function scheduleDigest(db: Db, clock: Clock): Promise<void> {
  const next = nextDigestAt(clock.now());
  await db.kysely.transaction().execute((trx) =>
    enqueueJob(trx, clock, {
      kind: DIGEST_DAY_JOB,
      payload: {},
      runAt: next,
      uniqueKey: `${DIGEST_DAY_JOB}:${next.toISOString()}`,
    }),
  );
}

/** The daily run: one digest job per person with a digest setting. Needs no mail itself. */
export function digestDayJobHandler(db: Db) {
  return defineJobHandler(z.object({}), async (_payload, ctx) => {
    const until = ctx.clock.now().toISOString();
    const users = await repo.usersWithDigest(db.kysely);
    await db.kysely.transaction().execute(async (trx) => {
      for (const userId of users) {
        await enqueueJob(trx, ctx.clock, {
          kind: DIGEST_JOB,
          payload: { userId, until },
          runAt: ctx.clock.now(),
          uniqueKey: `${DIGEST_JOB}:${userId}:${until.slice(0, 10)}`,
        });
      }
    });
    await scheduleDigest(db, ctx.clock);
  });
}

/** The handlers of `notifications.digest` (registered where mail is configured). */
export function digestMailHandlers(deps: { db: Db; mailer: Mailer }) {
  const k = deps.db.kysely;
  return {
    [DIGEST_JOB]: defineJobHandler(
      z.object({ userId: z.string().max(64), until: z.iso.datetime({ offset: true }) }),
      async ({ userId, until }, ctx) => {
        const user = await findUserById(k, userId);
        if (!user || user.disabled_at) return;
        const rows = await repo.listForDigest(k, userId, until, DIGEST_MAX_ITEMS);
        if (rows.length === 0) return;
        const total = await repo.countForDigest(k, userId, until);
        const mail = renderMail('digest.team', {
          link: `${deps.mailer.publicUrl}/notifications`,
          items: rows.map((r) => ({
            projectName: r.project_name,
            caseHumanId: r.case_human_id ?? null,
            event: r.event as DigestEvent,
            link: `${deps.mailer.publicUrl}${r.link}`,
          })),
          omitted: Math.max(0, total - rows.length),
        });
        try {
          await deps.mailer.send({ to: [user.email], subject: mail.subject, text: mail.text });
        } catch (err) {
          if (err instanceof MailError && err.permanent) throw new PermanentJobError(err.message);
          throw err;
        }
        await repo.markDigested(k, userId, until, ctx.clock.now().toISOString());
      },
    ),
  };
}
