/** Data access for cases, their conversation, attachments and raw inbound mail. Queries only. */
import { sql } from 'kysely';
import type { DbReader, DbTransaction, DbWriter } from '../../db/connection.js';
import type {
  CaseAttachmentsTable,
  CaseMessagesTable,
  CasesTable,
  InboundMailTable,
} from '../../db/schema.js';

/** A case as services read it: not its reporter-link hash, nor the Fix Lead change's reason (kept for the record). */
export type CaseRow = Omit<CasesTable, 'reporter_token_hash' | 'fix_lead_reason_enc'>;

const CASE_COLUMNS = [
  'id',
  'project_id',
  'human_id',
  'state',
  'channel',
  'title_enc',
  'report_enc',
  'reporter_email_enc',
  'reporter_credit_enc',
  'reporter_token_enc',
  'publicly_known',
  'private_handling',
  'severity',
  'cvss_score',
  'duplicate_of',
  'flags_json',
  'received_at',
  'updated_at',
  'first_response_due_at',
  'first_responded_at',
  'triaged_at',
  'clock_paused_at',
  'paused_ms',
  'fix_lead_user_id',
  'fix_lead_assigned_at',
  'accepted_at',
  'team_organised_at',
  'fix_ready_at',
  'users_told_at',
  'disclosure_at',
  'released_at',
  'closed_at',
  'slowdown_json',
  'upstream_enc',
  'watchwords_enc',
  'slowdown_reason_enc',
  'held_at',
  'held_reason',
] as const;

/** The fix phase's columns (PROCESS.md §6, §8): null until the case gets there. */
type FixPhaseColumn =
  | 'fix_lead_user_id'
  | 'fix_lead_assigned_at'
  | 'accepted_at'
  | 'team_organised_at'
  | 'fix_ready_at'
  | 'users_told_at'
  | 'disclosure_at'
  | 'released_at'
  | 'closed_at'
  | 'slowdown_json'
  | 'upstream_enc'
  | 'watchwords_enc'
  | 'fix_lead_reason_enc'
  | 'slowdown_reason_enc';

/** A new case: the fix phase's columns, the score and the hold may be left out (a new report has none). */
export type NewCaseRow = Omit<CasesTable, FixPhaseColumn | 'cvss_score' | 'held_at' | 'held_reason'> &
  Partial<Pick<CasesTable, FixPhaseColumn | 'cvss_score' | 'held_at' | 'held_reason'>>;

/** Takes the next number for `prefix` in `year` (atomic: the upsert locks the counter row). */
export async function nextCaseNumber(db: DbTransaction, prefix: string, year: number): Promise<number> {
  const row = await db
    .insertInto('case_counters')
    .values({ prefix, year, last_seq: 1 })
    .onConflict((oc) =>
      oc
        .columns(['prefix', 'year'])
        .doUpdateSet((eb) => ({ last_seq: eb('case_counters.last_seq', '+', 1) })),
    )
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  return row.last_seq;
}

export async function insertCase(db: DbTransaction, row: NewCaseRow): Promise<void> {
  await db.insertInto('cases').values(row).execute();
}

export function findCaseById(db: DbReader, id: string): Promise<CaseRow | undefined> {
  return db.selectFrom('cases').select(CASE_COLUMNS).where('id', '=', id).executeTakeFirst();
}

export function findCaseByHumanId(db: DbReader, humanId: string): Promise<CaseRow | undefined> {
  return db.selectFrom('cases').select(CASE_COLUMNS).where('human_id', '=', humanId).executeTakeFirst();
}

/** A case by its human id (`CTR-2026-0001`, any case) or its uuid: how routes and the CLI name cases. */
export async function findCaseByRef(db: DbReader, ref: string): Promise<CaseRow | undefined> {
  // A uuid is looked up by id first (one query where the web and the API name cases by id). A
  // human id cannot look like one (36 characters would need a 16-digit sequence number), so the
  // order changes no answer.
  if (/^[0-9a-f-]{36}$/.test(ref)) {
    return (await findCaseById(db, ref)) ?? (await findCaseByHumanId(db, ref.toUpperCase()));
  }
  return findCaseByHumanId(db, ref.toUpperCase());
}

