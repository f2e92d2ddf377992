/**
 * The CI runner (`vigil runner --url URL --token-file FILE`, or `--token T`): a separate process,
 * on Vigil's machine or another, that talks to Vigil over HTTP only. It claims a run, clones the
 * case's fix repository into a fresh temporary directory, checks out the pushed commit, runs the
 * policy's test command in its own process group with a sanitized environment and a time limit,
 * heartbeats its lease meanwhile, reports the outcome and the tail of the output, removes the
 * directory, and repeats.
 *
 * Nothing here is remembered across runs: a runner that dies loses its lease, and Vigil queues the
 * run again for another. A run whose heartbeat answers 404 was taken back: it is abandoned (its
 * process group killed) and not reported.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { z } from 'zod';
import { createTailBuffer, keepLogTail } from './ci-log.js';
import { claimResponse, MAX_LOG_BYTES, MAX_RESULT_BODY_BYTES, type RUN_OUTCOMES } from './ci.schemas.js';

export type ClaimedRun = z.infer<typeof claimResponse>['run'];
type Outcome = (typeof RUN_OUTCOMES)[number];

export interface RunnerProcessOptions {
  /** Vigil's address, e.g. `https://vigil.example.org`. */
  url: string;
  /** The runner token (`vgr_...`). It reaches git through its environment, never the tests. */
  token: string;
  /** Claim once: run what was claimed (if anything), then stop. */
  once?: boolean | undefined;
  /** Seconds between claims while nothing is queued (10). */
  pollSeconds?: number | undefined;
  /** Where the temporary checkouts go (the system's temporary directory). */
  workDir?: string | undefined;
  /** At most this many seconds per run, whatever the policy allows (the policy's limit when shorter). */
  timeoutSeconds?: number | undefined;
  /** Between SIGTERM and SIGKILL of a run's process group (5 s). */
  killGraceMs?: number | undefined;
  /** The environment the runner started with; tests get a sanitized copy (this process's by default). */
  env?: NodeJS.ProcessEnv | undefined;
  /** One line per run. */
  print: (line: string) => void;
  /** Problems that do not stop the runner (Vigil unreachable for a while). */
  warn: (line: string) => void;
}

export interface RunnerSummary {
  runs: number;
  passed: number;
  failed: number;
  errors: number;
  abandoned: number;
}

export interface RunnerHandle {
  /** Resolves when the runner stopped; rejects on a fatal problem (the token was refused). */
  done: Promise<RunnerSummary>;
  /** Claims nothing more; the current run finishes and is reported. */
  stop(): void;
  /** Stops now: the current run's processes are killed and it is not reported (its lease expires). */
  abandon(): void;
}

/** Vigil refused the runner's token: revoked or unknown. Retrying cannot help. */
export class RunnerTokenRefusedError extends Error {
  constructor() {
    super('Vigil refused the runner token (401): it is unknown or was revoked.');
    this.name = 'RunnerTokenRefusedError';
  }
}

const REQUEST_TIMEOUT_MS = 30_000;

/** Variables a test never sees: Vigil's own, git's, and anything named like a credential. */
const CREDENTIAL_NAME = /(TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|PRIVATE_KEY|API_KEY|ACCESS_KEY)/i;

/**
 * The environment of a test: the runner's, without VIGIL_* and DATABASE_URL, without GIT_*
 * (git's settings, where the token's header could be), without anything named like a credential or
 * holding the runner token; with `CI=true`.
 */
export function testEnvironment(base: NodeJS.ProcessEnv, token: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(base)) {
    if (value === undefined) continue;
    if (/^(VIGIL_|GIT_)/i.test(name) || name === 'DATABASE_URL' || CREDENTIAL_NAME.test(name)) continue;
    if (token && value.includes(token)) continue;
    env[name] = value;
  }
  env.CI = 'true';
  return env;
}

/**
 * git's environment for a clone: the token as an HTTP header through GIT_CONFIG_* (not on the
 * command line, where `ps` shows it), no redirects (the header would follow), no prompts, and only
 * the http(s) and file transports.
 */
function gitEnvironment(base: NodeJS.ProcessEnv, token: string): NodeJS.ProcessEnv {
  const config: [string, string][] = [
    ['http.extraHeader', `Authorization: Bearer ${token}`],
    ['http.followRedirects', 'false'],
    ['protocol.allow', 'never'],
    ['protocol.https.allow', 'always'],
    ['protocol.http.allow', 'always'],
    ['protocol.file.allow', 'always'],
    ['core.hooksPath', '/dev/null'],
  ];
  const env: NodeJS.ProcessEnv = { ...testEnvironment(base, token), GIT_TERMINAL_PROMPT: '0' };
  env.GIT_CONFIG_COUNT = String(config.length);
  config.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return env;
}

/** Clone URLs a runner follows: http(s), file, or an absolute path. */
const CLONE_URL = /^(https?:\/\/|file:\/\/|\/)[^\s]*$/;
const COMMIT = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  aborted: boolean;
}

/**
 * Runs a command in its own process group, output into `output`; at `timeoutMs` or when `abort`
 * fires, the whole group gets SIGTERM, then SIGKILL after `graceMs`. After it exits, whatever it
 * left running in its group is killed too.
 */
