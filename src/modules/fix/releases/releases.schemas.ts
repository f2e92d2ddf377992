/** Requests and responses of a case's release matrix (PROCESS.md §5, §8). Bounded. */
import { z } from 'zod';
import { boundedText } from '../../../lib/bounded.js';
import { caseIdParams } from '../../cases/cases.schemas.js';
import { RELEASE_STATES } from './release-board.js';
import { MATRIX_OUTCOMES, ROW_KINDS } from './release-matrix.js';

/** A row of the matrix: a supported line (`1.28`), `main` or `next`. */
export const lineParams = caseIdParams.extend({
  line: z
    .string()
    .regex(/^(?:\d{1,4}\.\d{1,4}|main|next)$/, 'must be a release line such as 1.28, main or next'),
});

/** A release's version: `1.28.3`, `v1.29.0`, `1.29.0-rc.1`. */
const version = z
  .string()
  .trim()
  .max(80)
  .regex(
    /^v?\d{1,6}\.\d{1,6}(?:\.\d{1,6})?(?:-[0-9A-Za-z.-]{1,50})?(?:\+[0-9A-Za-z.-]{1,20})?$/,
    'must be a version such as 1.28.3',
  );

const httpUrl = z.url({ protocol: /^https?$/, message: 'must be an http or https URL' }).max(2000);

/** What the team records of a release; a field left out keeps its value, null clears it. */
export const recordReleaseInput = z.strictObject({
  version: version.nullable().optional(),
  plannedAt: z.iso.datetime({ offset: true }).nullable().optional(),
  state: z.enum(RELEASE_STATES),
  url: httpUrl.nullable().optional(),
});
export type RecordReleaseInput = z.infer<typeof recordReleaseInput>;

export const overrideInput = z.strictObject({
  /** Why the line goes on without a green run; kept encrypted. */
  reason: boundedText(2000).trim().min(1, 'is required: why the line goes on without a green run'),
});

const rowSchema = z.object({
  line: z.string(),
  branch: z.string(),
  kind: z.enum(ROW_KINDS),
  blocker: z.boolean(),
  release: z
    .object({
      version: z.string().nullable(),
      plannedAt: z.string().nullable(),
      state: z.enum(RELEASE_STATES),
      url: z.string().nullable(),
    })
    .nullable(),
  ci: z
    .object({
      runId: z.string(),
      state: z.string(),
      commit: z.string(),
      queuedAt: z.string(),
      finishedAt: z.string().nullable(),
    })
    .nullable(),
  green: z.boolean(),
  override: z.object({ reason: z.string(), by: z.string(), at: z.string() }).nullable(),
  blocked: z.boolean(),
});

export const releaseBoardSchema = z.object({
  outcome: z.enum(MATRIX_OUTCOMES),
  explanation: z.string(),
  rows: z.array(rowSchema),
  lines: z.array(z.object({ line: z.string(), affected: z.boolean() })),
  publicIssue: z.boolean(),
  cveWarranted: z.boolean().nullable(),
  ciRequired: z.boolean(),
  publishable: z.boolean(),
  blockers: z.array(z.string()),
});
