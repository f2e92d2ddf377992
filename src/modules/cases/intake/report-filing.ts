/**
 * The parts of filing a report as a case: the case's human id, the stored row (every confidential
 * field sealed to its row), the reporter's attachments, the automatic receipt with the
 * `case.received` audit event, and the mail and reminders it queues. Intake's `fileReports` writes
 * them for a group of reports in this order, each kind with one statement for the whole group; a
 * reporter's message reuses `storeAttachments`.
 */
import { appendAuditEvent } from '../../../audit/audit.log.js';
import type { Actor, AuditEventInput } from '../../../audit/audit.events.js';
import type { DbTransaction } from '../../../db/connection.js';
import type { NewCaseRow } from '../cases.repo.js';
import type { Clock } from '../../../lib/clock.js';
import { formatInstant } from '../../../lib/format-instant.js';
import { hashSecret, newSortableId } from '../../../lib/ids.js';
import type { AcceptedAttachment } from '../attachments.js';
import type { ProjectContext } from '../case-context.js';
import { caseMailJob, firstResponseReminderJobs } from '../case-notify.js';
import type { EnqueueJobInput } from '../../../jobs/job.queue.js';
import type { CaseCrypto } from '../case-view.js';
import * as repo from '../cases.repo.js';
import type { ReportInput } from '../cases.schemas.js';
import { FLOOD_FLAG, type HeldReason } from './held.js';

export type Channel = 'web' | 'api' | 'email';

/** How a report or a reporter's message came in. */
export interface ReportMeta {
  channel: Channel;
  emailMessageId?: string | null;
  flags?: string[];
}

/** How intake admitted a report: held as possibly a flood (over the project's quota), or not. */
export interface Admission {
  held: HeldReason | null;
  /** It carried a valid, unused proof of work. */
  proofOfWork: boolean;
}

/** What the filing steps write with. */
export interface FilingDeps {
  clock: Clock;
  crypto: CaseCrypto;
}

/** Everything intake does on the reporter's behalf is recorded as this actor. */
export const REPORTER: Actor = { type: 'system', id: 'reporter' };

/** The prefix and year of the project's case numbers at `now`: `CTR` and 2026 (`VGL` without a prefix). */
export function caseNumbering(project: ProjectContext, now: Date): { prefix: string; year: number } {
  return { prefix: project.policy.intake.caseIdPrefix ?? 'VGL', year: now.getUTCFullYear() };
}

/** A human id: `CTR-2026-0001`. */
export function humanIdOf(prefix: string, year: number, n: number): string {
  return `${prefix}-${year}-${String(n).padStart(4, '0')}`;
}

/**
 * The new case's row, state `received`, with the report, the reporter and their link token sealed.
 * A held report has no response deadline yet: its clock starts when it is released.
 */
export function newCaseRow(
  crypto: CaseCrypto,
  c: { id: string; humanId: string; projectId: string; token: string; now: Date; due: Date | null },
  input: ReportInput,
  meta: ReportMeta,
  admission: Admission = { held: null, proofOfWork: false },
): NewCaseRow {
  const { id, token } = c;
  const nowIso = c.now.toISOString();
  const { email, ...credit } = input.reporter;
  return {
    id,
    project_id: c.projectId,
    human_id: c.humanId,
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
    flags_json: JSON.stringify([...(meta.flags ?? []), ...(admission.held ? [FLOOD_FLAG] : [])]),
    received_at: nowIso,
    updated_at: nowIso,
    first_response_due_at: admission.held ? null : (c.due?.toISOString() ?? null),
    first_responded_at: null,
    triaged_at: null,
    clock_paused_at: null,
    paused_ms: 0,
    held_at: admission.held ? nowIso : null,
    held_reason: admission.held,
  };
}

