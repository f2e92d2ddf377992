/** Zod schemas for cases: a report as submitted, and what the API answers. */
import { z } from 'zod';
import { abilityMapSchema } from '../../authz/abilities.schema.js';
import { UI_ABILITIES } from '../../authz/authz.policy.js';
import { boundedLine as line, boundedText as text } from '../../lib/bounded.js';
import { CASE_STATES, REJECTION_CATEGORIES, type CaseState } from './case-transitions.js';
import { CLOCK_STATUSES } from './response-clock.js';
import { REPORTER_STEPS, STEP_STATUSES } from './reporter-progress.js';
import { emailSchema } from '../accounts/accounts.schemas.js';
import { CHALLENGE_MAX, HELD_REASONS, NONCE_MAX } from './intake/held.js';

/** Largest single attachment accepted through the API (the policy's per-case limit also applies). */
export const MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;
/** The report routes accept bodies up to this size (base64 attachments included). */
export const REPORT_BODY_LIMIT = 36 * 1024 * 1024;
/** An encrypted report is armored (base64 again): a third larger for the same attachments. */
export const ENCRYPTED_REPORT_BODY_LIMIT = 48 * 1024 * 1024;

export const attachmentInput = z.object({
  filename: line(255).min(1),
  contentType: line(127).min(1).default('application/octet-stream'),
  /** The file, base64-encoded. */
  contentBase64: z
    .string()
    .max(Math.ceil(MAX_ATTACHMENT_BYTES / 3) * 4 + 4)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64'),
});
export type AttachmentInput = z.infer<typeof attachmentInput>;

export const creditSchema = z.object({
  /** How to be referred to. */
  name: line(200).optional(),
  handle: line(100).optional(),
  affiliation: line(200).optional(),
  anonymous: z.boolean().default(false),
});
export type Credit = z.infer<typeof creditSchema>;

/** A solved proof-of-work challenge (see `reportInput.proofOfWork`). */
export const proofOfWorkInput = z.strictObject({
  challenge: z.string().min(1).max(CHALLENGE_MAX),
  nonce: z.string().min(1).max(NONCE_MAX),
});

/** What a report asks for: the seeds' "Proposed Email Content" (PROCESS.md §2). */
export const reportInput = z.object({
  subject: line(200).min(3),
  reporter: creditSchema.extend({ email: emailSchema.optional() }).default({ anonymous: false }),
  reproduction: text(100_000).min(1),
  effects: text(50_000).default(''),
  impact: text(50_000).default(''),
  dependencies: text(20_000).default(''),
  publiclyKnown: z.boolean().default(false),
  publicDetails: text(10_000).default(''),
  attachments: z.array(attachmentInput).max(20).default([]),
  /**
   * A solved challenge of `GET /api/v1/projects/{slug}/reports/challenge`: a nonce such that
   * SHA-256(`<challenge>:<nonce>`) starts with `difficulty` zero bits. A report carrying a valid,
   * unused proof is not held, even over the project's quota; one that fails the check (also one
   * weaker than the difficulty required when it arrives, which rises with the flood) is filed as if
   * it carried none.
   */
  proofOfWork: proofOfWorkInput.optional(),
});
export type ReportInput = z.infer<typeof reportInput>;

/**
 * A report the browser encrypted to the project's published OpenPGP key: an armored message whose
 * plaintext is the JSON of `reportInput`. Nothing readable crosses proxies or lands in their logs.
 */
export const encryptedReportInput = z.strictObject({
  encrypted: z
    .string()
    .max(ENCRYPTED_REPORT_BODY_LIMIT)
    .regex(
      /^\s*-----BEGIN PGP MESSAGE-----[\s\S]+-----END PGP MESSAGE-----\s*$/,
      'must be an armored OpenPGP message',
    ),
});

/** The confidential part of a report, stored encrypted as one JSON document. */
export interface StoredReport {
  reproduction: string;
  effects: string;
  impact: string;
  dependencies: string;
  publicDetails: string;
}

/** What filing a report answers. */
export const filedReportSchema = z.object({
  id: z.string(),
  humanId: z.string(),
  reporterLink: z.string(),
  firstResponseDueAt: z.string().nullable(),
  /**
   * The report is about something already public: the first answer is due "as soon as possible"
   * (`firstResponseDueAt` is then the instant it arrived, which is no promise to make the reporter).
   */
  firstResponseAsap: z.boolean(),
  /**
   * Whether the report is held as possibly a flood (the project had too many reports recently):
   * the team is not told until it is confirmed (the link in the receipt mail, or a proof of work on
   * the reporter's link) or the team releases it.
   */
  held: z.boolean(),
});

