import * as held from '../../modules/cases/intake/held.repo.js';
import { declareQueries } from './query-snapshot.js';
import { AT, HASH, ID, OTHER_ID } from './samples.js';

export default declareQueries('src/modules/cases/intake/held.repo.ts', held, {
  spendProof: {
    run: ({ trx }) => held.spendProof(trx, HASH, AT),
    replies: [{ when: 'insert into "intake_proofs_spent"', rows: [{ challenge_hash: HASH }] }],
  },
  pruneSpentProofs: ({ trx }) => held.pruneSpentProofs(trx, AT),
  countHeldCases: ({ trx }) => held.countHeldCases(trx, [ID, OTHER_ID]),
});
