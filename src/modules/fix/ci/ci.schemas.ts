/** Zod schemas of CI on the fix: runners, the runner API and the case's CI status. */
import { z } from 'zod';
import { slugSchema } from '../../projects/projects.schemas.js';

/** The newest part of a run's log that is kept (and that a runner sends). */
export const MAX_LOG_BYTES = 256 * 1024;
/** The largest result body accepted; larger answers 413. A runner sends at most MAX_LOG_BYTES of log. */
export const MAX_RESULT_BODY_BYTES = 1024 * 1024;

export const RUN_STATES = ['queued', 'running', 'passed', 'failed', 'error'] as const;
export const RUN_OUTCOMES = ['passed', 'failed', 'error'] as const;

// ---- Runners -------------------------------------------------------------------------------------

export const runnerNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[^\p{Cc}]*$/u, 'must be one line of text');

/** `project`: the one project whose runs the runner claims (its slug); none: every project's. */
export const registerRunnerBody = z.object({ name: runnerNameSchema, project: slugSchema.optional() });
export const runnerIdParams = z.object({ runnerId: z.uuid() });

export const runnerSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** The token's first characters, to recognise it; never the token. */
  prefix: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  /** The one project whose runs it claims; null: every project's. */
  projectId: z.string().nullable(),
});

export const registeredRunnerSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** Shown once: Vigil keeps only its hash. */
  token: z.string(),
  /** The slug of the one project whose runs it claims; null: every project's. */
  project: z.string().nullable(),
});

// ---- The runner API ------------------------------------------------------------------------------

export const runIdParams = z.object({ runId: z.uuid() });

/**
 * The attempt a runner claimed (from the claim's answer), always sent: it fences a stale process of
 * the same runner (a restart under the same token) out of a later attempt of the same run.
 */
const attemptSchema = z.int().min(1).max(1_000_000);

export const claimedRunSchema = z.object({
  id: z.string(),
  caseId: z.string(),
  caseHumanId: z.string(),
  branch: z.string(),
  commit: z.string(),
  /** Clone with `Authorization: Bearer <runner token>`: allowed while the lease on this run holds. */
  cloneUrl: z.string(),
  testCommand: z.string(),
  timeoutSeconds: z.int(),
  /** Heartbeat well within this (every third of it), or the run is taken back. */
  leaseSeconds: z.int(),
  attempt: z.int(),
});

export const claimResponse = z.object({ run: claimedRunSchema });

export const heartbeatBody = z.object({ attempt: attemptSchema });
export const heartbeatResponse = z.object({ leaseUntil: z.string() });

export const resultBody = z
  .object({
    status: z.enum(RUN_OUTCOMES),
    exitCode: z.int().min(-2_147_483_648).max(2_147_483_647).nullable(),
    timedOut: z.boolean(),
    /** Standard output and error; only the last MAX_LOG_BYTES are kept. */
    log: z.string().max(MAX_RESULT_BODY_BYTES),
    attempt: attemptSchema,
  })
  .refine((r) => r.status !== 'passed' || (r.exitCode === 0 && !r.timedOut), {
    message: 'a passed run exits 0 within its time limit',
    path: ['status'],
  });
export type RunResultInput = z.infer<typeof resultBody>;

export const resultResponse = z.object({
  id: z.string(),
  state: z.enum(RUN_STATES),
  finishedAt: z.string().nullable(),
});

// ---- The case's CI -------------------------------------------------------------------------------

export const runSchema = z.object({
  id: z.string(),
  commit: z.string(),
  state: z.enum(RUN_STATES),
  attempts: z.int(),
  exitCode: z.int().nullable(),
  timedOut: z.boolean(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  runnerName: z.string().nullable(),
});
export type RunDto = z.infer<typeof runSchema>;

export const caseCiSchema = z.object({
  /** The policy's `fix.testCommand`; null: pushes queue no runs. */
  testCommand: z.string().nullable(),
  branches: z.array(
    z.object({
      branch: z.string(),
      latest: runSchema.nullable(),
      /** The branch's newest runs, the latest first (at most 10). */
      history: z.array(runSchema),
    }),
  ),
});

export const runLogResponse = z.object({
  /** Null until the run reports. */
  log: z.string().nullable(),
});
