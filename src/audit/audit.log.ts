/**
 * The hash-chained audit log. `appendAuditEvent` runs inside the caller's transaction, so the event
 * exists exactly when the change it records does. Each event's hash covers its own fields and the
 * previous event's hash; `audit_head` holds the newest (seq, hash) so that appends are serialised
 * across instances (the UPDATE takes its row lock) and removing the newest events is detectable.
 */
import { createHash } from 'node:crypto';
import type { Db, DbTransaction } from '../db/connection.js';
import type { AuditEventsTable } from '../db/schema.js';
import type { Clock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import type { AuditAction, AuditEventInput } from './audit.events.js';

export const GENESIS_HASH = '0'.repeat(64);

type HashedFields = Omit<AuditEventsTable, 'hash'>;

/** The canonical hash of an event: SHA-256 over a fixed-order JSON array of its fields. */
export function hashAuditEvent(e: HashedFields): string {
  const canonical = JSON.stringify([
    e.seq,
    e.id,
    e.occurred_at,
    e.actor_type,
    e.actor_id,
    e.action,
    e.subject_type,
    e.subject_id,
    e.project_id,
    e.data_json,
    e.prev_hash,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** Appends one event to the chain inside `trx`. Call it from the mutation that it records. */
export async function appendAuditEvent<A extends AuditAction>(
  trx: DbTransaction,
  clock: Clock,
  input: AuditEventInput<A>,
): Promise<{ seq: number; hash: string }> {
  // Incrementing first takes the write lock before the head is read (row lock on PostgreSQL,
  // the database write lock on SQLite), so two appenders can never chain onto the same event.
  const head = await trx
    .updateTable('audit_head')
    .set((eb) => ({ seq: eb('seq', '+', 1) }))
    .where('id', '=', 1)
    .returning(['seq', 'hash'])
    .executeTakeFirstOrThrow();
  const fields: HashedFields = {
    seq: head.seq,
    id: newId(),
    occurred_at: clock.now().toISOString(),
    actor_type: input.actor.type,
    actor_id: input.actor.id,
    action: input.action,
    subject_type: input.subject.type,
    subject_id: input.subject.id,
    project_id: input.projectId ?? null,
    data_json: JSON.stringify(input.data),
    prev_hash: head.hash,
  };
  const hash = hashAuditEvent(fields);
  await trx
    .insertInto('audit_events')
    .values({ ...fields, hash })
    .execute();
  await trx.updateTable('audit_head').set({ hash }).where('id', '=', 1).execute();
  return { seq: head.seq, hash };
}

export type AuditVerification =
  | { ok: true; events: number; headHash: string }
  | { ok: false; events: number; brokenAtSeq: number; brokenEventId: string | null; reason: string };

/** Walks the whole chain in order and names the first event that does not check out. */
export async function verifyAuditChain(db: Db, batchSize = 1000): Promise<AuditVerification> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let lastSeq = 0;
  for (;;) {
    const rows = await db.kysely
      .selectFrom('audit_events')
      .select([
        'seq',
        'id',
        'occurred_at',
        'actor_type',
        'actor_id',
        'action',
        'subject_type',
        'subject_id',
        'project_id',
        'data_json',
        'prev_hash',
        'hash',
      ])
      .where('seq', '>', lastSeq)
      .orderBy('seq', 'asc')
      .limit(batchSize)
      .execute();
    for (const row of rows) {
      const broken = (reason: string): AuditVerification => ({
        ok: false,
        events: expectedSeq - 1,
        brokenAtSeq: row.seq,
        brokenEventId: row.id,
        reason,
      });
      if (row.seq !== expectedSeq) {
        return broken(
          `expected event #${expectedSeq} but found #${row.seq}: events are missing or reordered`,
        );
      }
      if (row.prev_hash !== prevHash) {
        return broken(`event #${row.seq} does not chain onto event #${row.seq - 1} (prev_hash differs)`);
      }
      const { hash, ...fields } = row;
      if (hashAuditEvent(fields) !== hash) {
        return broken(`event #${row.seq} (${row.action}) was altered: its content does not match its hash`);
      }
      prevHash = hash;
      expectedSeq += 1;
      lastSeq = row.seq;
    }
    if (rows.length < batchSize) break;
  }
  const head = await db.kysely
    .selectFrom('audit_head')
    .select(['seq', 'hash'])
    .where('id', '=', 1)
    .executeTakeFirst();
  if (!head || head.seq !== lastSeq || head.hash !== prevHash) {
    return {
      ok: false,
      events: lastSeq,
      brokenAtSeq: lastSeq + 1,
      brokenEventId: null,
      reason: `the log ends at event #${lastSeq} but its head records #${head?.seq ?? '?'}: the newest events were removed`,
    };
  }
  return { ok: true, events: lastSeq, headHash: prevHash };
}
