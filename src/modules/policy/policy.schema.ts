/**
 * The project policy (`apiVersion: vigil.dev/v1`, `kind: SecurityPolicy`): how the disclosure
 * process runs for one project. Every string is bounded, every list is bounded, unknown keys are
 * rejected. Durations carry their unit in their name (`businessDays`, `withinHours`, `minDays`).
 * A phase or commitment the project does not make is `null`, never a made-up number.
 */
import { z } from 'zod';
import { isValidHolidayRegion } from '../../lib/calendar/holidays.js';
import { isValidTimeZone } from '../../lib/calendar/business-time.js';
import { REJECTION_CATEGORIES } from '../cases/case-transitions.js';

/** A policy document larger than this (UTF-8 bytes) is rejected before it is parsed. */
export const POLICY_MAX_BYTES = 64 * 1024;
/** 25 MiB: what a reporter may attach to one case unless the policy says otherwise. */
export const DEFAULT_MAX_ATTACHMENT_BYTES_PER_CASE = 25 * 1024 * 1024;
const MAX_ATTACHMENT_BYTES_PER_CASE = 1024 * 1024 * 1024;

export const REPORT_KINDS = [
  'vulnerability',
  'suspected-vulnerability',
  'dependency-vulnerability',
  'publicly-known-vulnerability',
] as const;
/** The reasons a policy may offer for rejecting a report: the transition table's categories. */
export const REJECTION_REASONS = REJECTION_CATEGORIES;
export const SECURITY_PROPERTIES = [
  'confidentiality',
  'integrity',
  'privilege-escalation',
  'availability',
] as const;
export const DOS_TRIGGERS = ['query-of-death', 'asymmetric-resource-exhaustion'] as const;
/** Who leads the fix of one case: the whole team, a Fix Lead taken in turn, or the sole maintainer. */
export const FIX_LEAD_SELECTIONS = ['security-team', 'round-robin', 'maintainer'] as const;
/** Who has the last word on a score or a date. */
export const DECIDERS = ['security-team', 'fix-lead', 'maintainer'] as const;
export const SLOW_DOWN_DECIDERS = ['security-team', 'fix-team', 'fix-lead', 'maintainer'] as const;
export const NEGOTIATION_PARTIES = ['security-team', 'reporter', 'distributors'] as const;
export const DELAY_REASONS = ['not-understood', 'not-well-tested', 'distributor-coordination'] as const;

// Single-line text: no control characters, so it cannot break the structure of the rendered page.
const lineText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}]*$/u, 'must be a single line without control characters');
// Prose may span lines (Markdown paragraphs) but carries no other control characters.
const proseText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}]*(?:\n[^\p{Cc}]*)*$/u, 'may contain line breaks but no other control characters');
const httpUrl = z
  .string()
  .trim()
  .max(2048)
  .pipe(z.url({ protocol: /^https?$/, message: 'must be an http or https URL' }));
const emailAddress = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: 'must be an email address' }));

function uniqueList<T extends z.ZodType>(item: T, max: number) {
  return z
    .array(item)
    .max(max)
    .refine((xs) => new Set(xs).size === xs.length, 'must not repeat a value');
}

/** A window counted in calendar days from the report (what the seeds call "Disclosure"). */
const dayRange = z
  .strictObject({ minDays: z.int().min(0).max(365), maxDays: z.int().min(0).max(365) })
  .refine((r) => r.minDays <= r.maxDays, { message: 'must not be less than minDays', path: ['maxDays'] });

const projectSchema = z.strictObject({
  name: lineText(100),
  repositoryUrl: httpUrl.nullable().default(null),
  issueTrackerUrl: httpUrl.nullable().default(null),
  releasesUrl: httpUrl.nullable().default(null),
  advisoriesUrl: httpUrl.nullable().default(null),
});

/** Today's limits: 10 reports an hour from one address, 200 an hour to one project. */
export const DEFAULT_REPORT_RATE_LIMITS = {
  perAddress: { count: 10, windowSeconds: 3600 },
  perProject: { count: 200, windowSeconds: 3600 },
} as const;

/** `count` reports within `windowSeconds` (a fixed window: a minute to a week). */
const rateLimitSchema = z.strictObject({
  count: z.int().min(1).max(1_000_000),
  windowSeconds: z
    .int()
    .min(60)
    .max(7 * 24 * 3600),
});

/** The subject hint of a project whose policy names none. */
export const DEFAULT_SUBJECT_HINT = 'A short summary, e.g. “Path traversal in the file server”.';

