import * as ci from '../../modules/fix/ci/ci.repo.js';
import { declareQueries } from './query-snapshot.js';
import { AT, HASH, ID, OTHER_ID } from './samples.js';

const LATER = '2026-01-15T09:31:00.000Z';

export default declareQueries('src/modules/fix/ci/ci.repo.ts', ci, {
  insertQueuedRun: ({ trx }) =>
    ci.insertQueuedRun(trx, {
      id: ID,
      case_id: ID,
      branch: 'release-1.28',
      commit_sha: 'a'.repeat(40),
      created_at: AT,
    }),
  upsertBranchHead: ({ trx }) =>
    ci.upsertBranchHead(trx, {
      case_id: ID,
      branch: 'release-1.28',
      commit_sha: 'a'.repeat(40),
      pushed_at: AT,
    }),
  listBranchHeads: ({ trx }) => ci.listBranchHeads(trx, ID),
  deleteBranchHeads: ({ trx }) => ci.deleteBranchHeads(trx, ID, ['release-1.28', 'release-1.29']),
  insertRunner: ({ trx }) =>
    ci.insertRunner(trx, {
      id: ID,
      name: 'ci-1',
      token_hash: HASH,
      token_prefix: 'vgr_abcdefgh',
      created_at: AT,
      last_seen_at: null,
      revoked_at: null,
      project_id: null,
    }),
  listRunners: ({ trx }) => ci.listRunners(trx),
  findRunner: ({ trx }) => ci.findRunner(trx, ID),
  findRunnerByTokenHash: ({ trx }) => ci.findRunnerByTokenHash(trx, HASH),
  revokeRunner: ({ trx }) => ci.revokeRunner(trx, ID, AT),
  touchRunner: ({ trx }) => ci.touchRunner(trx, ID, AT),
  lockExpiredLeases: ({ trx, db }) => ci.lockExpiredLeases(trx, db.dialect, AT, 20),
  requeueRun: ({ trx }) => ci.requeueRun(trx, ID, 1, AT),
  claimOldestQueuedRun: {
    'any project': ({ trx, db }) =>
      ci.claimOldestQueuedRun(trx, db.dialect, { runnerId: OTHER_ID, now: AT, leaseUntil: LATER }, null),
    "a scoped runner: its project's only": ({ trx, db }) =>
      ci.claimOldestQueuedRun(trx, db.dialect, { runnerId: OTHER_ID, now: AT, leaseUntil: LATER }, ID),
  },
  findCaseOfRun: ({ trx }) => ci.findCaseOfRun(trx, ID),
  findRun: ({ trx }) => ci.findRun(trx, ID),
  extendLease: ({ trx }) =>
    ci.extendLease(trx, { runId: ID, runnerId: OTHER_ID, attempt: 2, leaseUntil: LATER }),
  finishRun: {
    "by the lease's runner": ({ trx }) =>
      ci.finishRun(
        trx,
        { runId: ID, runnerId: OTHER_ID, attempts: 1 },
        { state: 'passed', exit_code: 0, timed_out: 0, log_enc: 'v1.k.iv.ct', finished_at: AT },
      ),
    'an expired lease, without its runner': ({ trx }) =>
      ci.finishRun(
        trx,
        { runId: ID, runnerId: null, attempts: 3 },
        {
          state: 'error',
          exit_code: null,
          timed_out: 0,
          log_enc: 'v1.k.iv.ct',
          finished_at: AT,
          runner_id: null,
        },
      ),
  },
  hasActiveLeaseOnCase: ({ trx }) => ci.hasActiveLeaseOnCase(trx, OTHER_ID, ID, AT),
  listRunsOfCase: ({ trx }) => ci.listRunsOfCase(trx, ID, 500),
  findRunLog: ({ trx }) => ci.findRunLog(trx, ID, OTHER_ID),
  latestRunsByBranch: ({ trx }) => ci.latestRunsByBranch(trx, ID),
});
