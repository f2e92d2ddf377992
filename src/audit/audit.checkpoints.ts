/**
 * Checkpoints: the audit chain anchored outside the database. A checkpoint is a statement of the
 * chain's head (`seq`, `hash`, `at`) signed with the audit key's Ed25519 key, written as one file
 * (atomically, flushed) into a directory the database does not hold: VIGIL_AUDIT_CHECKPOINT_DIR,
 * by default a folder beside the data directory (config.ts `defaultCheckpointDir`). `vigil
 * serve` writes one at start, one at least every minute while events are appended, and one at stop;
 * witnesses (a mailbox, a URL) may receive copies.
 *
 * Verifying them against the log detects what the keyed chain alone cannot: the newest events cut
 * and the head moved back (a checkpoint beyond the head), the log wiped (checkpoints, no events),
 * and a chain rehashed by someone holding the key (a checkpoint whose seq now has another hash).
 */
import { mkdirSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Db } from '../db/connection.js';
import type { Clock } from '../lib/clock.js';
import { writePrivateFileAtomically } from '../lib/private-file.js';
import { auditKeyId, type AuditKeys } from './audit.key.js';
import { readAuditEventHash, readAuditHead, readAuditLogEnd } from './audit.log.js';

export const CHECKPOINT_FORMAT = 'vigil-audit-checkpoint/1';
/** Checkpoint files kept as they come; beyond them, one per day. */
export const KEEP_NEWEST_CHECKPOINTS = 120;
const FILE_PATTERN = /^checkpoint-(\d{12})-(\d{13})\.json$/;
const MAX_CHECKPOINT_BYTES = 4096;

export interface CheckpointStatement {
  format: typeof CHECKPOINT_FORMAT;
  /** Which instance wrote it (its host name), for people reading the directory. */
  instance: string | null;
  seq: number;
  hash: string;
  at: string;
  keyId: string;
  publicKey: string;
}

export interface SignedCheckpoint {
  statement: CheckpointStatement;
  /** Ed25519 over the canonical statement, base64. */
  signature: string;
}

/** The bytes a checkpoint's signature covers: its fields as a fixed-order JSON array. */
export function canonicalCheckpoint(s: CheckpointStatement): Buffer {
  return Buffer.from(
    JSON.stringify([s.format, s.instance, s.seq, s.hash, s.at, s.keyId, s.publicKey]),
    'utf8',
  );
}

/** Signs a statement of the head `seq`/`hash` at `at` with the audit key. */
export function signCheckpoint(
  keys: AuditKeys,
  head: { seq: number; hash: string },
  at: Date,
  instance: string | null = hostname(),
): SignedCheckpoint {
  const statement: CheckpointStatement = {
    format: CHECKPOINT_FORMAT,
    instance,
    seq: head.seq,
    hash: head.hash,
    at: at.toISOString(),
    keyId: keys.keyId,
    publicKey: keys.publicKey,
  };
  return { statement, signature: keys.sign(canonicalCheckpoint(statement)).toString('base64') };
}

function checkpointFileName(seq: number, at: Date): string {
  return `checkpoint-${String(seq).padStart(12, '0')}-${String(at.getTime()).padStart(13, '0')}.json`;
}

/** Writes one signed checkpoint of the current head into `dir`; returns it and its file. */
export async function writeCheckpoint(
  db: Db,
  keys: AuditKeys,
  dir: string,
  clock: Clock,
  instance?: string | null,
): Promise<{ checkpoint: SignedCheckpoint; file: string }> {
  const head = (await readAuditHead(db.kysely)) ?? { seq: 0, hash: '0'.repeat(64) };
  const at = clock.now();
  const checkpoint = signCheckpoint(keys, head, at, instance);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, checkpointFileName(head.seq, at));
  writePrivateFileAtomically(file, `${JSON.stringify(checkpoint, null, 2)}\n`);
  return { checkpoint, file };
}

