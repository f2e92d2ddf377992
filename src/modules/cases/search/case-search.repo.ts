/** Data access for the title search's terms (case-search.ts). Queries only. */
import type { DbTransaction } from '../../../db/connection.js';
import type { CaseSearchTermsTable } from '../../../db/schema.js';

/** Stores a title's terms (none: nothing to do). */
export async function insertSearchTerms(db: DbTransaction, rows: CaseSearchTermsTable[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('case_search_terms')
    .values(rows)
    .onConflict((oc) => oc.doNothing())
    .execute();
}
