import { fixedClock } from '../../lib/clock.js';
import * as secrets from '../../lib/instance-secrets.js';
import { declareQueries } from './query-snapshot.js';
import { AT } from './samples.js';

const plainCipher = { encryptField: (text: string) => text, decryptField: (text: string) => text };

export default declareQueries('src/lib/instance-secrets.ts', secrets, {
  instanceSecret: {
    run: ({ db }) => secrets.instanceSecret(db, plainCipher, fixedClock(AT), 'mail-reply-key'),
    replies: [{ when: 'select "value_enc"', rows: [{ value_enc: 'c2VjcmV0' }] }],
  },
  instanceSecretIn: {
    run: ({ trx }) => secrets.instanceSecretIn(trx, plainCipher, AT, 'index.cve_id'),
    replies: [{ when: 'select "value_enc"', rows: [{ value_enc: 'c2VjcmV0' }] }],
  },
  instanceSecretOnce: {
    run: ({ db }) =>
      secrets.instanceSecretOnce({ db, cipher: plainCipher, clock: fixedClock(AT) }, 'index.case_search')(),
    replies: [{ when: 'select "value_enc"', rows: [{ value_enc: 'c2VjcmV0' }] }],
  },
});
