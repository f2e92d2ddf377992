/**
 * Compile-time proof that writes which must share the mutation's transaction cannot be called with
 * the bare database. Never executed: `npm run check` type-checks it, and each `@ts-expect-error`
 * fails the check the day its call is accepted (that is, the day the type stops protecting).
 */
import type { Kysely } from 'kysely';
import { appendAuditEvent } from '../audit/audit.log.js';
import { enqueueJob } from '../jobs/job.queue.js';
import type { Clock } from '../lib/clock.js';
import { applyTransition } from '../modules/cases/case-workflow.js';
import { insertCase } from '../modules/cases/cases.repo.js';
import type { DbReader, DbTransaction } from './connection.js';
import type { Database } from './schema.js';

export async function outsideATransaction(
  db: Kysely<Database>,
  reader: DbReader,
  trx: DbTransaction,
  clock: Clock,
  ...rest: Parameters<typeof applyTransition> extends [unknown, ...infer R] ? R : never
): Promise<void> {
  const event = {
    actor: { type: 'system', id: 'typecheck' },
    action: 'keys.rotated',
    subject: { type: 'instance', id: null },
    data: { fromKeyId: 'a', toKeyId: 'b', fields: 0 },
  } as const;
  // @ts-expect-error an audit event is appended only inside the mutation's transaction
  await appendAuditEvent(db, clock, event);
  // @ts-expect-error a job is enqueued only inside the transaction that decided it
  await enqueueJob(db, clock, { kind: 'k', payload: {} });
  // @ts-expect-error a case changes state only inside a transaction
  await applyTransition(db, ...rest);
  // @ts-expect-error a read connection cannot be handed to a write
  await insertCase(reader, {} as Parameters<typeof insertCase>[1]);
  // @ts-expect-error a read connection has no insertInto
  reader.insertInto('cases');
  // Inside the transaction every one of them is accepted.
  await appendAuditEvent(trx, clock, event);
  await enqueueJob(trx, clock, { kind: 'k', payload: {} });
  await applyTransition(trx, ...rest);
}
