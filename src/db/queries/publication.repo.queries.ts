import * as publication from '../../modules/embargo/publication/publication.repo.js';
import { declareQueries } from './query-snapshot.js';
import { AT, ID, OTHER_ID } from './samples.js';

export default declareQueries('src/modules/embargo/publication/publication.repo.ts', publication, {
  findPublication: ({ trx }) => publication.findPublication(trx, ID),
  insertPublication: ({ trx }) =>
    publication.insertPublication(trx, {
      case_id: ID,
      project_id: OTHER_ID,
      state: 'scheduled',
      scheduled_for: AT,
      generation: 1,
      attempt_seq: 1,
      pending_job_key: 'publication.publish:1:1',
      next_attempt_at: AT,
      fix_coming_for: null,
      fix_coming_note: null,
      announcement_note: null,
      published_at: null,
      published_by: null,
      created_at: AT,
      updated_at: AT,
    }),
  updatePublication: {
    anyGeneration: ({ trx }) =>
      publication.updatePublication(
        trx,
        ID,
        { states: ['scheduled', 'held'] },
        { state: 'published', updated_at: AT },
      ),
    ofGeneration: ({ trx }) =>
      publication.updatePublication(
        trx,
        ID,
        { states: ['scheduled', 'held'], generation: 2 },
        { state: 'held', attempt_seq: 3, updated_at: AT },
      ),
  },
  findOpenHold: ({ trx }) => publication.findOpenHold(trx, ID),
  findHold: ({ trx }) => publication.findHold(trx, ID),
  markHoldAlerted: ({ trx }) => publication.markHoldAlerted(trx, ID, AT),
  listHolds: ({ trx }) => publication.listHolds(trx, ID),
  insertHold: ({ trx }) =>
    publication.insertHold(trx, {
      id: OTHER_ID,
      case_id: ID,
      generation: 1,
      started_at: AT,
      ended_at: null,
      ended_by: null,
      reasons_json: '[]',
      attempts: 1,
      last_attempt_at: AT,
      alerted_at: null,
    }),
  recordHoldAttempt: ({ trx }) =>
    publication.recordHoldAttempt(trx, ID, { reasons_json: '[]', last_attempt_at: AT }),
  endOpenHold: ({ trx }) => publication.endOpenHold(trx, ID, { ended_at: AT, ended_by: 'published' }),
  insertDelivery: ({ trx }) =>
    publication.insertDelivery(trx, {
      id: OTHER_ID,
      case_id: ID,
      project_id: ID,
      channel: 'announcement',
      recipient: 'users@example.org',
      ref: '',
      org_id: null,
      state: 'queued',
      attempts: 0,
      last_error: null,
      sent_at: null,
      created_at: AT,
      updated_at: AT,
    }),
  findDelivery: ({ trx }) => publication.findDelivery(trx, ID),
  recordDeliveryAttempt: ({ trx }) =>
    publication.recordDeliveryAttempt(trx, ID, {
      state: 'sent',
      sent_at: AT,
      last_error: null,
      updated_at: AT,
    }),
  listDeliveries: ({ trx }) => publication.listDeliveries(trx, ID),
  listFollowUpRecipients: ({ trx }) => publication.listFollowUpRecipients(trx, ID),
  listOrgNames: ({ trx }) => publication.listOrgNames(trx, [ID, OTHER_ID]),
  markUsersTold: ({ trx }) => publication.markUsersTold(trx, ID, AT),
});
