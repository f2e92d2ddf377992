import * as auditEvents from '../../modules/audit-events/audit-events.repo.js';
import { declareQueries } from './query-snapshot.js';
import { ID } from './samples.js';

export default declareQueries('src/modules/audit-events/audit-events.repo.ts', auditEvents, {
  listProjectAuditEvents: {
    'the first page': ({ trx }) => auditEvents.listProjectAuditEvents(trx, ID, undefined, 51),
    'after a cursor': ({ trx }) => auditEvents.listProjectAuditEvents(trx, ID, 1234, 51),
  },
});
