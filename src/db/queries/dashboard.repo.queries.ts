import * as dashboard from '../../modules/dashboard/dashboard.repo.js';
import { declareQueries } from './query-snapshot.js';
import { AT, ID, OTHER_ID } from './samples.js';

const scope = { projectIds: [ID], caseIds: [OTHER_ID] };

export default declareQueries('src/modules/dashboard/dashboard.repo.ts', dashboard, {
  listEmbargoesEnding: ({ trx }) => dashboard.listEmbargoesEnding(trx, scope, AT, AT, 21),
  countEmbargoesEnding: {
    run: ({ trx }) => dashboard.countEmbargoesEnding(trx, scope, AT, AT),
    replies: [{ when: 'count(*)', rows: [{ n: 1 }] }],
  },
  countClocksByProject: ({ trx }) => dashboard.countClocksByProject(trx, [ID, OTHER_ID], AT, AT),
});
