import * as audit from '../../audit/audit.log.js';
import { fixedClock } from '../../lib/clock.js';
import { declareQueries, noQueries } from './query-snapshot.js';
import { AT, HASH, ID } from './samples.js';

export default declareQueries('src/audit/audit.log.ts', audit, {
  hashAuditEvent: noQueries('computes the hash of an event'),
  appendAuditEvent: {
    run: ({ trx }) =>
      audit.appendAuditEvent(trx, fixedClock(AT), {
        actor: { type: 'user', id: ID },
        action: 'project.member_added',
        subject: { type: 'project', id: ID },
        projectId: ID,
        data: { userId: ID, role: 'security-team' },
      }),
    replies: [{ when: 'returning "seq", "hash"', rows: [{ seq: 1, hash: HASH }] }],
  },
  verifyAuditChain: ({ db }) => audit.verifyAuditChain(db),
});
