import { fixedClock } from '../../lib/clock.js';
import * as rateLimit from '../../lib/rate-limit.js';
import { declareQueries, noQueries } from './query-snapshot.js';
import { AT } from './samples.js';

export default declareQueries('src/lib/rate-limit.ts', rateLimit, {
  hitRateLimits: {
    run: ({ trx }) =>
      rateLimit.hitRateLimits(trx, fixedClock(AT), [
        { bucket: 'report:ip:192.0.2.1', limit: 10, windowSeconds: 3600 },
        { bucket: 'report:project:contour', limit: 200, windowSeconds: 3600 },
      ]),
    replies: [
      { when: 'insert into "rate_limits"', rows: [{ hits: 1 }] },
      { when: 'insert into "rate_limits"', rows: [{ hits: 1 }] },
    ],
  },
  checkRateLimit: {
    run: ({ trx }) =>
      rateLimit.checkRateLimit(trx, fixedClock(AT), {
        bucket: 'report:ip:192.0.2.1',
        limit: 10,
        windowSeconds: 3600,
      }),
    replies: [{ when: 'insert into "rate_limits"', rows: [{ hits: 11 }] }],
  },
  countRateLimitHits: {
    run: ({ trx }) =>
      rateLimit.countRateLimitHits(trx, fixedClock(AT), [
        { bucket: 'report:ip:192.0.2.1', windowSeconds: 3600 },
        { bucket: 'report:ip:192.0.2.1', windowSeconds: 3600 },
        { bucket: 'report:ip:192.0.2.2', windowSeconds: 3600 },
      ]),
    replies: [
      {
        when: 'insert into "rate_limits"',
        rows: [
          { bucket: 'report:ip:192.0.2.1', window_start: '2026-01-01T00:00:00.000Z', hits: 2 },
          { bucket: 'report:ip:192.0.2.2', window_start: '2026-01-01T00:00:00.000Z', hits: 1 },
        ],
      },
    ],
  },
  retryAfterSeconds: noQueries('arithmetic'),
  countRateLimitHit: {
    run: ({ trx }) =>
      rateLimit.countRateLimitHit(trx, fixedClock(AT), {
        bucket: 'report:project:contour',
        windowSeconds: 3600,
      }),
    replies: [{ when: 'insert into "rate_limits"', rows: [{ hits: 1 }] }],
  },
  readRateLimitHits: {
    run: ({ trx }) =>
      rateLimit.readRateLimitHits(trx, fixedClock(AT), {
        bucket: 'report:project:contour',
        windowSeconds: 3600,
      }),
    replies: [{ when: 'select "hits"', rows: [{ hits: 3 }] }],
  },
  pruneRateLimits: ({ trx }) => rateLimit.pruneRateLimits(trx, new Date(AT)),
});
