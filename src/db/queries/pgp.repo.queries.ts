import * as pgp from '../../modules/pgp/pgp.repo.js';
import { declareQueries, noQueries } from './query-snapshot.js';
import { AT, ID } from './samples.js';

export default declareQueries('src/modules/pgp/pgp.repo.ts', pgp, {
  findPolicyYaml: ({ trx }) => pgp.findPolicyYaml(trx, ID, 1),
  findActiveKey: ({ trx }) => pgp.findActiveKey(trx, ID),
  listKeys: ({ trx }) => pgp.listKeys(trx, ID),
  listPrivateKeyEnvelopes: ({ trx }) => pgp.listPrivateKeyEnvelopes(trx, ID),
  lockProject: ({ trx }) => pgp.lockProject(trx, ID),
  retireActiveKey: ({ trx }) => pgp.retireActiveKey(trx, ID, AT),
  insertKey: ({ trx }) =>
    pgp.insertKey(trx, {
      id: ID,
      project_id: ID,
      fingerprint: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01',
      user_id_text: 'Contour security team <security@contour.example>',
      algorithm: 'ed25519',
      public_key_armored: '-----BEGIN PGP PUBLIC KEY BLOCK-----',
      private_key_enc: 'v1.k.iv.ct',
      created_at: AT,
      expires_at: null,
      retired_at: null,
    }),
  isUniqueViolation: noQueries('a predicate on a driver error'),
});
