/** Requests and responses of the distributors' portal (issue 10 item 4). Bounded. */
import { z } from 'zod';
import { boundedText } from '../../../lib/bounded.js';
import { caseIdParams } from '../../cases/cases.schemas.js';
import { timeZoneSchema } from '../disclosure-date/disclosure-date.schemas.js';

export { caseIdParams };

/** The person's own time zone (the browser's), for the embargo's end; UTC unless given. */
export const portalCaseQuery = z.object({ timeZone: timeZoneSchema.default('UTC') });

export const feedbackInput = z.strictObject({
  /** To the security team; kept encrypted. */
  body: boundedText(20_000).trim().min(1, 'is required: your feedback to the security team'),
});

export const PATCH_STATES = ['ready', 'empty', 'no-branch', 'too-large', 'unavailable', 'withheld'] as const;

const embargoSchema = z.object({
  /** The agreed disclosure instant (UTC ISO), or null while none is decided. */
  endsAt: z.string().nullable(),
  /** In words, in UTC and in the person's zone. */
  utc: z.string().nullable(),
  local: z.string().nullable(),
  timeZone: z.string(),
  /** The project's zone, in which release days are judged. */
  projectTimeZone: z.string(),
});

/**
 * A shared case in the list. While the person's accepted embargo text is not the current one, a
 * project with shared cases appears once with `embargoAccepted: false` and nothing of its cases
 * (every other field null).
 */
const portalCaseSummarySchema = z.object({
  caseId: z.string().nullable(),
  humanId: z.string().nullable(),
  project: z.object({ slug: z.string(), name: z.string() }),
  organisation: z.string().nullable(),
  /** The advisory's title (CVE id and identities masked); null without an advisory. */
  title: z.string().nullable(),
  embargoEndsAt: z.string().nullable(),
  /** False: the person must accept the current embargo text before seeing the project's cases. */
  embargoAccepted: z.boolean(),
  acknowledgedAt: z.string().nullable(),
});
export type PortalCaseSummary = z.infer<typeof portalCaseSummarySchema>;

export const portalCaseListSchema = z.object({
  cases: z.array(portalCaseSummarySchema),
});

const advisoryViewSchema = z.object({
  advisoryId: z.string(),
  state: z.string(),
  title: z.string(),
  summary: z.string(),
  description: z.string(),
  descriptionHtml: z.string(),
  workarounds: z.string(),
  mitigations: z.string(),
  amIVulnerable: z.string(),
  affected: z.array(
    z.object({
      ecosystem: z.string().nullable(),
      package: z.string().nullable(),
      purl: z.string().nullable(),
      ranges: z.array(
        z.object({
          type: z.string(),
          repo: z.string().nullable(),
          events: z.array(z.object({ kind: z.string(), value: z.string() })),
        }),
      ),
      versions: z.array(z.string()),
    }),
  ),
  patchedVersions: z.array(
    z.object({ ecosystem: z.string(), package: z.string(), versions: z.array(z.string()) }),
  ),
  cvss: z.array(
    z.object({ vector: z.string(), version: z.string(), score: z.number(), severity: z.string() }),
  ),
  severity: z
    .object({ vector: z.string(), version: z.string(), score: z.number(), severity: z.string() })
    .nullable(),
  cwes: z.array(z.object({ id: z.string(), name: z.string() })),
});

const patchSchema = z.object({
  line: z.string(),
  branch: z.string(),
  kind: z.string(),
  state: z.enum(PATCH_STATES),
  /** `git format-patch` text of the branch's commits beyond its seed, when `ready`. */
  mbox: z.string().nullable(),
  commits: z.number(),
  bytes: z.number(),
});

const releasePlanSchema = z.object({
  outcome: z.string(),
  explanation: z.string(),
  rows: z.array(
    z.object({
      line: z.string(),
      branch: z.string(),
      kind: z.string(),
      /** The fix is tested on the line (or the Fix Lead went on without it). */
      ready: z.boolean(),
      release: z
        .object({
          version: z.string().nullable(),
          plannedAt: z.string().nullable(),
          state: z.string(),
          url: z.string().nullable(),
        })
        .nullable(),
    }),
  ),
});

export const portalCaseSchema = z.object({
  caseId: z.string(),
  humanId: z.string(),
  project: z.object({ slug: z.string(), name: z.string() }),
  organisation: z.string(),
  embargo: embargoSchema,
  advisory: advisoryViewSchema.nullable(),
  patches: z.array(patchSchema),
  releasePlan: releasePlanSchema,
  acknowledgedAt: z.string().nullable(),
  /** Your organisation's feedback to the team, oldest first. */
  feedback: z.array(z.object({ id: z.string(), by: z.string(), body: z.string(), at: z.string() })),
  abilities: z.object({ respond: z.boolean(), answerDate: z.boolean() }),
});

export const acknowledgementSchema = z.object({ acknowledgedAt: z.string() });
export const feedbackCreatedSchema = z.object({ id: z.string(), createdAt: z.string() });

export const portalLogSchema = z.object({
  /** The access log's next (older) page of `entries`: pass as `cursor`; null on the last page. */
  nextCursor: z.string().nullable(),
  entries: z.array(
    z.object({
      id: z.string(),
      at: z.string(),
      who: z.object({ userId: z.string(), name: z.string(), email: z.string() }),
      organisation: z.string().nullable(),
      what: z.string(),
      detail: z.string().nullable(),
    }),
  ),
  acknowledgements: z.array(
    z.object({ userId: z.string(), name: z.string(), organisation: z.string().nullable(), at: z.string() }),
  ),
  feedback: z.array(
    z.object({
      id: z.string(),
      by: z.string(),
      organisation: z.string().nullable(),
      body: z.string(),
      at: z.string(),
    }),
  ),
});
