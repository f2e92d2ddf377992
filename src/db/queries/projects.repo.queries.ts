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
  listPolicyVersions: {
    'the first page': ({ trx }) => projects.listPolicyVersions(trx, ID, undefined, 51),
    'after a cursor': ({ trx }) => projects.listPolicyVersions(trx, ID, 3, 51),
  },
  listMembers: ({ trx }) => projects.listMembers(trx, ID),
  insertMember: ({ trx }) =>
    projects.insertMember(trx, { project_id: ID, user_id: ID, role: 'security-team', created_at: AT }),
  deleteMember: ({ trx }) => projects.deleteMember(trx, ID, ID, 'security-team'),
  findTeamNotesEnvelope: ({ trx }) => projects.findTeamNotesEnvelope(trx, ID),
  updateTeamNotesEnvelope: ({ trx }) => projects.updateTeamNotesEnvelope(trx, ID, 'v1.k.iv.ct', AT),
  lockProject: ({ trx }) => projects.lockProject(trx, ID),
  countMembers: ({ trx }) => projects.countMembers(trx, ID, 'security-team'),
  isMember: ({ trx }) => projects.isMember(trx, ID, OTHER_ID, 'security-team'),
  insertMemberRequest: ({ trx }) =>
    projects.insertMemberRequest(trx, {
      id: ID,
      project_id: ID,
      user_id: OTHER_ID,
      role: 'security-team',
      requested_by_user_id: ID,
      state: 'pending',
      decided_by_user_id: null,
      decided_at: null,
      created_at: AT,
    }),
  findMemberRequest: ({ trx }) => projects.findMemberRequest(trx, ID, OTHER_ID),
  findPendingMemberRequest: ({ trx }) =>
    projects.findPendingMemberRequest(trx, ID, OTHER_ID, 'security-team'),
  listPendingMemberRequests: ({ trx }) => projects.listPendingMemberRequests(trx, ID),
  decideMemberRequest: ({ trx }) =>
    projects.decideMemberRequest(trx, OTHER_ID, {
      state: 'approved',
      decided_by_user_id: ID,
      decided_at: AT,
    }),
});
