import * as queue from '../../jobs/job.queue.js';
import { fixedClock } from '../../lib/clock.js';
import { declareQueries, noQueries } from './query-snapshot.js';
import { AT, ID } from './samples.js';

const job = { kind: 'case.mail', payload: { caseId: ID }, uniqueKey: `case.mail:${ID}` };
const jobRow = { id: ID, kind: 'case.mail', state: 'pending', run_at: AT };

export default declareQueries('src/jobs/job.queue.ts', queue, {
  onJobEnqueued: noQueries('subscribes to in-process notices'),
  enqueueJob: {
    new: {
      run: ({ trx }) => queue.enqueueJob(trx, fixedClock(AT), job),
      replies: [{ when: 'insert into "jobs"', rows: [jobRow] }],
    },
    // The insert does nothing; the job that holds the key is returned instead.
    'unique key taken': {
      run: ({ trx }) => queue.enqueueJob(trx, fixedClock(AT), job),
      replies: [{ when: 'select "id", "kind", "state", "run_at" from "jobs"', rows: [jobRow] }],
    },
  },
  enqueueJobs: {
    run: ({ trx }) =>
      queue.enqueueJobs(trx, fixedClock(AT), [
        job,
        { ...job, uniqueKey: `case.mail:${ID}:2`, runAt: new Date(AT) },
      ]),
    replies: [{ when: 'insert into "jobs"', rows: [jobRow, jobRow] }],
  },
  cancelJob: ({ trx }) => queue.cancelJob(trx, `case.mail:${ID}`),
  countJobsByState: ({ db }) => queue.countJobsByState(db),
  isJobState: noQueries('a type guard'),
});
