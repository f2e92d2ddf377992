/**
 * The job handlers that turn case events into mail: notifications (`case.mail`) and the
 * first-response reminders and escalation. They load and decrypt what they need at send time, render
 * a template that cannot carry report content, and send through the mailer. A handler that finds
 * nothing left to say (answered, paused, rescheduled, no address) finishes without sending.
 */
import { z } from 'zod';
import type { Db } from '../../db/connection.js';
import { PermanentJobError, defineJobHandler, type JobContext } from '../../jobs/job.runner.js';
import type { Keyring } from '../../lib/crypto/keyring.js';
import { caseHeaders, caseReplyAddress, vigilMessageId } from '../../mail/outbound/addressing.js';
import { MailError, type Mailer } from '../../mail/outbound/mailer.js';
import {
  REPORTER_VISIBLE_STATES,
  type ReporterVisibleState,
} from '../../mail/templates/transition-reporter.template.js';
import { MAIL_TEMPLATES, renderMail, type MailKind } from '../../mail/templates/mail-templates.js';
import { instanceSecret } from '../../lib/instance-secrets.js';
import { confirmationToken, HELD_SECRET } from './intake/held.js';
import { projectContextById, type ProjectContext } from './case-context.js';
import { CASE_MAIL_JOB, CASE_MAILS, REMINDER_JOB } from './case-notify.js';
import { caseCrypto, type CaseCipher } from './case-view.js';
import * as repo from './cases.repo.js';
import { enqueueCaseWebhooks } from '../webhooks/webhooks.steps.js';
import { notifyTeam, type TeamRecipient } from '../notifications/notify-team.js';
import type { TeamEvent } from '../notifications/notification-events.js';

export interface CaseMailDeps {
  db: Db;
  cipher: CaseCipher & Pick<Keyring, 'encryptField' | 'decryptField'>;
  mailer: Mailer;
  /** Tags per-case reply addresses (instance secret `mail.reply`). */
  replySecret: () => Promise<Buffer>;
  /** Whether replies by mail reach Vigil (an MTA pipes them to `vigil mail ingest`, or the SMTP listener runs). */
  repliesByMail: boolean;
}

type Recipient = { to: string[]; audience: 'team' | 'reporter'; users?: TeamRecipient[] };

/**
 * Renders a mail of `kind` about case `c` and sends it to `to` (nothing when nobody): the case's
 * thread headers, a Message-ID seeded by the job (a retried send is the same message), a permanent
 * refusal ends the job. Every case mail handler sends through here.
 */
export async function deliverCaseMail(
  mailer: Mailer,
  c: { id: string; human_id: string },
  kind: MailKind,
  to: string[],
  ctx: JobContext,
  params: Parameters<typeof renderMail>[1],
  replyTo?: string,
): Promise<void> {
  if (to.length === 0) return;
  const mail = renderMail(kind, params as never);
  try {
    await mailer.send({
      to,
      subject: mail.subject,
      text: mail.text,
      headers: caseHeaders(c.human_id),
      messageId: vigilMessageId(c.id, kind, mailer.replyDomain, ctx.jobId),
      ...(replyTo !== undefined && { replyTo }),
    });
  } catch (err) {
    if (err instanceof MailError && err.permanent) throw new PermanentJobError(err.message);
    throw err;
  }
}

