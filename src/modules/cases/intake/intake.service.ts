/**
 * Intake: a report becomes a case, through the public form, the API or mail; and the reporter's
 * side of it, reached with the private link alone (no account). The reporter never sees internal
 * notes; every change is audited; mail and reminders are queued in the same transaction.
 */
import { appendAuditEvent, appendAuditEvents } from '../../../audit/audit.log.js';
import { createBatchGroup } from '../../../db/commit-group.js';
import type { Db, DbTransaction, DbWriter } from '../../../db/connection.js';
import { enqueueJobs } from '../../../jobs/job.queue.js';
import type { Clock } from '../../../lib/clock.js';
import type * as openpgp from 'openpgp';
import { NotFoundError, RateLimitedError, ValidationError } from '../../../lib/errors.js';
import { decryptMessage } from '../../../mail/inbound/pgp-decrypt.js';
import { hashSecret, newSecret, newSortableId } from '../../../lib/ids.js';
import { addressBucket } from '../../../lib/client-address.js';
import {
  checkRateLimit,
  countRateLimitHit,
  countRateLimitHits,
  retryAfterSeconds,
} from '../../../lib/rate-limit.js';
import { DEFAULT_SUBJECT_HINT } from '../../policy/policy.schema.js';
import { STATE_FOR_REPORTER, type CaseState } from '../case-transitions.js';
import { applyTransition } from '../case-workflow.js';
import { acceptAttachments, type AcceptedAttachment } from '../attachments.js';
import { projectContextById, projectContextBySlug, type ProjectContext } from '../case-context.js';
import { enqueueCaseMail, scheduleFirstResponseReminders } from '../case-notify.js';
import { enqueueCaseWebhooks, enqueueReceivedWebhooks } from '../../webhooks/webhooks.steps.js';
import { attachmentView, caseCrypto, type CaseCipher } from '../case-view.js';
import * as repo from '../cases.repo.js';
import * as heldRepo from './held.repo.js';
import { caseSearchKey, indexCaseTitles } from '../search/case-search.js';
import { checkProof, DEFAULT_PROOF_BITS, projectReportBucket, requiredProofBits } from './held.js';
import { ENCRYPTED_REPORT_BODY_LIMIT, reportInput, type Credit, type ReportInput } from '../cases.schemas.js';
import { firstResponseDue } from '../response-clock.js';
import { reporterProgress } from '../reporter-progress.js';
import {
  caseNumbering,
  humanIdOf,
  newCaseRow,
  receiptMessage,
  receivedEvent,
  reportJobs,
  REPORTER,
  storeAttachments,
  type Admission,
  type Channel,
  type FiledReport,
  type ReportMeta,
} from './report-filing.js';

export interface IntakeDeps {
  db: Db;
  clock: Clock;
  cipher: CaseCipher;
  publicUrl: string;
  /** The project's private keys, to open reports the browser encrypted to its published key. */
  decryptingKeys: (projectId: string) => Promise<openpgp.PrivateKey[]>;
  /** The instance secret `intake.held` that keys proof-of-work challenges (held.ts). */
  heldSecret: () => Promise<Buffer>;
  /** Leading zero bits a proof of work needs (DEFAULT_PROOF_BITS unless given). */
  proofOfWorkBits?: number | undefined;
  /** The title search's key (case-search.ts); read once from the instance secrets unless given. */
  searchKey?: (() => Promise<Buffer>) | undefined;
}

export type IntakeService = ReturnType<typeof createIntakeService>;

/** A filed report, as the reporter is answered. */
export interface Filed {
  id: string;
  humanId: string;
  reporterLink: string;
  firstResponseDueAt: string | null;
  firstResponseAsap: boolean;
  held: boolean;
}

/** A report on its way to its group's transaction: everything decided that needs no database. */
interface Submission {
  project: ProjectContext;
  input: ReportInput;
  meta: ReportMeta & { ip?: string | undefined; counted?: Counted | undefined };
  files: AcceptedAttachment[];
  /** The instance secret that keys proofs of work, when the report carries one. */
  heldSecret: Buffer | null;
  /** The key of the title search's terms (case-search.ts). */
  searchKey: Buffer;
  now: Date;
  due: Date | null;
  token: string;
  id: string;
}

/** A filed report, or the address's limit refused it (seconds to wait). */
type Outcome = Filed | { refusedFor: number };

/** A report counted against the project's quota: whether it is over, and the proof bits it needs. */
export interface Counted {
  overQuota: boolean;
  proofBits: number;
}

