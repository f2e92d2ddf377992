/**
 * Zod schemas of the distributors list (PROCESS.md §7): the public application, vouching, the team's
 * side (applications, organisations and people, reviews, leaks and incidents) and a person's own
 * memberships. Every string and list is bounded; every answer is declared.
 */
import { z } from 'zod';
import { boundedLine as line, boundedText as text } from '../../../lib/bounded.js';
import { emailSchema } from '../../accounts/accounts.schemas.js';
import { slugSchema } from '../../projects/projects.schemas.js';

/** The most membership criteria a policy has (policy.schema.ts bounds the list at 20). */
export const MAX_CRITERIA = 20;
/** One answer to one criterion, in the applicant's words. */
export const ANSWER_MAX = 4000;
export const ARMORED_KEY_MAX = 100_000;
/** The body of an application: the answers and an armored key at most. */
export const APPLICATION_BODY_LIMIT = 256 * 1024;

export const ORG_STATES = ['active', 'suspended', 'removed'] as const;
export const PERSON_STATES = ['active', 'removed'] as const;
export const APPLICATION_STATES = ['pending', 'approved', 'refused'] as const;
export const VOUCH_STATES = ['asked', 'vouched', 'declined'] as const;
export const LEAK_REPORT_STATES = ['open', 'confirmed', 'dismissed'] as const;
/** Where a person's acceptance of the embargo text stands against the current text. */
export const EMBARGO_ACCEPTANCE = ['current', 'outdated', 'none'] as const;

const sha256Hex = z
  .string()
  .regex(/^[0-9A-Fa-f]{64}$/, 'must be the SHA-256 of the embargo text, in hex')
  .transform((s) => s.toLowerCase());
const personName = line(200).min(1);
const orgName = line(200).min(1);
/** The team's words: a reason, a note. */
const reason = text(2000).trim().min(1);
/** A case as a leak report names it: its human id (CTR-2026-0001) or its advisory id. */
const caseRefSchema = z
  .string()
  .trim()
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, 'must be a case id such as CTR-2026-0001');

export const slugParams = z.object({ slug: slugSchema });
export const applicationParams = z.object({ slug: slugSchema, applicationId: z.uuid() });
export const vouchParams = z.object({ applicationId: z.uuid() });
export const orgParams = z.object({ slug: slugSchema, orgId: z.uuid() });
export const personParams = orgParams.extend({ personId: z.uuid() });
export const ownPersonParams = z.object({ personId: z.uuid() });
export const leakParams = z.object({ slug: slugSchema, leakId: z.uuid() });

const embargoSchema = z.object({ text: z.string(), hash: z.string() });

// ---- The public application -----------------------------------------------------------------

export const applyInfoSchema = z.object({
  project: z.object({ slug: z.string(), name: z.string() }),
  listName: z.string(),
  /** Each criterion to answer, in order: `answers[i]` answers `criteria[i]`. */
  criteria: z.array(z.string()),
  /** The embargo text the application accepts, and its version (SHA-256 hex) to send back. */
  embargo: embargoSchema,
});

export const applicationBody = z.object({
  orgName,
  /** The organisation's one contact alias: its security list's address. */
  contactAlias: emailSchema,
  applicantName: personName,
  applicantEmail: emailSchema,
  /** The applicant's OpenPGP public key (armored), to encrypt what the list sends them. */
  pgpPublicKey: text(ARMORED_KEY_MAX).trim().optional(),
  /** One answer per membership criterion, in the same order, each in the applicant's own words. */
  answers: z.array(text(ANSWER_MAX)).max(MAX_CRITERIA),
  /** The version of the embargo text accepted: the hash `GET .../distributors/apply` gave. */
  embargoHash: sha256Hex,
  /** The address of a person already on the list who vouches for the applicant. */
  vouchEmail: emailSchema,
});

export const submittedApplicationSchema = z.object({ applicationId: z.string(), submittedAt: z.string() });

// ---- Vouching ---------------------------------------------------------------------------------

