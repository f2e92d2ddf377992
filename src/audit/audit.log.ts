/**
 * The keyed, hash-chained audit log. `appendAuditEvent` runs inside the caller's transaction, so the
 * event exists exactly when the change it records does. Each event's hash is an HMAC, under the
 * audit key (audit.key.ts, never in the database), of its own fields and the previous event's hash;
 * `audit_head` holds the newest (seq, hash) so that appends are serialised across instances (the
 * UPDATE takes its row lock). Without the key nobody can recompute a hash after an edit; the signed
 * checkpoints written outside the database (audit.checkpoints.ts) catch the rest: cut, wiped, or
 * rehashed by someone who holds the key.
 *
 * Upgrading a database whose chain predates the audit key (chain version 1, unkeyed SHA-256): on
 * open, `sealLegacyAuditChain` verifies the legacy chain as before and, only if it is intact,
 * re-seals it under the key in one transaction (every hash recomputed as an HMAC, version 2), and
 * `audit.chain_keyed` records it. A broken legacy chain is refused, never re-sealed: re-sealing would
 * launder the break. It runs once per database: a log that holds keyed events, or whose checkpoints
 * show a keyed history, is never re-sealed again (verification reports its legacy events instead).
 */
import { createHash } from 'node:crypto';
import type { Db, DbTransaction } from '../db/connection.js';
import type { AuditEventsTable } from '../db/schema.js';
import type { Clock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import type { AuditAction, AuditEventInput } from './audit.events.js';
import { auditKeys, type AuditKeys } from './audit.key.js';

/** An event's own fields, in the order the canonical form hashes them (before `prev_hash`). */
const EVENT_FIELDS = [
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
] as const;

export const GENESIS_HASH = '0'.repeat(64);
/** Version 1: unkeyed SHA-256 (legacy). Version 2: HMAC-SHA-256 under the audit key. */
export const LEGACY_CHAIN_VERSION = 1;
export const KEYED_CHAIN_VERSION = 2;

type HashedFields = Omit<AuditEventsTable, 'hash' | 'chain_version'>;

function canonicalFields(e: HashedFields): unknown[] {
  return [
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
  ];
}

/** The legacy (chain version 1) hash of an event: unkeyed SHA-256 over its canonical fields. */
export function legacyHashAuditEvent(e: HashedFields): string {
  return createHash('sha256')
    .update(JSON.stringify(canonicalFields(e)), 'utf8')
    .digest('hex');
}

/**
 * The keyed hash of an event (chain version 2): HMAC-SHA-256 under the audit key over a
 * fixed-order JSON array of the version and its fields.
 */
export function hashAuditEvent(e: HashedFields, keys: AuditKeys = auditKeys()): string {
  return keys.mac(JSON.stringify([KEYED_CHAIN_VERSION, ...canonicalFields(e)]));
}

/**
 * The head each open transaction last wrote, so that its next append (a group of reports filed in
 * one transaction: commit-group.ts) needs no `update ... returning` to read it back. Only a hint:
 * the append that uses it updates the head on the condition that it still is this (seq, hash), and
 * falls back to reading it when not (a savepoint rolled back, say). Weak: it goes with the
 * transaction object.
 */
const headsWritten = new WeakMap<DbTransaction, { seq: number; hash: string; keyId: string }>();

/** Appends one event to the chain inside `trx`. Call it from the mutation that it records. */
export async function appendAuditEvent<A extends AuditAction>(
  trx: DbTransaction,
  clock: Clock,
  input: AuditEventInput<A>,
): Promise<{ seq: number; hash: string }> {
  const [appended] = await appendAuditEvents(trx, clock, [input]);
  if (!appended) throw new Error('appendAuditEvents appended nothing');
  return appended;
}

/**
 * Appends events to the chain inside `trx`, in order, with three statements whatever their number
 * (a group of reports filed in one transaction), two when this transaction appended before.
 */
export async function appendAuditEvents(
  trx: DbTransaction,
  clock: Clock,
  inputs: readonly AuditEventInput<AuditAction>[],
): Promise<{ seq: number; hash: string }[]> {
  if (inputs.length === 0) return [];
  // Before any write: with no key loaded the caller's transaction fails instead of appending unkeyed.
  const keys = auditKeys();
  const chain = (seq: number, prevHash: string) => {
    let prev = prevHash;
    return inputs.map((input, i) => {
      const fields = eventFields(seq + i, prev, clock, input);
      prev = hashAuditEvent(fields, keys);
      return { ...fields, hash: prev, chain_version: KEYED_CHAIN_VERSION };
    });
  };
  const n = inputs.length;
  const known = headsWritten.get(trx);
  if (known && known.keyId === keys.keyId) {
    // This transaction holds the head's lock since its first append: the head is still what it
    // wrote, unless undone by a savepoint, which the condition catches.
    const rows = chain(known.seq + 1, known.hash);
    const last = rows[n - 1];
    if (!last) return [];
    const moved = await trx
      .updateTable('audit_head')
      .set({ seq: last.seq, hash: last.hash })
      .where('id', '=', 1)
      .where('seq', '=', known.seq)
      .where('hash', '=', known.hash)
      .executeTakeFirst();
    if (moved.numUpdatedRows === 1n) {
      await trx.insertInto('audit_events').values(rows).execute();
      headsWritten.set(trx, { seq: last.seq, hash: last.hash, keyId: keys.keyId });
      return rows.map((r) => ({ seq: r.seq, hash: r.hash }));
    }
    headsWritten.delete(trx);
  }
  // Incrementing first takes the write lock before the head is read (row lock on PostgreSQL,
  // the database write lock on SQLite), so two appenders can never chain onto the same event.
  // The head also names the audit key the log is sealed with (its public id, set by the first
  // keyed append): a process that loaded another key fails here instead of breaking the chain.
  const head = await trx
    .updateTable('audit_head')
    .set((eb) => ({ seq: eb('seq', '+', n), key_id: eb.fn.coalesce('key_id', eb.val(keys.keyId)) }))
    .where('id', '=', 1)
    .returning(['seq', 'hash', 'key_id'])
    .executeTakeFirstOrThrow();
  if (head.key_id !== keys.keyId) throw new AuditKeyMismatchError(head.key_id, keys.keyId);
  // The head's hash is still the one of the event before the first of these.
  const rows = chain(Number(head.seq) - n + 1, head.hash);
  const last = rows[n - 1];
  if (!last) return [];
  await trx.insertInto('audit_events').values(rows).execute();
  await trx.updateTable('audit_head').set({ hash: last.hash }).where('id', '=', 1).execute();
  headsWritten.set(trx, { seq: last.seq, hash: last.hash, keyId: keys.keyId });
  return rows.map((r) => ({ seq: r.seq, hash: r.hash }));
}

function eventFields(
  seq: number,
  prevHash: string,
  clock: Clock,
  input: AuditEventInput<AuditAction>,
): HashedFields {
  return {
    seq,
    id: newId(),
    occurred_at: clock.now().toISOString(),
    actor_type: input.actor.type,
    actor_id: input.actor.id,
    action: input.action,
    subject_type: input.subject.type,
    subject_id: input.subject.id,
    project_id: input.projectId ?? null,
    data_json: JSON.stringify(input.data),
    prev_hash: prevHash,
  };
}

/** The process loaded another audit key than the one the log is sealed with. */
export class AuditKeyMismatchError extends Error {
  constructor(
    readonly logKeyId: string | null,
    readonly loadedKeyId: string,
  ) {
    super(
      `The audit log is sealed with audit key ${logKeyId ?? '(none)'}, but this process loaded audit key ${loadedKeyId}: ` +
        'set VIGIL_AUDIT_KEY (or the audit.key file of --data) to the key of this instance. Nothing was written.',
    );
    this.name = 'AuditKeyMismatchError';
  }
}

export type AuditVerification =
  | { ok: true; events: number; headHash: string }
  | { ok: false; events: number; brokenAtSeq: number; brokenEventId: string | null; reason: string };

type ChainRow = HashedFields & { hash: string; chain_version: number };
/** Why a row's hash does not check out, or undefined when it does. */
type RowCheck = (row: ChainRow) => string | undefined;

/**
 * Walks the chain in `seq` order through `reader` (the database, or a transaction), checking the
 * numbering, the links and each row with `check`, then the head.
 */
async function walkChain(
  reader: Pick<Db['kysely'], 'selectFrom'>,
  check: RowCheck,
  batchSize: number,
): Promise<AuditVerification> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let lastSeq = 0;
  for (;;) {
    const rows: ChainRow[] = await reader
      .selectFrom('audit_events')
      .select([...EVENT_FIELDS, 'prev_hash', 'hash', 'chain_version'])
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
      const problem = check(row);
      if (problem) return broken(problem);
      prevHash = row.hash;
      expectedSeq += 1;
      lastSeq = row.seq;
    }
    if (rows.length < batchSize) break;
  }
  const head = await readAuditHead(reader);
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

