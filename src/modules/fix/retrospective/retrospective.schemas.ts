/** Zod schemas of the retrospective's routes: bounded input, and what the API answers. */
import { z } from 'zod';
import { abilityMapSchema } from '../../../authz/abilities.schema.js';
import { boundedText as text } from '../../../lib/bounded.js';
import { PHASES, PHASE_STATUSES } from '../phases/phase.types.js';
import { PARTICIPANT_ROLES } from './retrospective-draft.js';
import { SECTION_KEYS } from './retrospective-sections.js';

/** A section of the critique, and a feedback: plain text, never HTML. */
export const MAX_SECTION_CHARS = 20_000;
export const MAX_FEEDBACK_BYTES = 20 * 1024;
export const MAX_INTRODUCED_BY_LINKS = 20;
/** The largest request body of these routes (every section at its largest, JSON-escaped). */
export const RETROSPECTIVE_BODY_LIMIT = 512 * 1024;

/** Text a person wrote: no NUL, which neither database nor a terminal should see. */
const plainText = (max: number) => text(max).refine((s) => !s.includes('\0'), 'must not contain NUL');

const httpLink = z
  .string()
  .trim()
  .max(2048)
  .refine((v) => {
    try {
      const u = new URL(v);
      return u.protocol === 'https:' || u.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');

const sectionsShape = Object.fromEntries(
  SECTION_KEYS.map((key) => [key, plainText(MAX_SECTION_CHARS).optional()]),
) as Record<(typeof SECTION_KEYS)[number], z.ZodOptional<ReturnType<typeof plainText>>>;

/** The sections named are replaced (an empty string empties one); those left out are kept. */
export const sectionsInput = z.strictObject({
  sections: z.strictObject({
    ...sectionsShape,
    /** Links to what introduced the issue (the commit, the pull request, the release). */
    introducedByLinks: z.array(httpLink).max(MAX_INTRODUCED_BY_LINKS).optional(),
  }),
});
export type SectionsInput = z.infer<typeof sectionsInput>;

export const feedbackInput = z.strictObject({
  body: plainText(MAX_FEEDBACK_BYTES)
    .min(1)
    .refine((s) => s.trim().length > 0, 'must not be blank')
    .refine(
      (s) => Buffer.byteLength(s, 'utf8') <= MAX_FEEDBACK_BYTES,
      `must be at most ${MAX_FEEDBACK_BYTES} bytes`,
    ),
});

const release = z.object({
  line: z.string(),
  version: z.string().nullable(),
  url: z.string().nullable(),
  state: z.string(),
});

export const retrospectiveSchema = z.object({
  caseId: z.string(),
  humanId: z.string(),
  /** `none`: before publication, or when the project's policy holds no retrospective (see `message`). */
  state: z.enum(['none', 'draft', 'closed']),
  message: z.string().nullable(),
  blameless: z.boolean(),
  draftedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  closedBy: z.object({ userId: z.string(), name: z.string() }).nullable(),
  participants: z.array(
    z.object({
      /** Null for the reporter when the reader sees the member view (named "The reporter"). */
      userId: z.string().nullable(),
      name: z.string(),
      roles: z.array(z.enum(PARTICIPANT_ROLES)),
      actions: z.number(),
    }),
  ),
  timeline: z.array(z.object({ at: z.string(), action: z.string(), what: z.string() })),
  /** True when the case has more audit events than a timeline holds: the oldest were left out. */
  timelineTruncated: z.boolean(),
  phases: z.array(
    z.object({
      name: z.enum(PHASES),
      label: z.string(),
      startedAt: z.string().nullable(),
      dueAt: z.string().nullable(),
      doneAt: z.string().nullable(),
      status: z.enum(PHASE_STATUSES),
      hoursLate: z.number(),
    }),
  ),
  links: z.object({
    introducedBy: z.array(z.string()),
    fixedBy: z.array(z.object({ branch: z.string(), commit: z.string(), state: z.string() })),
    releases: z.array(release),
  }),
  sections: z.array(
    z.object({
      key: z.enum(SECTION_KEYS),
      title: z.string(),
      text: z.string(),
      questions: z.array(z.string()),
    }),
  ),
  feedback: z.array(
    z.object({
      id: z.string(),
      author: z.object({ userId: z.string().nullable(), name: z.string() }),
      body: z.string(),
      createdAt: z.string(),
    }),
  ),
  abilities: abilityMapSchema(['case.retrospective.feedback', 'case.retrospective.manage'] as const),
});
export type RetrospectiveView = z.infer<typeof retrospectiveSchema>;

export const closedSchema = z.object({
  state: z.literal('closed'),
  closedAt: z.string(),
  caseState: z.string(),
});
