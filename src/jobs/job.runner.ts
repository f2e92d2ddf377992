/**
 * The job runner: claims due jobs with one UPDATE ... RETURNING (FOR UPDATE SKIP LOCKED on
 * PostgreSQL; SQLite serialises writers), so with several instances on one database each claim
 * goes to one runner. Delivery is at-least-once: see README.md in this folder.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { Db } from '../db/connection.js';
import type { Clock } from '../lib/clock.js';
import { onJobEnqueued } from './job.queue.js';

/** What a handler learns about the job it runs. */
export interface JobContext {
  jobId: string;
  kind: string;
  /** 1 on the first run. */
  attempt: number;
  maxAttempts: number;
  clock: Clock;
  /** Aborted when this runner lost the job's lease (another instance may now run it). */
  signal: AbortSignal;
}

/** One kind's handler: its payload schema and the work. Build with `defineJobHandler` for inference. */
export interface JobHandler<S extends z.ZodType = z.ZodType> {
  payload: S;
  // Method syntax on purpose: it lets a handler of a specific payload sit in a JobHandlers record.
  handle(payload: z.output<S>, ctx: JobContext): Promise<void>;
}

/** The registry: job kind -> handler. */
export type JobHandlers = Record<string, JobHandler>;

/** Declares a handler, inferring the payload type from its zod schema. */
export function defineJobHandler<S extends z.ZodType>(
  payload: S,
  handle: (payload: z.output<S>, ctx: JobContext) => Promise<void>,
): JobHandler<S> {
  return { payload, handle };
}

/** Thrown by a handler when retrying cannot help (the subject is gone, the input is wrong): fails the job now. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

/** The subset of a pino logger the runner uses. */
export interface JobLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface JobRunnerDeps {
  db: Db;
  clock: Clock;
  logger?: JobLogger | undefined;
  handlers: JobHandlers;
  /** Recorded in `locked_by`; host:pid:random by default. */
  workerId?: string | undefined;
  /** Longest sleep between polls; the runner also wakes for the next due job and in-process enqueues. */
  pollIntervalMs?: number | undefined;
  /** How long a claim lasts without renewal; renewed every third of it while the handler runs. */
  leaseMs?: number | undefined;
  /** Jobs run at once by this runner. */
  concurrency?: number | undefined;
  /** For the backoff jitter; Math.random by default. */
  random?: (() => number) | undefined;
  /**
   * How often a started runner records that it is alive (`job_runner_heartbeats`, one row per
   * runner, read by `vigil doctor`); 30 s by default.
   */
  heartbeatMs?: number | undefined;
}

export interface RunSummary {
  ran: number;
  succeeded: number;
  /** Failed and rescheduled with backoff. */
  retried: number;
  /** Failed for good (max attempts reached, unknown kind, invalid payload, PermanentJobError). */
  failed: number;
}

export interface JobRunner {
  readonly workerId: string;
  /** Starts polling in the background. */
  start(): void;
  /** Stops polling and waits for the jobs in flight to finish. */
  stop(): Promise<void>;
  /** Claims and runs due jobs until none is left (jobs rescheduled by a failure wait for their time). */
  runDueJobsOnce(): Promise<RunSummary>;
  /** Polls now instead of at the next interval. */
  wake(): void;
}

interface ClaimedJob {
  id: string;
  kind: string;
  payload_json: string;
  attempts: number;
  max_attempts: number;
}

type Outcome = 'succeeded' | 'retried' | 'failed' | 'lost';

const BACKOFF_BASE_MS = 10_000;
const BACKOFF_CAP_MS = 60 * 60_000;
const MAX_ERROR_LENGTH = 1000;
const MIN_SLEEP_MS = 25;
const DEFAULT_HEARTBEAT_MS = 30_000;
/** Heartbeats of runners silent this long are removed when a runner starts (crashed instances). */
const STALE_HEARTBEAT_MS = 7 * 24 * 60 * 60_000;