export function findCaseByReporterToken(db: DbReader, tokenHash: string): Promise<CaseRow | undefined> {
  return db
    .selectFrom('cases')
    .select(CASE_COLUMNS)
    .where('reporter_token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/**
 * Cases of the given projects and the given cases (those someone was invited to), optionally in
 * some states, led by one person, held or not held (as possibly a flood); newest first (the
 * service sorts by urgency).
 */
export function listCases(
  db: DbReader,
  projectIds: string[],
  states: string[] | undefined,
  limit: number,
  also: { caseIds?: readonly string[]; fixLeadUserId?: string | undefined; held?: boolean | undefined } = {},
): Promise<CaseRow[]> {
  const caseIds = [...(also.caseIds ?? [])];
  if (projectIds.length === 0 && caseIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('cases')
    .select(CASE_COLUMNS)
    .where((eb) =>
      eb.or([
        ...(projectIds.length > 0 ? [eb('project_id', 'in', projectIds)] : []),
        ...(caseIds.length > 0 ? [eb('id', 'in', caseIds)] : []),
      ]),
    )
    .$if(states !== undefined && states.length > 0, (qb) => qb.where('state', 'in', states ?? []))
    .$if(also.fixLeadUserId !== undefined, (qb) =>
      qb.where('fix_lead_user_id', '=', also.fixLeadUserId ?? ''),
    )
    .$if(also.held === true, (qb) => qb.where('held_at', 'is not', null))
    .$if(also.held === false, (qb) => qb.where('held_at', 'is', null))
    .orderBy('received_at', 'desc')
    .limit(limit)
    .execute();
}

/** Cases received since `since` in a project, for the response metrics. */
export function listCasesReceivedSince(db: DbReader, projectId: string, since: string) {
  return (
    db
      .selectFrom('cases')
      .select([
        'received_at',
        'first_response_due_at',
        'first_responded_at',
        'triaged_at',
        'paused_ms',
        'publicly_known',
      ])
      .where('project_id', '=', projectId)
      .where('received_at', '>=', since)
      // Imported history was never reported here: it has no clock to meet.
      .where('channel', '!=', 'import')
      // A held report (possibly a flood) has no clock until released: a flood does not skew them.
      .where('held_at', 'is', null)
      .execute()
  );
}

export async function updateCase(
  db: DbTransaction,
  id: string,
  patch: Partial<Omit<CasesTable, 'id' | 'project_id' | 'human_id'>>,
): Promise<void> {
  await db.updateTable('cases').set(patch).where('id', '=', id).execute();
}

/**
 * Takes the case row's write lock for the rest of the transaction without changing it (PostgreSQL:
 * the row lock; SQLite: the database's write lock) and answers the case's state as of the lock
 * (undefined: no such case). Whatever reads and then moves the case or its schedule takes it first
 * (a transition to `disclosure-scheduled`, a disclosure decision, a publication attempt, an
 * invitation, an early disclosure), in that order before the publication's row, and reads after it.
 */
export async function lockCase(db: DbTransaction, caseId: string): Promise<string | undefined> {
  const r = await db
    .updateTable('cases')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('id', '=', caseId)
    .returning('state')
    .executeTakeFirst();
  return r?.state;
}

/** Sets first_responded_at only if it is still unset (the first human answer wins). */
export async function markFirstResponse(db: DbTransaction, id: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('cases')
    .set({ first_responded_at: at })
    .where('id', '=', id)
    .where('first_responded_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// Messages

export type MessageInsert = Omit<CaseMessagesTable, 'visibility' | 'author_type'> & {
  visibility: 'conversation' | 'internal';
  author_type: 'reporter' | 'team' | 'system' | 'external';
};

export async function insertMessage(db: DbTransaction, row: MessageInsert): Promise<void> {
  await db.insertInto('case_messages').values(row).execute();
}

export function listMessages(db: DbReader, caseId: string, includeInternal: boolean) {
  return db
    .selectFrom('case_messages')
    .leftJoin('users', 'users.id', 'case_messages.author_user_id')
    .select([
      'case_messages.id',
      'case_messages.visibility',
      'case_messages.author_type',
      'case_messages.author_user_id',
      'users.name as author_name',
      'case_messages.body_enc',
      'case_messages.automatic',
      'case_messages.channel',
      'case_messages.flags_json',
      'case_messages.created_at',
    ])
    .where('case_messages.case_id', '=', caseId)
    .$if(!includeInternal, (qb) => qb.where('case_messages.visibility', '=', 'conversation'))
    .orderBy('case_messages.created_at')
    .orderBy('case_messages.id')
    .execute();
}

/** The case a stored outbound/inbound Message-ID belongs to (mail threading). */
export function findCaseIdByEmailMessageId(db: DbReader, messageIds: string[]): Promise<string | undefined> {
  if (messageIds.length === 0) return Promise.resolve(undefined);
  return db
    .selectFrom('case_messages')
    .select('case_id')
    .where('email_message_id', 'in', messageIds)
    .executeTakeFirst()
    .then((r) => r?.case_id);
}

// Attachments

export type AttachmentInsert = CaseAttachmentsTable;

export async function insertAttachment(db: DbTransaction, row: AttachmentInsert): Promise<void> {
  await db.insertInto('case_attachments').values(row).execute();
}

export function listAttachments(db: DbReader, caseId: string) {
  return db
    .selectFrom('case_attachments')
    .select([
      'id',
      'message_id',
      'filename_enc',
      'content_type',
      'size_bytes',
      'sha256',
      'flags_json',
      'uploaded_by',
      'created_at',
    ])
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .execute();
}

export function findAttachment(db: DbReader, caseId: string, id: string) {
  return db
    .selectFrom('case_attachments')
    .select(['id', 'filename_enc', 'content_type', 'size_bytes', 'data_enc', 'uploaded_by'])
    .where('case_id', '=', caseId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function attachmentBytes(db: DbReader, caseId: string): Promise<number> {
  const r = await db
    .selectFrom('case_attachments')
    .select(sql<number>`coalesce(sum(size_bytes), 0)`.as('total'))
    .where('case_id', '=', caseId)
    .executeTakeFirstOrThrow();
  return Number(r.total);
}

export async function insertInboundMail(db: DbWriter, row: InboundMailTable): Promise<void> {
  await db.insertInto('inbound_mail').values(row).execute();
}

export async function linkInboundMail(
  db: DbTransaction,
  id: string,
  caseId: string | null,
  flags: string[],
): Promise<void> {
  await db
    .updateTable('inbound_mail')
    .set({ case_id: caseId, flags_json: JSON.stringify(flags) })
    .where('id', '=', id)
    .execute();
}

/** Security-team members of a project: who is told and reminded. */
export function listTeamMembers(db: DbReader, projectId: string) {
  return db
    .selectFrom('project_members')
    .innerJoin('users', 'users.id', 'project_members.user_id')
    .select(['users.id', 'users.email', 'users.name'])
    .where('project_members.project_id', '=', projectId)
    .where('project_members.role', '=', 'security-team')
    .where('users.disabled_at', 'is', null)
    .execute();
}
