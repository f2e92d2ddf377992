/**
 * CI on the fix: the runner API (claim a run under a lease, heartbeat, report the result) and the
 * case's CI status for the people on the case. A run's lease lives in the database only: a runner
 * that disappears leaves a lease that expires, and the next claim queues the run again. Every
 * write by a runner is fenced on the lease it holds, so a runner whose run was taken over reports
 * into nothing (404) and must stop.
 */
import { appendAuditEvent } from '../../../audit/audit.log.js';
import { authorize, type Principal } from '../../../authz/authz.policy.js';
import { actorOf, loadCaseFor } from '../../../authz/access.js';
import { recordCaseRead } from '../../access/access-log.js';
import type { Db } from '../../../db/connection.js';
import type { Clock } from '../../../lib/clock.js';
import type { Keyring } from '../../../lib/crypto/keyring.js';
import { NotFoundError } from '../../../lib/errors.js';
import { projectContextById } from '../../cases/case-context.js';
import { keepLogTail, runLogCipher } from './ci-log.js';
import { durationMs, releaseExpiredLeases } from './ci-queue.steps.js';
import { MAX_LOG_BYTES, RUN_STATES, type RunDto, type RunResultInput } from './ci.schemas.js';
import * as repo from './ci.repo.js';

export interface CiDeps {
  db: Db;
  clock: Clock;
  cipher: Pick<Keyring, 'encryptField' | 'decryptField'>;
  publicUrl: string;
  /**
   * Where runners clone a case's fix repository from: `<runnerGitUrl>/<human id>.git`;
   * `<publicUrl>/git` unless set (runners on an internal network may reach Vigil elsewhere).
   */
  runnerGitUrl?: string | undefined;
  /** How long a claim holds without a heartbeat (60 s). */
  leaseSeconds?: number | undefined;
}

export type CiService = ReturnType<typeof createCiService>;

/** How many runs a branch's history shows. */
const HISTORY = 10;
/** Runs read for a case's CI page (its branches' histories come from these). */
const RUNS_READ = 500;
/** Runs of projects without a test command that one claim finishes before giving up. */
const CLAIM_TRIES = 10;

const NO_TEST_COMMAND =
  'No test command in the policy (fix.testCommand): nothing was run. Set one and push again.\n';

type RunState = (typeof RUN_STATES)[number];
const asState = (s: string): RunState =>
  (RUN_STATES as readonly string[]).includes(s) ? (s as RunState) : 'error';

function toRunDto(r: repo.RunWithRunner): RunDto {
  return {
    id: r.id,
    commit: r.commit_sha,
    state: asState(r.state),
    attempts: r.attempts,
    exitCode: r.exit_code,
    timedOut: r.timed_out === 1,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    runnerName: r.runner_name,
  };
}

/** The runner id of a principal the policy let work on runs. */
function runnerOf(principal: Principal, label: string): string {
  authorize(principal, 'ci.run.work', { label });
  if (principal.kind !== 'runner') throw new NotFoundError(label);
  return principal.runnerId;
}