export const messageInput = z.object({ body: text(100_000).min(1), internal: z.boolean().default(false) });
export const reporterMessageInput = z.object({
  body: text(100_000).min(1),
  attachments: z.array(attachmentInput).max(20).default([]),
});

export const transitionInput = z.object({
  to: z.enum(CASE_STATES),
  reasonCategory: z.enum(REJECTION_CATEGORIES).optional(),
  reason: text(50_000).optional(),
  question: text(50_000).optional(),
  duplicateOf: line(64).optional(),
  /** When the advisory goes public (to `disclosure-scheduled`): an ISO 8601 instant. */
  disclosureAt: z.iso.datetime({ offset: true }).optional(),
});
export type TransitionInput = z.infer<typeof transitionInput>;

/** The most cases one bulk transition moves (its one transaction stays short). */
export const MAX_BULK_TRANSITION_CASES = 500;

/** Where a bulk transition may take cases: into triage, or closed by triage. */
export const BULK_TRANSITION_STATES = [
  'triage',
  'rejected',
  'duplicate',
  'not-security',
] as const satisfies readonly CaseState[];

/**
 * One transition for many cases (a flood rejected, many reports marked duplicates of one): the
 * fields of `transitionInput` a triage outcome takes, and the cases by human id or uuid, each once.
 */
export const bulkTransitionInput = transitionInput
  .pick({ to: true, reasonCategory: true, reason: true, duplicateOf: true })
  .extend({
    // Triage outcomes only: acceptance and what follows start work per case (a Fix Lead, a
    // repository) that no one decides for hundreds of cases at once.
    to: z.enum(BULK_TRANSITION_STATES),
    ids: z
      .array(line(64).min(1))
      .min(1)
      .max(MAX_BULK_TRANSITION_CASES)
      .superRefine((ids, ctx) => {
        const first = new Map<string, number>();
        ids.forEach((id, i) => {
          const seen = first.get(id);
          if (seen === undefined) first.set(id, i);
          else ctx.addIssue({ code: 'custom', path: [i], message: `repeats ids.${seen}` });
        });
      }),
  });
export type BulkTransitionInput = z.infer<typeof bulkTransitionInput>;

/** What a bulk transition answers: each case as it now is, in the order asked. */
export const bulkTransitionResultSchema = z.object({
  cases: z.array(z.object({ id: z.string(), humanId: z.string(), state: z.enum(CASE_STATES) })),
});

export const caseIdParams = z.object({ id: line(64).min(1) });
export const reporterTokenParams = z.object({
  token: z.string().regex(/^vrt_[A-Za-z0-9_-]{43}$/, 'is not a reporter link'),
});

const clockSchema = z.object({
  status: z.enum(CLOCK_STATUSES),
  dueAt: z.string().nullable(),
  respondedAt: z.string().nullable(),
  /** Whole hours past due: how late the answer came (missed), or how late it is (overdue, asap). */
  hoursLate: z.number(),
});

/** The case's Fix Lead (PROCESS.md §6), as the inbox names them. */
export const fixLeadSummarySchema = z.object({ userId: z.string(), name: z.string() });
/** The case's Fix Lead, as the case page shows them (with whom to write to). */
export const fixLeadSchema = fixLeadSummarySchema.extend({ email: z.string() });

/** The inbox's filters (triage.routes.ts): the clock, the severity band, the flags. */
export const INBOX_CLOCKS = ['overdue', 'due-24h'] as const;
export type InboxClock = (typeof INBOX_CLOCKS)[number];
/** `unscored`: no severity yet. */
export const INBOX_SEVERITIES = ['critical', 'high', 'medium', 'low', 'none', 'unscored'] as const;
export type InboxSeverity = (typeof INBOX_SEVERITIES)[number];
/** `publicly-known`: the case's flag; the others: words of the case's `flags`. */
export const INBOX_FLAGS = ['undecryptable', 'unverified-sender', 'publicly-known'] as const;
export type InboxFlag = (typeof INBOX_FLAGS)[number];
/** Channels a case came in by. */
export const CASE_CHANNELS = ['web', 'api', 'email', 'import'] as const;

