/**
 * Mail intake: one RFC 5322 message for a project, from an MTA pipe (`vigil mail ingest`) or the
 * SMTP listener. The raw message is stored first, whole and encrypted, so nothing is ever dropped;
 * then it is decrypted (OpenPGP) and parsed, and becomes either a reply on its case (matched by the
 * case's tagged reply address, or by thread headers from the reporter's own address; never by the
 * subject) or a new case. What cannot be decrypted or parsed is flagged and the team is told.
 */
import { appendAuditEvent } from '../../../audit/audit.log.js';
import type { Db } from '../../../db/connection.js';
import type { Clock } from '../../../lib/clock.js';
import { newId } from '../../../lib/ids.js';
import { parseInboundMail, type InboundMail } from '../../../mail/inbound/inbound.parser.js';
import { caseCandidatesFromThread, findCaseReplyAddress } from '../../../mail/outbound/addressing.js';
import { emailSchema } from '../../accounts/accounts.schemas.js';
import { projectContextBySlug, type ProjectContext } from '../case-context.js';
import { enqueueCaseMail } from '../case-notify.js';
import { enqueueCaseWebhooks } from '../../webhooks/webhooks.steps.js';
import { caseCrypto, type CaseCipher } from '../case-view.js';
import * as repo from '../cases.repo.js';
import type { AttachmentInput, ReportInput } from '../cases.schemas.js';
import type { PgpService } from '../../pgp/pgp.service.js';
import type { IntakeService } from './intake.service.js';

export interface MailIntakeDeps {
  db: Db;
  clock: Clock;
  cipher: CaseCipher;
  intake: IntakeService;
  pgp: Pick<PgpService, 'decryptingKeys'>;
  replyDomain: string;
  replySecret: () => Promise<Buffer>;
}

export interface IngestResult {
  outcome: 'new-case' | 'reply' | 'kept-for-team';
  caseHumanId: string;
  flags: string[];
  inboundMailId: string;
}

const TEXT_MAX = 100_000;
const PROBLEM_FLAGS = ['undecryptable', 'malformed-mime', 'partly-encrypted'];

/** A parsed mail, with what a case takes of it. */
interface OpenedMail {
  mail: InboundMail;
  /** The text, cut at TEXT_MAX (the raw mail keeps the whole). */
  text: string;
  /** The attachments, or none when they exceed the project's per-case budget. */
  attachments: AttachmentInput[];
  flags: string[];
  emailMessageId: string | null;
}

function singleLine(text: string, max: number): string {
  return text
    .replace(/[\r\n\t]+/g, ' ')
    .trim()
    .slice(0, max);
}

/** The mail's attachments as report input, if they fit in `budget` bytes. */
function attachmentsWithin(
  mail: InboundMail,
  budget: number,
): { attachments: AttachmentInput[]; fit: boolean } {
  const total = mail.attachments.reduce((n, a) => n + a.size, 0);
  if (total > budget) return { attachments: [], fit: false };
  const attachments = mail.attachments.map((a) => ({
    filename: a.filename,
    contentType: a.contentType,
    contentBase64: a.content.toString('base64'),
  }));
  return { attachments, fit: true };
}

/** A new report from a mail that answers no case: its subject, sender and text, never guessed further. */
function reportFromMail({ mail, text, attachments, flags }: OpenedMail): ReportInput {
  const sender = emailSchema.safeParse(mail.from?.address ?? '');
  const undecrypted = flags.includes('undecryptable');
  return {
    subject: singleLine(
      undecrypted ? 'Encrypted mail that could not be decrypted' : mail.subject || '(no subject)',
      200,
    ).padEnd(3, '.'),
    reporter: {
      anonymous: false,
      ...(mail.from?.name ? { name: singleLine(mail.from.name, 200) } : {}),
      ...(sender.success ? { email: sender.data } : {}),
    },
    reproduction:
      text ||
      (undecrypted
        ? '(The mail could not be decrypted. It is kept whole: see the flags.)'
        : '(empty message)'),
    effects: '',
    impact: '',
    dependencies: '',
    publiclyKnown: false,
    publicDetails: '',
    attachments,
  };
}

export type MailIntake = ReturnType<typeof createMailIntake>;

