/**
 * The mail of publication: each queued message (the announcement to one address, the "a fix is
 * coming" notice to one address, the follow-up to one distributor) is sent once, from its row in
 * `publication_deliveries`: a sent row is never sent again, and a retry carries the same
 * Message-ID (derived from the row), so the one duplicate at-least-once delivery allows (the
 * process dies after the SMTP server accepted and before the row is marked) is recognisable as
 * such. And the hold alert to the Fix Lead and the team, once per hold, link only.
 */
import { z } from 'zod';
import { appendAuditEvent } from '../../../audit/audit.log.js';
import type { Db } from '../../../db/connection.js';
import { PermanentJobError, defineJobHandler, type JobContext } from '../../../jobs/job.runner.js';
import { vigilMessageId } from '../../../mail/outbound/addressing.js';
import { MailError, type Mailer } from '../../../mail/outbound/mailer.js';
import { renderMail } from '../../../mail/templates/mail-templates.js';
import { fitReleases } from '../../../mail/templates/releases-out-distributor.template.js';
import { MailTemplateError } from '../../../mail/templates/template-kit.js';
import { AppError } from '../../../lib/errors.js';
import * as accountsRepo from '../../accounts/accounts.repo.js';
import { projectContextById } from '../../cases/case-context.js';
import { notifyTeam } from '../../notifications/notify-team.js';
import type { CaseCipher } from '../../cases/case-view.js';
import * as casesRepo from '../../cases/cases.repo.js';
import { listReleases } from '../../fix/releases/releases.repo.js';
import { renderPublication } from './publication-render.js';
import * as repo from './publication.repo.js';
import {
  fixComingInstant,
  fixComingRef,
  HOLD_ALERT_JOB,
  PUBLICATION_ACTOR,
  PUBLICATION_MAIL_JOB,
  RETRY_MINUTES,
} from './publication.steps.js';
import {
  loadCaseAdvisory,
  loadPublishedAdvisory,
  publicAdvisoryUrl,
  type CaseAdvisory,
} from './published-advisory.js';

export interface PublicationMailDeps {
  db: Db;
  cipher: Pick<CaseCipher, 'decryptField'>;
  mailer: Mailer;
}

interface Outgoing {
  subject: string;
  text: string;
  found: CaseAdvisory;
}

const MAX_ERROR = 500;

/**
 * A message that could not be written: permanent when its template refused it (the same data
 * would be refused again), else (the database, say) worth another attempt.
 */
class ComposeError extends Error {
  readonly permanent: boolean;
  constructor(cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`The message could not be written: ${detail}`, { cause });
    this.name = 'ComposeError';
    this.permanent = cause instanceof MailTemplateError || (cause instanceof AppError && cause.status < 500);
  }
}

/** The versions released with the fix: the recorded published releases, else the advisory's fixed versions. */
async function releasedVersions(db: Db['kysely'], found: CaseAdvisory): Promise<string[]> {
  const recorded = (await listReleases(db, found.c.id))
    .filter((r) => r.state === 'published' && r.version)
    .map((r) => r.version as string);
  if (recorded.length > 0) return recorded;
  return [...new Set(found.renderable.patchedVersions.flatMap((p) => p.versions))];
}