/** Builds the CI service. */
export function createCiService(deps: CiDeps) {
  const { db, clock } = deps;
  const k = db.kysely;
  const logs = runLogCipher(deps.cipher);
  const leaseSeconds = deps.leaseSeconds ?? 60;
  const gitBase = (deps.runnerGitUrl ?? `${deps.publicUrl}/git`).replace(/\/+$/, '');
  const nowIso = () => clock.now().toISOString();
  const leaseFrom = (now: string) => new Date(Date.parse(now) + leaseSeconds * 1000).toISOString();

  return {
    /**
     * Claims the oldest queued run (after queueing again the runs whose lease expired) for the
     * calling runner; undefined when nothing is queued. A run of a project whose policy has no
     * test command any more is finished as `error` and the next one is claimed.
     */
    async claimRun(principal: Principal) {
      const runnerId = runnerOf(principal, 'Runs');
      const actor = actorOf(principal);
      return k.transaction().execute(async (trx) => {
        const now = nowIso();
        const scope = (await repo.findRunner(trx, runnerId))?.project_id ?? null;
        await releaseExpiredLeases(trx, clock, db.dialect, logs, actor);
        for (let i = 0; i < CLAIM_TRIES; i++) {
          const claim = { runnerId, now, leaseUntil: leaseFrom(now) };
          const run = await repo.claimOldestQueuedRun(trx, db.dialect, claim, scope);
          if (!run) return undefined;
          const c = await repo.findCaseOfRun(trx, run.case_id);
          if (!c) continue; // the case is gone (its runs cascade): unreachable in one transaction
          const { policy } = await projectContextById(trx, c.project_id);
          const subject = { type: 'case', id: c.id };
          const testCommand = policy.fix.testCommand;
          if (!testCommand) {
            const outcome = { exit_code: null, timed_out: 0, finished_at: now };
            const log_enc = logs.seal(run.id, NO_TEST_COMMAND);
            await repo.finishRun(
              trx,
              { runId: run.id, runnerId, attempts: run.attempts },
              {
                ...outcome,
                state: 'error',
                log_enc,
              },
            );
            await appendAuditEvent(trx, clock, {
              actor,
              action: 'ci.run_finished',
              subject,
              projectId: c.project_id,
              data: { runId: run.id, status: 'error', exitCode: null, durationMs: 0 },
            });
            continue;
          }
          await appendAuditEvent(trx, clock, {
            actor,
            action: 'ci.run_claimed',
            subject,
            projectId: c.project_id,
            data: { runId: run.id, runnerId, attempt: run.attempts },
          });
          return {
            id: run.id,
            caseId: c.id,
            caseHumanId: c.human_id,
            branch: run.branch,
            commit: run.commit_sha,
            cloneUrl: `${gitBase}/${encodeURIComponent(c.human_id)}.git`,
            testCommand,
            timeoutSeconds: policy.fix.testTimeoutMinutes * 60,
            leaseSeconds,
            attempt: run.attempts,
          };
        }
        return undefined;
      });
    },

    /** Extends the lease of a run the caller holds; 404 when it holds it no more (stop working on it). */
    async heartbeat(principal: Principal, runId: string, attempt: number) {
      const label = `Run ${runId}`;
      const runnerId = runnerOf(principal, label);
      const leaseUntil = leaseFrom(nowIso());
      // Bookkeeping of a lease, like the job runner's renewals: no audit event describes it.
      const extended = await repo.extendLease(k, { runId, runnerId, attempt, leaseUntil });
      if (!extended) throw new NotFoundError(label);
      return { leaseUntil };
    },

    /**
     * Records a run's outcome and log (its newest MAX_LOG_BYTES, encrypted), only from the runner
     * holding its lease. Sending the same result again answers the recorded outcome.
     */
    async reportResult(principal: Principal, runId: string, input: RunResultInput) {
      const label = `Run ${runId}`;
      const runnerId = runnerOf(principal, label);
      const sealed = logs.seal(runId, keepLogTail(input.log, MAX_LOG_BYTES));
      return k.transaction().execute(async (trx) => {
        const run = await repo.findRun(trx, runId);
        const fenced = run && run.runner_id === runnerId && input.attempt === run.attempts;
        if (!run || !fenced) throw new NotFoundError(label);
        // Already finished by this runner: the same report again (its first answer was lost).
        if (run.state !== 'running')
          return { id: run.id, state: asState(run.state), finishedAt: run.finished_at };
        const now = nowIso();
        const finished = await repo.finishRun(
          trx,
          { runId, runnerId, attempts: run.attempts },
          {
            state: input.status,
            exit_code: input.exitCode,
            timed_out: input.timedOut ? 1 : 0,
            log_enc: sealed,
            finished_at: now,
          },
        );
        if (!finished) throw new NotFoundError(label);
        const c = await repo.findCaseOfRun(trx, run.case_id);
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'ci.run_finished',
          subject: { type: 'case', id: run.case_id },
          projectId: c?.project_id ?? null,
          data: {
            runId,
            status: input.status,
            exitCode: input.exitCode,
            durationMs: durationMs(run.started_at, now),
          },
        });
        return { id: runId, state: input.status, finishedAt: now };
      });
    },

    /** The case's test command and, per branch, its latest run and recent history. */
    async getCaseCi(principal: Principal, ref: string) {
      const c = await loadCaseFor(k, principal, ref, 'case.repository.read');
      const { policy } = await projectContextById(k, c.project_id);
      const byBranch = new Map<string, RunDto[]>();
      for (const r of await repo.listRunsOfCase(k, c.id, RUNS_READ)) {
        byBranch.set(r.branch, [...(byBranch.get(r.branch) ?? []), toRunDto(r)]);
      }
      // `latest` is the run of the branch's head (a force-push may go back to an older commit); a
      // deleted branch, or a head without a run, has none.
      const heads = await repo.latestRunsByBranch(k, c.id);
      const branches = [...byBranch.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([branch, runs]) => ({
          branch,
          latest: runs.find((r) => r.id === heads.get(branch)?.id) ?? null,
          history: runs.slice(0, HISTORY),
        }));
      return { testCommand: policy.fix.testCommand, branches };
    },

    /** A run's log, decrypted; null until the run reports. */
    async getRunLog(principal: Principal, ref: string, runId: string) {
      const c = await loadCaseFor(k, principal, ref, 'case.repository.read');
      const row = await repo.findRunLog(k, c.id, runId);
      if (!row) throw new NotFoundError(`Run ${runId}`);
      await recordCaseRead(db, clock, principal, c, 'ci-log');
      return { log: row.log_enc === null ? null : logs.open(row.id, row.log_enc) };
    },
  };
}
