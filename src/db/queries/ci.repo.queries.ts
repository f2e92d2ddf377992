import * as ci from '../../modules/fix/ci/ci.repo.js';
import { declareQueries } from './query-snapshot.js';
import { AT, ID } from './samples.js';

export default declareQueries('src/modules/fix/ci/ci.repo.ts', ci, {
  insertQueuedRun: ({ trx }) =>
    ci.insertQueuedRun(trx, {
      id: ID,
      case_id: ID,
      branch: 'release-1.28',
      commit_sha: 'a'.repeat(40),
      created_at: AT,
    }),
});
