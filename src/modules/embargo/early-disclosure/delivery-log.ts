/** The early-disclosure view of a case: the preflight as the API shows it, and every send's delivery log. */
import type { DbReader } from '../../../db/connection.js';
import type { CaseRow } from '../../cases/cases.repo.js';
import * as repo from './early-disclosure.repo.js';
import type { Preflight } from './preflight.js';

/** A copy in the delivery log. */
function copyView(r: repo.CopyLogRow) {
  return {
    copyId: r.id,
    personId: r.person_id,
    orgId: r.org_id,
    name: r.recipient_name,
    email: r.recipient_email,
    orgName: r.org_name,
    referenceCode: r.reference_code,
    encrypted: r.encrypted === 1,
    keyFingerprint: r.key_fingerprint,
    state: r.state as 'queued' | 'accepted' | 'failed' | 'cancelled',
    queuedAt: r.queued_at,
    acceptedAt: r.accepted_at,
    smtpResponse: r.smtp_response,
    messageId: r.message_id,
    attempts: r.attempts,
    lastError: r.last_error,
    failedAt: r.failed_at,
    cancelledReason: r.cancelled_reason,
    openedAt: r.opened_at,
    acknowledgedAt: r.acknowledged_at,
  };
}

/** The case's preflight and its sends, newest first, each with its copies. */
export async function earlyDisclosureView(db: DbReader, c: CaseRow, pre: Preflight) {
  const list = pre.project.policy.disclosure.distributorsList;
  const copies = await repo.listCopies(db, c.id);
  const sends = (await repo.listSends(db, c.id)).map((s) => ({
    sendId: s.id,
    advisoryRevision: s.advisory_revision,
    releaseAt: s.release_at,
    sentAt: s.created_at,
    sentBy: s.sent_by_name,
    copies: copies.filter((x) => x.send_id === s.id).map(copyView),
    leftOut: JSON.parse(s.excluded_json) as { personId: string; reason: string }[],
  }));
  return {
    caseId: c.id,
    caseHumanId: c.human_id,
    caseState: c.state,
    list: { enabled: list.enabled, name: list.name },
    advisory: pre.advisory
      ? {
          advisoryId: pre.advisory.advisory_id,
          revision: pre.advisory.current_revision,
          state: pre.advisory.state,
        }
      : null,
    releaseAt: c.disclosure_at,
    canSend: pre.blockers.length === 0,
    blockers: pre.blockers,
    recipients: pre.people.map((p) => ({
      personId: p.person.personId,
      orgId: p.person.orgId,
      orgName: p.person.orgName,
      userId: p.person.userId,
      name: p.person.name,
      email: p.person.email,
      embargoAccepted: p.embargoAccepted,
      embargoAcceptedAt: p.person.embargoAcceptedAt,
      key: {
        state: p.key.state,
        fingerprint: p.key.fingerprint,
        expiresAt: p.key.expiresAt,
        problem: p.key.problem,
      },
      delivery: p.delivery,
      reason: p.reason,
      hasCurrentRevision: p.hasCurrentRevision,
    })),
    sends,
  };
}
