import * as webhooks from '../../modules/webhooks/webhooks.repo.js';
import { declareQueries } from './query-snapshot.js';
import { AT, ID, OTHER_ID } from './samples.js';

export default declareQueries('src/modules/webhooks/webhooks.repo.ts', webhooks, {
  insertWebhook: ({ trx }) =>
    webhooks.insertWebhook(trx, {
      id: ID,
      project_id: OTHER_ID,
      kind: 'json',
      label: 'Announcements',
      url_enc: 'v1.k.iv.ct',
      url_origin: 'https://hooks.example.org',
      secret_enc: 'v1.k.iv.ct',
      events_json: null,
      state: 'active',
      created_by: OTHER_ID,
      created_at: AT,
      removed_at: null,
      updated_at: AT,
    }),
  listActiveWebhooks: ({ trx }) => webhooks.listActiveWebhooks(trx, ID),
  findWebhook: ({ trx }) => webhooks.findWebhook(trx, ID, OTHER_ID),
  removeWebhook: ({ trx }) => webhooks.removeWebhook(trx, ID, AT),
  setWebhookEvents: ({ trx }) => webhooks.setWebhookEvents(trx, ID, '["case.received"]', AT),
  insertDelivery: ({ trx }) =>
    webhooks.insertDelivery(trx, {
      id: ID,
      webhook_id: OTHER_ID,
      project_id: OTHER_ID,
      case_id: OTHER_ID,
      event: 'advisory.published',
      occurrence: '',
      detail: null,
      state: 'queued',
      attempts: 0,
      status_code: null,
      last_error: null,
      delivered_at: null,
      created_at: AT,
      updated_at: AT,
    }),
  findDelivery: ({ trx }) => webhooks.findDelivery(trx, ID),
  recordDeliveryAttempt: ({ trx }) =>
    webhooks.recordDeliveryAttempt(trx, ID, {
      state: 'sent',
      status_code: 204,
      last_error: null,
      delivered_at: AT,
      updated_at: AT,
    }),
  listWebhookDeliveries: {
    'the first page': ({ trx }) => webhooks.listWebhookDeliveries(trx, ID, undefined, 51),
    'after a cursor': ({ trx }) => webhooks.listWebhookDeliveries(trx, ID, [AT, OTHER_ID], 51),
  },
  findCaseEventSubject: ({ trx }) => webhooks.findCaseEventSubject(trx, ID),
  listCaseDeliveries: ({ trx }) => webhooks.listCaseDeliveries(trx, ID),
});