/** Builds mail intake. */
export function createMailIntake(deps: MailIntakeDeps) {
  const { db, clock } = deps;
  const k = db.kysely;
  const crypto = caseCrypto(deps.cipher);

  /** Stores the raw message, encrypted, before anything can fail on its content; returns its id. */
  async function storeRawMail(projectId: string, raw: Buffer): Promise<string> {
    const inboundMailId = newId();
    await repo.insertInboundMail(k, {
      id: inboundMailId,
      project_id: projectId,
      case_id: null,
      raw_enc: crypto.rawMail.seal(inboundMailId, raw),
      size_bytes: raw.length,
      flags_json: '[]',
      received_at: clock.now().toISOString(),
    });
    return inboundMailId;
  }

  /** Decrypts (with the project's keys, when they can be had) and parses the mail; flags what went wrong. */
  async function openMail(project: ProjectContext, raw: Buffer): Promise<OpenedMail> {
    let keysProblem = false;
    const keys = await deps.pgp.decryptingKeys(project.id).catch(() => {
      keysProblem = true;
      return [];
    });
    const mail = await parseInboundMail(raw, { decryptionKeys: keys });
    const flags = [...new Set<string>([...mail.flags, ...(keysProblem ? ['keys-unavailable'] : [])])];
    const text =
      mail.text.length > TEXT_MAX
        ? `${mail.text.slice(0, TEXT_MAX)}\n[… cut here: the whole mail is kept]`
        : mail.text;
    const { attachments, fit } = attachmentsWithin(mail, project.policy.intake.maxAttachmentBytesPerCase);
    if (!fit) flags.push('attachments-only-in-raw-mail');
    return { mail, text, attachments, flags, emailMessageId: mail.messageId ?? null };
  }

  /** The case a mail answers, if its headers prove it; `verified` when it comes from the reporter. */
  async function matchCase(
    mail: InboundMail,
    projectId: string,
  ): Promise<{ c: repo.CaseRow; verified: boolean } | undefined> {
    const sender = mail.from?.address.toLowerCase();
    const fromReporter = (c: repo.CaseRow) =>
      Boolean(
        sender &&
        c.reporter_email_enc &&
        crypto.reporterEmail.open(c.id, c.reporter_email_enc).toLowerCase() === sender,
      );
    const tagged = findCaseReplyAddress(
      [...mail.to, ...mail.cc, ...mail.deliveredTo],
      await deps.replySecret(),
      deps.replyDomain,
    );
    if (tagged) {
      const c = await repo.findCaseById(k, tagged);
      if (c && c.project_id === projectId) return { c, verified: fromReporter(c) };
    }
    // Thread headers are easy to forge: they count only from the reporter's own address.
    const inReplyTo = mail.inReplyTo;
    for (const candidate of caseCandidatesFromThread(
      { ...(inReplyTo !== undefined && { inReplyTo }), references: mail.references },
      deps.replyDomain,
    )) {
      const c = await repo.findCaseById(k, candidate.caseId);
      if (c && c.project_id === projectId && fromReporter(c)) return { c, verified: true };
    }
    return undefined;
  }

  /** To the case's address but not from its reporter: kept as an internal note, and the team decides. */
  async function keepForTeam(
    c: repo.CaseRow,
    { mail, text, flags, emailMessageId }: OpenedMail,
  ): Promise<void> {
    const id = newId();
    await k.transaction().execute(async (trx) => {
      await repo.insertMessage(trx, {
        id,
        case_id: c.id,
        visibility: 'internal',
        author_type: 'external',
        author_user_id: null,
        body_enc: crypto.message.seal(
          id,
          `Mail from ${mail.from?.address ?? 'an unknown sender'} to this case's address:\n\n${text}`,
        ),
        automatic: 0,
        channel: 'email',
        email_message_id: emailMessageId,
        flags_json: JSON.stringify([...flags, 'unverified-sender']),
        created_at: clock.now().toISOString(),
      });
      await enqueueCaseMail(trx, clock, c.id, 'message.team', id);
    });
  }

  /** A reply from the case's reporter, kept for the team, or a new report. */
  async function routeMail(
    slug: string,
    projectId: string,
    opened: OpenedMail,
    inboundMailId: string,
  ): Promise<IngestResult> {
    const { text, attachments, flags, emailMessageId } = opened;
    const match = await matchCase(opened.mail, projectId);
    if (match?.verified) {
      await deps.intake.appendReporterMessage(
        match.c,
        { body: text || '(empty message)', attachments },
        { channel: 'email', emailMessageId, flags },
      );
      return { outcome: 'reply', caseHumanId: match.c.human_id, flags, inboundMailId };
    }
    if (match) {
      await keepForTeam(match.c, opened);
      const kept = [...flags, 'unverified-sender'];
      return { outcome: 'kept-for-team', caseHumanId: match.c.human_id, flags: kept, inboundMailId };
    }
    const filed = await deps.intake.submitReport(slug, reportFromMail(opened), {
      channel: 'email',
      emailMessageId,
      flags,
    });
    return { outcome: 'new-case', caseHumanId: filed.humanId, flags, inboundMailId };
  }

  /**
   * Links the raw mail to its case with the flags and audits `case.mail_kept`; a mail that could
   * not be decrypted or parsed tells the team.
   */
  async function recordIngest(projectId: string, inboundMailId: string, result: IngestResult): Promise<void> {
    const c = await repo.findCaseByHumanId(k, result.caseHumanId);
    await k.transaction().execute(async (trx) => {
      await repo.linkInboundMail(trx, inboundMailId, c?.id ?? null, result.flags);
      await appendAuditEvent(trx, clock, {
        actor: { type: 'system', id: 'mail' },
        action: 'case.mail_kept',
        subject: { type: 'case', id: c?.id ?? null },
        projectId,
        data: { inboundMailId, flags: result.flags },
      });
      const problem = result.flags.find((f) => PROBLEM_FLAGS.includes(f));
      if (c && problem)
        await enqueueCaseMail(
          trx,
          clock,
          c.id,
          'undecryptable.team',
          `${problem === 'malformed-mime' ? 'cannot-parse' : 'cannot-decrypt'}:${inboundMailId}`,
        );
      if (c && problem)
        await enqueueCaseWebhooks(trx, clock, c, 'case.undecryptable', { occurrence: inboundMailId });
    });
  }

  return {
    replyDomain: deps.replyDomain,

    /** Ingests one message for the project `slug`: stored raw, opened, routed, recorded. */
    async ingest(slug: string, raw: Buffer): Promise<IngestResult> {
      const project = await projectContextBySlug(k, slug);
      const inboundMailId = await storeRawMail(project.id, raw);
      const opened = await openMail(project, raw);
      const result = await routeMail(slug, project.id, opened, inboundMailId);
      await recordIngest(project.id, inboundMailId, result);
      return result;
    },
  };
}