/** The chain's head: the newest event's seq and hash (0 and the genesis hash when empty). */
export async function readAuditHead(
  reader: Pick<Db['kysely'], 'selectFrom'>,
): Promise<{ seq: number; hash: string } | undefined> {
  const head = await reader
    .selectFrom('audit_head')
    .select(['seq', 'hash'])
    .where('id', '=', 1)
    .executeTakeFirst();
  return head ? { seq: Number(head.seq), hash: head.hash } : undefined;
}

/** The highest seq of any stored event (0 when there is none), whatever the head says. */
export async function readAuditLogEnd(db: Db): Promise<number> {
  const row = await db.kysely
    .selectFrom('audit_events')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirst();
  return Number(row?.seq ?? 0);
}

/** The hash stored for event `seq`, or undefined when there is no such event. */
export async function readAuditEventHash(db: Db, seq: number): Promise<string | undefined> {
  const row = await db.kysely
    .selectFrom('audit_events')
    .select('hash')
    .where('seq', '=', seq)
    .executeTakeFirst();
  return row?.hash;
}

/** How many events of each chain version the log holds. */
export async function countAuditEventsByVersion(
  reader: Pick<Db['kysely'], 'selectFrom'>,
): Promise<{ legacy: number; keyed: number }> {
  const rows = await reader
    .selectFrom('audit_events')
    .select((eb) => ['chain_version', eb.fn.countAll<string | number>().as('n')])
    .groupBy('chain_version')
    .execute();
  const count = (version: number) => Number(rows.find((r) => Number(r.chain_version) === version)?.n ?? 0);
  return { legacy: count(LEGACY_CHAIN_VERSION), keyed: count(KEYED_CHAIN_VERSION) };
}

