import * as releases from '../../modules/fix/releases/releases.repo.js';
import { declareQueries } from './query-snapshot.js';
import { AT, ID, OTHER_ID } from './samples.js';

export default declareQueries('src/modules/fix/releases/releases.repo.ts', releases, {
  listReleases: ({ trx }) => releases.listReleases(trx, ID),
  findRelease: ({ trx }) => releases.findRelease(trx, ID, '1.28'),
  insertRelease: ({ trx }) =>
    releases.insertRelease(trx, {
      id: OTHER_ID,
      case_id: ID,
      line: '1.28',
      version: '1.28.4',
      planned_at: AT,
      state: 'planned',
      url: null,
      override_reason_enc: null,
      override_by: null,
      override_at: null,
      updated_at: AT,
    }),
  updateRelease: ({ trx }) =>
    releases.updateRelease(trx, OTHER_ID, {
      state: 'published',
      url: 'https://example.org/r',
      updated_at: AT,
    }),
});
