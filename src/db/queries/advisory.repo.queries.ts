import * as advisory from '../../modules/advisory/advisory.repo.js';
import { declareQueries } from './query-snapshot.js';
import { AT, ID } from './samples.js';

export default declareQueries('src/modules/advisory/advisory.repo.ts', advisory, {
  nextAdvisoryNumber: {
    run: ({ trx }) => advisory.nextAdvisoryNumber(trx, 'VGL', 2026),
    replies: [{ when: 'insert into "advisory_counters"', rows: [{ last_seq: 1 }] }],
  },
  findAdvisoryByCase: ({ trx }) => advisory.findAdvisoryByCase(trx, ID),
  findLiveAdvisoryByCveIndex: ({ trx }) => advisory.findLiveAdvisoryByCveIndex(trx, 'index'),
  findAdvisoryByAdvisoryId: ({ trx }) => advisory.findAdvisoryByAdvisoryId(trx, 'VGL-ADV-2026-0001'),
  insertAdvisory: ({ trx }) =>
    advisory.insertAdvisory(trx, {
      id: ID,
      case_id: ID,
      project_id: ID,
      advisory_id: 'VGL-ADV-2026-0001',
      state: 'draft',
      state_reason_enc: null,
      cve_id_enc: null,
      cve_id_index: null,
      cve_request_enc: null,
      current_revision: 1,
      created_at: AT,
      updated_at: AT,
    }),
  insertRevision: ({ trx }) =>
    advisory.insertRevision(trx, {
      id: ID,
      advisory_id: ID,
      revision: 1,
      document_enc: 'v1.k.iv.ct',
      author_user_id: ID,
      author_name: 'Alice',
      created_at: AT,
    }),
  bumpRevision: ({ trx }) => advisory.bumpRevision(trx, ID, 1, AT),
  updateAdvisory: ({ trx }) =>
    advisory.updateAdvisory(trx, ID, { cve_id_enc: 'v1.k.iv.ct', cve_id_index: 'index', updated_at: AT }),
  closeAdvisory: ({ trx }) =>
    advisory.closeAdvisory(trx, ID, 'published', {
      state: 'withdrawn',
      state_reason_enc: 'v1.k.iv.ct',
      updated_at: AT,
    }),
  publishAdvisory: ({ trx }) => advisory.publishAdvisory(trx, ID, AT),
  findRevision: ({ trx }) => advisory.findRevision(trx, ID, 1),
  listRevisions: {
    'the first page': ({ trx }) => advisory.listRevisions(trx, ID, undefined, 51),
    'after a cursor': ({ trx }) => advisory.listRevisions(trx, ID, 3, 51),
  },
  findImportedAdvisoryId: ({ trx }) => advisory.findImportedAdvisoryId(trx, ID, 'GHSA-xxxx-xxxx-xxxx'),
});
