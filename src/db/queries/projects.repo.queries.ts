import * as projects from '../../modules/projects/projects.repo.js';
import { declareQueries } from './query-snapshot.js';
import { AT, ID, OTHER_ID } from './samples.js';

export default declareQueries('src/modules/projects/projects.repo.ts', projects, {
  findProjectBySlug: ({ trx }) => projects.findProjectBySlug(trx, 'contour'),
  findProjectById: ({ trx }) => projects.findProjectById(trx, ID),
  listAllProjects: ({ trx }) => projects.listAllProjects(trx),
  listProjectsByIds: ({ trx }) => projects.listProjectsByIds(trx, [ID, OTHER_ID]),
  listProjectsOfUser: ({ trx }) => projects.listProjectsOfUser(trx, ID),
  insertProject: ({ trx }) =>
    projects.insertProject(trx, {
      id: ID,
      slug: 'contour',
      name: 'Contour',
      policy_version: 1,
      created_at: AT,
      updated_at: AT,
    }),
  bumpPolicyVersion: {
    'from the version the editor saw': ({ trx }) => projects.bumpPolicyVersion(trx, ID, 3, AT),
    'from whatever is current': ({ trx }) => projects.bumpPolicyVersion(trx, ID, undefined, AT),
  },
  setRequireTwoFactor: ({ trx }) => projects.setRequireTwoFactor(trx, ID, true),
  insertPolicyVersion: ({ trx }) =>
    projects.insertPolicyVersion(trx, {
      id: ID,
      project_id: ID,
      version: 1,
      source_yaml: 'project: {}',
      created_by: ID,
      created_at: AT,
    }),
  findPolicyVersion: ({ trx }) => projects.findPolicyVersion(trx, ID, 1),
  listPolicyVersions: ({ trx }) => projects.listPolicyVersions(trx, ID),
  listMembers: ({ trx }) => projects.listMembers(trx, ID),
  insertMember: ({ trx }) =>
    projects.insertMember(trx, { project_id: ID, user_id: ID, role: 'security-team', created_at: AT }),
  deleteMember: ({ trx }) => projects.deleteMember(trx, ID, ID, 'security-team'),
  findTeamNotesEnvelope: ({ trx }) => projects.findTeamNotesEnvelope(trx, ID),
  updateTeamNotesEnvelope: ({ trx }) => projects.updateTeamNotesEnvelope(trx, ID, 'v1.k.iv.ct', AT),
});
