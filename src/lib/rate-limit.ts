/**
 * Fixed-window rate limiting with counters in the database, so that several instances share them.
 * One upsert per hit: `insert ... on conflict do update set hits = hits + 1 returning hits`.
 */
import type { DbReader, DbWriter } from '../db/connection.js';
import type { Clock } from './clock.js';
import { RateLimitedError } from './errors.js';

export interface RateLimitRule {
  /** e.g. `sign-in:email:alice@example.org` */
  bucket: string;
  limit: number;
  windowSeconds: number;
}

/** The start of the fixed window of `windowSeconds` that holds the instant `nowMs`. */
function windowStartMs(nowMs: number, windowSeconds: number): number {
  const windowMs = windowSeconds * 1000;
  return Math.floor(nowMs / windowMs) * windowMs;
}

/**
 * Counts one hit of `bucket` in its current window and returns the window's hits, this one
 * included; it never refuses (the caller decides what being over a limit means).
 */
export async function countRateLimitHit(
  db: DbWriter,
  clock: Clock,
  rule: Pick<RateLimitRule, 'bucket' | 'windowSeconds'>,
): Promise<number> {
  return countHit(db, clock.now().getTime(), rule);
}

async function countHit(
  db: DbWriter,
  nowMs: number,
  rule: Pick<RateLimitRule, 'bucket' | 'windowSeconds'>,
): Promise<number> {
  const start = windowStartMs(nowMs, rule.windowSeconds);
  const row = await db
    .insertInto('rate_limits')
    .values({ bucket: rule.bucket, window_start: new Date(start).toISOString(), hits: 1 })
    .onConflict((oc) =>
      oc.columns(['bucket', 'window_start']).doUpdateSet((eb) => ({ hits: eb('rate_limits.hits', '+', 1) })),
    )
    .returning('hits')
    .executeTakeFirstOrThrow();
  return row.hits;
}

/**
 * Counts one hit for each rule (several may name the same bucket: several requests from one
 * address) with one statement, and returns for each the window's hits as `countRateLimitHit` would
 * have if they had been counted one after another in this order.
 */
export async function countRateLimitHits(
  db: DbWriter,
  clock: Clock,
  rules: readonly Pick<RateLimitRule, 'bucket' | 'windowSeconds'>[],
): Promise<number[]> {
  if (rules.length === 0) return [];
  const nowMs = clock.now().getTime();
  const keyOf = (bucket: string, windowStart: string) => `${bucket}\n${windowStart}`;
  const counts = new Map<string, { bucket: string; window_start: string; hits: number }>();
  const keys = rules.map((rule) => {
    const windowStart = new Date(windowStartMs(nowMs, rule.windowSeconds)).toISOString();
    const key = keyOf(rule.bucket, windowStart);
    const row = counts.get(key);
    if (row) row.hits += 1;
    else counts.set(key, { bucket: rule.bucket, window_start: windowStart, hits: 1 });
    return key;
  });
  const rows = await db
    .insertInto('rate_limits')
    // In one order (bucket, window): concurrent groups lock their rows in the same order, so
    // two groups naming the same buckets wait for each other rather than deadlock.
    .values([...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row))
    .onConflict((oc) =>
      oc
        .columns(['bucket', 'window_start'])
        .doUpdateSet((eb) => ({ hits: eb('rate_limits.hits', '+', eb.ref('excluded.hits')) })),
    )
    .returning(['bucket', 'window_start', 'hits'])
    .execute();
  // Each key's hits before this statement, then one more per rule in order.
  const next = new Map<string, number>();
  for (const row of rows) {
    const key = keyOf(row.bucket, row.window_start);
    next.set(key, row.hits - (counts.get(key)?.hits ?? 0));
  }
  return keys.map((key) => {
    const hits = (next.get(key) ?? 0) + 1;
    next.set(key, hits);
    return hits;
  });
}

/** Whether `hits` is over `rule`'s limit, and if so the seconds to the end of its window. */
export function retryAfterSeconds(clock: Clock, rule: RateLimitRule, hits: number): number | null {
  return hits > rule.limit ? retryAfter(clock.now().getTime(), rule.windowSeconds) : null;
}

/** The hits of `bucket` in its current window, without counting one (0 when none). */
export async function readRateLimitHits(
  db: DbReader,
  clock: Clock,
  rule: Pick<RateLimitRule, 'bucket' | 'windowSeconds'>,
): Promise<number> {
  const start = windowStartMs(clock.now().getTime(), rule.windowSeconds);
  const row = await db
    .selectFrom('rate_limits')
    .select('hits')
    .where('bucket', '=', rule.bucket)
    .where('window_start', '=', new Date(start).toISOString())
    .executeTakeFirst();
  return row?.hits ?? 0;
}

/**
 * Counts one hit against `rule` and says whether it is over the limit, without throwing: a caller
 * that counts inside its transaction commits the count also when it refuses (returning the refusal
 * and throwing after the commit), so that a refused request still counts. `retryAfterSeconds` is
 * null within the limit, else the seconds to the end of the window (at least 1).
 */
export async function checkRateLimit(
  db: DbWriter,
  clock: Clock,
  rule: RateLimitRule,
): Promise<{ hits: number; retryAfterSeconds: number | null }> {
  const nowMs = clock.now().getTime();
  const hits = await countHit(db, nowMs, rule);
  return { hits, retryAfterSeconds: hits > rule.limit ? retryAfter(nowMs, rule.windowSeconds) : null };
}

function retryAfter(nowMs: number, windowSeconds: number): number {
  const windowEndMs = windowStartMs(nowMs, windowSeconds) + windowSeconds * 1000;
  return Math.max(1, Math.ceil((windowEndMs - nowMs) / 1000));
}

/** Counts a hit against each rule and throws RateLimitedError (429 + Retry-After) when one is exceeded. */
export async function hitRateLimits(db: DbWriter, clock: Clock, rules: RateLimitRule[]): Promise<void> {
  const nowMs = clock.now().getTime();
  for (const rule of rules) {
    const hits = await countHit(db, nowMs, rule);
    if (hits > rule.limit) throw new RateLimitedError(retryAfter(nowMs, rule.windowSeconds));
  }
}

/** Deletes counters of windows that ended before `before`. */
export async function pruneRateLimits(db: DbWriter, before: Date): Promise<void> {
  await db.deleteFrom('rate_limits').where('window_start', '<', before.toISOString()).execute();
}