/** Every runner's latest heartbeat, newest first: which instances run jobs, and since when. */
export function listRunnerHeartbeats(db: Db) {
  return db.kysely
    .selectFrom('job_runner_heartbeats')
    .select(['worker_id', 'host', 'pid', 'started_at', 'last_seen_at'])
    .orderBy('last_seen_at', 'desc')
    .limit(100)
    .execute();
}

/**
 * The delay before retry number `attempts` (attempts made so far, from 1): 10 s doubling per
 * attempt, capped at one hour, with the upper half jittered so that a burst of failures spreads out.
 */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const exponential = Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1), BACKOFF_CAP_MS);
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}

/** Creates a runner over `deps.db`; nothing happens until `start()` or `runDueJobsOnce()`. */
export function createJobRunner(deps: JobRunnerDeps): JobRunner {
  const { db, clock, handlers, logger } = deps;
  const workerId = deps.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const pollIntervalMs = deps.pollIntervalMs ?? 1000;
  const leaseMs = deps.leaseMs ?? 5 * 60_000;
  const kinds = Object.keys(handlers);
  const concurrency = Math.max(1, deps.concurrency ?? 4);
  const random = deps.random ?? Math.random;
  const heartbeatMs = deps.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const startedAt = clock.now().toISOString();
  let heartbeatTimer: NodeJS.Timeout | undefined;

  const inFlight = new Set<Promise<Outcome>>();
  let running = false;
  let loop: Promise<void> | undefined;
  let unsubscribe: (() => void) | undefined;
  let wakeUp: (() => void) | undefined;
  let wakeRequested = false;

  const later = (ms: number) => new Date(clock.now().getTime() + ms).toISOString();

  async function claim(limit: number): Promise<ClaimedJob[]> {
    if (kinds.length === 0) return [];
    const now = clock.now().toISOString();
    // Reclaim a job whose lease expired (its instance died) unless it has used its attempts.
    await db.kysely
      .updateTable('jobs')
      .set({
        state: 'failed',
        locked_by: null,
        locked_until: null,
        finished_at: now,
        updated_at: now,
        last_error: 'The lease expired on the last attempt: the instance running it stopped or stalled.',
      })
      .where('state', '=', 'running')
      .where('locked_until', '<=', now)
      .whereRef('attempts', '>=', 'max_attempts')
      .execute();
    return db.kysely
      .updateTable('jobs')
      .set((eb) => ({
        state: 'running',
        locked_by: workerId,
        locked_until: later(leaseMs),
        attempts: eb('attempts', '+', 1),
        updated_at: now,
      }))
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('jobs')
          .select('id')
          .where((w) =>
            w.or([
              w.and([w('state', '=', 'pending'), w('run_at', '<=', now)]),
              w.and([w('state', '=', 'running'), w('locked_until', '<=', now)]),
            ]),
          )
          // Only kinds this runner can run: during a rolling deploy an older instance leaves a new
          // kind to the instances that know it instead of failing it.
          .where('kind', 'in', kinds)
          .orderBy('run_at')
          .orderBy('id')
          .limit(limit)
          // PostgreSQL: concurrent claimers skip each other's rows instead of queueing on them.
          .$if(db.dialect === 'postgres', (qb) => qb.forUpdate().skipLocked()),
      )
      .returning(['id', 'kind', 'payload_json', 'attempts', 'max_attempts'])
      .execute();
  }

  /** Updates the job only while this runner still holds the claim it made (fencing by attempts). */
  function ownedJob(job: ClaimedJob) {
    return db.kysely
      .updateTable('jobs')
      .where('id', '=', job.id)
      .where('state', '=', 'running')
      .where('locked_by', '=', workerId)
      .where('attempts', '=', job.attempts);
  }

  async function finish(job: ClaimedJob, error: unknown, permanent: boolean): Promise<Outcome> {
    const now = clock.now().toISOString();
    const released = { locked_by: null, locked_until: null, updated_at: now };
    const outcome: Outcome =
      error === undefined
        ? 'succeeded'
        : permanent || job.attempts >= job.max_attempts
          ? 'failed'
          : 'retried';
    const changes =
      outcome === 'succeeded'
        ? { ...released, state: 'done', finished_at: now }
        : outcome === 'failed'
          ? { ...released, state: 'failed', finished_at: now, last_error: describeError(error) }
          : {
              ...released,
              state: 'pending',
              run_at: later(retryDelayMs(job.attempts, random)),
              last_error: describeError(error),
            };
    const result = await ownedJob(job).set(changes).executeTakeFirst();
    if (result.numUpdatedRows === 0n) {
      logger?.warn(
        { jobId: job.id, kind: job.kind },
        'job lease was lost before it finished; its result is dropped',
      );
      return 'lost';
    }
    if (outcome !== 'succeeded') {
      const log = { jobId: job.id, kind: job.kind, attempt: job.attempts, error: describeError(error) };
      if (outcome === 'failed') logger?.error(log, 'job failed');
      else logger?.warn(log, 'job failed; it will be retried');
    }
    return outcome;
  }

  async function execute(job: ClaimedJob): Promise<Outcome> {
    const handler = handlers[job.kind];
    if (!handler) {
      // Not claimable (see claim), so unreachable unless the registry changed under a running runner.
      return finish(job, new Error(`No handler is registered for job kind "${job.kind}".`), true);
    }
    const parsed = handler.payload.safeParse(safeJson(job.payload_json));
    if (!parsed.success) {
      // Paths and messages only: zod's messages name the expectation, never the value received.
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`);
      return finish(job, new Error(`Invalid payload for job kind "${job.kind}": ${issues.join('; ')}`), true);
    }
    const lease = new AbortController();
    const heartbeat = setInterval(
      () => {
        ownedJob(job)
          .set({ locked_until: later(leaseMs) })
          .executeTakeFirst()
          .then((r) => {
            if (r.numUpdatedRows === 0n) lease.abort();
          })
          .catch((err: unknown) =>
            logger?.warn({ jobId: job.id, error: describeError(err) }, 'lease renewal failed'),
          );
      },
      Math.max(10, Math.floor(leaseMs / 3)),
    );
    try {
      const ctx: JobContext = {
        jobId: job.id,
        kind: job.kind,
        attempt: job.attempts,
        maxAttempts: job.max_attempts,
        clock,
        signal: lease.signal,
      };
      await handler.handle(parsed.data, ctx);
    } catch (err) {
      clearInterval(heartbeat);
      return finish(
        job,
        err ?? new Error('The handler threw a nullish value.'),
        err instanceof PermanentJobError,
      );
    }
    clearInterval(heartbeat);
    return finish(job, undefined, false);
  }

  function track(job: ClaimedJob): Promise<Outcome> {
    const p = execute(job).catch((err: unknown) => {
      // The database refused the outcome: the lease will expire and the job will run again.
      logger?.error({ jobId: job.id, error: describeError(err) }, 'could not record the outcome of a job');
      return 'lost' as const;
    });
    inFlight.add(p);
    void p.finally(() => {
      inFlight.delete(p);
      wake();
    });
    return p;
  }

  async function runDueJobsOnce(): Promise<RunSummary> {
    const summary: RunSummary = { ran: 0, succeeded: 0, retried: 0, failed: 0 };
    for (;;) {
      const jobs = await claim(concurrency);
      if (jobs.length === 0) return summary;
      for (const outcome of await Promise.all(jobs.map(track))) {
        summary.ran += 1;
        if (outcome !== 'lost') summary[outcome] += 1;
      }
    }
  }

  /** Milliseconds until the next job is due (or a lease expires), at most one poll interval. */
  async function untilNextDue(): Promise<number> {
    if (kinds.length === 0) return pollIntervalMs;
    const row = await db.kysely
      .selectFrom('jobs')
      .select((eb) => eb.fn.min<string>('run_at').as('next'))
      .where('state', '=', 'pending')
      .where('kind', 'in', kinds)
      .executeTakeFirst();
    const lease = await db.kysely
      .selectFrom('jobs')
      .select((eb) => eb.fn.min<string>('locked_until').as('next'))
      .where('state', '=', 'running')
      .executeTakeFirst();
    const now = clock.now().getTime();
    let delay = pollIntervalMs;
    for (const next of [row?.next, lease?.next]) {
      if (next) delay = Math.min(delay, Math.max(0, Date.parse(next) - now));
    }
    return delay;
  }

  /** Sleeps up to `ms`; a wake() before or during the sleep ends it. */
  function sleep(ms: number): Promise<void> {
    if (wakeRequested) {
      wakeRequested = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });
  }

  function wake(): void {
    if (wakeUp) wakeUp();
    else wakeRequested = true;
  }

  async function pollLoop(): Promise<void> {
    while (running) {
      let delay = pollIntervalMs;
      wakeRequested = false;
      try {
        const free = concurrency - inFlight.size;
        if (free > 0) (await claim(free)).forEach(track);
        // With every slot busy, a finishing job wakes the loop. Otherwise sleep until the next due job,
        // never spinning faster than MIN_SLEEP_MS on a due job that another instance holds.
        if (inFlight.size < concurrency) delay = Math.max(MIN_SLEEP_MS, await untilNextDue());
      } catch (err) {
        logger?.error({ workerId, error: describeError(err) }, 'polling for jobs failed');
      }
      if (running) await sleep(delay);
    }
  }

  /** Records that this runner is alive: one row per runner, written at start and every heartbeatMs. */
  async function beat(): Promise<void> {
    const now = clock.now().toISOString();
    const [host = hostname(), pid = String(process.pid)] = workerId.split(':');
    await db.kysely
      .insertInto('job_runner_heartbeats')
      .values({ worker_id: workerId, host, pid: Number(pid) || 0, started_at: startedAt, last_seen_at: now })
      .onConflict((oc) => oc.column('worker_id').doUpdateSet({ last_seen_at: now }))
      .execute();
  }

  function beatQuietly(): void {
    beat().catch((err: unknown) =>
      logger?.warn({ workerId, error: describeError(err) }, 'recording the runner heartbeat failed'),
    );
  }

  async function firstBeat(): Promise<void> {
    const stale = new Date(clock.now().getTime() - STALE_HEARTBEAT_MS).toISOString();
    await db.kysely.deleteFrom('job_runner_heartbeats').where('last_seen_at', '<', stale).execute();
    await beat();
  }

  return {
    workerId,
    start() {
      if (running) return;
      running = true;
      unsubscribe = onJobEnqueued(wake);
      heartbeatTimer = setInterval(beatQuietly, Math.max(10, heartbeatMs));
      heartbeatTimer.unref();
      // The first heartbeat, then the polling: a database that is away delays neither for long.
      loop = firstBeat()
        .catch((err: unknown) =>
          logger?.warn({ workerId, error: describeError(err) }, 'recording the runner heartbeat failed'),
        )
        .then(pollLoop);
      logger?.info({ workerId, concurrency }, 'job runner started');
    },
    async stop() {
      running = false;
      unsubscribe?.();
      clearInterval(heartbeatTimer);
      wake();
      await loop;
      await Promise.allSettled([...inFlight]);
      // A runner that stopped cleanly is no longer alive: its row goes (a crashed one's goes stale).
      await db.kysely
        .deleteFrom('job_runner_heartbeats')
        .where('worker_id', '=', workerId)
        .execute()
        .catch((err: unknown) =>
          logger?.warn({ workerId, error: describeError(err) }, 'removing the runner heartbeat failed'),
        );
      logger?.info({ workerId }, 'job runner stopped');
    },
    runDueJobsOnce,
    wake,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The stored error: its class and message, bounded. Never the payload, never the stack (which may
 * quote values); handlers must not put secrets in their error messages.
 */
function describeError(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : `Non-error thrown: ${String(err)}`;
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}
