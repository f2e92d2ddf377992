/** Data access for a case's disclosure-date negotiation: proposals, answers, decisions. Queries only. */
import type { DbReader, DbTransaction } from '../../../db/connection.js';
import type {
  DisclosureDecisionsTable,
  DisclosureProposalsTable,
  DisclosureResponsesTable,
} from '../../../db/schema.js';

export type ProposalRow = DisclosureProposalsTable;
export type ResponseRow = DisclosureResponsesTable;
export type DecisionRow = DisclosureDecisionsTable;

const PROPOSAL_COLUMNS = [
  'id',
  'case_id',
  'project_id',
  'at',
  'time_zone',
  'note_enc',
  'proposed_by_user_id',
  'created_at',
  'closed_at',
] as const;

const RESPONSE_COLUMNS = [
  'id',
  'proposal_id',
  'case_id',
  'party',
  'party_key',
  'org_id',
  'user_id',
  'answer',
  'reason_enc',
  'counter_at',
  'counter_time_zone',
  'created_at',
  'updated_at',
] as const;

const DECISION_COLUMNS = [
  'id',
  'case_id',
  'project_id',
  'proposal_id',
  'at',
  'time_zone',
  'previous_at',
  'overrides_json',
  'findings_json',
  'note_enc',
  'decided_by_user_id',
  'decided_at',
] as const;

export async function insertProposal(db: DbTransaction, row: ProposalRow): Promise<void> {
  await db.insertInto('disclosure_proposals').values(row).execute();
}

/** Closes the case's open proposal(s): a newer proposal or a decision replaces them. */
export async function closeOpenProposals(db: DbTransaction, caseId: string, at: string): Promise<void> {
  await db
    .updateTable('disclosure_proposals')
    .set({ closed_at: at })
    .where('case_id', '=', caseId)
    .where('closed_at', 'is', null)
    .execute();
}

/** The case's proposals, oldest first (at most 200: a negotiation is not longer than that). */
export function listProposals(db: DbReader, caseId: string): Promise<ProposalRow[]> {
  return db
    .selectFrom('disclosure_proposals')
    .select(PROPOSAL_COLUMNS)
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .orderBy('id')
    .limit(200)
    .execute();
}

export function findProposal(db: DbReader, caseId: string, id: string): Promise<ProposalRow | undefined> {
  return db
    .selectFrom('disclosure_proposals')
    .select(PROPOSAL_COLUMNS)
    .where('case_id', '=', caseId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Every answer to the case's proposals. */
export function listResponses(db: DbReader, caseId: string): Promise<ResponseRow[]> {
  return db
    .selectFrom('disclosure_responses')
    .select(RESPONSE_COLUMNS)
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export function findResponse(
  db: DbReader,
  proposalId: string,
  partyKey: string,
): Promise<ResponseRow | undefined> {
  return db
    .selectFrom('disclosure_responses')
    .select(RESPONSE_COLUMNS)
    .where('proposal_id', '=', proposalId)
    .where('party_key', '=', partyKey)
    .executeTakeFirst();
}

export async function insertResponse(db: DbTransaction, row: ResponseRow): Promise<void> {
  await db.insertInto('disclosure_responses').values(row).execute();
}

/** A party answers again: their answer replaces the one before. */
export async function updateResponse(
  db: DbTransaction,
  id: string,
  patch: Pick<
    ResponseRow,
    'user_id' | 'answer' | 'reason_enc' | 'counter_at' | 'counter_time_zone' | 'updated_at'
  >,
): Promise<void> {
  await db.updateTable('disclosure_responses').set(patch).where('id', '=', id).execute();
}

export async function insertDecision(db: DbTransaction, row: DecisionRow): Promise<void> {
  await db.insertInto('disclosure_decisions').values(row).execute();
}

/** The case's decisions, oldest first. */
export function listDecisions(db: DbReader, caseId: string): Promise<DecisionRow[]> {
  return db
    .selectFrom('disclosure_decisions')
    .select(DECISION_COLUMNS)
    .where('case_id', '=', caseId)
    .orderBy('decided_at')
    .orderBy('id')
    .limit(200)
    .execute();
}

/** The case's newest decision: its instant is the agreed disclosure. */
export function latestDecision(db: DbReader, caseId: string): Promise<DecisionRow | undefined> {
  return db
    .selectFrom('disclosure_decisions')
    .select(DECISION_COLUMNS)
    .where('case_id', '=', caseId)
    .orderBy('decided_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}
