/**
 * The guardrails on a disclosure instant (PROCESS.md §7, §8; the Contour and Sesame seeds), pure:
 * no clock, no database. Each finding has a code, a level and a sentence:
 *
 * - `refused`: never accepted: an instant in the past, or beyond the policy's maximum embargo from
 *   the report's receipt (`disclosure.maxEmbargoDays`, calendar days).
 * - `override`: refused unless the decision lists the code in its overrides: a Friday, a weekend day
 *   or a public holiday in the project's time zone and holiday region (`disclosure.releaseWindow`).
 * - `warning`: shown and recorded, never blocking: later than the target for a critical issue
 *   (`disclosure.criticalTarget.businessDays` from the report, CVSS >= 9.0), and a release matrix that
 *   cannot be met by then (a line not green, a release not recorded or planned after the instant).
 */
import type * as TemporalPolyfill from 'temporal-polyfill';
import { addBusinessDays } from '../../../lib/calendar/business-time.js';
import { publicHolidayOn, requireHolidayRegion } from '../../../lib/calendar/holidays.js';
import { formatInstant } from '../../../lib/format-instant.js';
import { lazyRequire } from '../../../lib/lazy.js';
import type { Policy } from '../../policy/policy.schema.js';

/** temporal-polyfill loads at the first check, not at start. */
const temporalModule = lazyRequire<typeof TemporalPolyfill>('temporal-polyfill');

export const GUARDRAIL_CODES = [
  'past',
  'beyond-max-embargo',
  'after-critical-target',
  'friday',
  'weekend',
  'holiday',
  'release-matrix',
] as const;
export type GuardrailCode = (typeof GUARDRAIL_CODES)[number];

/** The codes a decision may override: the release window's. */
export const OVERRIDABLE_CODES = ['friday', 'weekend', 'holiday'] as const;
export type OverridableCode = (typeof OVERRIDABLE_CODES)[number];

export const FINDING_LEVELS = ['refused', 'override', 'warning'] as const;
export type FindingLevel = (typeof FINDING_LEVELS)[number];

export interface Finding {
  code: GuardrailCode;
  level: FindingLevel;
  message: string;
}

/** A CVSS score at or above this is critical (CVSS v3.x and v4.0 "Critical"). */
export const CRITICAL_CVSS = 9.0;

const DAY_MS = 86_400_000;

/** What the release matrix says of one row, for the "can it be met by then" warning. */
export interface ReleaseRowFact {
  /** How the row is named in a sentence ("Line 1.28 (release-1.28)"). */
  name: string;
  /** The main branch's fix ships without a release of its own. */
  needsRelease: boolean;
  /** CI exists and the row is neither green nor overridden. */
  blocked: boolean;
  release: { state: string; plannedAt: string | null } | null;
}

export interface ReleasePlanFacts {
  /** `unknown` when what must ship is not known. */
  outcome: string;
  explanation: string;
  rows: ReleaseRowFact[];
}

export interface GuardrailInput {
  at: Date;
  now: Date;
  receivedAt: Date;
  policy: Pick<Policy, 'timeZone' | 'holidays'> & {
    disclosure: Pick<Policy['disclosure'], 'maxEmbargoDays' | 'criticalTarget' | 'releaseWindow'>;
  };
  /** The case's CVSS score (its advisory's), null while unscored. */
  cvssScore: number | null;
  /** The release matrix with what was recorded; null to leave it out (no warning). */
  releases: ReleasePlanFacts | null;
}

/** The latest instant the policy allows, and the critical target when the case is critical. */
export function embargoLimits(input: Pick<GuardrailInput, 'receivedAt' | 'policy' | 'cvssScore'>): {
  maxAt: Date;
  critical: boolean;
  targetAt: Date | null;
} {
  const { receivedAt, policy, cvssScore } = input;
  const maxAt = new Date(receivedAt.getTime() + policy.disclosure.maxEmbargoDays * DAY_MS);
  const critical = cvssScore !== null && cvssScore >= CRITICAL_CVSS;
  const target = policy.disclosure.criticalTarget;
  const targetAt =
    critical && target
      ? addBusinessDays(receivedAt, target.businessDays, {
          timeZone: policy.timeZone,
          holidays: policy.holidays,
        })
      : null;
  return { maxAt, critical, targetAt };
}