export const heldSchema = z.object({ at: z.string(), reason: z.enum(HELD_REASONS) });

export const caseSummarySchema = z.object({
  id: z.string(),
  humanId: z.string(),
  project: z.object({ slug: z.string(), name: z.string() }),
  state: z.enum(CASE_STATES),
  title: z.string(),
  channel: z.string(),
  /** The advisory's CVSS severity name (`critical`), and its score: the case's severity. */
  severity: z.string().nullable(),
  cvssScore: z.number().nullable(),
  publiclyKnown: z.boolean(),
  receivedAt: z.string(),
  firstResponseDueAt: z.string().nullable(),
  firstRespondedAt: z.string().nullable(),
  clock: clockSchema,
  flags: z.array(z.string()),
  fixLead: fixLeadSummarySchema.nullable(),
  /** Held as possibly a flood (over the project's quota): since when and why; null when not held. */
  held: heldSchema.nullable(),
});

export const messageSchema = z.object({
  id: z.string(),
  visibility: z.enum(['conversation', 'internal']),
  author: z.object({ type: z.string(), name: z.string().nullable() }),
  body: z.string(),
  automatic: z.boolean(),
  channel: z.string(),
  flags: z.array(z.string()),
  createdAt: z.string(),
});

/** A report's confidential fields as the reporter filled them in (the team's case page shows the same). */
export const reportFieldsSchema = z.object({
  reproduction: z.string(),
  effects: z.string(),
  impact: z.string(),
  dependencies: z.string(),
  publicDetails: z.string(),
});

export const attachmentSchema = z.object({
  id: z.string(),
  filename: z.string(),
  contentType: z.string(),
  sizeBytes: z.number(),
  sha256: z.string(),
  flags: z.array(z.string()),
  uploadedBy: z.string(),
  createdAt: z.string(),
});

/**
 * A case in full. A member invited to the case (Fix Team, collaborator, the reporter) gets the same
 * shape without what is the team's alone: no conversation, notes or attachments, and no reporter
 * identity (`messages` and `attachments` empty, `reporter.email` null, credit anonymous).
 */
export const caseDetailSchema = caseSummarySchema.extend({
  report: reportFieldsSchema,
  reporter: z.object({ email: z.string().nullable(), credit: creditSchema }),
  privateHandling: z.string(),
  duplicateOf: z.string().nullable(),
  advisory: z.object({ advisoryId: z.string(), state: z.string() }).nullable(),
  triagedAt: z.string().nullable(),
  fixLead: fixLeadSchema.nullable(),
  /** The case's private fix repository: its state (seeding, ready, failed, read-only) and where to clone it. */
  repository: z.object({ state: z.string(), cloneUrl: z.string() }).nullable(),
  messages: z.array(messageSchema),
  attachments: z.array(attachmentSchema),
  nextStates: z.array(z.enum(CASE_STATES)),
  rejectionCategories: z.array(z.enum(REJECTION_CATEGORIES)),
  abilities: abilityMapSchema(UI_ABILITIES.case),
});

export const reporterViewSchema = z.object({
  humanId: z.string(),
  project: z.object({ slug: z.string(), name: z.string() }),
  /** The subject line, as sent. */
  title: z.string(),
  state: z.enum(CASE_STATES),
  status: z.string(),
  /** The report as sent: its fields, and the files sent with it (the later ones are in `attachments`). */
  report: reportFieldsSchema.extend({ attachments: z.array(attachmentSchema) }),
  /** The case's progress in plain words: a sentence, the steps with the current one, the first answer. */
  progress: z.object({
    sentence: z.string(),
    step: z.enum(REPORTER_STEPS),
    steps: z.array(
      z.object({ step: z.enum(REPORTER_STEPS), label: z.string(), status: z.enum(STEP_STATUSES) }),
    ),
    firstResponse: z.object({
      status: z.enum(['answered', 'waiting', 'paused', 'none']),
      asap: z.boolean(),
      dueAt: z.string().nullable(),
      late: z.boolean(),
    }),
  }),
  receivedAt: z.string(),
  publiclyKnown: z.boolean(),
  privateHandling: z.string(),
  askPrivateHandling: z.boolean(),
  /** Held as possibly a flood until confirmed (a proof of work here, or the link in the receipt mail). */
  held: z.boolean(),
  credit: creditSchema,
  messages: z.array(messageSchema),
  attachments: z.array(attachmentSchema),
});
