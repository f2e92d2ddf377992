/** Data access for in-app notifications and each person's notification settings. Queries only. */
import type { DbReader, DbWriter } from '../../db/connection.js';
import type { NotificationsTable } from '../../db/schema.js';

export type NotificationRow = NotificationsTable;

/** Writes the rows; one already written for the same user and dedupe key is left as it is. */
export async function insertNotifications(db: DbWriter, rows: readonly NotificationRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('notifications')
    .values([...rows])
    .onConflict((oc) => oc.columns(['user_id', 'dedupe_key']).doNothing())
    .execute();
}

/** The settings of these users for one event (users without a row: the default). */
export function findModes(db: DbReader, userIds: readonly string[], event: string) {
  return db
    .selectFrom('notification_settings')
    .select(['user_id', 'mode'])
    .where('user_id', 'in', [...userIds])
    .where('event', '=', event)
    .execute();
}

/** Every setting of a user. */
export function listSettings(db: DbReader, userId: string) {
  return db
    .selectFrom('notification_settings')
    .select(['event', 'mode'])
    .where('user_id', '=', userId)
    .execute();
}

/** Sets a user's mode for an event. */
export async function upsertSetting(
  db: DbWriter,
  row: { user_id: string; event: string; mode: string; updated_at: string },
): Promise<void> {
  await db
    .insertInto('notification_settings')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['user_id', 'event']).doUpdateSet({ mode: row.mode, updated_at: row.updated_at }),
    )
    .execute();
}

const LIST_COLUMNS = [
  'n.id',
  'n.project_id',
  'n.case_id',
  'n.event',
  'n.label',
  'n.link',
  'n.created_at',
  'n.read_at',
] as const;

/** A user's notifications, newest first, after the cursor's (created_at, id). */
export function listNotifications(
  db: DbReader,
  userId: string,
  unreadOnly: boolean,
  before: readonly [createdAt: string, id: string] | undefined,
  limit: number,
) {
  return db
    .selectFrom('notifications as n')
    .innerJoin('projects as p', 'p.id', 'n.project_id')
    .leftJoin('cases as c', 'c.id', 'n.case_id')
    .select([...LIST_COLUMNS, 'p.name as project_name', 'c.human_id as case_human_id'])
    .where('n.user_id', '=', userId)
    .$if(unreadOnly, (qb) => qb.where('n.read_at', 'is', null))
    .$if(before !== undefined, (qb) =>
      qb.where((eb) =>
        eb(eb.refTuple('n.created_at', 'n.id'), '<', eb.tuple(before?.[0] ?? '', before?.[1] ?? '')),
      ),
    )
    .orderBy('n.created_at', 'desc')
    .orderBy('n.id', 'desc')
    .limit(limit)
    .execute();
}

