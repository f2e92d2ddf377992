/**
 * The handler of `account.security.mail`: tells the holder of an account, at the account's own
 * address and nobody else's, that a sign-in factor of it changed. Link-only: the kind of change, its
 * instant in UTC and the Account page. A disabled or deleted account is not mailed.
 */
import { z } from 'zod';
import type { Db } from '../../db/connection.js';
import { PermanentJobError, defineJobHandler } from '../../jobs/job.runner.js';
import { MailError, type Mailer } from '../../mail/outbound/mailer.js';
import { ACCOUNT_SECURITY_CHANGES } from '../../mail/templates/account-security.template.js';
import { renderMail } from '../../mail/templates/mail-templates.js';
import { ACCOUNT_MAIL_JOB } from './account-notify.js';
import { findUserById } from './accounts.repo.js';

export interface AccountMailDeps {
  db: Db;
  mailer: Mailer;
}

const payloadSchema = z.object({
  userId: z.string(),
  change: z.enum(ACCOUNT_SECURITY_CHANGES),
  changedAt: z.iso.datetime({ offset: true }),
  recoveryCodesLeft: z.number().int().min(0).optional(),
});

/** The handler of the account-security notices (registered where mail is configured). */
export function accountMailHandlers(deps: AccountMailDeps) {
  const k = deps.db.kysely;
  return {
    [ACCOUNT_MAIL_JOB]: defineJobHandler(payloadSchema, async (m) => {
      const user = await findUserById(k, m.userId);
      if (!user || user.disabled_at) return;
      const mail = renderMail('account.security', {
        link: `${deps.mailer.publicUrl}/account`,
        change: m.change,
        changedAt: m.changedAt,
        ...(m.recoveryCodesLeft !== undefined && { recoveryCodesLeft: m.recoveryCodesLeft }),
      });
      try {
        await deps.mailer.send({ to: [user.email], subject: mail.subject, text: mail.text });
      } catch (err) {
        if (err instanceof MailError && err.permanent) throw new PermanentJobError(err.message);
        throw err;
      }
    }),
  };
}
