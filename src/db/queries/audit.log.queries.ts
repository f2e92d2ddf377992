import * as audit from '../../audit/audit.log.js';
import { fixedClock } from '../../lib/clock.js';
import { declareQueries, noQueries } from './query-snapshot.js';
import { AT, AUDIT_KEYS, HASH, ID } from './samples.js';

export default declareQueries('src/audit/audit.log.ts', audit, {
  hashAuditEvent: noQueries('computes the keyed hash of an event'),
  legacyHashAuditEvent: noQueries('computes the legacy hash of an event'),
  AuditSealError: noQueries('an error class'),
  AuditKeyMismatchError: noQueries('an error class'),
  appendAuditEvent: {
    run: ({ trx }) =>
      audit.appendAuditEvent(trx, fixedClock(AT), {
        actor: { type: 'user', id: ID },
        action: 'project.member_added',
        subject: { type: 'project', id: ID },
        projectId: ID,
        data: { userId: ID, role: 'security-team' },
      }),
    replies: [{ when: 'returning "seq", "hash"', rows: [{ seq: 1, hash: HASH, key_id: AUDIT_KEYS.keyId }] }],
  },
  appendAuditEvents: {
    run: ({ trx }) =>
      audit.appendAuditEvents(
        trx,
        fixedClock(AT),
        [ID, ID].map((userId) => ({
          actor: { type: 'user' as const, id: ID },
          action: 'project.member_added' as const,
          subject: { type: 'project', id: ID },
          projectId: ID,
          data: { userId, role: 'security-team' },
        })),
      ),
    replies: [{ when: 'returning "seq", "hash"', rows: [{ seq: 2, hash: HASH, key_id: AUDIT_KEYS.keyId }] }],
  },
  verifyAuditChain: ({ db }) => audit.verifyAuditChain(db),
  verifyLegacyAuditChain: ({ db }) => audit.verifyLegacyAuditChain(db.kysely),
  readAuditHead: ({ db }) => audit.readAuditHead(db.kysely),
  readAuditLogEnd: ({ db }) => audit.readAuditLogEnd(db),
  readAuditEventHash: ({ db }) => audit.readAuditEventHash(db, 1),
  countAuditEventsByVersion: ({ db }) => audit.countAuditEventsByVersion(db.kysely),
  sealLegacyAuditChain: {
    run: ({ db }) => audit.sealLegacyAuditChain(db, fixedClock(AT)),
    replies: [
      { when: 'group by "chain_version"', rows: [{ chain_version: 1, n: 1 }] },
      { when: 'returning "key_id"', rows: [{ key_id: AUDIT_KEYS.keyId }] },
      { when: 'group by "chain_version"', rows: [{ chain_version: 1, n: 1 }] },
      { when: 'from "audit_head"', rows: [{ seq: 0, hash: audit.GENESIS_HASH }] },
      { when: 'returning "seq", "hash"', rows: [{ seq: 1, hash: HASH, key_id: AUDIT_KEYS.keyId }] },
    ],
  },
});
