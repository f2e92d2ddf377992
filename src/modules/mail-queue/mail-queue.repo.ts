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

/**
 * The queue's counts at `now`: `queued`, the mail that should have gone (due and not yet sent, or
 * retrying after a failed attempt); `scheduled`, reminders not yet due; `failed` in all and since
 * `failedSince`; and since when the oldest queued mail waits (its due time, or its creation for a
 * retrying one).
 */
export async function mailQueueCounts(
  db: DbReader,
  kinds: readonly string[],
  now: string,
  failedSince: string,
) {
  const row = await db
    .selectFrom('jobs')
    .select((eb) => {
      const retrying = eb.or([
        eb('state', '=', 'running'),
        eb.and([eb('state', '=', 'pending'), eb('attempts', '>', 0)]),
      ]);
      const due = eb.and([eb('state', '=', 'pending'), eb('attempts', '=', 0), eb('run_at', '<=', now)]);
      const count = (condition: typeof due) =>
        eb.fn.sum<number | string | null>(eb.case().when(condition).then(1).else(0).end());
      return [
        count(eb.or([due, retrying])).as('queued'),
        count(eb.and([eb('state', '=', 'pending'), eb('attempts', '=', 0), eb('run_at', '>', now)])).as(
          'scheduled',
        ),
        count(eb('state', '=', 'failed')).as('failed'),
        count(eb.and([eb('state', '=', 'failed'), eb('finished_at', '>=', failedSince)])).as(
          'failed_recently',
        ),
        eb.fn
          .min<string | null>(
            eb.case().when(due).then(eb.ref('run_at')).when(retrying).then(eb.ref('created_at')).end(),
          )
          .as('oldest_queued_at'),
      ];
    })
    .where('kind', 'in', kinds)
    .where('state', 'in', ['pending', 'running', 'failed'])
    .executeTakeFirst();
  return {
    queued: Number(row?.queued ?? 0),
    scheduled: Number(row?.scheduled ?? 0),
    failed: Number(row?.failed ?? 0),
    failedRecently: Number(row?.failed_recently ?? 0),
    oldestQueuedAt: row?.oldest_queued_at ?? null,
  };
}

/** The human ids of these cases (for naming a mail job's case). */
export function caseHumanIds(db: DbReader, caseIds: readonly string[]) {
  return db.selectFrom('cases').select(['id', 'human_id']).where('id', 'in', caseIds).execute();
}
