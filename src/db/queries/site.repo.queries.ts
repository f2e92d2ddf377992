import * as siteRepo from '../../modules/public/site/site.repo.js';
import { declareQueries } from './query-snapshot.js';
import { ID, OTHER_ID } from './samples.js';

const DISCLOSED = ['published', 'closed'];

export default declareQueries('src/modules/public/site/site.repo.ts', siteRepo, {
  listPublishedAdvisories: ({ trx }) => siteRepo.listPublishedAdvisories(trx, DISCLOSED, ID),
  findPublishedAdvisory: ({ trx }) => siteRepo.findPublishedAdvisory(trx, DISCLOSED, ID, 'VGL-ADV-2026-0001'),
  listCurrentRevisions: ({ trx }) => siteRepo.listCurrentRevisions(trx, [ID, OTHER_ID]),
});