/** How many of a user's notifications are unread. */
export async function countUnread(db: DbReader, userId: string): Promise<number> {
  const r = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Which of these ids are the user's own notifications. */
export async function ownIds(db: DbReader, userId: string, ids: readonly string[]): Promise<string[]> {
  const rows = await db
    .selectFrom('notifications')
    .select('id')
    .where('user_id', '=', userId)
    .where('id', 'in', [...ids])
    .execute();
  return rows.map((r) => r.id);
}

/** Marks the user's unread notifications read (these ids, or all); answers how many changed. */
export async function markRead(
  db: DbWriter,
  userId: string,
  ids: readonly string[] | 'all',
  at: string,
): Promise<number> {
  const r = await db
    .updateTable('notifications')
    .set({ read_at: at })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .$if(ids !== 'all', (qb) => qb.where('id', 'in', [...(ids === 'all' ? [] : ids)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** The users with at least one event set to the digest. */
export async function usersWithDigest(db: DbReader): Promise<string[]> {
  const rows = await db
    .selectFrom('notification_settings')
    .select('user_id')
    .distinct()
    .where('mode', '=', 'digest')
    .execute();
  return rows.map((r) => r.user_id);
}

/** A user's notifications not yet in a digest, for the events they set to the digest, oldest first. */
export function listForDigest(db: DbReader, userId: string, until: string, limit: number) {
  return db
    .selectFrom('notifications as n')
    .innerJoin('notification_settings as s', (j) =>
      j.onRef('s.user_id', '=', 'n.user_id').onRef('s.event', '=', 'n.event'),
    )
    .innerJoin('projects as p', 'p.id', 'n.project_id')
    .leftJoin('cases as c', 'c.id', 'n.case_id')
    .select(['n.id', 'n.event', 'n.link', 'p.name as project_name', 'c.human_id as case_human_id'])
    .where('n.user_id', '=', userId)
    .where('s.mode', '=', 'digest')
    .where('n.digested_at', 'is', null)
    .where('n.created_at', '<', until)
    .orderBy('n.created_at', 'asc')
    .orderBy('n.id', 'asc')
    .limit(limit)
    .execute();
}

/** Marks a user's notifications up to `until` as listed in a digest (those of digest events). */
export async function markDigested(db: DbWriter, userId: string, until: string, at: string): Promise<void> {
  await db
    .updateTable('notifications')
    .set({ digested_at: at })
    .where('user_id', '=', userId)
    .where('digested_at', 'is', null)
    .where('created_at', '<', until)
    .where('event', 'in', (eb) =>
      eb
        .selectFrom('notification_settings')
        .select('event')
        .where('user_id', '=', userId)
        .where('mode', '=', 'digest'),
    )
    .execute();
}

/** Counts the digest rows of a user not yet digested (for the "and N more" line). */
export async function countForDigest(db: DbReader, userId: string, until: string): Promise<number> {
  const r = await db
    .selectFrom('notifications as n')
    .innerJoin('notification_settings as s', (j) =>
      j.onRef('s.user_id', '=', 'n.user_id').onRef('s.event', '=', 'n.event'),
    )
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
    .where('n.user_id', '=', userId)
    .where('s.mode', '=', 'digest')
    .where('n.digested_at', 'is', null)
    .where('n.created_at', '<', until)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Team-notice jobs of `kinds` waiting for mail, due by `now`, that no sweep has looked at yet:
 * the oldest `limit` (the jobs' pending index, then the sweeps' key).
 */
export function listUnsweptNoticeJobs(db: DbReader, kinds: readonly string[], now: string, limit: number) {
  return db
    .selectFrom('jobs')
    .select(['jobs.id', 'jobs.kind', 'jobs.payload_json', 'jobs.attempts', 'jobs.max_attempts'])
    .where('jobs.state', '=', 'pending')
    .where('jobs.kind', 'in', [...kinds])
    .where('jobs.run_at', '<=', now)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('notification_sweeps as s').select('s.job_id').whereRef('s.job_id', '=', 'jobs.id'),
        ),
      ),
    )
    .orderBy('jobs.run_at')
    .orderBy('jobs.id')
    .limit(limit)
    .execute();
}

/** Records that the job's notifications were written while its mail waits. */
export async function markSwept(db: DbWriter, jobId: string, at: string): Promise<void> {
  await db
    .insertInto('notification_sweeps')
    .values({ job_id: jobId, swept_at: at })
    .onConflict((oc) => oc.column('job_id').doNothing())
    .execute();
}

/** Forgets the marks of jobs no longer waiting (sent, failed or gone). */
export async function forgetSweptJobs(db: DbWriter): Promise<void> {
  await db
    .deleteFrom('notification_sweeps')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('jobs')
            .select('jobs.id')
            .whereRef('jobs.id', '=', 'notification_sweeps.job_id')
            .where('jobs.state', '=', 'pending'),
        ),
      ),
    )
    .execute();
}

/**
 * Deletes the notifications read and made before `readBefore`, and every one made before
 * `anyBefore` (earlier), read or not: the hourly prune keeps the bell's list bounded.
 */
export async function pruneNotifications(
  db: DbWriter,
  readBefore: string,
  anyBefore: string,
): Promise<number> {
  const result = await db
    .deleteFrom('notifications')
    .where('created_at', '<', readBefore)
    .where((eb) => eb.or([eb('read_at', 'is not', null), eb('created_at', '<', anyBefore)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
