/** Requests and responses of the phase clocks (PROCESS.md §6, §8, §9). Bounded. */
import { z } from 'zod';
import { boundedLine, boundedText } from '../../../lib/bounded.js';
import { CASE_STATES } from '../../cases/case-transitions.js';
import { PHASE_STATUSES, PHASES } from './phase.types.js';

export const phaseViewSchema = z.object({
  name: z.enum(PHASES),
  label: z.string(),
  startedAt: z.string().nullable(),
  earliestAt: z.string().nullable(),
  dueAt: z.string().nullable(),
  doneAt: z.string().nullable(),
  status: z.enum(PHASE_STATUSES),
  hoursLate: z.number(),
});

export const casePhasesSchema = z.object({
  phases: z.array(phaseViewSchema),
  publiclyKnown: z.boolean(),
  /** The clocks are "as soon as possible" (publicly known, by the policy's public-disclosure rule). */
  asap: z.boolean(),
  slowdown: z
    .object({ cvss: z.number().nullable(), reason: z.string(), decidedBy: z.string(), decidedAt: z.string() })
    .nullable(),
  /** Why the team may not slow down now; null when it may. */
  slowdownRefusal: z.string().nullable(),
  upstream: z
    .object({ name: z.string(), url: z.string().nullable(), disclosureAt: z.string().nullable() })
    .nullable(),
});

export const projectTimelineSchema = z.object({
  cases: z.array(
    z.object({
      id: z.string(),
      humanId: z.string(),
      title: z.string(),
      state: z.enum(CASE_STATES),
      publiclyKnown: z.boolean(),
      /** The earliest due instant of an open phase; null when none has one. */
      nextDueAt: z.string().nullable(),
      phases: z.array(phaseViewSchema),
    }),
  ),
});

export const slowdownInput = z.strictObject({
  /** Why the team slows down (holidays, bandwidth...), as discussed where the policy says. */
  reason: boundedText(2000).trim().min(1, 'is required: why the team slows down'),
});

export const upstreamInput = z.strictObject({
  name: boundedLine(200).min(1, 'is required: the upstream project'),
  url: z
    .url({ protocol: /^https?$/, message: 'must be an http or https URL' })
    .max(2000)
    .nullable()
    .default(null),
  /** When upstream discloses: the case's release is never due before it. */
  disclosureAt: z.iso.datetime({ offset: true }).nullable().default(null),
});
export type UpstreamInput = z.infer<typeof upstreamInput>;