/** Every guardrail finding for `input.at`, in the order of the codes. */
export function checkDisclosureInstant(input: GuardrailInput): Finding[] {
  const { at, now, receivedAt, policy } = input;
  const zone = policy.timeZone;
  const when = formatInstant(at, zone, 'long');
  const out: Finding[] = [];
  if (at.getTime() <= now.getTime()) {
    out.push({ code: 'past', level: 'refused', message: `${when} is in the past.` });
  }
  const { maxAt, critical, targetAt } = embargoLimits(input);
  if (at.getTime() > maxAt.getTime()) {
    out.push({
      code: 'beyond-max-embargo',
      level: 'refused',
      message: `${when} is after ${formatInstant(maxAt, zone, 'long')}: the policy allows at most ${policy.disclosure.maxEmbargoDays} days of embargo from the report (received ${formatInstant(receivedAt, zone, 'long')}).`,
    });
  }
  if (critical && targetAt && at.getTime() > targetAt.getTime()) {
    out.push({
      code: 'after-critical-target',
      level: 'warning',
      message: `${when} is later than the target for a critical issue: ${policy.disclosure.criticalTarget?.businessDays} business days from the report, ${formatInstant(targetAt, zone, 'long')}.`,
    });
  }
  out.push(...releaseWindowFindings(at, policy));
  out.push(...releasePlanFindings(at, input.releases, zone));
  return out;
}

/** Fridays, weekends and public holidays in the project's zone and region, as the policy avoids them. */
function releaseWindowFindings(at: Date, policy: GuardrailInput['policy']): Finding[] {
  const window = policy.disclosure.releaseWindow;
  const local = temporalModule()
    .Temporal.Instant.fromEpochMilliseconds(at.getTime())
    .toZonedDateTimeISO(policy.timeZone)
    .toPlainDate();
  const day = formatInstant(at, policy.timeZone, 'long-date');
  const inZone = `in ${policy.timeZone}`;
  const out: Finding[] = [];
  if (window.avoidFridays && local.dayOfWeek === 5) {
    out.push({
      code: 'friday',
      level: 'override',
      message: `${day} (${inZone}) is a Friday: the policy avoids releasing on Fridays. Override "friday" to decide it anyway.`,
    });
  }
  if (window.avoidWeekends && local.dayOfWeek >= 6) {
    out.push({
      code: 'weekend',
      level: 'override',
      message: `${day} (${inZone}) is on a weekend: the policy avoids releasing then. Override "weekend" to decide it anyway.`,
    });
  }
  const holiday =
    window.avoidHolidays && policy.holidays
      ? publicHolidayOn(requireHolidayRegion(policy.holidays), local.toString())
      : undefined;
  if (holiday) {
    out.push({
      code: 'holiday',
      level: 'override',
      message: `${day} (${inZone}) is a public holiday in ${policy.holidays} (${holiday}): the policy avoids releasing then. Override "holiday" to decide it anyway.`,
    });
  }
  return out;
}

/** What of the release matrix cannot be met by `at`: one warning per row that says so. */
function releasePlanFindings(at: Date, plan: ReleasePlanFacts | null, zone: string): Finding[] {
  if (!plan) return [];
  const warn = (message: string): Finding => ({ code: 'release-matrix', level: 'warning', message });
  if (plan.outcome === 'unknown') return [warn(`The release matrix is unknown: ${plan.explanation}`)];
  const out: Finding[] = [];
  for (const row of plan.rows) {
    if (row.blocked) out.push(warn(`${row.name} has no green CI run yet, nor an override.`));
    if (!row.needsRelease) continue;
    const r = row.release;
    if (!r) out.push(warn(`${row.name}: its release is not recorded.`));
    else if (r.state !== 'published' && !r.plannedAt) out.push(warn(`${row.name}: its release has no date.`));
    else if (r.state !== 'published' && r.plannedAt && Date.parse(r.plannedAt) > at.getTime()) {
      out.push(
        warn(
          `${row.name}: its release is planned for ${formatInstant(new Date(r.plannedAt), zone, 'long')}, after the disclosure instant.`,
        ),
      );
    }
  }
  return out;
}

/**
 * What stops an instant: the refused findings, and the ones to override that `overrides` does not
 * list. Empty when it may be decided; `applied` are the overrides that were needed and given.
 */
export function blockingFindings(
  findings: readonly Finding[],
  overrides: readonly string[],
): { blocking: Finding[]; applied: OverridableCode[] } {
  const blocking: Finding[] = [];
  const applied: OverridableCode[] = [];
  for (const f of findings) {
    if (f.level === 'refused') blocking.push(f);
    else if (f.level === 'override') {
      if (overrides.includes(f.code)) applied.push(f.code as OverridableCode);
      else blocking.push(f);
    }
  }
  return { blocking, applied };
}
