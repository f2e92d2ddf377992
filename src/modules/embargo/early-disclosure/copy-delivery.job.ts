/**
 * The mail of one copy of the distributors' notice: sent through the mailer, and recorded. Once a
 * copy is recorded as accepted by the SMTP server (with the server's answer) it is never sent
 * again; a refusal is recorded and retried with the runner's backoff until the last attempt, then
 * the copy is failed; a copy whose case went public, whose person or organisation left the list,
 * whose person's account was disabled, or whose person's accepted embargo text is no longer the
 * project's, meanwhile, is cancelled with the reason, not sent. Delivery is at least once: a crash between the server's answer
 * and its record sends again, with the same Message-ID (derived from the copy), which receivers
 * deduplicate.
 */
import { z } from 'zod';
import { appendAuditEvent } from '../../../audit/audit.log.js';
import type { Db } from '../../../db/connection.js';
import { PermanentJobError, defineJobHandler, type JobContext } from '../../../jobs/job.runner.js';
import { fieldAad } from '../../../lib/crypto/encrypted-fields.js';
import type { Keyring } from '../../../lib/crypto/keyring.js';
import { MailError, type Mailer } from '../../../mail/outbound/mailer.js';
import { projectContextById } from '../../cases/case-context.js';
import { FIX_OPEN_STATES, type CaseState } from '../../cases/case-transitions.js';
import { distributorEmbargoHash } from '../portal/portal-access.js';
import * as repo from './early-disclosure.repo.js';
import { COPY_DELIVERY_JOB } from './early-disclosure.steps.js';
import type { CopyText } from './notice-copy.js';

export interface CopyDeliveryDeps {
  db: Db;
  cipher: Pick<Keyring, 'decryptField'>;
  mailer: Pick<Mailer, 'send' | 'replyDomain'>;
}

const SYSTEM = { type: 'system', id: 'early-disclosure' } as const;

type CopyRow = NonNullable<Awaited<ReturnType<typeof repo.findCopyForDelivery>>>;

/** The handler of `early-disclosure.copy` jobs (registered where mail is configured). */
export function copyDeliveryHandlers(deps: CopyDeliveryDeps) {
  const k = deps.db.kysely;

  function mailOf(copy: CopyRow): { subject: string; text: string } {
    const open = (column: 'text_enc' | 'armored_enc', value: string) =>
      deps.cipher.decryptField(value, fieldAad('early_disclosure_copies', column, copy.id));
    if (copy.armored_enc)
      return JSON.parse(open('armored_enc', copy.armored_enc)) as { subject: string; text: string };
    const text = JSON.parse(open('text_enc', copy.text_enc)) as CopyText;
    return { subject: text.subject, text: text.body };
  }

  async function cancel(copy: CopyRow, reason: string, ctx: JobContext): Promise<void> {
    await k.transaction().execute(async (trx) => {
      if (!(await repo.cancelCopy(trx, copy.id, reason, ctx.clock.now().toISOString()))) return;
      await appendAuditEvent(trx, ctx.clock, {
        actor: SYSTEM,
        action: 'early_disclosure.copy_cancelled',
        subject: { type: 'case', id: copy.case_id },
        projectId: copy.project_id,
        data: { copyId: copy.id, sendId: copy.send_id, reason },
      });
    });
  }

  async function recordFailure(copy: CopyRow, err: unknown, ctx: JobContext): Promise<void> {
    const permanent = err instanceof MailError ? err.permanent : err instanceof PermanentJobError;
    const last_error = (err instanceof Error ? err.message : String(err)).slice(0, 500);
    const final = permanent || ctx.attempt >= ctx.maxAttempts;
    await k.transaction().execute(async (trx) => {
      if (!final) {
        await repo.recordCopyAttempt(trx, copy.id, { attempts: ctx.attempt, last_error });
        return;
      }
      const failed = await repo.markCopyFailed(trx, copy.id, {
        attempts: ctx.attempt,
        last_error,
        failed_at: ctx.clock.now().toISOString(),
      });
      if (!failed) return;
      await appendAuditEvent(trx, ctx.clock, {
        actor: SYSTEM,
        action: 'early_disclosure.copy_failed',
        subject: { type: 'case', id: copy.case_id },
        projectId: copy.project_id,
        data: { copyId: copy.id, sendId: copy.send_id, attempts: ctx.attempt, permanent },
      });
    });
    if (permanent) throw new PermanentJobError(last_error);
  }

  return {
    [COPY_DELIVERY_JOB]: defineJobHandler(z.object({ copyId: z.string() }), async ({ copyId }, ctx) => {
      const copy = await repo.findCopyForDelivery(k, copyId);
      // Accepted, failed or cancelled: recorded once, never sent again.
      if (!copy || copy.state !== 'queued') return;
      if (!FIX_OPEN_STATES.includes(copy.case_state as CaseState)) return cancel(copy, 'case-disclosed', ctx);
      const recipient = await repo.findRecipientStanding(k, copy.person_id);
      if (recipient?.person_state !== 'active' || recipient.org_state !== 'active')
        return cancel(copy, 'recipient-left', ctx);
      if (recipient.disabled_at) return cancel(copy, 'account-disabled', ctx);
      // The embargo text they accepted must still be the project's (the sender's rule, preflight.ts).
      const { policy } = await projectContextById(k, copy.project_id);
      const current = distributorEmbargoHash(policy);
      if (!recipient.embargo_accepted_at || current === null || recipient.embargo_hash !== current)
        return cancel(copy, 'embargo-not-current', ctx);
      let mail: { subject: string; text: string };
      try {
        mail = mailOf(copy);
      } catch {
        return recordFailure(
          copy,
          new PermanentJobError('The copy cannot be decrypted: send the notice again.'),
          ctx,
        );
      }
      let sent: Awaited<ReturnType<Mailer['send']>>;
      try {
        sent = await deps.mailer.send({
          to: [copy.recipient_email],
          subject: mail.subject,
          text: mail.text,
          messageId: `<early-disclosure.${copy.id}@${deps.mailer.replyDomain}>`,
          headers: { 'X-Vigil-Reference': copy.reference_code },
        });
      } catch (err) {
        await recordFailure(copy, err, ctx);
        throw err;
      }
      await k.transaction().execute(async (trx) => {
        const recorded = await repo.markCopyAccepted(trx, copy.id, {
          accepted_at: ctx.clock.now().toISOString(),
          smtp_response: sent.response.slice(0, 500),
          message_id: sent.messageId,
          attempts: ctx.attempt,
        });
        if (!recorded) return;
        await appendAuditEvent(trx, ctx.clock, {
          actor: SYSTEM,
          action: 'early_disclosure.copy_accepted',
          subject: { type: 'case', id: copy.case_id },
          projectId: copy.project_id,
          data: { copyId: copy.id, sendId: copy.send_id, attempt: ctx.attempt },
        });
      });
    }),
  };
}