const intakeSchema = z.strictObject({
  caseIdPrefix: z
    .string()
    .regex(/^[A-Z0-9]{2,10}$/, 'must be 2-10 upper-case letters or digits')
    .nullable()
    .default(null),
  maxAttachmentBytesPerCase: z
    .int()
    .min(0)
    .max(MAX_ATTACHMENT_BYTES_PER_CASE)
    .default(DEFAULT_MAX_ATTACHMENT_BYTES_PER_CASE),
  reportContents: z.array(lineText(500)).max(20),
  acceptedReportKinds: uniqueList(z.enum(REPORT_KINDS), REPORT_KINDS.length).min(1),
  dependencyExample: lineText(300).nullable().default(null),
  /**
   * The report form's hint for the subject line, in the project's own terms (one example of a good
   * summary); unset, the form shows a neutral one (DEFAULT_SUBJECT_HINT).
   */
  subjectHint: lineText(200).nullable().default(null),
  redirectNonSecurityBugs: z.boolean(),
  /**
   * Reports through the form and the API, per sender address and per project. Over the address
   * limit a report is refused (429, try again later); over the project's quota it is stored and held
   * as possibly a flood, never refused (a sender's proof of work admits it at once).
   */
  rateLimits: z
    .strictObject({
      perAddress: rateLimitSchema.default(DEFAULT_REPORT_RATE_LIMITS.perAddress),
      perProject: rateLimitSchema.default(DEFAULT_REPORT_RATE_LIMITS.perProject),
    })
    .default(DEFAULT_REPORT_RATE_LIMITS),
});

/**
 * Who may see the project's reports: `requireTwoFactor` makes the security team's role, and the Fix
 * Team and collaborator roles on its cases, count only in a session signed in with two factors.
 */
const accessSchema = z.strictObject({
  requireTwoFactor: z.boolean().default(false),
});

const triageSchema = z.strictObject({
  firstResponse: z
    .strictObject({ businessDays: z.int().min(1).max(30), includesInvestigationPlan: z.boolean() })
    .nullable(),
  rejectionReasons: uniqueList(z.enum(REJECTION_REASONS), REJECTION_REASONS.length).min(1),
  defaultsStatement: proseText(2000).nullable().default(null),
  denialOfService: z.strictObject({
    scope: z.enum(['all', 'high-risk-only']),
    activatesFor: uniqueList(z.enum(DOS_TRIGGERS), DOS_TRIGGERS.length).default([]),
  }),
  priorities: z
    .strictObject({
      highest: uniqueList(z.enum(SECURITY_PROPERTIES), SECURITY_PROPERTIES.length).min(1),
      alsoSerious: uniqueList(z.enum(SECURITY_PROPERTIES), SECURITY_PROPERTIES.length).default([]),
    })
    .nullable(),
});

/**
 * Where the private fix repository is seeded from: an http(s) or file URL, or an absolute path on
 * Vigil's host. No other scheme (ssh, git, ext::) is accepted: git would run helpers for them.
 * A path or file URL is seeded from only where the operator allows local upstreams
 * (VIGIL_ALLOW_LOCAL_UPSTREAM=true), and never inside Vigil's data directory (repository-seed.job.ts).
 */
const upstreamRepository = z
  .string()
  .trim()
  .max(2048)
  .refine(
    (v) => /^(https?|file):\/\/[^\s]+$/.test(v) || /^\/[^\s\0]*$/.test(v),
    'must be an http(s) or file URL, or an absolute path',
  );

const fixSchema = z.strictObject({
  fixLead: z.enum(FIX_LEAD_SELECTIONS),
  /** The public repository the private fix repository is seeded from; null: start empty. */
  upstreamRepository: upstreamRepository.nullable().default(null),
  /** What a runner runs in a checkout of every pushed commit (`sh -c`); null: no CI. */
  testCommand: lineText(1000).nullable().default(null),
  /** A test run still going after this is killed and marked failed. */
  testTimeoutMinutes: z.int().min(1).max(240).default(30),
  fixTeamOrganised: z.strictObject({ withinHours: z.int().min(1).max(720) }).nullable(),
  fixDeveloped: dayRange.nullable(),
  usersToldOfFix: dayRange.nullable(),
  release: dayRange.nullable(),
  followUpstreamTimeline: z.boolean(),
  retrospective: z.strictObject({
    enabled: z.boolean(),
    afterRelease: dayRange.nullable().default(null),
    blameless: z.boolean().default(false),
  }),
});

const severitySchema = z.strictObject({
  cvssFinalCall: z.enum(DECIDERS),
  lowSeverityThreshold: z.number().min(0.1).max(10),
  lowSeveritySlowDown: z
    .strictObject({
      thresholdApproximate: z.boolean().default(false),
      alsoWhenAssessedRiskLow: z.boolean(),
      decidedBy: z.enum(SLOW_DOWN_DECIDERS),
      discussedIn: lineText(200),
    })
    .nullable(),
  publicDisclosure: z.strictObject({
    allTimelinesAsap: z.boolean(),
    minimumCvss: z.number().min(0).max(10).nullable().default(null),
    askReporterToHandlePrivately: z.boolean(),
  }),
});

