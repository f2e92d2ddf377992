import * as search from '../../modules/cases/search/case-search.repo.js';
import { declareQueries } from './query-snapshot.js';
import { HASH, ID } from './samples.js';

export default declareQueries('src/modules/cases/search/case-search.repo.ts', search, {
  insertSearchTerms: ({ trx }) =>
    search.insertSearchTerms(trx, [
      { project_id: ID, term: HASH, case_id: ID },
      { project_id: ID, term: 'term2', case_id: ID },
    ]),
});
