/**
 * Intake: a report becomes a case, through the public form, the API or mail; and the reporter's
 * side of it, reached with the private link alone (no account). The reporter never sees internal
 * notes; every change is audited; mail and reminders are queued in the same transaction.
 */
import { appendAuditEvent } from '../../../audit/audit.log.js';
import type { Actor } from '../../../audit/audit.events.js';
import type { Db, DbTransaction } from '../../../db/connection.js';
import type { Clock } from '../../../lib/clock.js';
import type * as openpgp from 'openpgp';
import { NotFoundError, RateLimitedError, ValidationError } from '../../../lib/errors.js';
import { formatInstant } from '../../../lib/format-instant.js';
import { decryptMessage } from '../../../mail/inbound/pgp-decrypt.js';
import { hashSecret, newSecret, newSortableId } from '../../../lib/ids.js';
import { hitRateLimits } from '../../../lib/rate-limit.js';
import { STATE_FOR_REPORTER, type CaseState } from '../case-transitions.js';
import { applyTransition } from '../case-workflow.js';
import { acceptAttachments, type AcceptedAttachment } from '../attachments.js';
import { projectContextById, projectContextBySlug, type ProjectContext } from '../case-context.js';
import { enqueueCaseMail, scheduleFirstResponseReminders } from '../case-notify.js';
import { attachmentView, caseCrypto, type CaseCipher } from '../case-view.js';
import * as repo from '../cases.repo.js';
import { ENCRYPTED_REPORT_BODY_LIMIT, reportInput, type Credit, type ReportInput } from '../cases.schemas.js';
import { firstResponseDue } from '../response-clock.js';

export interface IntakeDeps {
  db: Db;
  clock: Clock;
  cipher: CaseCipher;
  publicUrl: string;
  /** The project's private keys, to open reports the browser encrypted to its published key. */
  decryptingKeys: (projectId: string) => Promise<openpgp.PrivateKey[]>;
}

export type Channel = 'web' | 'api' | 'email';

const REPORTER: Actor = { type: 'system', id: 'reporter' };

export type IntakeService = ReturnType<typeof createIntakeService>;

