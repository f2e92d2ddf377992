import * as repository from '../../modules/fix/repository/repository.repo.js';
import { declareQueries } from './query-snapshot.js';
import { AT, ID, OTHER_ID } from './samples.js';

export default declareQueries('src/modules/fix/repository/repository.repo.ts', repository, {
  insertCaseRepository: ({ trx }) =>
    repository.insertCaseRepository(trx, {
      case_id: ID,
      project_id: OTHER_ID,
      upstream: 'https://example.org/project.git',
      created_at: AT,
    }),
  findCaseRepository: ({ trx }) => repository.findCaseRepository(trx, ID),
  updateCaseRepository: ({ trx }) =>
    repository.updateCaseRepository(trx, ID, ['seeding'], { state: 'ready', seeded_at: AT }),
});
