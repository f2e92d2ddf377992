/** Data access for the case access log: who read a case's confidential content. Queries only. */
import type { DbReader, DbWriter } from '../../db/connection.js';
import type { CaseAccessLogTable } from '../../db/schema.js';

/**
 * Records one read; a second read by the same reader of the same part of the same case in the same
 * ten-minute bucket is already there (the unique index answers, nothing is written twice).
 * Returns true when a row was written.
 */
export async function insertCaseRead(db: DbWriter, row: CaseAccessLogTable): Promise<boolean> {
  const r = await db
    .insertInto('case_access_log')
    .values(row)
    .onConflict((oc) => oc.columns(['case_id', 'reader_key', 'what', 'bucket']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** A page of a case's access log, newest first, with the readers' names; `before` is the last id seen. */
export function listCaseReads(db: DbReader, caseId: string, before: string | undefined, limit: number) {
  return db
    .selectFrom('case_access_log')
    .leftJoin('users', 'users.id', 'case_access_log.user_id')
    .select([
      'case_access_log.id',
      'case_access_log.principal_kind',
      'case_access_log.user_id',
      'case_access_log.operator_name',
      'case_access_log.what',
      'case_access_log.via',
      'case_access_log.reader_is_admin',
      'case_access_log.read_at',
      'users.name as user_name',
      'users.email as user_email',
    ])
    .where('case_access_log.case_id', '=', caseId)
    .$if(before !== undefined, (qb) => qb.where('case_access_log.id', '<', before ?? ''))
    .orderBy('case_access_log.id', 'desc')
    .limit(limit)
    .execute();
}
