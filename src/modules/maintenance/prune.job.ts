/**
 * An hourly housekeeping job: deletes expired sessions, second-factor challenges, sign-in throttles
 * idle for a day, finished rate-limit windows, spent proofs of work whose challenges expired and
 * OpenID Connect sign-ins never finished, notifications read 90 days ago or made a year ago, then
 * schedules its next run. The unique key per hour makes scheduling idempotent across instances.
 */
import { z } from 'zod';
import type { Db } from '../../db/connection.js';
import type { Clock } from '../../lib/clock.js';
import { pruneRateLimits } from '../../lib/rate-limit.js';
import { enqueueJob } from '../../jobs/job.queue.js';
import { defineJobHandler } from '../../jobs/job.runner.js';
import { deleteExpiredSessions } from '../accounts/accounts.repo.js';
import { pruneSpentProofs } from '../cases/intake/held.repo.js';
import { deleteExpiredStates } from '../accounts/oidc/oidc.repo.js';
import { deleteStaleChallenges, deleteStaleThrottles } from '../accounts/two-factor/two-factor.repo.js';
import { PAIR_FORGET_MS } from '../accounts/two-factor/sign-in-throttle.js';
import { pruneNotifications } from '../notifications/notifications.repo.js';

export const PRUNE_JOB = 'maintenance.prune';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** How long a notification stays once read, and at most (the mail it mirrors went long ago). */
export const KEEP_READ_NOTIFICATIONS_DAYS = 90;
export const KEEP_NOTIFICATIONS_DAYS = 365;

/** Enqueues the prune run for the hour after `now` (a no-op when already scheduled). */
export async function schedulePrune(db: Db, clock: Clock): Promise<void> {
  const next = new Date(Math.floor(clock.now().getTime() / HOUR) * HOUR + HOUR);
  await db.kysely.transaction().execute((trx) =>
    enqueueJob(trx, clock, {
      kind: PRUNE_JOB,
      payload: {},
      runAt: next,
      uniqueKey: `${PRUNE_JOB}:${next.toISOString()}`,
    }),
  );
}

export function pruneJobHandler(db: Db) {
  return defineJobHandler(z.object({}), async (_payload, ctx) => {
    const now = ctx.clock.now();
    await deleteExpiredSessions(db.kysely, now.toISOString());
    await deleteStaleChallenges(db.kysely, now.toISOString());
    await deleteStaleThrottles(db.kysely, new Date(now.getTime() - PAIR_FORGET_MS).toISOString());
    await pruneRateLimits(db.kysely, new Date(now.getTime() - DAY));
    await pruneSpentProofs(db.kysely, now.toISOString());
    await deleteExpiredStates(db.kysely, now.toISOString());
    await pruneNotifications(
      db.kysely,
      new Date(now.getTime() - KEEP_READ_NOTIFICATIONS_DAYS * DAY).toISOString(),
      new Date(now.getTime() - KEEP_NOTIFICATIONS_DAYS * DAY).toISOString(),
    );
    await schedulePrune(db, ctx.clock);
  });
}
