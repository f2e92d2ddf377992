import * as retrospective from '../../modules/fix/retrospective/retrospective.repo.js';
import { declareQueries } from './query-snapshot.js';
import { AT, ID, OTHER_ID } from './samples.js';

export default declareQueries('src/modules/fix/retrospective/retrospective.repo.ts', retrospective, {
  findRetrospective: ({ trx }) => retrospective.findRetrospective(trx, ID),
  insertRetrospectiveDraft: ({ trx }) => retrospective.insertRetrospectiveDraft(trx, ID, AT),
  lockDraftRetrospective: ({ trx }) => retrospective.lockDraftRetrospective(trx, ID),
  updateRetrospectiveSections: ({ trx }) =>
    retrospective.updateRetrospectiveSections(trx, ID, 'v1.key.iv.ciphertext', AT),
  closeRetrospective: ({ trx }) => retrospective.closeRetrospective(trx, ID, OTHER_ID, AT),
  insertFeedback: ({ trx }) =>
    retrospective.insertFeedback(trx, {
      id: ID,
      case_id: OTHER_ID,
      author_user_id: OTHER_ID,
      author_name: 'Ada',
      body_enc: 'v1.key.iv.ciphertext',
      created_at: AT,
    }),
  listFeedback: ({ trx }) => retrospective.listFeedback(trx, ID),
  countFeedback: {
    run: ({ trx }) => retrospective.countFeedback(trx, ID),
    replies: [{ when: 'count(*)', rows: [{ n: 0 }] }],
  },
  listCaseAuditEvents: ({ trx }) =>
    retrospective.listCaseAuditEvents(trx, ID, retrospective.MAX_CASE_EVENTS + 1),
  listCaseMemberRoles: ({ trx }) => retrospective.listCaseMemberRoles(trx, ID),
  listCaseReleases: ({ trx }) => retrospective.listCaseReleases(trx, ID),
  listCaseRuns: ({ trx }) => retrospective.listCaseRuns(trx, ID),
});