export function createIntakeService(deps: IntakeDeps) {
  const { db, clock } = deps;
  const k = db.kysely;
  const crypto = caseCrypto(deps.cipher);
  const reporterLink = (token: string) => `${deps.publicUrl}/r/${token}`;

  async function sealAttachments(
    trx: DbTransaction,
    caseId: string,
    messageId: string | null,
    files: AcceptedAttachment[],
    by: string,
  ) {
    for (const f of files) {
      const id = newSortableId();
      await repo.insertAttachment(trx, {
        id,
        case_id: caseId,
        message_id: messageId,
        filename_enc: crypto.filename.seal(id, f.filename),
        content_type: f.contentType,
        size_bytes: f.bytes.length,
        sha256: f.sha256,
        flags_json: JSON.stringify(f.flags),
        data_enc: crypto.attachment.seal(id, f.bytes),
        uploaded_by: by,
        created_at: clock.now().toISOString(),
      });
      await appendAuditEvent(trx, clock, {
        actor: REPORTER,
        action: 'case.attachment_added',
        subject: { type: 'case', id: caseId },
        data: { attachmentId: id, sizeBytes: f.bytes.length, flags: f.flags },
      });
    }
  }

  function receiptText(
    humanId: string,
    project: ProjectContext,
    due: Date | null,
    publiclyKnown: boolean,
  ): string {
    const when = publiclyKnown
      ? 'as soon as possible, since the issue is already public'
      : due
        ? `by ${formatInstant(due, project.policy.timeZone, 'long')}`
        : 'as soon as possible';
    return (
      `Your report ${humanId} reached the ${project.name} security team. This is an automatic receipt: ` +
      `a member of the team will answer you here ${when}.`
    );
  }

  /**
   * Web and API submissions are rate-limited per client address and per project; the answer says
   * when to retry, so the reporter keeps their text and loses nothing.
   */
  async function limitReports(projectId: string, ip: string | undefined): Promise<void> {
    try {
      await hitRateLimits(k, clock, [
        { bucket: `report:ip:${ip ?? 'unknown'}`, limit: 10, windowSeconds: 3600 },
        { bucket: `report:project:${projectId}`, limit: 200, windowSeconds: 3600 },
      ]);
    } catch (err) {
      if (!(err instanceof RateLimitedError)) throw err;
      const wait = Number(err.headers['retry-after'] ?? 60);
      throw new RateLimitedError(
        wait,
        `Too many reports have been sent recently. Keep your text and send it again in ${Math.ceil(wait / 60)} minutes.`,
      );
    }
  }

  async function loadByToken(token: string): Promise<repo.CaseRow> {
    const c = await repo.findCaseByReporterToken(k, hashSecret(token));
    if (!c) throw new NotFoundError('This report link');
    return c;
  }

  return {
    /** What the public form shows before anything is sent: no account, no secrets. */
    async intakeInfo(slug: string) {
      const project = await projectContextBySlug(k, slug);
      const p = project.policy;
      return {
        slug: project.slug,
        name: project.name,
        reportContents: [...p.intake.reportContents],
        maxAttachmentBytesPerCase: p.intake.maxAttachmentBytesPerCase,
        firstResponseBusinessDays: p.triage.firstResponse?.businessDays ?? null,
        timeZone: p.timeZone,
        publicKeyUrl: `${deps.publicUrl}/p/${project.slug}/pgp-key.asc`,
        issueTrackerUrl: p.project.issueTrackerUrl,
      };
    },

    /**
     * Files a report the browser encrypted to the project's key: decrypted here, then validated and
     * filed exactly like a plain one. A message the project's keys cannot open is refused (422), so
     * the reporter keeps their text and can send it again.
     */
    async submitEncryptedReport(
      slug: string,
      armored: string,
      meta: { channel: Channel; ip?: string | undefined },
    ) {
      const project = await projectContextBySlug(k, slug);
      // Counted before the (costly) decryption, so the limit also protects it.
      await limitReports(project.id, meta.ip);
      const opened = await decryptMessage(
        armored,
        await deps.decryptingKeys(project.id),
        ENCRYPTED_REPORT_BODY_LIMIT,
      );
      if (!opened.ok) {
        throw new ValidationError(
          opened.reason === 'no-key'
            ? `The report was not encrypted to the current key of ${project.name}: fetch the project's current key and encrypt it again.`
            : 'The encrypted report could not be read.',
          [{ path: 'encrypted', message: opened.reason }],
        );
      }
      let json: unknown;
      try {
        json = JSON.parse(Buffer.from(opened.data).toString('utf8'));
      } catch {
        throw new ValidationError('The encrypted report is not a report.', [
          { path: 'encrypted', message: 'the plaintext must be JSON' },
        ]);
      }
      const parsed = reportInput.safeParse(json);
      if (!parsed.success) {
        throw new ValidationError(
          'The encrypted report is invalid.',
          parsed.error.issues.map((i) => ({ path: `encrypted.${i.path.join('.')}`, message: i.message })),
        );
      }
      return this.submitReport(slug, parsed.data, { ...meta, counted: true });
    },

    /** Files a report as a new case (rate-limited unless it came by mail). */
    async submitReport(
      slug: string,
      input: ReportInput,
      meta: {
        channel: Channel;
        ip?: string | undefined;
        emailMessageId?: string | null;
        flags?: string[];
        counted?: boolean;
      },
    ): Promise<{ id: string; humanId: string; reporterLink: string; firstResponseDueAt: string | null }> {
      const project = await projectContextBySlug(k, slug);
      // An encrypted report was counted before it was decrypted (meta.counted).
      if (meta.channel !== 'email' && !meta.counted) await limitReports(project.id, meta.ip);
      const files = acceptAttachments(input.attachments, project.policy.intake.maxAttachmentBytesPerCase);
      const now = clock.now();
      const nowIso = now.toISOString();
      const due = firstResponseDue(now, project.policy, input.publiclyKnown);
      const token = newSecret('vrt');
      const id = newSortableId();
      const { email, ...credit } = input.reporter;
      return k.transaction().execute(async (trx) => {
        const prefix = project.policy.intake.caseIdPrefix ?? 'VGL';
        const year = now.getUTCFullYear();
        const humanId = `${prefix}-${year}-${String(await repo.nextCaseNumber(trx, prefix, year)).padStart(4, '0')}`;
        const row = {
          id,
          project_id: project.id,
          human_id: humanId,
          state: 'received',
          channel: meta.channel,
          title_enc: crypto.title.seal(id, input.subject),
          report_enc: crypto.report.seal(id, {
            reproduction: input.reproduction,
            effects: input.effects,
            impact: input.impact,
            dependencies: input.dependencies,
            publicDetails: input.publicDetails,
          }),
          reporter_email_enc: email ? crypto.reporterEmail.seal(id, email) : null,
          reporter_credit_enc: crypto.credit.seal(id, credit),
          reporter_token_hash: hashSecret(token),
          reporter_token_enc: crypto.reporterToken.seal(id, token),
          publicly_known: input.publiclyKnown ? 1 : 0,
          // A public report: the team asks whether it can still be handled privately (§2).
          private_handling: input.publiclyKnown ? 'asked' : 'not-asked',
          severity: null,
          duplicate_of: null,
          flags_json: JSON.stringify(meta.flags ?? []),
          received_at: nowIso,
          updated_at: nowIso,
          first_response_due_at: due?.toISOString() ?? null,
          first_responded_at: null,
          triaged_at: null,
          clock_paused_at: null,
          paused_ms: 0,
        };
        await repo.insertCase(trx, row);
        await sealAttachments(trx, id, null, files, 'reporter');
        const receiptId = newSortableId();
        await repo.insertMessage(trx, {
          id: receiptId,
          case_id: id,
          visibility: 'conversation',
          author_type: 'system',
          author_user_id: null,
          body_enc: crypto.message.seal(receiptId, receiptText(humanId, project, due, input.publiclyKnown)),
          automatic: 1,
          channel: meta.channel,
          email_message_id: meta.emailMessageId ?? null,
          flags_json: '[]',
          created_at: nowIso,
        });
        await appendAuditEvent(trx, clock, {
          actor: REPORTER,
          action: 'case.received',
          subject: { type: 'case', id },
          projectId: project.id,
          data: {
            humanId,
            channel: meta.channel,
            publiclyKnown: input.publiclyKnown,
            attachments: files.length,
          },
        });
        await enqueueCaseMail(trx, clock, id, 'report-received.team');
        if (email) await enqueueCaseMail(trx, clock, id, 'report-received.reporter');
        const stored = await repo.findCaseById(trx, id);
        if (stored) await scheduleFirstResponseReminders(trx, clock, stored);
        return {
          id,
          humanId,
          reporterLink: reporterLink(token),
          firstResponseDueAt: row.first_response_due_at,
        };
      });
    },

    /** The reporter's view: status in plain words, the conversation (never internal notes), credit. */
    async getReporterView(token: string) {
      const c = await loadByToken(token);
      const project = await projectContextById(k, c.project_id);
      const [messages, attachments] = await Promise.all([
        repo.listMessages(k, c.id, false),
        repo.listAttachments(k, c.id),
      ]);
      return {
        humanId: c.human_id,
        project: { slug: project.slug, name: project.name },
        title: crypto.title.open(c.id, c.title_enc),
        state: c.state as CaseState,
        status: STATE_FOR_REPORTER[c.state as CaseState],
        receivedAt: c.received_at,
        publiclyKnown: c.publicly_known === 1,
        privateHandling: c.private_handling,
        askPrivateHandling: c.private_handling === 'asked',
        credit: c.reporter_credit_enc
          ? crypto.credit.open(c.id, c.reporter_credit_enc)
          : { anonymous: false },
        messages: messages.map((m) => ({
          id: m.id,
          visibility: 'conversation' as const,
          // The reporter sees "Security team", not who on it wrote.
          author: {
            type: m.author_type,
            name: m.author_type === 'team' ? `${project.name} security team` : null,
          },
          body: crypto.message.open(m.id, m.body_enc),
          automatic: m.automatic === 1,
          channel: m.channel,
          flags: [],
          createdAt: m.created_at,
        })),
        attachments: attachments
          .filter((a) => a.uploaded_by === 'reporter')
          .map((a) => attachmentView(crypto, a)),
      };
    },

    /** The reporter writes (and may add material). An answer to a question resumes the triage. */
    async addReporterMessage(
      token: string,
      input: { body: string; attachments: ReportInput['attachments'] },
      meta: { channel: Channel; emailMessageId?: string | null; flags?: string[] } = { channel: 'web' },
    ): Promise<{ messageId: string }> {
      const c = await loadByToken(token);
      return this.appendReporterMessage(c, input, meta);
    },

    /** Shared by the link and by mail ingestion (which matched the case by its reply address). */
    async appendReporterMessage(
      c: repo.CaseRow,
      input: { body: string; attachments: ReportInput['attachments'] },
      meta: { channel: Channel; emailMessageId?: string | null; flags?: string[] },
    ): Promise<{ messageId: string }> {
      const project = await projectContextById(k, c.project_id);
      const used = await repo.attachmentBytes(k, c.id);
      const files = acceptAttachments(
        input.attachments,
        Math.max(0, project.policy.intake.maxAttachmentBytesPerCase - used),
      );
      const messageId = newSortableId();
      return k.transaction().execute(async (trx) => {
        const nowIso = clock.now().toISOString();
        await repo.insertMessage(trx, {
          id: messageId,
          case_id: c.id,
          visibility: 'conversation',
          author_type: 'reporter',
          author_user_id: null,
          body_enc: crypto.message.seal(messageId, input.body),
          automatic: 0,
          channel: meta.channel,
          email_message_id: meta.emailMessageId ?? null,
          flags_json: JSON.stringify(meta.flags ?? []),
          created_at: nowIso,
        });
        await sealAttachments(trx, c.id, messageId, files, 'reporter');
        await repo.updateCase(trx, c.id, { updated_at: nowIso });
        await appendAuditEvent(trx, clock, {
          actor: REPORTER,
          action: 'case.message_added',
          subject: { type: 'case', id: c.id },
          projectId: c.project_id,
          data: { messageId, visibility: 'conversation', authorType: 'reporter', channel: meta.channel },
        });
        if (c.state === 'needs-info') {
          const moved = await applyTransition(
            trx,
            { clock, crypto },
            c,
            project.policy,
            { kind: 'system', audit: REPORTER, userId: null },
            { to: 'triage' },
          );
          await scheduleFirstResponseReminders(trx, clock, moved.row);
        }
        await enqueueCaseMail(trx, clock, c.id, 'message.team', messageId);
        return { messageId };
      });
    },

    async setCredit(token: string, credit: Credit): Promise<void> {
      const c = await loadByToken(token);
      await k.transaction().execute(async (trx) => {
        await repo.updateCase(trx, c.id, {
          reporter_credit_enc: crypto.credit.seal(c.id, credit),
          updated_at: clock.now().toISOString(),
        });
        await appendAuditEvent(trx, clock, {
          actor: REPORTER,
          action: 'case.credit_updated',
          subject: { type: 'case', id: c.id },
          projectId: c.project_id,
          data: { anonymous: credit.anonymous },
        });
      });
    },

    /** "Can this still be handled privately?" (§2). A refusal keeps every clock at "as soon as possible". */
    async answerPrivateHandling(token: string, answer: 'possible' | 'declined'): Promise<void> {
      const c = await loadByToken(token);
      await k.transaction().execute(async (trx) => {
        await repo.updateCase(trx, c.id, { private_handling: answer, updated_at: clock.now().toISOString() });
        await appendAuditEvent(trx, clock, {
          actor: REPORTER,
          action: 'case.private_handling_answered',
          subject: { type: 'case', id: c.id },
          projectId: c.project_id,
          data: { answer },
        });
        await enqueueCaseMail(trx, clock, c.id, 'message.team', `private-handling:${answer}`);
      });
    },

    /** One of the reporter's own attachments, decrypted, for download. */
    async getReporterAttachment(token: string, attachmentId: string) {
      const c = await loadByToken(token);
      const a = await repo.findAttachment(k, c.id, attachmentId);
      // The reporter gets back what the reporter sent, nothing the team attached.
      if (!a || a.uploaded_by !== 'reporter') throw new NotFoundError(`Attachment ${attachmentId}`);
      return {
        filename: crypto.filename.open(a.id, a.filename_enc),
        bytes: crypto.attachment.open(a.id, a.data_enc),
      };
    },
  };
}