export function createIntakeService(deps: IntakeDeps) {
  const { db, clock } = deps;
  const k = db.kysely;
  const crypto = caseCrypto(deps.cipher);
  const filing = { clock, crypto };
  const searchKey = deps.searchKey ?? caseSearchKey(deps);
  const reporterLink = (token: string) => `${deps.publicUrl}/r/${token}`;

  /**
   * Web and API submissions are counted per client address and per project, with the limits of the
   * project's policy (`intake.rateLimits`). Over the address's limit the report is refused, and the
   * answer says when to retry, so the reporter keeps their text and loses nothing. Over the
   * project's quota nothing is refused (one sender from many addresses could otherwise shut the
   * project's intake): the answer is that the report is to be held as possibly a flood, unless it
   * carries a proof of work of the bits this report's count in the window requires.
   *
   * Counted in the caller's transaction (the report's own, so no commit of its own), and a refusal
   * is returned, not thrown: the caller commits the address's count with it and throws `refusal`
   * after the commit, so a refused report still counts. A refused report is not counted against the
   * project's quota.
   */
  async function countReport(
    trx: DbWriter,
    project: ProjectContext,
    ip: string | undefined,
  ): Promise<Counted | { retryAfterSeconds: number }> {
    const limits = project.policy.intake.rateLimits;
    const byAddress = await checkRateLimit(trx, clock, {
      // An IPv6 sender counts by its /64 (client-address.ts), not by each of its addresses.
      bucket: addressBucket('report', ip ?? 'unknown'),
      limit: limits.perAddress.count,
      windowSeconds: limits.perAddress.windowSeconds,
    });
    if (byAddress.retryAfterSeconds !== null) return { retryAfterSeconds: byAddress.retryAfterSeconds };
    const hits = await countRateLimitHit(trx, clock, {
      bucket: projectReportBucket(project.id),
      windowSeconds: limits.perProject.windowSeconds,
    });
    return {
      overQuota: hits > limits.perProject.count,
      proofBits: requiredProofBits(deps.proofOfWorkBits ?? DEFAULT_PROOF_BITS, hits, limits.perProject.count),
    };
  }

  function refusal(wait: number): RateLimitedError {
    return new RateLimitedError(
      wait,
      `Too many reports have been sent recently. Keep your text and send it again in ${Math.ceil(wait / 60)} minutes.`,
    );
  }

  /** Counts a report on its own (an encrypted one, before its costly decryption): one commit. */
  async function limitReports(project: ProjectContext, ip: string | undefined): Promise<Counted> {
    const counted = await k.transaction().execute((trx) => countReport(trx, project, ip));
    if ('retryAfterSeconds' in counted) throw refusal(counted.retryAfterSeconds);
    return counted;
  }

  /**
   * Files a group of submissions in the caller's transaction, with a handful of statements whatever
   * their number: the address counts, then the project counts of those not refused (one statement
   * each), the proofs (one each, when sent), the human ids (one per prefix), the cases, their
   * attachments (when sent), the receipts, the audit events and the jobs (one statement each). Each
   * report is what `submitReport` files alone, in the order given; a refusal is an outcome, so that
   * its count is committed.
   */
  async function fileReports(trx: DbTransaction, subs: Submission[]): Promise<Outcome[]> {
    // Mail is not rate-limited; an encrypted report was counted before its decryption.
    const toCount = subs.filter((s) => s.meta.channel !== 'email' && !s.meta.counted);
    const addressRules = toCount.map((s) => ({
      // An IPv6 sender counts by its /64 (client-address.ts), not by each of its addresses.
      bucket: addressBucket('report', s.meta.ip ?? 'unknown'),
      limit: s.project.policy.intake.rateLimits.perAddress.count,
      windowSeconds: s.project.policy.intake.rateLimits.perAddress.windowSeconds,
    }));
    const addressHits = await countRateLimitHits(trx, clock, addressRules);
    const refusedFor = new Map<Submission, number>();
    toCount.forEach((s, i) => {
      const rule = addressRules[i];
      const wait = rule ? retryAfterSeconds(clock, rule, addressHits[i] ?? 0) : null;
      if (wait !== null) refusedFor.set(s, wait);
    });
    // A refused report is not counted against the project's quota.
    const projectCounted = toCount.filter((s) => !refusedFor.has(s));
    const projectHits = await countRateLimitHits(
      trx,
      clock,
      projectCounted.map((s) => ({
        bucket: projectReportBucket(s.project.id),
        windowSeconds: s.project.policy.intake.rateLimits.perProject.windowSeconds,
      })),
    );
    const counts = new Map<Submission, Counted>();
    projectCounted.forEach((s, i) => {
      const hits = projectHits[i] ?? 0;
      const quota = s.project.policy.intake.rateLimits.perProject.count;
      counts.set(s, {
        overQuota: hits > quota,
        proofBits: requiredProofBits(deps.proofOfWorkBits ?? DEFAULT_PROOF_BITS, hits, quota),
      });
    });
    const admitted = subs.filter((s) => !refusedFor.has(s));

    const admissions = new Map<Submission, Admission>();
    for (const s of admitted) {
      const counted = s.meta.counted ??
        counts.get(s) ?? { overQuota: false, proofBits: deps.proofOfWorkBits ?? DEFAULT_PROOF_BITS };
      const proof =
        s.input.proofOfWork && s.heldSecret
          ? checkProof(
              s.heldSecret,
              s.project.id,
              s.now,
              s.input.proofOfWork,
              // The bits required at this moment: a proof solved before the flood grew is too weak.
              counted.proofBits,
            )
          : null;
      // One proof, one report: a proof sent again (or concurrently) counts as none.
      const proofOfWork =
        proof?.ok === true && (await heldRepo.spendProof(trx, proof.challengeHash, proof.expiresAt));
      admissions.set(s, { held: counted.overQuota && !proofOfWork ? 'project-quota' : null, proofOfWork });
    }

    // Consecutive human ids per prefix and year, in the order of the submissions.
    const numbering = new Map<string, { prefix: string; year: number; subs: Submission[] }>();
    for (const s of admitted) {
      const { prefix, year } = caseNumbering(s.project, s.now);
      const key = `${prefix}\n${year}`;
      const entry = numbering.get(key) ?? { prefix, year, subs: [] };
      entry.subs.push(s);
      numbering.set(key, entry);
    }
    const humanIds = new Map<Submission, string>();
    for (const { prefix, year, subs: numbered } of numbering.values()) {
      const first = await repo.nextCaseNumbers(trx, prefix, year, numbered.length);
      numbered.forEach((s, i) => humanIds.set(s, humanIdOf(prefix, year, first + i)));
    }

    const filed = admitted.map((s) => {
      const admission = admissions.get(s) ?? { held: null, proofOfWork: false };
      const row = newCaseRow(
        crypto,
        {
          id: s.id,
          humanId: humanIds.get(s) ?? '',
          projectId: s.project.id,
          token: s.token,
          now: s.now,
          due: s.due,
        },
        s.input,
        s.meta,
        admission,
      );
      const report: FiledReport = {
        row,
        project: s.project,
        due: s.due,
        attachments: s.files.length,
        proofOfWork: admission.proofOfWork,
      };
      return { s, row, report, held: admission.held !== null };
    });
    await repo.insertCases(
      trx,
      filed.map((f) => f.row),
    );
    await indexCaseTitles(
      trx,
      filed.map((f) => ({ key: f.s.searchKey, case: f.row, title: f.s.input.subject })),
    );
    for (const f of filed) await storeAttachments(trx, filing, f.row.id, null, f.s.files, 'reporter');
    await repo.insertMessages(
      trx,
      filed.map((f) => receiptMessage(filing, f.report, f.s.input, f.s.meta)),
    );
    await appendAuditEvents(
      trx,
      clock,
      filed.map((f) => receivedEvent(f.report, f.s.input, f.s.meta)),
    );
    await enqueueJobs(
      trx,
      clock,
      filed.flatMap((f) => reportJobs(clock, f.row, Boolean(f.s.input.reporter.email), f.held)),
    );
    await enqueueReceivedWebhooks(
      trx,
      clock,
      filed.map((f) => f.row),
    );

    const outcomes = new Map<Submission, Outcome>();
    for (const f of filed) {
      outcomes.set(f.s, {
        id: f.row.id,
        humanId: f.row.human_id,
        reporterLink: reporterLink(f.s.token),
        firstResponseDueAt: f.row.first_response_due_at,
        firstResponseAsap: f.row.publicly_known === 1,
        held: f.held,
      });
    }
    return subs.map((s) => outcomes.get(s) ?? { refusedFor: refusedFor.get(s) ?? 60 });
  }

  /**
   * Reports are filed in groups (group commit): during a flood, the reports that arrive while one
   * group is written share the next group's transaction and its one commit, and its statements
   * (`fileReports`). Each report stays whole (its case, receipt, audit event, mail and reminders,
   * its rate-limit counts) and is answered only once its group committed.
   */
  const filingGroup = createBatchGroup(db, fileReports);

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
        subjectHint: p.intake.subjectHint ?? DEFAULT_SUBJECT_HINT,
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
      const counted = await limitReports(project, meta.ip);
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
      return this.submitReport(slug, parsed.data, { ...meta, counted });
    },

    /**
     * Files a report as a new case (rate-limited unless it came by mail). Over the project's quota,
     * and without a valid proof of work, it is held as possibly a flood: stored, receipted, but the
     * team is not told and no response clock runs until it is released.
     */
    async submitReport(
      slug: string,
      input: ReportInput,
      meta: ReportMeta & { ip?: string | undefined; counted?: Counted | undefined },
    ): Promise<Filed> {
      const project = await projectContextBySlug(k, slug);
      // Everything that is not the database's comes before the transaction: no transaction (and no
      // group of reports) waits on it.
      const now = clock.now();
      const filed = await filingGroup.add({
        project,
        input,
        meta,
        files: acceptAttachments(input.attachments, project.policy.intake.maxAttachmentBytesPerCase),
        heldSecret: input.proofOfWork ? await deps.heldSecret() : null,
        searchKey: await searchKey(),
        now,
        due: firstResponseDue(now, project.policy, input.publiclyKnown),
        token: newSecret('vrt'),
        id: newSortableId(),
      });
      // Thrown after the commit, which keeps the refused report's count.
      if ('refusedFor' in filed) throw refusal(filed.refusedFor);
      return filed;
    },

    /** The reporter's view: status in plain words, the conversation (never internal notes), credit. */
    async getReporterView(token: string) {
      const c = await loadByToken(token);
      const project = await projectContextById(k, c.project_id);
      const state = c.state as CaseState;
      const [messages, attachments, rejection] = await Promise.all([
        repo.listMessages(k, c.id, false),
        repo.listAttachments(k, c.id),
        state === 'rejected' ? repo.latestCaseEventData(k, c.project_id, c.id, 'case.rejected') : undefined,
      ]);
      const theirs = attachments
        .filter((a) => a.uploaded_by === 'reporter')
        .map((a) => ({ messageId: a.message_id, view: attachmentView(crypto, a) }));
      const { reproduction, effects, impact, dependencies, publicDetails } = crypto.report.open(
        c.id,
        c.report_enc,
      );
      return {
        humanId: c.human_id,
        project: { slug: project.slug, name: project.name },
        title: crypto.title.open(c.id, c.title_enc),
        state,
        status: STATE_FOR_REPORTER[state],
        // The report as sent: the files filed with it belong to no message.
        report: {
          reproduction,
          effects,
          impact,
          dependencies,
          publicDetails,
          attachments: theirs.filter((a) => a.messageId === null).map((a) => a.view),
        },
        progress: reporterProgress(
          {
            ...c,
            state,
            held: c.held_at !== null,
            rejectionCategory: rejectionCategoryOf(rejection?.data_json),
            timeZone: project.policy.timeZone,
          },
          clock.now(),
        ),
        receivedAt: c.received_at,
        publiclyKnown: c.publicly_known === 1,
        privateHandling: c.private_handling,
        askPrivateHandling: c.private_handling === 'asked',
        held: c.held_at !== null,
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
        attachments: theirs.map((a) => a.view),
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
        await storeAttachments(trx, filing, c.id, messageId, files, 'reporter');
        await repo.updateCase(trx, c.id, { updated_at: nowIso });
        await appendAuditEvent(trx, clock, {
          actor: REPORTER,
          action: 'case.message_added',
          subject: { type: 'case', id: c.id },
          projectId: c.project_id,
          data: { messageId, visibility: 'conversation', authorType: 'reporter', channel: meta.channel },
        });
        // The case as it is now, under its lock: the team may have moved it (rejected it, say)
        // since it was read by its link; only a case still waiting for this answer goes to triage.
        await repo.lockCase(trx, c.id);
        const current = (await repo.findCaseById(trx, c.id)) ?? c;
        if (current.state === 'needs-info') {
          const moved = await applyTransition(
            trx,
            { clock, crypto },
            current,
            project.policy,
            { kind: 'system', audit: REPORTER, userId: null },
            { to: 'triage' },
          );
          await scheduleFirstResponseReminders(trx, clock, moved.row);
        }
        await enqueueCaseMail(trx, clock, c.id, 'message.team', messageId);
        await enqueueCaseWebhooks(trx, clock, c, 'case.reporter-message', { occurrence: messageId });
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
        await enqueueCaseWebhooks(trx, clock, c, 'case.reporter-message', {
          occurrence: `private-handling:${answer}`,
        });
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

/** The category a rejection's audit event names, if any (CaseTransitionData.reasonCategory). */
function rejectionCategoryOf(dataJson: string | undefined): string | null {
  if (!dataJson) return null;
  const data = JSON.parse(dataJson) as { reasonCategory?: unknown };
  return typeof data.reasonCategory === 'string' ? data.reasonCategory : null;
}
