import * as passkeys from '../../modules/accounts/passkeys/passkeys.repo.js';
import { declareQueries } from './query-snapshot.js';
import { AT, ID, OTHER_ID } from './samples.js';

export default declareQueries('src/modules/accounts/passkeys/passkeys.repo.ts', passkeys, {
  insertPasskey: ({ trx }) =>
    passkeys.insertPasskey(trx, {
      id: ID,
      user_id: OTHER_ID,
      credential_id: 'Y3JlZGVudGlhbA',
      public_key: 'cHVibGljLWtleQ',
      counter: 0,
      transports_json: '["internal"]',
      device_type: 'singleDevice',
      backed_up: 0,
      name: 'Laptop',
      created_at: AT,
      last_used_at: null,
    }),
  listUserPasskeys: ({ trx }) => passkeys.listUserPasskeys(trx, ID),
  userHasPasskey: ({ trx }) => passkeys.userHasPasskey(trx, ID),
  findPasskeyByCredentialId: ({ trx }) => passkeys.findPasskeyByCredentialId(trx, 'Y3JlZGVudGlhbA'),
  deletePasskey: ({ trx }) => passkeys.deletePasskey(trx, OTHER_ID, ID),
  recordPasskeyUse: ({ trx }) =>
    passkeys.recordPasskeyUse(trx, ID, 1, { counter: 2, backed_up: 0, last_used_at: AT }),
  insertChallenge: ({ trx }) =>
    passkeys.insertChallenge(trx, {
      challenge_hash: 'a'.repeat(64),
      purpose: 'sign-in',
      user_id: null,
      second_factor_hash: null,
      created_at: AT,
      expires_at: AT,
    }),
  deleteExpiredChallenges: ({ trx }) => passkeys.deleteExpiredChallenges(trx, AT),
  takeChallenge: ({ trx }) => passkeys.takeChallenge(trx, 'a'.repeat(64)),
});
