import * as oidc from '../../modules/accounts/oidc/oidc.repo.js';
import { declareQueries } from './query-snapshot.js';
import { AT, HASH, ID, OTHER_ID } from './samples.js';

export default declareQueries('src/modules/accounts/oidc/oidc.repo.ts', oidc, {
  insertState: ({ trx }) =>
    oidc.insertState(trx, {
      state_hash: HASH,
      browser_hash: HASH,
      code_verifier_enc: 'v1.k.iv.ct',
      nonce: 'nonce',
      return_to: '/',
      created_at: AT,
      expires_at: AT,
    }),
  findState: ({ trx }) => oidc.findState(trx, HASH),
  deleteState: ({ trx }) => oidc.deleteState(trx, HASH),
  deleteExpiredStates: ({ trx }) => oidc.deleteExpiredStates(trx, AT),
  findIdentity: ({ trx }) => oidc.findIdentity(trx, 'https://idp.example.org', 'subject'),
  insertIdentity: ({ trx }) =>
    oidc.insertIdentity(trx, {
      id: ID,
      user_id: OTHER_ID,
      issuer: 'https://idp.example.org',
      subject: 'subject',
      email: 'ada@example.org',
      created_at: AT,
      last_used_at: AT,
    }),
  touchIdentity: ({ trx }) => oidc.touchIdentity(trx, ID, AT),
});
