/** Data access for the mail queue: the mail jobs of the `jobs` table, read only. Queries only. */
import type { DbReader } from '../../db/connection.js';

/** The position after which a page starts: the last row's creation time and id. */
export interface MailJobKey {
  createdAt: string;
  id: string;
}

/**
 * A page of the mail jobs of `kinds`, newest first: those waiting, sending or failed, and those sent
 * since `sentSince`. Never the payload's values beyond what the service reads (ids only).
 */
export function listMailJobs(
  db: DbReader,
  kinds: readonly string[],
  sentSince: string,
  after: MailJobKey | undefined,
  limit: number,
) {
  return db
    .selectFrom('jobs')
    .select([
      'id',
      'kind',
      'state',
      'attempts',
      'max_attempts',
      'run_at',
      'last_error',
      'payload_json',
      'created_at',
      'finished_at',
    ])
    .where('kind', 'in', kinds)
    .where((w) => w.or([w('state', '!=', 'done'), w('finished_at', '>=', sentSince)]))
    .$if(after !== undefined, (qb) =>
      qb.where((w) =>
        w.or([
          w('created_at', '<', after?.createdAt ?? ''),
          w.and([w('created_at', '=', after?.createdAt ?? ''), w('id', '<', after?.id ?? '')]),
        ]),
      ),
    )
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** How many mail jobs wait (pending or running), the oldest one's creation, and how many failed. */
export async function mailQueueCounts(db: DbReader, kinds: readonly string[], failedSince: string) {
  const row = await db
    .selectFrom('jobs')
    .select((eb) => [
      eb.fn
        .sum<number | string | null>(
          eb.case().when('state', 'in', ['pending', 'running']).then(1).else(0).end(),
        )
        .as('queued'),
      eb.fn
        .sum<number | string | null>(eb.case().when('state', '=', 'failed').then(1).else(0).end())
        .as('failed'),
      eb.fn
        .sum<number | string | null>(
          eb
            .case()
            .when(eb.and([eb('state', '=', 'failed'), eb('finished_at', '>=', failedSince)]))
            .then(1)
            .else(0)
            .end(),
        )
        .as('failed_recently'),
      eb.fn
        .min<string | null>(
          eb.case().when('state', 'in', ['pending', 'running']).then(eb.ref('created_at')).end(),
        )
        .as('oldest_queued_at'),
    ])
    .where('kind', 'in', kinds)
    .where('state', 'in', ['pending', 'running', 'failed'])
    .executeTakeFirst();
  return {
    queued: Number(row?.queued ?? 0),
    failed: Number(row?.failed ?? 0),
    failedRecently: Number(row?.failed_recently ?? 0),
    oldestQueuedAt: row?.oldest_queued_at ?? null,
  };
}

/** The human ids of these cases (for naming a mail job's case). */
export function caseHumanIds(db: DbReader, caseIds: readonly string[]) {
  return db.selectFrom('cases').select(['id', 'human_id']).where('id', 'in', caseIds).execute();
}
