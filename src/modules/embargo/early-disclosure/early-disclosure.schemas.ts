/** Requests and responses of early disclosure and leak tracing (PROCESS.md §7). Bounded. */
import { z } from 'zod';
import { KEY_STATES } from './recipient-keys.js';
import { SLOT_RULES } from './variation-rules.js';

/** A leaked text is at most this many bytes (UTF-8). */
export const MAX_LEAK_BYTES = 256 * 1024;

export const DELIVERIES = ['encrypted', 'plain', 'blocked', 'withheld'] as const;
export const COPY_STATES = ['queued', 'accepted', 'failed', 'cancelled'] as const;
export const VERDICTS = ['identified', 'likely', 'inconclusive'] as const;
export const METHODS = ['reference-code', 'hidden-marks', 'wording'] as const;

const personId = z.string().min(1).max(64);

export const sendInput = z.strictObject({
  /** The planned release instant the notice names; the case's agreed disclosure date when absent. */
  releaseAt: z.iso.datetime({ offset: true }).optional(),
  /** People left out of this send: required for each whose key fails. */
  exclude: z.array(personId).max(1000).default([]),
  /** The advisory revision the team reviewed: refused (409) if someone saved another since. */
  advisoryRevision: z.int().min(1).max(1_000_000).optional(),
});
export type SendInput = z.infer<typeof sendInput>;

export const leakTraceInput = z.strictObject({
  text: z
    .string()
    .min(1, 'is required: paste the leaked text')
    .max(MAX_LEAK_BYTES)
    .refine((s) => Buffer.byteLength(s, 'utf8') <= MAX_LEAK_BYTES, {
      message: `must be at most ${MAX_LEAK_BYTES} bytes`,
    }),
});

const keySchema = z.object({
  state: z.enum(KEY_STATES),
  fingerprint: z.string().nullable(),
  expiresAt: z.string().nullable(),
  problem: z.string().nullable(),
});

const recipientSchema = z.object({
  personId: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  embargoAccepted: z.boolean(),
  embargoAcceptedAt: z.string().nullable(),
  key: keySchema,
  /** What a send would do: encrypt to their key, send in clear (no key), refuse (a key that fails), withhold (embargo not accepted). */
  delivery: z.enum(DELIVERIES),
  reason: z.string().nullable(),
  /** They hold a copy of the advisory's current revision already (a new send skips them). */
  hasCurrentRevision: z.boolean(),
});

const copySchema = z.object({
  copyId: z.string(),
  personId: z.string(),
  orgId: z.string(),
  name: z.string(),
  email: z.string(),
  orgName: z.string(),
  referenceCode: z.string(),
  encrypted: z.boolean(),
  keyFingerprint: z.string().nullable(),
  state: z.enum(COPY_STATES),
  queuedAt: z.string(),
  acceptedAt: z.string().nullable(),
  smtpResponse: z.string().nullable(),
  messageId: z.string().nullable(),
  attempts: z.int(),
  lastError: z.string().nullable(),
  failedAt: z.string().nullable(),
  cancelledReason: z.string().nullable(),
  openedAt: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
});

const leftOutSchema = z.object({ personId: z.string(), reason: z.string() });

const sendSchema = z.object({
  sendId: z.string(),
  advisoryRevision: z.int(),
  releaseAt: z.string(),
  sentAt: z.string(),
  sentBy: z.string(),
  copies: z.array(copySchema),
  leftOut: z.array(leftOutSchema),
});

export const earlyDisclosureSchema = z.object({
  caseId: z.string(),
  caseHumanId: z.string(),
  caseState: z.string(),
  list: z.object({ enabled: z.boolean(), name: z.string().nullable() }),
  advisory: z.object({ advisoryId: z.string(), revision: z.int(), state: z.string() }).nullable(),
  /** The case's agreed disclosure instant, the notice's release date unless the send names one. */
  releaseAt: z.string().nullable(),
  canSend: z.boolean(),
  /** Why nothing can be sent now, one sentence each. */
  blockers: z.array(z.string()),
  recipients: z.array(recipientSchema),
  sends: z.array(sendSchema),
});

export const sendResultSchema = earlyDisclosureSchema.extend({
  sent: z.object({
    sendId: z.string(),
    advisoryRevision: z.int(),
    copies: z.int(),
    encrypted: z.int(),
    leftOut: z.array(leftOutSchema),
  }),
});

const evidenceSchema = z.object({
  slot: z.int(),
  rule: z.enum(SLOT_RULES),
  expected: z.string(),
  observed: z.string(),
  match: z.boolean(),
});

const copyRefSchema = z.object({
  copyId: z.string(),
  sendId: z.string(),
  advisoryRevision: z.int(),
  personId: z.string(),
  name: z.string(),
  email: z.string(),
  orgName: z.string(),
  referenceCode: z.string(),
  sentAt: z.string(),
});

export const leakTraceSchema = z.object({
  caseHumanId: z.string(),
  verdict: z.enum(VERDICTS),
  method: z.enum(METHODS).nullable(),
  /** The verdict in one or two sentences. */
  summary: z.string(),
  /** The copy the text most likely came from, when the verdict is not inconclusive. */
  source: copyRefSchema.nullable(),
  referenceCodes: z.array(z.object({ code: z.string(), copyId: z.string().nullable() })),
  hiddenMarks: z.array(z.object({ code: z.string(), marks: z.int(), copyId: z.string().nullable() })),
  /** Words and marks read from the text, and the slots whose variant it shows (best send). */
  tokens: z.int(),
  slotsObserved: z.int(),
  copiesCompared: z.int(),
  candidates: z.array(
    copyRefSchema.extend({
      observed: z.int(),
      matched: z.int(),
      mismatched: z.int(),
      /** The chance that a copy with random choices agrees on as many of these slots. */
      pRandom: z.number(),
      /** The chance, given the wording alone, that this copy is the source. */
      posterior: z.number(),
      evidence: z.array(evidenceSchema),
    }),
  ),
});
