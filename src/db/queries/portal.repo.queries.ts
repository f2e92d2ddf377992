import * as portal from '../../modules/embargo/portal/portal.repo.js';
import { declareQueries } from './query-snapshot.js';
import { AT, ID, OTHER_ID } from './samples.js';

export default declareQueries('src/modules/embargo/portal/portal.repo.ts', portal, {
  findCasePeople: ({ trx }) => portal.findCasePeople(trx, ID, OTHER_ID),
  listSharedOrgs: ({ trx }) => portal.listSharedOrgs(trx, ID),
  listSharedPeople: ({ trx }) => portal.listSharedPeople(trx, ID),
  insertAccessLog: ({ trx }) =>
    portal.insertAccessLog(trx, {
      id: OTHER_ID,
      case_id: ID,
      project_id: ID,
      user_id: OTHER_ID,
      org_id: ID,
      what: 'case',
      detail: 'advisory; patches 1.28; release plan',
      at: AT,
    }),
  listAccessLog: {
    'the first page': ({ trx }) => portal.listAccessLog(trx, ID, undefined, 51),
    'after a cursor': ({ trx }) => portal.listAccessLog(trx, ID, [AT, OTHER_ID], 51),
  },
  findAcknowledgement: ({ trx }) => portal.findAcknowledgement(trx, ID, OTHER_ID),
  insertAcknowledgement: ({ trx }) =>
    portal.insertAcknowledgement(trx, { case_id: ID, user_id: OTHER_ID, org_id: ID, acknowledged_at: AT }),
  listAcknowledgements: ({ trx }) => portal.listAcknowledgements(trx, ID),
  insertFeedback: ({ trx }) =>
    portal.insertFeedback(trx, {
      id: OTHER_ID,
      case_id: ID,
      project_id: ID,
      org_id: ID,
      user_id: OTHER_ID,
      body_enc: 'v1.k.iv.ct',
      created_at: AT,
    }),
  listFeedback: {
    all: ({ trx }) => portal.listFeedback(trx, ID),
    organisation: ({ trx }) => portal.listFeedback(trx, ID, OTHER_ID),
  },
});
