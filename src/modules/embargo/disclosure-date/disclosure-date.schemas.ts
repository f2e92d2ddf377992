/** Requests and responses of a case's disclosure date (PROCESS.md §7). Every string and list bounded. */
import { z } from 'zod';
import { isValidTimeZone } from '../../../lib/calendar/business-time.js';
import { boundedText } from '../../../lib/bounded.js';
import { FINDING_LEVELS, GUARDRAIL_CODES, OVERRIDABLE_CODES } from './disclosure-guardrails.js';

export const DATE_ANSWERS = ['accept', 'object', 'counter'] as const;
export const DATE_PARTIES = ['reporter', 'distributor'] as const;
export const DATE_VIEWERS = ['team', 'member', 'reporter', 'distributor'] as const;

/** An absolute instant: ISO 8601 with its offset (`2026-12-01T15:00:00+01:00` or `...Z`). */
const instant = z.iso.datetime({ offset: true });
/** The IANA zone the instant is said in; stored with it. */
export const timeZoneSchema = z
  .string()
  .max(64)
  .refine(isValidTimeZone, 'must be an IANA time zone such as Europe/Berlin or UTC');
const words = (max: number) => boundedText(max).trim();

export const proposeInput = z.strictObject({
  action: z.literal('propose'),
  at: instant,
  timeZone: timeZoneSchema,
  /** To the parties: why this date, what it waits for. Kept encrypted. */
  note: words(2000).optional(),
});

export const respondInput = z
  .strictObject({
    action: z.literal('respond'),
    proposalId: z.uuid(),
    answer: z.enum(DATE_ANSWERS),
    /** Required to object; kept encrypted, shown to the team only. */
    reason: words(2000).optional(),
    /** Required to counter-propose: the instant the party proposes instead. */
    counterAt: instant.optional(),
    /** The zone of `counterAt` (the proposal's unless given). */
    timeZone: timeZoneSchema.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.answer === 'object' && !v.reason)
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'is required to object: say why' });
    if (v.answer === 'counter' && !v.counterAt)
      ctx.addIssue({
        code: 'custom',
        path: ['counterAt'],
        message: 'is required to counter-propose: the instant you propose instead',
      });
    if (v.answer !== 'counter' && v.counterAt)
      ctx.addIssue({ code: 'custom', path: ['counterAt'], message: 'is only for a counter-proposal' });
  });
export type RespondInput = z.infer<typeof respondInput>;

export const decideInput = z
  .strictObject({
    action: z.literal('decide'),
    /** Decide a proposal's instant... */
    proposalId: z.uuid().optional(),
    /** ...or an instant of the team's own (a counter-proposal's, say), with its zone. */
    at: instant.optional(),
    timeZone: timeZoneSchema.optional(),
    /** The release-window guardrails the team decides over. */
    overrides: z
      .array(z.enum(OVERRIDABLE_CODES))
      .max(OVERRIDABLE_CODES.length)
      .refine((xs) => new Set(xs).size === xs.length, 'must not repeat a code')
      .default([]),
    /** For the record (the team's only). Kept encrypted. */
    note: words(2000).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.proposalId && v.at)
      ctx.addIssue({ code: 'custom', path: ['at'], message: 'give a proposalId or an instant, not both' });
    if (!v.proposalId && !v.at)
      ctx.addIssue({
        code: 'custom',
        path: ['proposalId'],
        message: 'name a proposal, or give an instant (at)',
      });
    if (v.at && !v.timeZone)
      ctx.addIssue({ code: 'custom', path: ['timeZone'], message: 'is required with an instant' });
  });
export type DecideInput = z.infer<typeof decideInput>;
export type ProposeInput = z.infer<typeof proposeInput>;

export const disclosureDateAction = z.discriminatedUnion('action', [proposeInput, respondInput, decideInput]);
export type DisclosureDateAction = z.infer<typeof disclosureDateAction>;

const findingSchema = z.object({
  code: z.enum(GUARDRAIL_CODES),
  level: z.enum(FINDING_LEVELS),
  message: z.string(),
});

const responseSchema = z.object({
  id: z.string(),
  party: z.enum(DATE_PARTIES),
  /** How the viewer may name the party: the reporter, an organisation, "another distributor". */
  who: z.string(),
  /** The viewer's own party's answer. */
  mine: z.boolean(),
  answer: z.enum(DATE_ANSWERS),
  /** The party's words: to the team and to the party itself only. */
  reason: z.string().nullable(),
  counterAt: z.string().nullable(),
  counterTimeZone: z.string().nullable(),
  /** The guardrails on the counter-proposal, while its proposal is open. */
  counterFindings: z.array(findingSchema),
  /** Who answered, for the team (the person, or "the reporter"); null for others. */
  respondedBy: z.string().nullable(),
  at: z.string(),
});

const proposalSchema = z.object({
  id: z.string(),
  at: z.string(),
  timeZone: z.string(),
  note: z.string().nullable(),
  proposedBy: z.string(),
  createdAt: z.string(),
  /** The one to answer: no newer proposal and no decision since. */
  open: z.boolean(),
  /** Guardrails on its instant, as of now (open proposals only). */
  findings: z.array(findingSchema),
  responses: z.array(responseSchema),
  /** The parties who have not answered it yet (open proposals only). */
  awaiting: z.array(z.string()),
});

const decisionSchema = z.object({
  id: z.string(),
  proposalId: z.string().nullable(),
  at: z.string(),
  timeZone: z.string(),
  previousAt: z.string().nullable(),
  overrides: z.array(z.string()),
  findings: z.array(findingSchema),
  /** The team's note for the record: the team's only. */
  note: z.string().nullable(),
  decidedBy: z.string(),
  decidedAt: z.string(),
});

export const disclosureDateViewSchema = z.object({
  caseId: z.string(),
  humanId: z.string(),
  state: z.string(),
  viewer: z.enum(DATE_VIEWERS),
  /** The project's zone and holiday region, in which the release window is judged. */
  projectTimeZone: z.string(),
  holidays: z.string().nullable(),
  /** Who negotiates (the policy's negotiationParties) and who decides (finalSay). */
  parties: z.array(z.string()),
  finalSay: z.string(),
  limits: z.object({
    receivedAt: z.string(),
    /** The latest instant the policy allows (maxEmbargoDays from the report). */
    maxAt: z.string(),
    critical: z.boolean(),
    /** The critical target (criticalTarget business days from the report), for a critical case. */
    targetAt: z.string().nullable(),
  }),
  /** The decided instant: the case's disclosure_at. */
  disclosureAt: z.string().nullable(),
  decision: decisionSchema.nullable(),
  /** Every decision, oldest first (the team's view; others see the current one only). */
  decisions: z.array(decisionSchema),
  proposals: z.array(proposalSchema),
  abilities: z.object({ propose: z.boolean(), respond: z.boolean(), decide: z.boolean() }),
});
export type DisclosureDateView = z.infer<typeof disclosureDateViewSchema>;
