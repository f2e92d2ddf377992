import * as distributors from '../../modules/embargo/distributors/distributors.repo.js';
import { declareQueries } from './query-snapshot.js';
import { AT, HASH, ID, OTHER_ID } from './samples.js';

const org = {
  id: ID,
  project_id: OTHER_ID,
  name: 'Example Linux',
  contact_alias: 'security@example.org',
  state: 'active',
  state_note_enc: null,
  vouched_by_org_id: null,
  application_id: null,
  joined_at: AT,
  review_due_at: AT,
  removed_at: null,
  created_at: AT,
  updated_at: AT,
};

const person = {
  id: ID,
  org_id: OTHER_ID,
  project_id: OTHER_ID,
  user_id: OTHER_ID,
  name: 'Ada',
  pgp_public_key: null,
  pgp_fingerprint: null,
  pgp_expires_at: null,
  embargo_hash: null,
  embargo_accepted_at: null,
  state: 'active',
  added_by_user_id: null,
  created_at: AT,
  removed_at: null,
};

const words = { what_enc: 'v1.x', to_whom_enc: 'v1.x', when_enc: 'v1.x' };

export default declareQueries('src/modules/embargo/distributors/distributors.repo.ts', distributors, {
  listRecipients: ({ trx }) => distributors.listRecipients(trx, ID),
  insertOrg: ({ trx }) => distributors.insertOrg(trx, org),
  findOrg: ({ trx }) => distributors.findOrg(trx, OTHER_ID, ID),
  findOrgById: ({ trx }) => distributors.findOrgById(trx, ID),
  orgNameTaken: ({ trx }) => distributors.orgNameTaken(trx, ID, 'Example Linux'),
  listOrgs: ({ trx }) => distributors.listOrgs(trx, ID),
  setOrgState: ({ trx }) =>
    distributors.setOrgState(trx, ID, 'active', {
      state: 'suspended',
      state_note_enc: 'v1.x',
      removed_at: null,
      updated_at: AT,
    }),
  setOrgReviewDue: ({ trx }) => distributors.setOrgReviewDue(trx, ID, AT, AT),
  insertPerson: ({ trx }) => distributors.insertPerson(trx, person),
  findPerson: ({ trx }) => distributors.findPerson(trx, ID),
  findPersonOfOrg: ({ trx }) => distributors.findPersonOfOrg(trx, ID, OTHER_ID),
  reactivatePerson: ({ trx }) =>
    distributors.reactivatePerson(trx, ID, {
      name: 'Ada',
      pgp_public_key: null,
      pgp_fingerprint: null,
      pgp_expires_at: null,
      added_by_user_id: null,
      created_at: AT,
      embargo_hash: null,
      embargo_accepted_at: null,
    }),
  listPeople: ({ trx }) => distributors.listPeople(trx, ID),
  removePerson: ({ trx }) => distributors.removePerson(trx, ID, AT),
  setPersonKey: ({ trx }) =>
    distributors.setPersonKey(trx, ID, { pgp_public_key: 'key', pgp_fingerprint: 'F', pgp_expires_at: null }),
  acceptEmbargo: ({ trx }) => distributors.acceptEmbargo(trx, ID, HASH, AT),
  findActivePersonByEmail: ({ trx }) => distributors.findActivePersonByEmail(trx, ID, 'a@example.org'),
  listActivePeopleOfUserInProject: ({ trx }) =>
    distributors.listActivePeopleOfUserInProject(trx, ID, OTHER_ID),
  listMembershipsOfUser: ({ trx }) => distributors.listMembershipsOfUser(trx, ID),
  countOtherHoldings: {
    run: ({ trx }) => distributors.countOtherHoldings(trx, ID, OTHER_ID),
    replies: [
      { when: '"case_members"', rows: [{ n: 0 }] },
      { when: '"distributor_people"', rows: [{ n: 0 }] },
    ],
  },
  insertApplication: ({ trx }) =>
    distributors.insertApplication(trx, {
      id: ID,
      project_id: OTHER_ID,
      org_name: 'Example Linux',
      contact_alias: 'security@example.org',
      applicant_name: 'Ada',
      applicant_email: 'ada@example.org',
      pgp_public_key: null,
      pgp_fingerprint: null,
      pgp_expires_at: null,
      criteria_json: '[]',
      answers_enc: 'v1.x',
      embargo_hash: HASH,
      embargo_accepted_at: AT,
      vouch_person_id: OTHER_ID,
      vouch_state: 'asked',
      vouch_note_enc: null,
      vouch_answered_at: null,
      state: 'pending',
      decision_reason_enc: null,
      decided_by_user_id: null,
      decided_at: null,
      org_id: null,
      created_at: AT,
      updated_at: AT,
    }),
  findApplication: ({ trx }) => distributors.findApplication(trx, ID),
  listApplications: {
    'the first page': ({ trx }) => distributors.listApplications(trx, ID, undefined, 51),
    'after a cursor': ({ trx }) => distributors.listApplications(trx, ID, [AT, OTHER_ID], 51),
  },
  listVouchRequests: ({ trx }) => distributors.listVouchRequests(trx, ID),
  answerVouch: ({ trx }) =>
    distributors.answerVouch(trx, ID, {
      vouch_state: 'vouched',
      vouch_note_enc: null,
      vouch_answered_at: AT,
    }),
  decideApplication: ({ trx }) =>
    distributors.decideApplication(trx, ID, {
      state: 'approved',
      decision_reason_enc: null,
      decided_by_user_id: OTHER_ID,
      decided_at: AT,
      org_id: OTHER_ID,
    }),
  insertLeakReport: ({ trx }) =>
    distributors.insertLeakReport(trx, {
      id: ID,
      project_id: OTHER_ID,
      reported_by_user_id: OTHER_ID,
      reporter_org_id: null,
      case_id: null,
      case_ref: null,
      ...words,
      state: 'open',
      incident_id: null,
      created_at: AT,
      updated_at: AT,
    }),
  findLeakReport: ({ trx }) => distributors.findLeakReport(trx, OTHER_ID, ID),
  listLeakReports: {
    'the first page': ({ trx }) => distributors.listLeakReports(trx, ID, undefined, 51),
    'after a cursor': ({ trx }) => distributors.listLeakReports(trx, ID, [AT, OTHER_ID], 51),
  },
  closeLeakReport: ({ trx }) =>
    distributors.closeLeakReport(trx, ID, { state: 'confirmed', incident_id: OTHER_ID, updated_at: AT }),
  insertIncident: ({ trx }) =>
    distributors.insertIncident(trx, {
      id: ID,
      project_id: OTHER_ID,
      org_id: OTHER_ID,
      leak_report_id: null,
      case_id: null,
      ...words,
      recorded_by_user_id: null,
      recorded_at: AT,
    }),
  listIncidents: ({ trx }) => distributors.listIncidents(trx, ID),
  countIncidentsByOrg: ({ trx }) => distributors.countIncidentsByOrg(trx, ID),
  countIncidents: {
    run: ({ trx }) => distributors.countIncidents(trx, ID),
    replies: [{ when: 'count(*)', rows: [{ n: 0 }] }],
  },
  insertReview: ({ trx }) =>
    distributors.insertReview(trx, {
      id: ID,
      project_id: OTHER_ID,
      org_id: OTHER_ID,
      reviewed_by_user_id: null,
      reviewed_at: AT,
      note_enc: null,
      next_due_at: AT,
    }),
  listReviews: ({ trx }) => distributors.listReviews(trx, ID),
});
