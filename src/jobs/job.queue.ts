/**
 * The durable job queue: jobs are rows of `jobs`, written inside the caller's transaction so that a
 * job exists exactly when the change that wants it commits. The runner (job.runner.ts) claims and
 * runs them. See README.md in this folder for the delivery guarantees.
 */
import type { Db, DbTransaction } from '../db/connection.js';
import type { Clock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';

export const JOB_STATES = ['pending', 'running', 'done', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

export const DEFAULT_MAX_ATTEMPTS = 5;
/** Bounds on what a caller may store, so that one bad enqueue cannot bloat the table. */
const MAX_KIND_LENGTH = 100;
const MAX_UNIQUE_KEY_LENGTH = 300;
const MAX_PAYLOAD_BYTES = 64 * 1024;

export interface EnqueueJobInput {
  kind: string;
  /** Serialised as JSON; the handler validates it with its zod schema. */
  payload: Record<string, unknown>;
  /** When the job becomes due; now when absent. */
  runAt?: Date | undefined;
  /**
   * Enqueueing a key that already exists (in any state) is a no-op returning the existing job, so a
   * scheduler can enqueue on every pass. Keys are never reused: put a generation in them if needed.
   */
  uniqueKey?: string | undefined;
  maxAttempts?: number | undefined;
}

export interface EnqueuedJob {
  id: string;
  kind: string;
  state: JobState;
  runAt: string;
  /** False when `uniqueKey` named an existing job, which is returned instead. */
  created: boolean;
}

type Listener = (job: { kind: string; runAt: string }) => void;
const listeners = new Set<Listener>();

/**
 * Subscribes to in-process enqueues, so a runner can wake up instead of waiting for its next poll.
 * The notice comes before the caller's transaction commits; the runner's poll is the backstop.
 * Returns the unsubscribe function.
 */
export function onJobEnqueued(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The row of a new job, after checking the caller's bounds. */
function newJobRow(clock: Clock, input: EnqueueJobInput) {
  const payloadJson = JSON.stringify(input.payload);
  const maxAttempts = input.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!input.kind || input.kind.length > MAX_KIND_LENGTH) {
    throw new Error(`A job kind must have 1 to ${MAX_KIND_LENGTH} characters.`);
  }
  if (Buffer.byteLength(payloadJson, 'utf8') > MAX_PAYLOAD_BYTES) {
    throw new Error(`The payload of a "${input.kind}" job exceeds ${MAX_PAYLOAD_BYTES} bytes.`);
  }
  if (input.uniqueKey !== undefined && (!input.uniqueKey || input.uniqueKey.length > MAX_UNIQUE_KEY_LENGTH)) {
    throw new Error(`A job's unique key must have 1 to ${MAX_UNIQUE_KEY_LENGTH} characters.`);
  }
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new Error(`maxAttempts must be a positive integer, not ${String(maxAttempts)}.`);
  }
  const now = clock.now().toISOString();
  return {
    id: newId(),
    kind: input.kind,
    payload_json: payloadJson,
    run_at: (input.runAt ?? clock.now()).toISOString(),
    state: 'pending',
    attempts: 0,
    max_attempts: maxAttempts,
    unique_key: input.uniqueKey ?? null,
    locked_by: null,
    locked_until: null,
    last_error: null,
    created_at: now,
    updated_at: now,
    finished_at: null,
  };
}

function notify(inserted: { kind: string; run_at: string }): void {
  for (const listener of listeners) listener({ kind: inserted.kind, runAt: inserted.run_at });
}

/**
 * Adds several jobs inside `trx` with one statement (what a new case queues: its mail and its
 * reminders). A job whose unique key exists already is left out, as with enqueueJob; returns the
 * number of jobs created.
 */
export async function enqueueJobs(
  trx: DbTransaction,
  clock: Clock,
  inputs: readonly EnqueueJobInput[],
): Promise<number> {
  if (inputs.length === 0) return 0;
  const inserted = await trx
    .insertInto('jobs')
    .values(inputs.map((input) => newJobRow(clock, input)))
    .onConflict((oc) => oc.column('unique_key').doNothing())
    .returning(['kind', 'run_at'])
    .execute();
  for (const row of inserted) notify(row);
  return inserted.length;
}

/** Adds a job inside `trx`: it commits or rolls back with the change that wants it. */
export async function enqueueJob(
  trx: DbTransaction,
  clock: Clock,
  input: EnqueueJobInput,
): Promise<EnqueuedJob> {
  const inserted = await trx
    .insertInto('jobs')
    .values(newJobRow(clock, input))
    .onConflict((oc) => oc.column('unique_key').doNothing())
    .returning(['id', 'kind', 'state', 'run_at'])
    .executeTakeFirst();
  if (inserted) {
    notify(inserted);
    return {
      id: inserted.id,
      kind: inserted.kind,
      state: asJobState(inserted.state),
      runAt: inserted.run_at,
      created: true,
    };
  }
  // Only a unique_key conflict inserts nothing, so the key names an existing row.
  const existing = await trx
    .selectFrom('jobs')
    .select(['id', 'kind', 'state', 'run_at'])
    .where('unique_key', '=', input.uniqueKey ?? '')
    .executeTakeFirstOrThrow();
  return {
    id: existing.id,
    kind: existing.kind,
    state: asJobState(existing.state),
    runAt: existing.run_at,
    created: false,
  };
}

/**
 * Removes the pending job with this unique key (a reminder made moot), inside `trx`. Returns false
 * when there is none, or when it is already running or finished: handlers re-check their subject.
 * Removing the row frees the key, so the job can be scheduled again later.
 */
export async function cancelJob(trx: DbTransaction, uniqueKey: string): Promise<boolean> {
  const result = await trx
    .deleteFrom('jobs')
    .where('unique_key', '=', uniqueKey)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** How many jobs are in each state: queue depth and failures for /metrics. */
export async function countJobsByState(db: Db): Promise<Record<JobState, number>> {
  const rows = await db.kysely
    .selectFrom('jobs')
    .select((eb) => ['state', eb.fn.countAll<number | string>().as('count')])
    .groupBy('state')
    .execute();
  const counts: Record<JobState, number> = { pending: 0, running: 0, done: 0, failed: 0 };
  for (const row of rows) {
    if (isJobState(row.state)) counts[row.state] = Number(row.count);
  }
  return counts;
}

/** Narrows a stored state string. */
export function isJobState(value: string): value is JobState {
  return (JOB_STATES as readonly string[]).includes(value);
}

function asJobState(value: string): JobState {
  if (!isJobState(value)) throw new Error(`Unknown job state "${value}" in the jobs table.`);
  return value;
}
