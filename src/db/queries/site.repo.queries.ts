import * as siteRepo from '../../modules/public/site/site.repo.js';
import { declareQueries } from './query-snapshot.js';
import { ID, OTHER_ID } from './samples.js';

const DISCLOSED = ['published', 'closed'];

export default declareQueries('src/modules/public/site/site.repo.ts', siteRepo, {
  listPublishedAdvisories: ({ trx }) => siteRepo.listPublishedAdvisories(trx, DISCLOSED, ID),
  findPublishedAdvisory: ({ trx }) => siteRepo.findPublishedAdvisory(trx, DISCLOSED, ID, 'VGL-ADV-2026-0001'),
  listCurrentRevisions: ({ trx }) => siteRepo.listCurrentRevisions(trx, [ID, OTHER_ID]),
  countProjects: {
    run: ({ trx }) => siteRepo.countProjects(trx),
    replies: [{ when: 'count(*)', rows: [{ n: 3 }] }],
  },
  listProjectsPage: ({ trx }) => siteRepo.listProjectsPage(trx, 200, 200),
  listPublishedAdvisoriesOfProjects: ({ trx }) =>
    siteRepo.listPublishedAdvisoriesOfProjects(trx, DISCLOSED, [ID, OTHER_ID]),
  projectSlugExists: ({ trx }) => siteRepo.projectSlugExists(trx, 'contour'),
});
