import * as accessLog from '../../modules/access/access-log.repo.js';
import { declareQueries } from './query-snapshot.js';
import { AT, ID, OTHER_ID } from './samples.js';

export default declareQueries('src/modules/access/access-log.repo.ts', accessLog, {
  insertCaseRead: ({ trx }) =>
    accessLog.insertCaseRead(trx, {
      id: ID,
      case_id: ID,
      project_id: OTHER_ID,
      principal_kind: 'user',
      user_id: ID,
      operator_name: null,
      what: 'case',
      via: 'security-team',
      reader_is_admin: 0,
      reader_key: `user:${ID}`,
      bucket: 2_980_000,
      read_at: AT,
    }),
  listCaseReads: {
    'the first page': ({ trx }) => accessLog.listCaseReads(trx, ID, undefined, 50),
    'after a cursor': ({ trx }) => accessLog.listCaseReads(trx, ID, OTHER_ID, 50),
  },
});
