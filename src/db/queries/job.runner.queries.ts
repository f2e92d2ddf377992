import { z } from 'zod';
import * as runner from '../../jobs/job.runner.js';
import { fixedClock } from '../../lib/clock.js';
import type { Db } from '../connection.js';
import { declareQueries, noQueries, type Reply } from './query-snapshot.js';
import { AT, ID } from './samples.js';

function runnerOver(db: Db, outcome: 'succeeds' | 'throws') {
  return runner.createJobRunner({
    db,
    clock: fixedClock(AT),
    workerId: 'host:1:abcdef',
    handlers: {
      'case.mail': runner.defineJobHandler(z.object({}), async () => {
        if (outcome === 'throws') throw new Error('the SMTP server said 451');
      }),
    },
  });
}

// The claim answers one job the first time, none the second; the runner then stops.
const oneJob: Reply[] = [
  {
    when: 'returning "id", "kind", "payload_json"',
    rows: [{ id: ID, kind: 'case.mail', payload_json: '{}', attempts: 1, max_attempts: 5 }],
  },
  { when: 'update "jobs" set "locked_by"', affected: 1 },
];

export default declareQueries('src/jobs/job.runner.ts', runner, {
  defineJobHandler: noQueries('pairs a payload schema with a handler'),
  PermanentJobError: noQueries('an error class'),
  retryDelayMs: noQueries('computes a backoff'),
  listRunnerHeartbeats: ({ db }) => runner.listRunnerHeartbeats(db),
  createJobRunner: {
    'runDueJobsOnce: one job, which succeeds': {
      run: ({ db }) => runnerOver(db, 'succeeds').runDueJobsOnce(),
      replies: oneJob,
    },
    'runDueJobsOnce: one job, which fails and will be retried': {
      run: ({ db }) => runnerOver(db, 'throws').runDueJobsOnce(),
      replies: oneJob,
    },
    'start, one poll with nothing due, stop': async ({ db }) => {
      const r = runnerOver(db, 'succeeds');
      r.start();
      await r.stop();
    },
  },
});