export const vouchSummarySchema = z.object({
  applicationId: z.string(),
  project: z.object({ slug: z.string(), name: z.string() }),
  orgName: z.string(),
  applicantName: z.string(),
  applicantEmail: z.string(),
  state: z.enum(VOUCH_STATES),
  askedAt: z.string(),
  answeredAt: z.string().nullable(),
});
const criterionAnswerSchema = z.object({ criterion: z.string(), answer: z.string() });
export const vouchDetailSchema = vouchSummarySchema.extend({
  contactAlias: z.string(),
  answers: z.array(criterionAnswerSchema),
  note: z.string().nullable(),
  /** Whether the application still waits for the team's decision (a decided one is read-only). */
  open: z.boolean(),
});
export const vouchBody = z.object({
  decision: z.enum(['vouch', 'decline']),
  /** A word to the team, kept encrypted. */
  note: text(2000).trim().optional(),
});

// ---- The team's side: applications --------------------------------------------------------

export const applicationSchema = z.object({
  id: z.string(),
  orgName: z.string(),
  contactAlias: z.string(),
  applicant: z.object({ name: z.string(), email: z.string() }),
  pgpFingerprint: z.string().nullable(),
  pgpExpiresAt: z.string().nullable(),
  answers: z.array(criterionAnswerSchema),
  embargo: z.object({ hash: z.string(), acceptedAt: z.string(), current: z.boolean() }),
  vouch: z.object({
    personId: z.string(),
    name: z.string(),
    email: z.string(),
    orgName: z.string(),
    state: z.enum(VOUCH_STATES),
    note: z.string().nullable(),
    answeredAt: z.string().nullable(),
  }),
  state: z.enum(APPLICATION_STATES),
  reason: z.string().nullable(),
  decidedAt: z.string().nullable(),
  orgId: z.string().nullable(),
  createdAt: z.string(),
});
export const refuseBody = z.object({ reason });
export const approvedSchema = z.object({
  applicationId: z.string(),
  orgId: z.string(),
  personId: z.string(),
  userId: z.string(),
  /** The link the applicant was mailed: a one-time sign-in link for a new account, else the account page. */
  link: z.string(),
  newAccount: z.boolean(),
});
export const decidedSchema = z.object({
  applicationId: z.string(),
  state: z.enum(APPLICATION_STATES),
  decidedAt: z.string(),
});

// ---- The team's side: organisations and people ---------------------------------------------

export const personSchema = z.object({
  id: z.string(),
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  state: z.enum(PERSON_STATES),
  pgpFingerprint: z.string().nullable(),
  pgpExpiresAt: z.string().nullable(),
  embargo: z.enum(EMBARGO_ACCEPTANCE),
  embargoAcceptedAt: z.string().nullable(),
  createdAt: z.string(),
  removedAt: z.string().nullable(),
});
export const orgSchema = z.object({
  id: z.string(),
  name: z.string(),
  contactAlias: z.string(),
  state: z.enum(ORG_STATES),
  /** The team's words on the last suspension or removal. */
  stateNote: z.string().nullable(),
  vouchedByOrg: z.string().nullable(),
  joinedAt: z.string(),
  reviewDueAt: z.string(),
  /** The yearly review's instant has come. */
  reviewDue: z.boolean(),
  lastReview: z.object({ reviewedAt: z.string(), note: z.string().nullable() }).nullable(),
  removedAt: z.string().nullable(),
  incidents: z.number(),
  /** The policy's rule is met (incidents >= leaksBeforeRemoval): the team is shown "remove per policy". */
  removalProposed: z.boolean(),
  people: z.array(personSchema),
});
export const listOverviewSchema = z.object({
  list: z.object({
    enabled: z.boolean(),
    name: z.string().nullable(),
    criteria: z.array(z.string()),
    embargoHash: z.string().nullable(),
    leaksBeforeRemoval: z.number(),
    reviewEveryMonths: z.number(),
  }),
  orgs: z.array(orgSchema),
});
export const createOrgBody = z.object({ name: orgName, contactAlias: emailSchema });
export const createdOrgSchema = z.object({
  orgId: z.string(),
  joinedAt: z.string(),
  reviewDueAt: z.string(),
});
export const addPersonBody = z.object({
  name: personName,
  email: emailSchema,
  pgpPublicKey: text(ARMORED_KEY_MAX).trim().optional(),
});
export const addedPersonSchema = z.object({
  personId: z.string(),
  userId: z.string(),
  /** The link mailed to the person (a one-time sign-in link for a new account, else the account page). */
  link: z.string(),
  newAccount: z.boolean(),
});
export const personKeyBody = z.object({ pgpPublicKey: text(ARMORED_KEY_MAX).trim().min(1).nullable() });
export const personKeySchema = z.object({
  personId: z.string(),
  pgpFingerprint: z.string().nullable(),
  pgpExpiresAt: z.string().nullable(),
});
export const orgStateBody = z.object({ state: z.enum(ORG_STATES), reason });
export const orgStateSchema = z.object({
  orgId: z.string(),
  state: z.enum(ORG_STATES),
  changedAt: z.string(),
});
export const removalBody = z.object({
  /** The explicit confirmation: removal per the policy's leak rule happens only with it. */
  confirm: z.literal(true),
  reason,
});
export const reviewBody = z.object({ note: text(2000).trim().optional() });
export const reviewedSchema = z.object({
  reviewId: z.string(),
  reviewedAt: z.string(),
  nextDueAt: z.string(),
});