function runInGroup(
  command: string,
  args: string[],
  opts: {
    cwd: string;
    env: NodeJS.ProcessEnv;
    timeoutMs: number;
    graceMs: number;
    abort: AbortSignal;
    output: { push(chunk: Buffer): void };
  },
): Promise<ChildResult> {
  return new Promise((resolve) => {
    let timedOut = false;
    let aborted = false;
    let exited = false;
    const child = spawn(command, args, {
      cwd: opts.cwd,
      env: opts.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const killGroup = (signal: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // The group is gone already.
      }
    };
    let killTimer: NodeJS.Timeout | undefined;
    const terminate = () => {
      killGroup('SIGTERM');
      killTimer ??= setTimeout(() => killGroup('SIGKILL'), opts.graceMs);
    };
    const limit = setTimeout(() => {
      timedOut = true;
      terminate();
    }, opts.timeoutMs);
    const onAbort = () => {
      aborted = true;
      terminate();
    };
    opts.abort.addEventListener('abort', onAbort, { once: true });
    if (opts.abort.aborted) onAbort();
    child.stdout.on('data', (b: Buffer) => opts.output.push(b));
    child.stderr.on('data', (b: Buffer) => opts.output.push(b));
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (exited) return;
      exited = true;
      clearTimeout(limit);
      opts.abort.removeEventListener('abort', onAbort);
      // Whatever the command left behind in its group (a server it started) goes with it.
      killGroup('SIGKILL');
      clearTimeout(killTimer);
      // Output still in the pipes arrives before 'close'; a process that left the group and holds
      // them open is not waited for.
      const closed = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        resolve({ code, signal, timedOut, aborted });
      }, 1000);
      child.once('close', () => {
        clearTimeout(closed);
        resolve({ code, signal, timedOut, aborted });
      });
    };
    child.once('exit', finish);
    child.once('error', (err) => {
      opts.output.push(Buffer.from(`${command}: ${err.message}\n`));
      exited = true;
      clearTimeout(limit);
      opts.abort.removeEventListener('abort', onAbort);
      resolve({ code: null, signal: null, timedOut, aborted });
    });
  });
}

