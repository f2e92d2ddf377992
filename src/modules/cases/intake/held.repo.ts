/** Data access for held reports (possibly a flood) and spent proofs of work. Queries only. */
import type { DbReader, DbTransaction, DbWriter } from '../../../db/connection.js';

/**
 * Remembers a proof's challenge as spent until it expires; false when it was spent before (the
 * primary key refuses the second use, also between concurrent requests).
 */
export async function spendProof(
  db: DbTransaction,
  challengeHash: string,
  expiresAt: string,
): Promise<boolean> {
  const row = await db
    .insertInto('intake_proofs_spent')
    .values({ challenge_hash: challengeHash, expires_at: expiresAt })
    .onConflict((oc) => oc.column('challenge_hash').doNothing())
    .returning('challenge_hash')
    .executeTakeFirst();
  return row !== undefined;
}

/** Forgets spent proofs whose challenges expired before `before` (they cannot be sent again). */
export async function pruneSpentProofs(db: DbWriter, before: string): Promise<void> {
  await db.deleteFrom('intake_proofs_spent').where('expires_at', '<', before).execute();
}

/** How many cases each of the projects holds (possibly a flood): projects without any are absent. */
export async function countHeldCases(
  db: DbReader,
  projectIds: readonly string[],
): Promise<{ projectId: string; held: number }[]> {
  if (projectIds.length === 0) return [];
  const rows = await db
    .selectFrom('cases')
    .select(['project_id', (eb) => eb.fn.countAll<string | number>().as('held')])
    .where('project_id', 'in', [...projectIds])
    .where('held_at', 'is not', null)
    .groupBy('project_id')
    .execute();
  return rows.map((r) => ({ projectId: r.project_id, held: Number(r.held) }));
}