// ---- A person's own memberships ------------------------------------------------------------

export const myMembershipSchema = z.object({
  personId: z.string(),
  project: z.object({ slug: z.string(), name: z.string() }),
  listName: z.string().nullable(),
  org: z.object({ id: z.string(), name: z.string(), state: z.enum(ORG_STATES) }),
  /** The current embargo text and its version. */
  embargo: embargoSchema,
  acceptedHash: z.string().nullable(),
  acceptedAt: z.string().nullable(),
  /** Nothing embargoed reaches them until they accept the current text. */
  mustAccept: z.boolean(),
});
export const acceptEmbargoBody = z.object({ embargoHash: sha256Hex });
export const embargoAcceptedSchema = z.object({
  personId: z.string(),
  embargoHash: z.string(),
  embargoAcceptedAt: z.string(),
});

// ---- Leaks and incidents --------------------------------------------------------------------

const leakWords = {
  /** What leaked. */
  what: text(4000).trim().min(1),
  /** To whom it leaked. */
  toWhom: text(1000).trim().min(1),
  /** When, in the reporter's words (a date, an instant, "during the conference"). */
  when: line(200).min(1),
};
export const leakReportBody = z.object({ ...leakWords, caseRef: caseRefSchema.optional() });
export const leakReportedSchema = z.object({ leakReportId: z.string(), createdAt: z.string() });
export const leakDismissedSchema = z.object({ leakReportId: z.string(), state: z.enum(LEAK_REPORT_STATES) });
export const incidentBody = z.object({
  orgId: z.uuid(),
  /** Confirms a reported leak: its words become the incident's (then give no words here). */
  leakReportId: z.uuid().optional(),
  what: leakWords.what.optional(),
  toWhom: leakWords.toWhom.optional(),
  when: leakWords.when.optional(),
  caseRef: caseRefSchema.optional(),
});
export const incidentRecordedSchema = z.object({
  incidentId: z.string(),
  orgId: z.string(),
  incidents: z.number(),
  leaksBeforeRemoval: z.number(),
  removalProposed: z.boolean(),
});
const personRefSchema = z.object({ userId: z.string(), name: z.string(), email: z.string() });
export const leakReportSchema = z.object({
  id: z.string(),
  reportedBy: personRefSchema,
  reporterOrg: z.object({ id: z.string(), name: z.string() }).nullable(),
  caseRef: z.string().nullable(),
  caseHumanId: z.string().nullable(),
  what: z.string(),
  toWhom: z.string(),
  when: z.string(),
  state: z.enum(LEAK_REPORT_STATES),
  incidentId: z.string().nullable(),
  createdAt: z.string(),
});
export const incidentSchema = z.object({
  id: z.string(),
  org: z.object({ id: z.string(), name: z.string() }),
  leakReportId: z.string().nullable(),
  caseHumanId: z.string().nullable(),
  what: z.string(),
  toWhom: z.string(),
  when: z.string(),
  recordedAt: z.string(),
});
export const leaksSchema = z.object({
  /** The next (older) page of `reports`: pass as `cursor`; null on the last page. */
  nextCursor: z.string().nullable(),
  reports: z.array(leakReportSchema),
  incidents: z.array(incidentSchema),
});

export type ApplicationInput = z.output<typeof applicationBody>;
export type LeakReportInput = z.output<typeof leakReportBody>;
export type IncidentInput = z.output<typeof incidentBody>;