/** Parses a checkpoint file's text, or says why it is not one. */
export function parseCheckpoint(text: string): SignedCheckpoint | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'it is not valid JSON';
  }
  if (typeof value !== 'object' || value === null) return 'it is not a checkpoint';
  const { statement, signature } = value as Record<string, unknown>;
  if (typeof signature !== 'string' || typeof statement !== 'object' || statement === null) {
    return 'it has no statement and signature';
  }
  const s = statement as Record<string, unknown>;
  if (s.format !== CHECKPOINT_FORMAT) return `its format is not ${CHECKPOINT_FORMAT}`;
  if (
    !Number.isSafeInteger(s.seq) ||
    (s.seq as number) < 0 ||
    typeof s.hash !== 'string' ||
    !/^[0-9a-f]{64}$/.test(s.hash) ||
    typeof s.at !== 'string' ||
    Number.isNaN(Date.parse(s.at)) ||
    typeof s.keyId !== 'string' ||
    typeof s.publicKey !== 'string' ||
    !(s.instance === null || typeof s.instance === 'string')
  ) {
    return 'its statement is malformed';
  }
  return {
    statement: {
      format: CHECKPOINT_FORMAT,
      instance: s.instance as string | null,
      seq: s.seq as number,
      hash: s.hash,
      at: s.at,
      keyId: s.keyId,
      publicKey: s.publicKey,
    },
    signature,
  };
}

/** Why a checkpoint's signature does not hold under `keys`, or undefined when it does. */
export function checkpointSignatureProblem(c: SignedCheckpoint, keys: AuditKeys): string | undefined {
  const s = c.statement;
  if (s.publicKey !== keys.publicKey || s.keyId !== keys.keyId) {
    return `it was signed with audit key ${s.keyId} (${auditKeyId(s.publicKey) === s.keyId ? 'consistent' : 'inconsistent'} id), not this instance's ${keys.keyId}`;
  }
  if (!keys.verify(canonicalCheckpoint(s), Buffer.from(c.signature, 'base64'))) {
    return 'its signature does not verify: it was altered or forged';
  }
  return undefined;
}

export interface CheckpointFile {
  file: string;
  checkpoint: SignedCheckpoint | undefined;
  /** Why the file is not a readable checkpoint. */
  problem: string | undefined;
}

/** Every checkpoint-like file in `dir` (none when it does not exist), oldest first. */
export function readCheckpointDir(dir: string): CheckpointFile[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'ENOENT') return [];
    throw err;
  }
  return names
    .filter((n) => n.startsWith('checkpoint-') && n.endsWith('.json'))
    .sort()
    .map((name) => {
      const file = join(dir, name);
      const text = readFileSync(file);
      if (text.length > MAX_CHECKPOINT_BYTES) {
        return { file, checkpoint: undefined, problem: `it is larger than ${MAX_CHECKPOINT_BYTES} bytes` };
      }
      const parsed = parseCheckpoint(text.toString('utf8'));
      return typeof parsed === 'string'
        ? { file, checkpoint: undefined, problem: parsed }
        : { file, checkpoint: parsed, problem: undefined };
    });
}

/** The checkpoints in `dir` that carry a valid signature of `keys`. */
export function existingCheckpoints(dir: string, keys: AuditKeys): SignedCheckpoint[] {
  return readCheckpointDir(dir)
    .map((f) => f.checkpoint)
    .filter((c): c is SignedCheckpoint => c !== undefined && !checkpointSignatureProblem(c, keys));
}

export interface CheckpointFailure {
  file: string;
  reason: string;
}

export interface CheckpointVerification {
  ok: boolean;
  dir: string;
  /** How many checkpoint files were checked. */
  checked: number;
  /** The newest valid checkpoint's seq, if any. */
  newestSeq: number | null;
  failures: CheckpointFailure[];
}

/**
 * Checks every checkpoint in `dir` against the log: its signature under the audit key, that its
 * seq exists with exactly its hash, and that the log reaches it.
 */
export async function verifyCheckpoints(
  db: Db,
  dir: string,
  keys: AuditKeys,
): Promise<CheckpointVerification> {
  const files = readCheckpointDir(dir);
  const head = (await readAuditHead(db.kysely)) ?? { seq: 0, hash: '0'.repeat(64) };
  const eventsEnd = await readAuditLogEnd(db);
  const failures: CheckpointFailure[] = [];
  let newestSeq: number | null = null;
  for (const f of files) {
    const fail = (reason: string) => failures.push({ file: f.file, reason });
    if (!f.checkpoint) {
      fail(`not a valid checkpoint: ${f.problem ?? 'unreadable'}`);
      continue;
    }
    const signatureProblem = checkpointSignatureProblem(f.checkpoint, keys);
    if (signatureProblem) {
      fail(`signature refused: ${signatureProblem}`);
      continue;
    }
    const { seq, hash, at } = f.checkpoint.statement;
    newestSeq = Math.max(newestSeq ?? 0, seq);
    if (seq === 0) continue;
    if (eventsEnd === 0) {
      fail(`the log was wiped: this checkpoint (${at}) records event #${seq}, but the log holds no events`);
      continue;
    }
    if (seq > head.seq || seq > eventsEnd) {
      fail(
        `the log was cut: this checkpoint (${at}) records event #${seq}, but the log ends at #${Math.min(head.seq, eventsEnd)}`,
      );
      continue;
    }
    const stored = await readAuditEventHash(db, seq);
    if (stored === undefined) {
      fail(`event #${seq}, recorded by this checkpoint (${at}), is missing from the log`);
    } else if (stored !== hash) {
      fail(
        `event #${seq} has another hash than this checkpoint (${at}) signed: the log was rewritten from event #${seq} or earlier`,
      );
    }
  }
  return { ok: failures.length === 0, dir, checked: files.length, newestSeq, failures };
}