const distributorsListSchema = z.strictObject({
  enabled: z.boolean(),
  name: lineText(100).nullable().default(null),
  email: emailAddress.nullable().default(null),
  webInterfaceUrl: httpUrl.nullable().default(null),
  membershipCriteria: z.array(lineText(500)).max(20).default([]),
  embargoPolicy: proseText(8000).nullable().default(null),
  noticeIncludes: z.array(lineText(300)).max(20).default([]),
  noticeOmitsCveId: z.boolean().default(true),
  /** "If you continue to leak information ... you will be permanently removed": removal is proposed at this many incidents. */
  leaksBeforeRemoval: z.int().min(1).max(10).default(2),
  /** Each member organisation is reviewed this often (a reminder to the team). */
  reviewEveryMonths: z.int().min(1).max(60).default(12),
});

const disclosureSchema = z.strictObject({
  distributorsList: distributorsListSchema,
  negotiationParties: uniqueList(z.enum(NEGOTIATION_PARTIES), NEGOTIATION_PARTIES.length),
  finalSay: z.enum(DECIDERS),
  delayReasons: uniqueList(z.enum(DELAY_REASONS), DELAY_REASONS.length).default([]),
  criticalTarget: z.strictObject({ businessDays: z.int().min(1).max(260) }).nullable(),
  maxEmbargoDays: z.int().min(0).max(365),
  /** Days a disclosure instant must avoid unless the team overrides it (in the policy's time zone). */
  releaseWindow: z
    .strictObject({
      avoidFridays: z.boolean().default(true),
      avoidWeekends: z.boolean().default(true),
      avoidHolidays: z.boolean().default(true),
    })
    .default({ avoidFridays: true, avoidWeekends: true, avoidHolidays: true }),
  announcement: z.strictObject({
    includes: z.array(lineText(300)).max(20),
    template: proseText(8000).nullable().default(null),
    /** Where the announcement is mailed at publication (the users' list, the public channels' addresses). */
    addresses: z.array(emailAddress).max(20).default([]),
  }),
});

const releasesSchema = z.strictObject({
  supportedLines: uniqueList(z.string().regex(/^\d{1,4}\.\d{1,4}$/, 'must look like 1.28'), 50).default([]),
  supportNote: lineText(300).nullable().default(null),
  /** The development branch: the fix lands there too (§5). */
  mainBranch: z
    .string()
    .regex(/^[A-Za-z0-9._/-]{1,100}$/, 'must be a branch name')
    .default('main'),
  /** The branch of a supported line; `{line}` stands for it (release-{line} -> release-1.28). */
  branchPattern: z
    .string()
    .regex(/^[A-Za-z0-9._/{}-]{1,100}$/, 'must be a branch name')
    .refine((v) => v.includes('{line}'), 'must contain {line}')
    .default('release-{line}'),
  backportToAllSupported: z.boolean(),
  securityFixesBlockReleases: z.boolean().default(false),
  fixCommitsMustNotRevealIssue: z.boolean(),
  fixCommitsAreNotRewritten: z.boolean().default(false),
});

const contactsSchema = z.strictObject({
  securityTeam: z.strictObject({
    name: lineText(100),
    email: emailAddress.nullable(),
    members: lineText(300).nullable().default(null),
  }),
  publicChannels: z
    .array(z.strictObject({ name: lineText(200), url: httpUrl.nullable().default(null) }))
    .max(20),
});

const basePolicySchema = z.strictObject({
  apiVersion: z.literal('vigil.dev/v1'),
  kind: z.literal('SecurityPolicy'),
  project: projectSchema,
  timeZone: z
    .string()
    .max(64)
    .refine(isValidTimeZone, 'must be an IANA time zone such as Europe/Berlin or UTC'),
  holidays: z
    .string()
    .max(32)
    .refine(isValidHolidayRegion, 'must be a date-holidays region code such as US, US-CA, DE-BY')
    .nullable()
    .default(null),
  contacts: contactsSchema,
  intake: intakeSchema,
  access: accessSchema.default({ requireTwoFactor: false }),
  triage: triageSchema,
  severity: severitySchema,
  fix: fixSchema,
  disclosure: disclosureSchema,
  releases: releasesSchema,
});

type BasePolicy = z.output<typeof basePolicySchema>;
type Issue = { path: (string | number)[]; message: string };