/** The handlers of `publication.mail` and `publication.hold-alert` (registered where mail is configured). */
export function publicationMailHandlers(deps: PublicationMailDeps) {
  const k = deps.db.kysely;
  const { mailer } = deps;

  /** The message of delivery `d`, or why it is moot (the subject moved on: nothing to send any more). */
  async function compose(d: repo.DeliveryRow): Promise<Outgoing | { moot: string }> {
    if (d.channel === 'fix-coming') {
      const found = await loadCaseAdvisory(k, deps.cipher, d.case_id);
      const pub = await repo.findPublication(k, d.case_id);
      const at = fixComingInstant(d.ref);
      // Only the newest schedule's notice goes: after A, B, A an older A still queued stays unsent.
      const current = pub !== undefined && fixComingRef(at, pub.generation) === d.ref;
      if (!found || found.c.state !== 'disclosure-scheduled' || pub?.scheduled_for !== at || !current) {
        return { moot: 'The release instant changed or passed before the notice went: it was not sent.' };
      }
      const r = await renderPublication(k, 'fix-coming', found, at);
      return { subject: r.subject ?? '', text: r.body, found };
    }
    const found = await loadPublishedAdvisory(k, deps.cipher, d.case_id);
    if (!found) return { moot: 'The advisory is not published: nothing was sent.' };
    if (d.channel === 'announcement') {
      const r = await renderPublication(k, 'announcement', found);
      return { subject: r.subject ?? '', text: r.body, found };
    }
    const mail = renderMail('releases-out.distributor', {
      projectName: found.project.name,
      advisoryId: found.advisory.advisory_id,
      cveId: found.cveId,
      ...fitReleases(await releasedVersions(k, found)),
      link: publicAdvisoryUrl(mailer.publicUrl, found.project.slug, found.advisory.advisory_id),
      publishedAt: found.c.released_at ?? found.advisory.updated_at,
      timeZone: found.project.policy.timeZone,
    });
    return { ...mail, found };
  }

  async function send(deliveryId: string, ctx: JobContext): Promise<void> {
    const d = await repo.findDelivery(k, deliveryId);
    if (!d || d.state !== 'queued') return;
    const now = () => ctx.clock.now().toISOString();
    try {
      // Inside the try: a message that cannot be written fails its row (with the reason), as a
      // refused one does, rather than leaving it queued.
      const out = await compose(d).catch((err: unknown) => {
        throw new ComposeError(err);
      });
      if ('moot' in out) {
        await repo.recordDeliveryAttempt(k, d.id, {
          state: 'cancelled',
          last_error: out.moot,
          updated_at: now(),
        });
        return;
      }
      await mailer.send({
        to: [d.recipient],
        subject: out.subject,
        text: out.text,
        headers: { 'X-Vigil-Advisory': out.found.advisory.advisory_id },
        // From the delivery, not the job: any resend of this message is the same message.
        messageId: vigilMessageId(d.case_id, `publication-${d.channel}`, mailer.replyDomain, d.id),
      });
    } catch (err) {
      const permanent =
        (err instanceof MailError && err.permanent) || (err instanceof ComposeError && err.permanent);
      const last = permanent || ctx.attempt >= ctx.maxAttempts;
      const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      await repo.recordDeliveryAttempt(k, d.id, {
        state: last ? 'failed' : 'queued',
        last_error: message.slice(0, MAX_ERROR),
        updated_at: now(),
      });
      if (permanent) throw new PermanentJobError(message);
      throw err;
    }
    const sentAt = now();
    await k.transaction().execute(async (trx) => {
      if (
        !(await repo.recordDeliveryAttempt(trx, d.id, {
          state: 'sent',
          last_error: null,
          sent_at: sentAt,
          updated_at: sentAt,
        }))
      ) {
        return;
      }
      // The first notice that went out tells the phase clock that users were told (PROCESS.md §8).
      if (d.channel === 'fix-coming' && (await repo.markUsersTold(trx, d.case_id, sentAt))) {
        await appendAuditEvent(trx, ctx.clock, {
          actor: PUBLICATION_ACTOR,
          action: 'case.users_told_of_fix',
          subject: { type: 'case', id: d.case_id },
          projectId: d.project_id,
          data: { messageId: null },
        });
      }
    });
  }

  /** The hold alert: to the Fix Lead and every member of the security team, one mail. */
  async function alert(holdId: string, ctx: JobContext): Promise<void> {
    const hold = await repo.findHold(k, holdId);
    if (!hold || hold.ended_at || hold.alerted_at) return;
    const c = await casesRepo.findCaseById(k, hold.case_id);
    if (!c) return;
    const project = await projectContextById(k, c.project_id);
    const team = await casesRepo.listTeamMembers(k, c.project_id);
    const lead = c.fix_lead_user_id ? await accountsRepo.findUserById(k, c.fix_lead_user_id) : undefined;
    const pub = await repo.findPublication(k, c.id);
    await notifyTeam(deps, ctx, {
      kind: 'publication-held.team',
      to: [...(lead && !lead.disabled_at ? [lead] : []), ...team],
      projectId: c.project_id,
      case: c,
      params: {
        projectName: project.name,
        caseHumanId: c.human_id,
        link: `${mailer.publicUrl}/cases/${encodeURIComponent(c.human_id)}`,
        dueAt: pub?.scheduled_for ?? hold.started_at,
        timeZone: project.policy.timeZone,
        blockers: Math.max(1, (JSON.parse(hold.reasons_json) as unknown[]).length),
        retryMinutes: RETRY_MINUTES,
      },
    });
    await k.transaction().execute((trx) => repo.markHoldAlerted(trx, hold.id, ctx.clock.now().toISOString()));
  }

  return {
    [PUBLICATION_MAIL_JOB]: defineJobHandler(
      z.object({ deliveryId: z.string().max(64) }),
      ({ deliveryId }, ctx) => send(deliveryId, ctx),
    ),
    [HOLD_ALERT_JOB]: defineJobHandler(z.object({ holdId: z.string().max(64) }), ({ holdId }, ctx) =>
      alert(holdId, ctx),
    ),
  };
}
