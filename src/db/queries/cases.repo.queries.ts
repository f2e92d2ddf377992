import * as cases from '../../modules/cases/cases.repo.js';
import { declareQueries } from './query-snapshot.js';
import { AT, HASH, ID, OTHER_ID } from './samples.js';

const caseRow = {
  id: ID,
  project_id: ID,
  human_id: 'VGL-2026-0001',
  state: 'received',
  channel: 'web',
  title_enc: 'v1.k.iv.ct',
  report_enc: 'v1.k.iv.ct',
  reporter_email_enc: null,
  reporter_credit_enc: null,
  reporter_token_hash: HASH,
  reporter_token_enc: 'v1.k.iv.ct',
  publicly_known: 0,
  private_handling: 'standard',
  severity: null,
  duplicate_of: null,
  flags_json: '[]',
  received_at: AT,
  updated_at: AT,
  first_response_due_at: AT,
  first_responded_at: null,
  triaged_at: null,
  clock_paused_at: null,
  paused_ms: 0,
};

const inbox: cases.InboxFilter = { projectIds: [ID], caseIds: [], sort: 'urgency', held: false };

export default declareQueries('src/modules/cases/cases.repo.ts', cases, {
  nextCaseNumber: {
    run: ({ trx }) => cases.nextCaseNumber(trx, 'VGL', 2026),
    replies: [{ when: 'insert into "case_counters"', rows: [{ last_seq: 1 }] }],
  },
  nextCaseNumbers: {
    run: ({ trx }) => cases.nextCaseNumbers(trx, 'VGL', 2026, 3),
    replies: [{ when: 'insert into "case_counters"', rows: [{ last_seq: 3 }] }],
  },
  insertCase: ({ trx }) => cases.insertCase(trx, caseRow),
  insertCases: ({ trx }) =>
    cases.insertCases(trx, [caseRow, { ...caseRow, id: OTHER_ID, human_id: 'VGL-2026-0002' }]),
  findCaseById: ({ trx }) => cases.findCaseById(trx, ID),
  findCaseByHumanId: ({ trx }) => cases.findCaseByHumanId(trx, 'VGL-2026-0001'),
  // A uuid: looked up as a human id first, then as an id.
  findCaseByRef: ({ trx }) => cases.findCaseByRef(trx, ID),
  // A human id and a uuid: one query for both.
  findCasesByRefs: ({ trx }) => cases.findCasesByRefs(trx, ['VGL-2026-0001', ID]),
  findCaseByReporterToken: ({ trx }) => cases.findCaseByReporterToken(trx, HASH),
  listCases: {
    'in some states': ({ trx }) => cases.listCases(trx, [ID, OTHER_ID], ['received', 'triage'], 100),
    'in any state': ({ trx }) => cases.listCases(trx, [ID], undefined, 100),
    'with invited cases, led by one person': ({ trx }) =>
      cases.listCases(trx, [ID], undefined, 100, { caseIds: [OTHER_ID], fixLeadUserId: ID }),
    'invited cases only': ({ trx }) => cases.listCases(trx, [], undefined, 100, { caseIds: [OTHER_ID] }),
    'held only': ({ trx }) => cases.listCases(trx, [ID], undefined, 100, { held: true }),
    'not held': ({ trx }) => cases.listCases(trx, [ID], undefined, 100, { held: false }),
  },
  listInboxPage: {
    'first page by urgency, merged per project': ({ trx }) =>
      cases.listInboxPage(trx, { ...inbox, projectIds: [ID, OTHER_ID] }, undefined, 51),
    'next page newest first, with invited cases and every filter': ({ trx }) =>
      cases.listInboxPage(
        trx,
        {
          ...inbox,
          caseIds: [OTHER_ID],
          sort: 'received',
          states: ['received', 'triage'],
          channels: ['web', 'email'],
          severities: ['high', null],
          flags: ['undecryptable'],
          publiclyKnown: true,
          fixLeadUserId: ID,
          urgencyAfter: '0',
          urgencyUpTo: `0${AT}`,
        },
        ['0' + AT, ID],
        51,
      ),
    'held view': ({ trx }) => cases.listInboxPage(trx, { ...inbox, held: true }, undefined, 51),
    'title search (two words) or human id': ({ trx }) =>
      cases.listInboxPage(
        trx,
        { ...inbox, search: { terms: [HASH, 'term2'], humanId: 'VGL-2026-0001' } },
        undefined,
        51,
      ),
  },
  countInbox: {
    'projects and invited cases': {
      run: ({ trx }) => cases.countInbox(trx, { ...inbox, caseIds: [OTHER_ID] }, 10_000),
      replies: [
        { when: 'count(*)', rows: [{ n: 3 }] },
        { when: 'count(*)', rows: [{ n: 1 }] },
      ],
    },
    'title search': {
      run: ({ trx }) => cases.countInbox(trx, { ...inbox, search: { terms: [HASH] } }, 10_000),
      replies: [{ when: 'count(*)', rows: [{ n: 3 }] }],
    },
  },
  listCasesReceivedSince: ({ trx }) => cases.listCasesReceivedSince(trx, ID, AT),
  countOpenClocks: {
    run: ({ trx }) => cases.countOpenClocks(trx, ID, AT),
    replies: [{ when: 'count(*)', rows: [{ n: 0 }] }],
  },
  updateCase: ({ trx }) => cases.updateCase(trx, ID, { state: 'triage', triaged_at: AT, updated_at: AT }),
  lockCase: ({ trx }) => cases.lockCase(trx, ID),
  lockCases: ({ trx }) => cases.lockCases(trx, [ID, OTHER_ID]),
  findCasesByIds: ({ trx }) => cases.findCasesByIds(trx, [ID, OTHER_ID]),
  markFirstResponse: ({ trx }) => cases.markFirstResponse(trx, ID, AT),
  insertMessage: ({ trx }) =>
    cases.insertMessage(trx, {
      id: ID,
      case_id: ID,
      visibility: 'conversation',
      author_type: 'team',
      author_user_id: ID,
      body_enc: 'v1.k.iv.ct',
      automatic: 0,
      channel: 'web',
      email_message_id: null,
      flags_json: '[]',
      created_at: AT,
    }),
  insertMessages: ({ trx }) =>
    cases.insertMessages(
      trx,
      [ID, OTHER_ID].map((id) => ({
        id,
        case_id: id,
        visibility: 'conversation' as const,
        author_type: 'system' as const,
        author_user_id: null,
        body_enc: 'v1.k.iv.ct',
        automatic: 1,
        channel: 'web',
        email_message_id: null,
        flags_json: '[]',
        created_at: AT,
      })),
    ),
  listMessages: {
    'for the team': ({ trx }) => cases.listMessages(trx, ID, true),
    'for the reporter': ({ trx }) => cases.listMessages(trx, ID, false),
  },
  listMessagesPage: {
    'the first page': ({ trx }) => cases.listMessagesPage(trx, ID, undefined, 51),
    'after a cursor': ({ trx }) => cases.listMessagesPage(trx, ID, [AT, OTHER_ID], 51),
  },
  findCaseIdByEmailMessageId: ({ trx }) =>
    cases.findCaseIdByEmailMessageId(trx, ['<a@vigil.example>', '<b@vigil.example>']),
  insertAttachment: ({ trx }) =>
    cases.insertAttachment(trx, {
      id: ID,
      case_id: ID,
      message_id: ID,
      filename_enc: 'v1.k.iv.ct',
      content_type: 'text/plain',
      size_bytes: 3,
      sha256: HASH,
      flags_json: '[]',
      data_enc: Buffer.from('ct'),
      uploaded_by: 'reporter',
      created_at: AT,
    }),
  listAttachments: ({ trx }) => cases.listAttachments(trx, ID),
  latestCaseEventData: ({ trx }) => cases.latestCaseEventData(trx, ID, OTHER_ID, 'case.rejected'),
  findAttachment: ({ trx }) => cases.findAttachment(trx, ID, ID),
  attachmentBytes: {
    run: ({ trx }) => cases.attachmentBytes(trx, ID),
    replies: [{ when: 'sum(size_bytes)', rows: [{ total: 0 }] }],
  },
  insertInboundMail: ({ trx }) =>
    cases.insertInboundMail(trx, {
      id: ID,
      project_id: ID,
      case_id: null,
      raw_enc: Buffer.from('ct'),
      size_bytes: 2,
      flags_json: '[]',
      received_at: AT,
    }),
  linkInboundMail: ({ trx }) => cases.linkInboundMail(trx, ID, ID, ['reply']),
  listTeamMembers: ({ trx }) => cases.listTeamMembers(trx, ID),
});
