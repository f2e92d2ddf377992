import * as notifications from '../../modules/notifications/notifications.repo.js';
import { declareQueries } from './query-snapshot.js';
import { AT, ID, OTHER_ID } from './samples.js';

const COUNT = [{ when: '"notifications"', rows: [{ n: 0 }] }];

export default declareQueries('src/modules/notifications/notifications.repo.ts', notifications, {
  insertNotifications: ({ trx }) =>
    notifications.insertNotifications(trx, [
      {
        id: ID,
        user_id: OTHER_ID,
        project_id: OTHER_ID,
        case_id: null,
        event: 'report-received.team',
        label: '[Contour] VGL-2026-0001: new report',
        link: '/cases/VGL-2026-0001',
        dedupe_key: `${ID}:report-received.team`,
        created_at: AT,
        read_at: null,
        digested_at: null,
      },
    ]),
  findModes: ({ trx }) => notifications.findModes(trx, [ID, OTHER_ID], 'report-received.team'),
  listSettings: ({ trx }) => notifications.listSettings(trx, ID),
  upsertSetting: ({ trx }) =>
    notifications.upsertSetting(trx, { user_id: ID, event: 'message.team', mode: 'digest', updated_at: AT }),
  listNotifications: {
    first: ({ trx }) => notifications.listNotifications(trx, ID, false, undefined, 51),
    unreadAfter: ({ trx }) => notifications.listNotifications(trx, ID, true, [AT, OTHER_ID], 51),
  },
  countUnread: { run: ({ trx }) => notifications.countUnread(trx, ID), replies: COUNT },
  ownIds: ({ trx }) => notifications.ownIds(trx, ID, [ID, OTHER_ID]),
  markRead: {
    ids: ({ trx }) => notifications.markRead(trx, ID, [OTHER_ID], AT),
    all: ({ trx }) => notifications.markRead(trx, ID, 'all', AT),
  },
  usersWithDigest: ({ trx }) => notifications.usersWithDigest(trx),
  listForDigest: ({ trx }) => notifications.listForDigest(trx, ID, AT, 100),
  markDigested: ({ trx }) => notifications.markDigested(trx, ID, AT, AT),
  pruneNotifications: ({ trx }) => notifications.pruneNotifications(trx, AT, AT),
  listUnsweptNoticeJobs: ({ trx }) =>
    notifications.listUnsweptNoticeJobs(trx, ['case.mail', 'case.first-response-reminder'], AT, 500),
  markSwept: ({ trx }) => notifications.markSwept(trx, ID, AT),
  forgetSweptJobs: ({ trx }) => notifications.forgetSweptJobs(trx),
  countForDigest: { run: ({ trx }) => notifications.countForDigest(trx, ID, AT), replies: COUNT },
});
