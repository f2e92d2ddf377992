import * as twoFactor from '../../modules/accounts/two-factor/two-factor.repo.js';
import { declareQueries } from './query-snapshot.js';
import { AT, HASH, ID } from './samples.js';

export default declareQueries('src/modules/accounts/two-factor/two-factor.repo.ts', twoFactor, {
  findTotp: ({ trx }) => twoFactor.findTotp(trx, ID),
  upsertPendingTotp: ({ trx }) =>
    twoFactor.upsertPendingTotp(trx, { user_id: ID, secret_enc: 'v1.k.iv.ct', created_at: AT }),
  confirmTotp: ({ trx }) => twoFactor.confirmTotp(trx, ID, AT, 59_000_000),
  useTotpStep: ({ trx }) => twoFactor.useTotpStep(trx, ID, 59_000_000),
  deleteTotp: ({ trx }) => twoFactor.deleteTotp(trx, ID),
  replaceRecoveryCodes: {
    'new codes': ({ trx }) =>
      twoFactor.replaceRecoveryCodes(trx, ID, [
        { id: ID, code_hash: HASH, created_at: AT },
        { id: ID, code_hash: HASH, created_at: AT },
      ]),
    'none (turned off)': ({ trx }) => twoFactor.replaceRecoveryCodes(trx, ID, []),
  },
  countUnusedRecoveryCodes: {
    run: ({ trx }) => twoFactor.countUnusedRecoveryCodes(trx, ID),
    replies: [{ when: 'select count(*)', rows: [{ n: 3 }] }],
  },
  useRecoveryCode: ({ trx }) => twoFactor.useRecoveryCode(trx, ID, HASH, AT),
  insertChallenge: ({ trx }) =>
    twoFactor.insertChallenge(trx, {
      id_hash: HASH,
      user_id: ID,
      first_method: 'password',
      attempts: 0,
      created_at: AT,
      expires_at: AT,
    }),
  findChallenge: ({ trx }) => twoFactor.findChallenge(trx, HASH),
  countChallengeAttempt: ({ trx }) => twoFactor.countChallengeAttempt(trx, HASH),
  useChallenge: ({ trx }) => twoFactor.useChallenge(trx, HASH, AT),
  deleteStaleChallenges: ({ trx }) => twoFactor.deleteStaleChallenges(trx, AT),
  isKnownAddress: ({ trx }) => twoFactor.isKnownAddress(trx, ID, HASH),
  rememberAddress: ({ trx }) => twoFactor.rememberAddress(trx, ID, HASH, AT),
  findThrottle: ({ trx }) => twoFactor.findThrottle(trx, HASH),
  recordThrottleFailure: ({ trx }) => twoFactor.recordThrottleFailure(trx, HASH, AT),
  setThrottleSlowUntil: ({ trx }) => twoFactor.setThrottleSlowUntil(trx, HASH, AT, AT),
  clearThrottle: ({ trx }) => twoFactor.clearThrottle(trx, HASH),
  claimThrottleAttempt: {
    'a first attempt': ({ trx }) => twoFactor.claimThrottleAttempt(trx, HASH, null, 1, AT),
    'a later attempt': ({ trx }) => twoFactor.claimThrottleAttempt(trx, HASH, 3, 4, AT),
  },
  uncountInWindow: ({ trx }) => twoFactor.uncountInWindow(trx, `sign-in:fail:address:${HASH}`, AT),
  deleteStaleThrottles: ({ trx }) => twoFactor.deleteStaleThrottles(trx, AT),
  countInWindow: {
    run: ({ trx }) => twoFactor.countInWindow(trx, `sign-in:fail:account:${HASH}`, AT),
    replies: [{ when: 'insert into "rate_limits"', rows: [{ hits: 1 }] }],
  },
  readWindow: ({ trx }) => twoFactor.readWindow(trx, `sign-in:fail:account:${HASH}`, AT),
  listTwoFactorProjectsOfUser: ({ trx }) => twoFactor.listTwoFactorProjectsOfUser(trx, ID),
  raiseSessionFactors: ({ trx }) => twoFactor.raiseSessionFactors(trx, HASH, ID),
});