export function caseMailHandlers(deps: CaseMailDeps) {
  const k = deps.db.kysely;
  const crypto = caseCrypto(deps.cipher);
  const publicUrl = deps.mailer.publicUrl;

  async function recipients(c: repo.CaseRow, audience: 'team' | 'reporter'): Promise<Recipient> {
    if (audience === 'reporter') {
      return {
        audience,
        to: c.reporter_email_enc ? [crypto.reporterEmail.open(c.id, c.reporter_email_enc)] : [],
      };
    }
    const users = await repo.listTeamMembers(k, c.project_id);
    return { audience, to: users.map((m) => m.email), users };
  }

  function links(c: repo.CaseRow) {
    return {
      team: `${publicUrl}/cases/${encodeURIComponent(c.human_id)}`,
      reporter: `${publicUrl}/r/${crypto.reporterToken.open(c.id, c.reporter_token_enc)}`,
    };
  }

  async function send(
    c: repo.CaseRow,
    kind: MailKind,
    rcpt: Recipient,
    ctx: JobContext,
    params: Parameters<typeof renderMail>[1],
  ) {
    // Team mail: each member's in-app notification, and the mail to those who want one.
    if (rcpt.audience === 'team') {
      return notifyTeam(deps, ctx, {
        kind: kind as TeamEvent,
        to: rcpt.users ?? [],
        projectId: c.project_id,
        case: c,
        params: params as never,
      });
    }
    const replyTo =
      rcpt.audience === 'reporter' && deps.repliesByMail && rcpt.to.length > 0
        ? caseReplyAddress(c.id, await deps.replySecret(), deps.mailer.replyDomain)
        : undefined;
    await deliverCaseMail(deps.mailer, c, kind, rcpt.to, ctx, params, replyTo);
  }

  async function load(caseId: string): Promise<{ c: repo.CaseRow; project: ProjectContext } | undefined> {
    const c = await repo.findCaseById(k, caseId);
    if (!c) return undefined;
    return { c, project: await projectContextById(k, c.project_id) };
  }

  return {
    [CASE_MAIL_JOB]: defineJobHandler(
      z.object({ caseId: z.string(), mail: z.enum(CASE_MAILS), ref: z.string() }),
      async ({ caseId, mail, ref }, ctx) => {
        const found = await load(caseId);
        if (!found) return;
        const { c, project } = found;
        // A held report (possibly a flood) tells the team nothing until it is released.
        if (c.held_at !== null && MAIL_TEMPLATES[mail].audience === 'team') return;
        const base = { projectName: project.name, caseHumanId: c.human_id };
        const tz = project.policy.timeZone;
        const link = links(c);
        switch (mail) {
          case 'report-received.team':
            return send(c, mail, await recipients(c, 'team'), ctx, {
              ...base,
              link: link.team,
              receivedAt: c.received_at,
              firstResponseDueAt: c.publicly_known ? null : c.first_response_due_at,
              timeZone: tz,
              channel: c.channel as 'web' | 'api' | 'email',
              publiclyKnown: c.publicly_known === 1,
            });
          case 'report-received.reporter':
            return send(c, mail, await recipients(c, 'reporter'), ctx, {
              ...base,
              link: link.reporter,
              responseDueAt: c.publicly_known ? null : c.first_response_due_at,
              timeZone: tz,
              replyByMail: deps.repliesByMail,
              // Only this mailbox gets the confirmation: the sender's API answer never carries it.
              ...(c.held_at !== null && {
                confirmLink: `${publicUrl}/confirm-report#${confirmationToken(
                  await instanceSecret(deps.db, deps.cipher, ctx.clock, HELD_SECRET),
                  c.id,
                )}`,
              }),
            });
          case 'message.reporter':
            return send(c, mail, await recipients(c, 'reporter'), ctx, {
              ...base,
              link: link.reporter,
              replyByMail: deps.repliesByMail,
            });
          case 'message.team':
            return send(c, mail, await recipients(c, 'team'), ctx, { ...base, link: link.team });
          case 'transition.reporter': {
            const state = ref.split(':')[0] ?? '';
            if (!(REPORTER_VISIBLE_STATES as readonly string[]).includes(state)) return;
            return send(c, mail, await recipients(c, 'reporter'), ctx, {
              ...base,
              link: link.reporter,
              state: state as ReporterVisibleState,
              replyByMail: deps.repliesByMail,
            });
          }
          case 'undecryptable.team':
            return send(c, mail, await recipients(c, 'team'), ctx, {
              projectName: project.name,
              caseHumanId: c.human_id,
              link: link.team,
              receivedAt: c.updated_at,
              timeZone: tz,
              problem: ref.startsWith('cannot-parse') ? 'cannot-parse' : 'cannot-decrypt',
            });
        }
      },
    ),

    [REMINDER_JOB]: defineJobHandler(
      z.object({
        caseId: z.string(),
        percent: z.union([z.literal(50), z.literal(80), z.literal(100)]),
        dueAt: z.string(),
      }),
      async ({ caseId, percent, dueAt }, ctx) => {
        const found = await load(caseId);
        if (!found) return;
        const { c, project } = found;
        // Moot when answered, paused, or rescheduled (a newer job carries the new instant).
        if (c.first_responded_at || c.clock_paused_at || c.first_response_due_at !== dueAt) return;
        const base = {
          projectName: project.name,
          caseHumanId: c.human_id,
          link: links(c).team,
          dueAt,
          now: ctx.clock.now(),
          timeZone: project.policy.timeZone,
        };
        await k.transaction().execute((trx) =>
          enqueueCaseWebhooks(
            trx,
            ctx.clock,
            c,
            percent === 100 ? 'case.overdue' : 'case.first-response-due',
            {
              occurrence: `${percent}:${dueAt}`,
            },
          ),
        );
        const team = await recipients(c, 'team');
        if (percent === 100) {
          return send(c, 'escalation.team', team, ctx, { ...base, publiclyKnown: c.publicly_known === 1 });
        }
        return send(c, 'reminder.team', team, ctx, { ...base, elapsedPercent: percent });
      },
    ),
  };
}
