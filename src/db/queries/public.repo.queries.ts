import * as publicRepo from '../../modules/public/public.repo.js';
import { declareQueries } from './query-snapshot.js';
import { ID } from './samples.js';

export default declareQueries('src/modules/public/public.repo.ts', publicRepo, {
  findProjectBySlug: ({ trx }) => publicRepo.findProjectBySlug(trx, 'contour'),
  findCurrentPolicyYaml: ({ trx }) =>
    publicRepo.findCurrentPolicyYaml(trx, { id: ID, slug: 'contour', name: 'Contour', policy_version: 1 }),
  findFirstAdminEmail: ({ trx }) => publicRepo.findFirstAdminEmail(trx),
});