/** Seals and stores the reporter's attachments of a case (or of one of its messages), each audited. */
export async function storeAttachments(
  trx: DbTransaction,
  deps: FilingDeps,
  caseId: string,
  messageId: string | null,
  files: AcceptedAttachment[],
  by: string,
): Promise<void> {
  for (const f of files) {
    const id = newSortableId();
    await repo.insertAttachment(trx, {
      id,
      case_id: caseId,
      message_id: messageId,
      filename_enc: deps.crypto.filename.seal(id, f.filename),
      content_type: f.contentType,
      size_bytes: f.bytes.length,
      sha256: f.sha256,
      flags_json: JSON.stringify(f.flags),
      data_enc: deps.crypto.attachment.seal(id, f.bytes),
      uploaded_by: by,
      created_at: deps.clock.now().toISOString(),
    });
    await appendAuditEvent(trx, deps.clock, {
      actor: REPORTER,
      action: 'case.attachment_added',
      subject: { type: 'case', id: caseId },
      data: { attachmentId: id, sizeBytes: f.bytes.length, flags: f.flags },
    });
  }
}

/**
 * The automatic receipt's text: when the team will answer, in the project's time zone; or, for a
 * held report, that it waits for a confirmation and how to give it.
 */
export function receiptText(
  humanId: string,
  project: ProjectContext,
  due: Date | null,
  publiclyKnown: boolean,
  held = false,
): string {
  if (held) {
    return (
      `Your report ${humanId} is stored, but held: the ${project.name} security team received very many ` +
      'reports recently, so new ones wait for a confirmation that a person sent them before the team is told. ' +
      'Confirm it with the link in the receipt we mailed you, or with the “Confirm my report” button on this page ' +
      '(your browser solves a puzzle: a few seconds, or some minutes while the project receives very many ' +
      'reports). The team can also release it. Nothing you wrote is lost.'
    );
  }
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

/** What a filed report's receipt and audit event say about it. */
export interface FiledReport {
  row: NewCaseRow;
  project: ProjectContext;
  due: Date | null;
  attachments: number;
  proofOfWork?: boolean;
}

/** The automatic receipt in the conversation: its row, sealed. */
export function receiptMessage(
  deps: FilingDeps,
  filed: FiledReport,
  input: ReportInput,
  meta: ReportMeta,
): repo.MessageInsert {
  const { row, project } = filed;
  const receiptId = newSortableId();
  return {
    id: receiptId,
    case_id: row.id,
    visibility: 'conversation',
    author_type: 'system',
    author_user_id: null,
    body_enc: deps.crypto.message.seal(
      receiptId,
      receiptText(row.human_id, project, filed.due, input.publiclyKnown, row.held_at !== null),
    ),
    automatic: 1,
    channel: meta.channel,
    email_message_id: meta.emailMessageId ?? null,
    flags_json: '[]',
    created_at: row.received_at,
  };
}

/** The `case.received` audit event of a filed report. */
export function receivedEvent(
  filed: FiledReport,
  input: ReportInput,
  meta: ReportMeta,
): AuditEventInput<'case.received'> {
  const { row, project } = filed;
  return {
    actor: REPORTER,
    action: 'case.received',
    subject: { type: 'case', id: row.id },
    projectId: project.id,
    data: {
      humanId: row.human_id,
      channel: meta.channel,
      publiclyKnown: input.publiclyKnown,
      attachments: filed.attachments,
      ...(row.held_at !== null && { held: true }),
      ...(filed.proofOfWork && { proofOfWork: true }),
    },
  };
}

/**
 * The new-report mail (the team; the reporter if they gave an address) and the reminders, planned
 * from the row written (not read back). A held report tells only the reporter (their receipt
 * carries the confirmation link): the team's mail and the reminders go when it is released.
 */
export function reportJobs(
  clock: Clock,
  row: NewCaseRow,
  reporterHasEmail: boolean,
  held = false,
): EnqueueJobInput[] {
  return [
    ...(held ? [] : [caseMailJob(row.id, 'report-received.team')]),
    ...(reporterHasEmail ? [caseMailJob(row.id, 'report-received.reporter')] : []),
    ...(held ? [] : firstResponseReminderJobs(clock, row)),
  ];
}
