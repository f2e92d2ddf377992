/**
 * Every change to how a person signs in is mailed to their account's own address (OWASP ASVS 2.2.3,
 * 2.5.x): someone who has the password must not quietly enrol their own second factor or remove
 * the person's. Queued inside the change's transaction, beside its audit event; the handler
 * (`account-mail.job.ts`) mails the account's address as it is when the job runs. Payloads carry
 * ids, the kind of change, the instant and a count: never codes, secrets, device names or addresses.
 */
import type { DbTransaction } from '../../db/connection.js';
import { enqueueJob } from '../../jobs/job.queue.js';
import type { Clock } from '../../lib/clock.js';
import type { AccountSecurityChange } from '../../mail/templates/account-security.template.js';

export const ACCOUNT_MAIL_JOB = 'account.security.mail';

export type AccountSecurityMail = {
  userId: string;
  change: AccountSecurityChange;
  /** What makes it unique besides the instant: the passkey's or the linked identity's id. */
  ref?: string | undefined;
  /** For `recovery-code-used`: how many unused recovery codes are left. */
  recoveryCodesLeft?: number | undefined;
};

/** Queues the mail telling a person a sign-in factor of their account changed; the same one twice is a no-op. */
export async function enqueueAccountSecurityMail(
  trx: DbTransaction,
  clock: Clock,
  m: AccountSecurityMail,
): Promise<void> {
  const changedAt = clock.now().toISOString();
  await enqueueJob(trx, clock, {
    kind: ACCOUNT_MAIL_JOB,
    payload: {
      userId: m.userId,
      change: m.change,
      changedAt,
      ...(m.recoveryCodesLeft !== undefined && { recoveryCodesLeft: m.recoveryCodesLeft }),
    },
    uniqueKey: `${ACCOUNT_MAIL_JOB}:${m.userId}:${m.change}:${m.ref ?? changedAt}`,
  });
}
