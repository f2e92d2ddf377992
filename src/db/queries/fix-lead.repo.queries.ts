import * as fixLead from '../../modules/fix/team/fix-lead.repo.js';
import { declareQueries } from './query-snapshot.js';
import { AT, ID, OTHER_ID } from './samples.js';

export default declareQueries('src/modules/fix/team/fix-lead.repo.ts', fixLead, {
  listTeamCandidates: ({ trx }) => fixLead.listTeamCandidates(trx, ID),
  findLastFixLead: ({ trx }) => fixLead.findLastFixLead(trx, ID),
  setLastFixLead: ({ trx }) => fixLead.setLastFixLead(trx, ID, OTHER_ID),
  setCaseFixLead: ({ trx }) => fixLead.setCaseFixLead(trx, ID, OTHER_ID, AT),
  listFixLeads: ({ trx }) => fixLead.listFixLeads(trx, [ID, OTHER_ID]),
});