/** A JSON call to Vigil's runner API with the runner token. */
function apiClient(base: string, token: string) {
  const root = base.replace(/\/+$/, '');
  return async (path: string, body: unknown): Promise<{ status: number; json: unknown }> => {
    const res = await fetch(`${root}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await res.text();
    if (res.status === 401) throw new RunnerTokenRefusedError();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, json };
  };
}

const describeError = (err: unknown) => (err instanceof Error ? err.message : String(err));
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/** Starts the runner loop. */
export function startRunner(opts: RunnerProcessOptions): RunnerHandle {
  const call = apiClient(opts.url, opts.token);
  const baseEnv = opts.env ?? process.env;
  const pollMs = Math.max(1, opts.pollSeconds ?? 10) * 1000;
  const graceMs = opts.killGraceMs ?? 5000;
  const stopping = new AbortController();
  const abandoning = new AbortController();
  const summary: RunnerSummary = { runs: 0, passed: 0, failed: 0, errors: 0, abandoned: 0 };

  async function claim(): Promise<ClaimedRun | undefined> {
    const { status, json } = await call('/api/v1/runner/claim', {});
    if (status === 204) return undefined;
    if (status !== 200) throw new Error(`claiming a run answered ${status}`);
    return claimResponse.parse(json).run;
  }

  /** Sends the outcome; retried while Vigil is unreachable. False when the run was taken back. */
  async function report(
    run: ClaimedRun,
    outcome: { status: Outcome; exitCode: number | null; timedOut: boolean; log: string },
  ) {
    let log = keepLogTail(outcome.log.split(opts.token).join('[runner token]'), MAX_LOG_BYTES);
    // Escaped control characters can swell JSON up to sixfold: keep the body under the limit.
    while (Buffer.byteLength(JSON.stringify({ ...outcome, log })) > MAX_RESULT_BODY_BYTES - 4096) {
      log = keepLogTail(log, Math.floor(Buffer.byteLength(log) / 2));
    }
    const body = { ...outcome, log, attempt: run.attempt };
    for (let attempt = 1; ; attempt++) {
      try {
        const { status } = await call(`/api/v1/runner/runs/${run.id}/result`, body);
        if (status === 200) return true;
        if (status === 404) return false;
        throw new Error(`reporting answered ${status}`);
      } catch (err) {
        if (err instanceof RunnerTokenRefusedError || attempt >= 5) throw err;
        opts.warn(`run ${run.id}: reporting failed (${describeError(err)}); retrying`);
        await sleep(1000 * attempt, abandoning.signal);
        if (abandoning.signal.aborted) return false;
      }
    }
  }

  /** Clones, checks out and tests one run; undefined when it was abandoned. */
  async function execute(run: ClaimedRun, lost: AbortSignal) {
    const abort = AbortSignal.any([lost, abandoning.signal]);
    const limitSeconds = Math.min(run.timeoutSeconds, opts.timeoutSeconds ?? Infinity);
    const step = { env: gitEnvironment(baseEnv, opts.token), timeoutMs: limitSeconds * 1000, graceMs, abort };
    const dir = await mkdtemp(join(opts.workDir ?? tmpdir(), 'vigil-run-'));
    try {
      const src = join(dir, 'src');
      const output = createTailBuffer(MAX_LOG_BYTES);
      const failure = (message: string) => ({
        status: 'error' as const,
        exitCode: null,
        timedOut: false,
        log: `${message}\n${output.text()}`,
      });
      if (!CLONE_URL.test(run.cloneUrl))
        return failure(`Cannot clone ${run.cloneUrl}: not an http(s) or file URL.`);
      if (!COMMIT.test(run.commit)) return failure(`Cannot check out "${run.commit}": not a commit id.`);
      const clone = await runInGroup('git', ['clone', '--no-checkout', '--quiet', '--', run.cloneUrl, src], {
        ...step,
        cwd: dir,
        output,
      });
      if (clone.aborted) return undefined;
      if (clone.code !== 0)
        return failure(`git clone of ${run.cloneUrl} failed${clone.timedOut ? ' (time limit)' : ''}:`);
      const checkout = await runInGroup('git', ['checkout', '--quiet', '--detach', run.commit], {
        ...step,
        cwd: src,
        output,
      });
      if (checkout.aborted) return undefined;
      if (checkout.code !== 0) return failure(`git checkout of ${run.commit} failed:`);

      output.push(Buffer.from(`$ ${run.testCommand}\n`));
      const test = await runInGroup('sh', ['-c', run.testCommand], {
        ...step,
        env: testEnvironment(baseEnv, opts.token),
        cwd: src,
        output,
      });
      if (test.aborted) return undefined;
      const ending = test.timedOut
        ? `[killed: the time limit of ${limitSeconds} s was reached]`
        : test.code === null
          ? `[killed by ${test.signal ?? 'a signal'}]`
          : `[exit ${test.code}]`;
      output.push(Buffer.from(`\n${ending}\n`));
      const passed = !test.timedOut && test.code === 0;
      return {
        status: passed ? ('passed' as const) : ('failed' as const),
        exitCode: test.timedOut ? null : test.code,
        timedOut: test.timedOut,
        log: output.text(),
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** One claimed run, from heartbeat to report; its line printed. */
  async function work(run: ClaimedRun): Promise<void> {
    const started = Date.now();
    const lost = new AbortController();
    const beat = setInterval(
      () => {
        call(`/api/v1/runner/runs/${run.id}/heartbeat`, { attempt: run.attempt })
          .then(({ status }) => {
            if (status === 404) lost.abort();
          })
          .catch((err: unknown) => opts.warn(`run ${run.id}: heartbeat failed (${describeError(err)})`));
      },
      Math.max(1000, (run.leaseSeconds * 1000) / 3),
    );
    const what = `run ${run.id} ${run.caseHumanId} ${run.branch}@${run.commit.slice(0, 12)}`;
    summary.runs += 1;
    try {
      const outcome = await execute(run, lost.signal).catch((err: unknown) => ({
        status: 'error' as const,
        exitCode: null,
        timedOut: false,
        log: `The runner failed: ${describeError(err)}`,
      }));
      clearInterval(beat);
      if (!outcome || lost.signal.aborted) {
        summary.abandoned += 1;
        opts.print(
          `${what}: abandoned (${lost.signal.aborted ? 'the run was taken back' : 'the runner is stopping'})`,
        );
        return;
      }
      let reported = false;
      try {
        reported = await report(run, outcome);
      } catch (err) {
        if (err instanceof RunnerTokenRefusedError) throw err;
        opts.warn(`run ${run.id}: could not report (${describeError(err)}); it will be queued again`);
      }
      if (!reported) {
        summary.abandoned += 1;
        opts.print(`${what}: abandoned (its result was not accepted: the run was taken back)`);
        return;
      }
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (outcome.status === 'passed') summary.passed += 1;
      else if (outcome.status === 'failed') summary.failed += 1;
      else summary.errors += 1;
      const detail =
        outcome.status === 'error'
          ? (outcome.log.split('\n')[0] ?? '')
          : outcome.timedOut
            ? 'timed out'
            : `exit ${outcome.exitCode ?? 'by signal'}`;
      opts.print(`${what}: ${outcome.status} (${detail}) in ${seconds} s`);
    } finally {
      clearInterval(beat);
    }
  }

  async function loop(): Promise<RunnerSummary> {
    while (!stopping.signal.aborted) {
      let run: ClaimedRun | undefined;
      try {
        run = await claim();
      } catch (err) {
        if (err instanceof RunnerTokenRefusedError || opts.once) throw err;
        opts.warn(`claiming failed (${describeError(err)}); retrying in ${pollMs / 1000} s`);
      }
      if (run) await work(run);
      if (opts.once) break;
      if (!run) await sleep(pollMs, stopping.signal);
    }
    return summary;
  }

  return {
    done: loop(),
    stop: () => stopping.abort(),
    abandon: () => {
      stopping.abort();
      abandoning.abort();
    },
  };
}
