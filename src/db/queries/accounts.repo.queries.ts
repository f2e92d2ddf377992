import * as accounts from '../../modules/accounts/accounts.repo.js';
import { declareQueries } from './query-snapshot.js';
import { AT, HASH, ID, OTHER_ID } from './samples.js';

export default declareQueries('src/modules/accounts/accounts.repo.ts', accounts, {
  findUserById: ({ trx }) => accounts.findUserById(trx, ID),
  findUserByEmail: ({ trx }) => accounts.findUserByEmail(trx, 'alice@example.org'),
  findPasswordHash: ({ trx }) => accounts.findPasswordHash(trx, ID),
  listUsers: {
    'the first page': ({ trx }) => accounts.listUsers(trx, undefined, 51),
    'after a cursor': ({ trx }) => accounts.listUsers(trx, ID, 51),
  },
  countUsers: {
    run: ({ trx }) => accounts.countUsers(trx),
    replies: [{ when: 'count(*)', rows: [{ n: 1 }] }],
  },
  insertUser: ({ trx }) =>
    accounts.insertUser(trx, {
      id: ID,
      email: 'alice@example.org',
      name: 'Alice',
      is_admin: 0,
      created_at: AT,
    }),
  updateUser: ({ trx }) => accounts.updateUser(trx, ID, { name: 'Alice', updated_at: AT }),
  findUserWithAvailability: ({ trx }) => accounts.findUserWithAvailability(trx, ID),
  setAvailability: ({ trx }) =>
    accounts.setAvailability(trx, ID, { unavailable_from: AT, unavailable_until: null, updated_at: AT }),
  listMemberships: ({ trx }) => accounts.listMemberships(trx, ID),
  listUsersByIds: ({ trx }) => accounts.listUsersByIds(trx, [ID, OTHER_ID]),
  listCaseMemberships: ({ trx }) => accounts.listCaseMemberships(trx, ID),
  insertSession: ({ trx }) =>
    accounts.insertSession(trx, {
      id_hash: HASH,
      user_id: ID,
      csrf_token: 'csrf',
      created_at: AT,
      expires_at: AT,
      user_agent: null,
      factors: 2,
    }),
  findSession: ({ trx }) => accounts.findSession(trx, HASH),
  touchSession: ({ trx }) => accounts.touchSession(trx, HASH, AT),
  deleteSession: ({ trx }) => accounts.deleteSession(trx, HASH),
  deleteUserSessions: ({ trx }) => accounts.deleteUserSessions(trx, ID),
  deleteExpiredSessions: ({ trx }) => accounts.deleteExpiredSessions(trx, AT),
  insertApiToken: ({ trx }) =>
    accounts.insertApiToken(trx, {
      id: ID,
      user_id: ID,
      name: 'ci',
      token_hash: HASH,
      token_prefix: 'vgt_abcd',
      created_at: AT,
      factors: 1,
      expires_at: AT,
    }),
  findApiTokenByHash: ({ trx }) => accounts.findApiTokenByHash(trx, HASH),
  listApiTokens: ({ trx }) => accounts.listApiTokens(trx, ID),
  findApiToken: ({ trx }) => accounts.findApiToken(trx, ID, ID),
  updateApiToken: ({ trx }) => accounts.updateApiToken(trx, ID, { last_used_at: AT }),
  insertSignInLink: ({ trx }) =>
    accounts.insertSignInLink(trx, { id: ID, user_id: ID, token_hash: HASH, created_at: AT, expires_at: AT }),
  findSignInLink: ({ trx }) => accounts.findSignInLink(trx, HASH),
  markSignInLinkUsed: ({ trx }) => accounts.markSignInLinkUsed(trx, ID, AT),
  endUnusedSignInLinks: ({ trx }) => accounts.endUnusedSignInLinks(trx, ID, AT),
});