/**
 * Walks the whole chain in order, recomputing every keyed hash, and names the first event that does
 * not check out. An event still of the legacy version fails: the chain is re-sealed under the key
 * when the database is opened (sealLegacyAuditChain), so a legacy event now means a downgrade.
 */
export async function verifyAuditChain(
  db: Db,
  { keys = auditKeys(), batchSize = 1000 }: { keys?: AuditKeys; batchSize?: number } = {},
): Promise<AuditVerification> {
  const head = await db.kysely
    .selectFrom('audit_head')
    .select('key_id')
    .where('id', '=', 1)
    .executeTakeFirst();
  if (head?.key_id && head.key_id !== keys.keyId) {
    return {
      ok: false,
      events: 0,
      brokenAtSeq: 1,
      brokenEventId: null,
      reason:
        `the log names audit key ${head.key_id}, but verification uses audit key ${keys.keyId}: ` +
        "verify with the instance's key (VIGIL_AUDIT_KEY or its audit.key), or the head was rewritten",
    };
  }
  return await walkChain(
    db.kysely,
    (row) => {
      const { hash, chain_version, ...fields } = row;
      if (Number(chain_version) !== KEYED_CHAIN_VERSION) {
        return (
          `event #${row.seq} (${row.action}) claims chain version ${chain_version}, not the keyed version ${KEYED_CHAIN_VERSION}: ` +
          'a keyed chain was downgraded, or this legacy chain was never re-sealed (`vigil migrate` does it once)'
        );
      }
      if (hashAuditEvent(fields, keys) !== hash) {
        return (
          `event #${row.seq} (${row.action}) was altered: its content does not match its keyed hash ` +
          `(or the log was sealed under another audit key than ${keys.keyId})`
        );
      }
      return undefined;
    },
    batchSize,
  );
}

/**
 * Verifies a legacy chain (every event of version 1, unkeyed SHA-256), as it was verified before
 * the chain was keyed: what sealLegacyAuditChain checks before it re-seals.
 */
