import * as mailQueue from '../../modules/mail-queue/mail-queue.repo.js';
import { declareQueries } from './query-snapshot.js';
import { AT, ID, OTHER_ID } from './samples.js';

const KINDS = ['case.mail', 'account.security.mail'];

export default declareQueries('src/modules/mail-queue/mail-queue.repo.ts', mailQueue, {
  listMailJobs: {
    'the first page': ({ trx }) => mailQueue.listMailJobs(trx, KINDS, AT, undefined, 51),
    'after a cursor': ({ trx }) => mailQueue.listMailJobs(trx, KINDS, AT, { createdAt: AT, id: ID }, 51),
  },
  mailQueueCounts: ({ trx }) => mailQueue.mailQueueCounts(trx, KINDS, AT, AT),
  caseHumanIds: ({ trx }) => mailQueue.caseHumanIds(trx, [ID, OTHER_ID]),
});
