/**
 * The dashboard's own statements (the rest is the inbox's `listInboxPage` and `countInbox`):
 * the embargoes ending soon, and the first-response clocks counted per project. Both read index
 * ranges: `cases_disclosure_idx` (project_id, disclosure_at) and the inbox's (project_id,
 * urgency_key, ...), so they cost what falls in the range, not what the projects hold.
 */
import { sql } from 'kysely';
import type { DbReader } from '../../db/connection.js';
import type { CasesTable } from '../../db/schema.js';
import { DISCLOSED_STATES } from '../cases/case-transitions.js';

/** Whole projects the caller may read, and single cases (of other projects) they were invited to. */
export interface CaseScope {
  projectIds: readonly string[];
  caseIds: readonly string[];
}

export type EmbargoRow = Pick<CasesTable, 'id' | 'project_id' | 'human_id' | 'state' | 'title_enc'> & {
  disclosure_at: string;
};

function embargoRange(db: DbReader, scope: CaseScope, from: string, upTo: string) {
  return db
    .selectFrom('cases')
    .where('cases.disclosure_at', '>', from)
    .where('cases.disclosure_at', '<=', upTo)
    .where('cases.state', 'not in', [...DISCLOSED_STATES])
    .where((eb) =>
      eb.or([
        ...(scope.projectIds.length > 0 ? [eb('cases.project_id', 'in', [...scope.projectIds])] : []),
        ...(scope.caseIds.length > 0 ? [eb('cases.id', 'in', [...scope.caseIds])] : []),
      ]),
    );
}

/**
 * The cases of `scope` whose agreed disclosure instant is after `from` and up to `upTo`, not yet
 * published, soonest first (then by id), at most `limit`.
 */
export async function listEmbargoesEnding(
  db: DbReader,
  scope: CaseScope,
  from: string,
  upTo: string,
  limit: number,
): Promise<EmbargoRow[]> {
  if (scope.projectIds.length === 0 && scope.caseIds.length === 0) return [];
  const rows = await embargoRange(db, scope, from, upTo)
    .select([
      'cases.id',
      'cases.project_id',
      'cases.human_id',
      'cases.state',
      'cases.title_enc',
      'cases.disclosure_at',
    ])
    .orderBy('cases.disclosure_at')
    .orderBy('cases.id')
    .limit(limit)
    .execute();
  return rows.flatMap((r) => (r.disclosure_at === null ? [] : [{ ...r, disclosure_at: r.disclosure_at }]));
}

/** How many cases `listEmbargoesEnding` would find without its limit. */
export async function countEmbargoesEnding(
  db: DbReader,
  scope: CaseScope,
  from: string,
  upTo: string,
): Promise<number> {
  if (scope.projectIds.length === 0 && scope.caseIds.length === 0) return 0;
  const r = await embargoRange(db, scope, from, upTo)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export interface ClockCounts {
  project_id: string;
  /** Not answered (the clock running, paused, or without a deadline). */
  unanswered: number;
  overdue: number;
  due_within_24h: number;
}

/**
 * Per project of `projectIds`, its unanswered cases (urgency key `0`, `1` or `2`: the inbox's order),
 * those overdue (key up to `0` + `now`) and those due within 24 hours (up to `0` + `soon`). One
 * statement: an index range per project over the unanswered cases only (held reports and answered
 * cases are outside it).
 */
export async function countClocksByProject(
  db: DbReader,
  projectIds: readonly string[],
  now: string,
  soon: string,
): Promise<ClockCounts[]> {
  if (projectIds.length === 0) return [];
  const overdueUpTo = `0${now}`;
  const soonUpTo = `0${soon}`;
  const rows = await db
    .selectFrom('cases')
    .where('cases.project_id', 'in', [...projectIds])
    .where('cases.urgency_key', '>', '0')
    .where('cases.urgency_key', '<', '3')
    .select((eb) => [
      'cases.project_id',
      eb.fn.countAll<number | string>().as('unanswered'),
      sql<
        number | string
      >`sum(case when ${eb.ref('cases.urgency_key')} <= ${overdueUpTo} then 1 else 0 end)`.as('overdue'),
      sql<
        number | string
      >`sum(case when ${eb.ref('cases.urgency_key')} > ${overdueUpTo} and ${eb.ref('cases.urgency_key')} <= ${soonUpTo} then 1 else 0 end)`.as(
        'due_within_24h',
      ),
    ])
    .groupBy('cases.project_id')
    .execute();
  return rows.map((r) => ({
    project_id: r.project_id,
    unanswered: Number(r.unanswered),
    overdue: Number(r.overdue),
    due_within_24h: Number(r.due_within_24h),
  }));
}