export function verifyLegacyAuditChain(
  reader: Pick<Db['kysely'], 'selectFrom'>,
  batchSize = 1000,
): Promise<AuditVerification> {
  return walkChain(
    reader,
    (row) => {
      const { hash, chain_version, ...fields } = row;
      if (Number(chain_version) !== LEGACY_CHAIN_VERSION) {
        return `event #${row.seq} (${row.action}) is of chain version ${chain_version} among legacy events`;
      }
      return legacyHashAuditEvent(fields) !== hash
        ? `event #${row.seq} (${row.action}) was altered: its content does not match its hash`
        : undefined;
    },
    batchSize,
  );
}

export class AuditSealError extends Error {}

export interface SealOptions {
  /**
   * How many checkpoints signed with this audit key exist (audit.checkpoints.ts
   * `existingCheckpoints`): a keyed history forbids re-sealing.
   */
  signedCheckpoints?: number | undefined;
  batchSize?: number | undefined;
}

/** Re-seals a legacy chain under the audit key; returns how many events it re-sealed (0: nothing to do). */
export async function sealLegacyAuditChain(
  db: Db,
  clock: Clock,
  { signedCheckpoints = 0, batchSize = 1000 }: SealOptions = {},
): Promise<number> {
  // The process's keys: the same ones appendAuditEvent seals the new event with.
  const keys = auditKeys();
  if ((await countAuditEventsByVersion(db.kysely)).legacy === 0) return 0;
  return db.kysely.transaction().execute(async (trx) => {
    // Take the append lock first: no event is appended while the chain is re-sealed.
    const locked = await trx
      .updateTable('audit_head')
      .set((eb) => ({ seq: eb.ref('seq'), key_id: eb.fn.coalesce('key_id', eb.val(keys.keyId)) }))
      .where('id', '=', 1)
      .returning('key_id')
      .executeTakeFirstOrThrow();
    if (locked.key_id !== keys.keyId) throw new AuditKeyMismatchError(locked.key_id, keys.keyId);
    const counts = await countAuditEventsByVersion(trx);
    if (counts.legacy === 0) return 0; // another instance sealed it first
    if (counts.keyed > 0) {
      throw new AuditSealError(
        `The audit log holds ${counts.legacy} unkeyed (version 1) events beside ${counts.keyed} keyed ones: ` +
          'a keyed log was rewritten. Vigil will not re-seal it. Run `vigil audit verify` and restore the database from a backup.',
      );
    }
    if (signedCheckpoints > 0) {
      throw new AuditSealError(
        `The audit log is unkeyed, but ${signedCheckpoints} checkpoints signed with this audit key exist: ` +
          'a keyed log was replaced by an unkeyed one. Vigil will not re-seal it. Run `vigil audit verify`.',
      );
    }
    const legacy = await verifyLegacyAuditChain(trx, batchSize);
    if (!legacy.ok) {
      throw new AuditSealError(
        `The audit log predates the audit key and is broken at event #${legacy.brokenAtSeq}: ${legacy.reason}. ` +
          'Vigil will not re-seal a broken chain under the key. Restore the database from a backup, or investigate ' +
          'with `vigil audit verify` on a copy.',
      );
    }
    let prevHash = GENESIS_HASH;
    let lastSeq = 0;
    for (;;) {
      const rows = await trx
        .selectFrom('audit_events')
        .select([...EVENT_FIELDS])
        .where('seq', '>', lastSeq)
        .orderBy('seq', 'asc')
        .limit(batchSize)
        .execute();
      for (const row of rows) {
        const hash = hashAuditEvent({ ...row, prev_hash: prevHash }, keys);
        await trx
          .updateTable('audit_events')
          .set({ prev_hash: prevHash, hash, chain_version: KEYED_CHAIN_VERSION })
          .where('seq', '=', row.seq)
          .execute();
        prevHash = hash;
        lastSeq = row.seq;
      }
      if (rows.length < batchSize) break;
    }
    await trx.updateTable('audit_head').set({ hash: prevHash }).where('id', '=', 1).execute();
    await appendAuditEvent(trx, clock, {
      actor: { type: 'system', id: 'vigil' },
      action: 'audit.chain_keyed',
      subject: { type: 'audit', id: null },
      data: { events: legacy.events, keyId: keys.keyId },
    });
    return legacy.events;
  });
}