// Rules that span fields; each names the field the user should change.
const crossFieldRules: ((p: BasePolicy) => Issue[])[] = [
  (p) => {
    const list = p.disclosure.distributorsList;
    const at = (f: string) => ['disclosure', 'distributorsList', f];
    if (!list.enabled) {
      return list.email || list.membershipCriteria.length > 0 || list.embargoPolicy
        ? [{ path: at('enabled'), message: 'is false but the list has an address, criteria or policy' }]
        : [];
    }
    const issues: Issue[] = [];
    if (!list.name) issues.push({ path: at('name'), message: 'is required when the list is enabled' });
    if (!list.email) issues.push({ path: at('email'), message: 'is required when the list is enabled' });
    if (list.membershipCriteria.length === 0)
      issues.push({
        path: at('membershipCriteria'),
        message: 'must list the criteria when the list is enabled',
      });
    if (!list.embargoPolicy)
      issues.push({ path: at('embargoPolicy'), message: 'is required when the list is enabled' });
    return issues;
  },
  (p) => {
    const enabled = p.disclosure.distributorsList.enabled;
    const issues: Issue[] = [];
    if (!enabled && p.disclosure.negotiationParties.includes('distributors'))
      issues.push({
        path: ['disclosure', 'negotiationParties'],
        message: 'names distributors but the list is disabled',
      });
    if (!enabled && p.disclosure.delayReasons.includes('distributor-coordination'))
      issues.push({
        path: ['disclosure', 'delayReasons'],
        message: 'names distributor coordination but the list is disabled',
      });
    const target = p.disclosure.criticalTarget;
    if (target && target.businessDays > p.disclosure.maxEmbargoDays)
      issues.push({
        path: ['disclosure', 'criticalTarget', 'businessDays'],
        message: 'must not exceed maxEmbargoDays',
      });
    return issues;
  },
  (p) => {
    const { fixDeveloped, usersToldOfFix, release, retrospective, fixLead } = p.fix;
    const issues: Issue[] = [];
    if (release && fixDeveloped && fixDeveloped.maxDays > release.maxDays)
      issues.push({
        path: ['fix', 'fixDeveloped', 'maxDays'],
        message: 'must not end after the release window',
      });
    if (release && usersToldOfFix && usersToldOfFix.maxDays > release.maxDays)
      issues.push({
        path: ['fix', 'usersToldOfFix', 'maxDays'],
        message: 'must not end after the release window',
      });
    if (!retrospective.enabled && retrospective.afterRelease)
      issues.push({
        path: ['fix', 'retrospective', 'afterRelease'],
        message: 'is set but the retrospective is disabled',
      });
    if (p.severity.cvssFinalCall === 'fix-lead' && fixLead !== 'round-robin')
      issues.push({
        path: ['severity', 'cvssFinalCall'],
        message: 'is fix-lead but fix.fixLead is not round-robin',
      });
    if (p.disclosure.finalSay === 'fix-lead' && fixLead !== 'round-robin')
      issues.push({
        path: ['disclosure', 'finalSay'],
        message: 'is fix-lead but fix.fixLead is not round-robin',
      });
    return issues;
  },
  (p) => {
    const issues: Issue[] = [];
    const dos = p.triage.denialOfService;
    if (dos.scope === 'high-risk-only' && dos.activatesFor.length === 0)
      issues.push({
        path: ['triage', 'denialOfService', 'activatesFor'],
        message: 'must name what activates the process',
      });
    if (dos.scope === 'all' && dos.activatesFor.length > 0)
      issues.push({
        path: ['triage', 'denialOfService', 'activatesFor'],
        message: 'must be empty when scope is all',
      });
    const prio = p.triage.priorities;
    if (prio && prio.alsoSerious.some((x) => prio.highest.includes(x)))
      issues.push({
        path: ['triage', 'priorities', 'alsoSerious'],
        message: 'repeats a property listed as highest',
      });
    if (p.intake.dependencyExample && !p.intake.acceptedReportKinds.includes('dependency-vulnerability'))
      issues.push({
        path: ['intake', 'dependencyExample'],
        message: 'is set but dependency-vulnerability is not accepted',
      });
    if (p.intake.redirectNonSecurityBugs && !p.project.issueTrackerUrl)
      issues.push({
        path: ['project', 'issueTrackerUrl'],
        message: 'is required when non-security bugs are redirected',
      });
    return issues;
  },
];

/** The policy document: its shape, bounds and cross-field rules. */
export const policySchema = basePolicySchema.superRefine((policy, ctx) => {
  for (const rule of crossFieldRules) {
    for (const issue of rule(policy))
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  }
});

/** A parsed, validated policy with every default filled in. */
export type Policy = z.infer<typeof policySchema>;
/** What a policy document may say before defaults are applied. */
export type PolicyInput = z.input<typeof policySchema>;
