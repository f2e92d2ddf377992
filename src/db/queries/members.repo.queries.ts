import * as members from '../../modules/fix/team/members.repo.js';
import { declareQueries } from './query-snapshot.js';
import { AT, HASH, ID, OTHER_ID } from './samples.js';

export default declareQueries('src/modules/fix/team/members.repo.ts', members, {
  insertMember: ({ trx }) =>
    members.insertMember(trx, {
      id: ID,
      case_id: ID,
      user_id: OTHER_ID,
      role: 'fix-team',
      invited_by: ID,
      invited_at: AT,
      terms_hash: null,
      terms_accepted_at: null,
      ended_at: null,
      ended_reason: null,
    }),
  findMemberById: ({ trx }) => members.findMemberById(trx, ID),
  findMemberOfCase: ({ trx }) => members.findMemberOfCase(trx, ID, OTHER_ID),
  countOtherMemberships: {
    run: ({ trx }) => members.countOtherMemberships(trx, OTHER_ID, ID),
    replies: [
      { when: '"case_members"', rows: [{ n: 0 }] },
      { when: '"distributor_people"', rows: [{ n: 0 }] },
    ],
  },
  reinviteMember: ({ trx }) =>
    members.reinviteMember(trx, ID, { role: 'collaborator', invited_by: ID, invited_at: AT }),
  listMembers: ({ trx }) => members.listMembers(trx, ID),
  listPendingInvitations: ({ trx }) => members.listPendingInvitations(trx, ID),
  acceptTerms: ({ trx }) => members.acceptTerms(trx, ID, HASH, AT),
  endMember: ({ trx }) => members.endMember(trx, ID, 'removed', AT),
  endCaseMembers: ({ trx }) => members.endCaseMembers(trx, ID, 'published', AT),
});
