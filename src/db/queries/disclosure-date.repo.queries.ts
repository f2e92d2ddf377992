import * as dates from '../../modules/embargo/disclosure-date/disclosure-date.repo.js';
import { declareQueries } from './query-snapshot.js';
import { AT, ID, OTHER_ID } from './samples.js';

export default declareQueries('src/modules/embargo/disclosure-date/disclosure-date.repo.ts', dates, {
  insertProposal: ({ trx }) =>
    dates.insertProposal(trx, {
      id: OTHER_ID,
      case_id: ID,
      project_id: ID,
      at: AT,
      time_zone: 'Europe/Berlin',
      note_enc: null,
      proposed_by_user_id: ID,
      created_at: AT,
      closed_at: null,
    }),
  closeOpenProposals: ({ trx }) => dates.closeOpenProposals(trx, ID, AT),
  listProposals: ({ trx }) => dates.listProposals(trx, ID),
  findProposal: ({ trx }) => dates.findProposal(trx, ID, OTHER_ID),
  listResponses: ({ trx }) => dates.listResponses(trx, ID),
  findResponse: ({ trx }) => dates.findResponse(trx, OTHER_ID, 'reporter'),
  insertResponse: ({ trx }) =>
    dates.insertResponse(trx, {
      id: OTHER_ID,
      proposal_id: ID,
      case_id: ID,
      party: 'distributor',
      party_key: `org:${ID}`,
      org_id: ID,
      user_id: ID,
      answer: 'counter',
      reason_enc: null,
      counter_at: AT,
      counter_time_zone: 'UTC',
      created_at: AT,
      updated_at: AT,
    }),
  updateResponse: ({ trx }) =>
    dates.updateResponse(trx, OTHER_ID, {
      user_id: ID,
      answer: 'object',
      reason_enc: 'v1.k.iv.ct',
      counter_at: null,
      counter_time_zone: null,
      updated_at: AT,
    }),
  insertDecision: ({ trx }) =>
    dates.insertDecision(trx, {
      id: OTHER_ID,
      case_id: ID,
      project_id: ID,
      proposal_id: null,
      at: AT,
      time_zone: 'UTC',
      previous_at: null,
      overrides_json: '["friday"]',
      findings_json: '[]',
      note_enc: null,
      decided_by_user_id: ID,
      decided_at: AT,
    }),
  listDecisions: ({ trx }) => dates.listDecisions(trx, ID),
  latestDecision: ({ trx }) => dates.latestDecision(trx, ID),
});