/**
 * Deletes old checkpoint files: the newest `keep` stay, and beyond them the newest of each UTC day.
 * Returns how many files it deleted.
 */
export function pruneCheckpoints(dir: string, keep = KEEP_NEWEST_CHECKPOINTS): number {
  const names = (() => {
    try {
      return readdirSync(dir).filter((n) => FILE_PATTERN.test(n));
    } catch {
      return [];
    }
  })();
  // Newest first: by time written, then seq.
  const byAge = names
    .map((n) => {
      const m = FILE_PATTERN.exec(n);
      return { name: n, seq: Number(m?.[1]), at: Number(m?.[2]) };
    })
    .sort((a, b) => b.at - a.at || b.seq - a.seq);
  const days = new Set<string>();
  let deleted = 0;
  byAge.forEach((c, i) => {
    const day = new Date(c.at).toISOString().slice(0, 10);
    if (i < keep || !days.has(day)) {
      days.add(day);
      return;
    }
    unlinkSync(join(dir, c.name));
    deleted += 1;
  });
  return deleted;
}

export interface CheckpointerOptions {
  db: Db;
  keys: AuditKeys;
  dir: string;
  clock: Clock;
  logger?: Pick<Logger, 'warn' | 'info'> | undefined;
  /** How often the head is looked at; a checkpoint is written when it moved. 60 s by default. */
  intervalMs?: number | undefined;
  keep?: number | undefined;
  /** Called with each checkpoint written (the witnesses); its failures are logged, never thrown. */
  onCheckpoint?: ((checkpoint: SignedCheckpoint) => Promise<void>) | undefined;
}

export interface Checkpointer {
  /** Writes a checkpoint now, or only when the head moved since the last one unless `force`. */
  checkpoint(force?: boolean): Promise<SignedCheckpoint | undefined>;
  /** Writes one, then one whenever the head moved, every interval. */
  start(): Promise<void>;
  /** Stops the timer and writes a last checkpoint. */
  stop(): Promise<void>;
}

/**
 * The instance's checkpoint writer. Each instance writes its own directory on its own timer (not a
 * queued job, which only one instance would claim): every instance's directory is then a complete
 * witness of the log it saw, and any of them verifies.
 */
export function createCheckpointer(options: CheckpointerOptions): Checkpointer {
  const { db, keys, dir, clock, logger } = options;
  const intervalMs = options.intervalMs ?? 60_000;
  let last: { seq: number; hash: string } | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const witnessing = new Set<Promise<void>>();

  const once = async (force: boolean): Promise<SignedCheckpoint | undefined> => {
    const head = await readAuditHead(db.kysely);
    if (!force && head && last && head.seq === last.seq && head.hash === last.hash) return undefined;
    const { checkpoint } = await writeCheckpoint(db, keys, dir, clock);
    last = { seq: checkpoint.statement.seq, hash: checkpoint.statement.hash };
    pruneCheckpoints(dir, options.keep);
    if (options.onCheckpoint) {
      const sent = options
        .onCheckpoint(checkpoint)
        .catch((err: unknown) =>
          logger?.warn({ err: err instanceof Error ? err.message : String(err) }, 'audit checkpoint witness'),
        )
        .finally(() => witnessing.delete(sent));
      witnessing.add(sent);
    }
    return checkpoint;
  };
  // One write at a time: the timer and stop() never interleave.
  const checkpoint = (force = false) => {
    const next = running.then(() => once(force));
    running = next.catch(() => undefined);
    return next;
  };
  return {
    checkpoint,
    async start() {
      await checkpoint(true);
      timer = setInterval(() => {
        checkpoint().catch((err: unknown) =>
          logger?.warn({ err: err instanceof Error ? err.message : String(err) }, 'audit checkpoint failed'),
        );
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await checkpoint(true);
      // The witnesses of the last checkpoints get their copies before the mailer closes.
      await Promise.allSettled([...witnessing]);
    },
  };
}
