import * as render from '../../modules/advisory/render/advisory-render.repo.js';
import { declareQueries } from './query-snapshot.js';
import { AT, ID } from './samples.js';

export default declareQueries('src/modules/advisory/render/advisory-render.repo.ts', render, {
  listCurrentTemplates: ({ trx }) => render.listCurrentTemplates(trx, ID),
  findCurrentTemplate: ({ trx }) => render.findCurrentTemplate(trx, ID, 'announcement'),
  insertTemplateVersion: ({ trx }) =>
    render.insertTemplateVersion(trx, {
      id: ID,
      project_id: ID,
      name: 'announcement',
      version: 2,
      source: '{{title}}',
      author_user_id: ID,
      author_name: 'Alice',
      created_at: AT,
    }),
});
