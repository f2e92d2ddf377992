/**
 * Who is told when the disclosure date moves (PROCESS.md §7), handed to the job runner inside the
 * change's transaction: the team (a proposal, an answer, a decision, a distributor's feedback), the
 * reporter by their private link, and each distributor person, one message each (a proposal and a
 * decision). Payloads carry ids only; the handler (disclosure-date-mail.job.ts) decides at send time.
 */
import type { DbTransaction } from '../../../db/connection.js';
import { enqueueJob } from '../../../jobs/job.queue.js';
import type { Clock } from '../../../lib/clock.js';
import { listSharedPeople } from '../portal/portal.repo.js';

export const DISCLOSURE_DATE_MAIL_JOB = 'disclosure-date.mail';
export const DATE_MAIL_EVENTS = ['proposed', 'responded', 'decided', 'feedback'] as const;
export type DateMailEvent = (typeof DATE_MAIL_EVENTS)[number];
export const DATE_MAIL_AUDIENCES = ['team', 'reporter', 'distributor'] as const;
export type DateMailAudience = (typeof DATE_MAIL_AUDIENCES)[number];

/** Queues one mail; `ref` (the proposal, answer, decision or feedback id) makes it idempotent. */
async function enqueueDateMail(
  trx: DbTransaction,
  clock: Clock,
  payload: { caseId: string; audience: DateMailAudience; event: DateMailEvent; ref: string; userId?: string },
): Promise<void> {
  await enqueueJob(trx, clock, {
    kind: DISCLOSURE_DATE_MAIL_JOB,
    payload,
    uniqueKey: `${DISCLOSURE_DATE_MAIL_JOB}:${payload.caseId}:${payload.audience}:${payload.userId ?? ''}:${payload.event}:${payload.ref}`,
  });
}

/** Tells the security team. */
export function tellTeam(
  trx: DbTransaction,
  clock: Clock,
  caseId: string,
  event: DateMailEvent,
  ref: string,
) {
  return enqueueDateMail(trx, clock, { caseId, audience: 'team', event, ref });
}

/**
 * Tells the parties of a proposal or a decision: the reporter (when `reporter`), and each person of
 * the organisations the case is shared with (when `distributors`).
 */
export async function tellParties(
  trx: DbTransaction,
  clock: Clock,
  caseId: string,
  event: 'proposed' | 'decided',
  ref: string,
  parties: { reporter: boolean; distributors: boolean },
): Promise<void> {
  if (parties.reporter) await enqueueDateMail(trx, clock, { caseId, audience: 'reporter', event, ref });
  if (!parties.distributors) return;
  for (const person of await listSharedPeople(trx, caseId)) {
    await enqueueDateMail(trx, clock, { caseId, audience: 'distributor', event, ref, userId: person.userId });
  }
}
