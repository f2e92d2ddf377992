/**
 * Fixed-window rate limiting with counters in the database, so that several instances share them.
 * One upsert per hit: `insert ... on conflict do update set hits = hits + 1 returning hits`.
 */
import type { DbWriter } from '../db/connection.js';
import type { Clock } from './clock.js';
import { RateLimitedError } from './errors.js';

export interface RateLimitRule {
  /** e.g. `sign-in:email:alice@example.org` */
  bucket: string;
  limit: number;
  windowSeconds: number;
}

/** Counts a hit against each rule and throws RateLimitedError (429 + Retry-After) when one is exceeded. */
export async function hitRateLimits(db: DbWriter, clock: Clock, rules: RateLimitRule[]): Promise<void> {
  const nowMs = clock.now().getTime();
  for (const rule of rules) {
    const windowMs = rule.windowSeconds * 1000;
    const windowStartMs = Math.floor(nowMs / windowMs) * windowMs;
    const row = await db
      .insertInto('rate_limits')
      .values({ bucket: rule.bucket, window_start: new Date(windowStartMs).toISOString(), hits: 1 })
      .onConflict((oc) =>
        oc
          .columns(['bucket', 'window_start'])
          .doUpdateSet((eb) => ({ hits: eb('rate_limits.hits', '+', 1) })),
      )
      .returning('hits')
      .executeTakeFirstOrThrow();
    if (row.hits > rule.limit) {
      const retryAfter = Math.max(1, Math.ceil((windowStartMs + windowMs - nowMs) / 1000));
      throw new RateLimitedError(retryAfter);
    }
  }
}

/** Deletes counters of windows that ended before `before`. */
export async function pruneRateLimits(db: DbWriter, before: Date): Promise<void> {
  await db.deleteFrom('rate_limits').where('window_start', '<', before.toISOString()).execute();
}
