import { describe, expect, it } from 'vitest';
import {
  blockingFindings,
  checkDisclosureInstant,
  embargoLimits,
  type GuardrailInput,
  type ReleasePlanFacts,
} from './disclosure-guardrails.js';

const policy: GuardrailInput['policy'] = {
  timeZone: 'Europe/Berlin',
  holidays: 'DE',
  disclosure: {
    maxEmbargoDays: 28,
    criticalTarget: { businessDays: 14 },
    releaseWindow: { avoidFridays: true, avoidWeekends: true, avoidHolidays: true },
  },
};

// Received on Monday 23 November 2026, 10:00 in Berlin; asked the next day.
const base: GuardrailInput = {
  at: new Date('2026-12-01T14:00:00Z'),
  now: new Date('2026-11-24T09:00:00Z'),
  receivedAt: new Date('2026-11-23T09:00:00Z'),
  policy,
  cvssScore: null,
  releases: null,
};
const check = (patch: Partial<GuardrailInput>) => checkDisclosureInstant({ ...base, ...patch });
const codes = (patch: Partial<GuardrailInput>) => check(patch).map((f) => `${f.code}:${f.level}`);

describe('the disclosure guardrails', () => {
  it('finds nothing on a Tuesday afternoon within the embargo', () => {
    expect(check({})).toEqual([]);
  });

  it('refuses an instant in the past, or the very present', () => {
    expect(codes({ at: new Date('2026-11-24T08:59:00Z') })).toEqual(['past:refused']);
    expect(codes({ at: base.now })).toEqual(['past:refused']);
  });

  it('refuses an instant beyond the maximum embargo from the report, and not the instant itself', () => {
    const { maxAt } = embargoLimits(base);
    expect(maxAt.toISOString()).toBe('2026-12-21T09:00:00.000Z');
    expect(codes({ at: maxAt })).toEqual([]);
    const later = check({ at: new Date(maxAt.getTime() + 60_000) });
    expect(later.map((f) => f.code)).toEqual(['beyond-max-embargo']);
    expect(later[0]?.message).toContain('at most 28 days');
  });

  it('asks for an override on a Friday, a weekend and a public holiday, in the project time zone', () => {
    expect(codes({ at: new Date('2026-12-04T12:00:00Z') })).toEqual(['friday:override']);
    expect(codes({ at: new Date('2026-12-05T12:00:00Z') })).toEqual(['weekend:override']);
    expect(codes({ at: new Date('2026-12-06T12:00:00Z') })).toEqual(['weekend:override']);
    // Thursday 23:30 UTC is already Friday 00:30 in Berlin.
    expect(codes({ at: new Date('2026-12-03T23:30:00Z') })).toEqual(['friday:override']);
    // In UTC the same instant is a Thursday.
    expect(codes({ at: new Date('2026-12-03T23:30:00Z'), policy: { ...policy, timeZone: 'UTC' } })).toEqual(
      [],
    );
  });

  it('names the holiday of the region, on a weekday and on a Friday', () => {
    const spring = {
      receivedAt: new Date('2027-03-10T09:00:00Z'),
      now: new Date('2027-03-11T09:00:00Z'),
    };
    const easterMonday = check({ ...spring, at: new Date('2027-03-29T12:00:00Z') });
    expect(easterMonday.map((f) => f.code)).toEqual(['holiday']);
    expect(easterMonday[0]?.message).toMatch(/public holiday in DE \(.*Easter Monday.*\)/);
    expect(codes({ ...spring, at: new Date('2027-03-26T12:00:00Z') })).toEqual([
      'friday:override',
      'holiday:override',
    ]);
    // Without a region, only the weekday counts.
    expect(
      codes({ ...spring, at: new Date('2027-03-29T12:00:00Z'), policy: { ...policy, holidays: null } }),
    ).toEqual([]);
  });

  it('keeps to what the policy avoids', () => {
    const relaxed = {
      ...policy,
      disclosure: {
        ...policy.disclosure,
        releaseWindow: { avoidFridays: false, avoidWeekends: true, avoidHolidays: true },
      },
    };
    expect(codes({ at: new Date('2026-12-04T12:00:00Z'), policy: relaxed })).toEqual([]);
  });

  it('warns when a critical case goes past its target of 14 business days', () => {
    const { targetAt, critical } = embargoLimits({ ...base, cvssScore: 9.8 });
    expect(critical).toBe(true);
    expect(targetAt?.toISOString()).toBe('2026-12-11T09:00:00.000Z');
    expect(codes({ cvssScore: 9.8, at: new Date('2026-12-14T10:00:00Z') })).toEqual([
      'after-critical-target:warning',
    ]);
    expect(codes({ cvssScore: 9.8, at: new Date('2026-12-10T10:00:00Z') })).toEqual([]);
    // Not critical, or not scored: no target.
    expect(codes({ cvssScore: 8.9, at: new Date('2026-12-14T10:00:00Z') })).toEqual([]);
    expect(embargoLimits({ ...base, cvssScore: null }).targetAt).toBeNull();
  });

  it('warns when the release matrix cannot be met by then', () => {
    const releases: ReleasePlanFacts = {
      outcome: 'patch-releases',
      explanation: '',
      rows: [
        { name: 'The fix on main', needsRelease: false, blocked: true, release: null },
        { name: 'Line 1.28', needsRelease: true, blocked: false, release: null },
        {
          name: 'Line 1.27',
          needsRelease: true,
          blocked: false,
          release: { state: 'planned', plannedAt: '2026-12-02T09:00:00Z' },
        },
        {
          name: 'Line 1.26',
          needsRelease: true,
          blocked: false,
          release: { state: 'built', plannedAt: '2026-11-30T09:00:00Z' },
        },
        {
          name: 'Line 1.25',
          needsRelease: true,
          blocked: false,
          release: { state: 'built', plannedAt: null },
        },
        {
          name: 'Line 1.24',
          needsRelease: true,
          blocked: false,
          release: { state: 'published', plannedAt: null },
        },
      ],
    };
    const found = check({ releases });
    expect(found.every((f) => f.code === 'release-matrix' && f.level === 'warning')).toBe(true);
    expect(found.map((f) => f.message)).toEqual([
      'The fix on main has no green CI run yet, nor an override.',
      'Line 1.28: its release is not recorded.',
      expect.stringContaining('Line 1.27: its release is planned for Wednesday, 2 December 2026'),
      'Line 1.25: its release has no date.',
    ]);
    expect(check({ releases: { outcome: 'unknown', explanation: 'No advisory yet.', rows: [] } })).toEqual([
      {
        code: 'release-matrix',
        level: 'warning',
        message: 'The release matrix is unknown: No advisory yet.',
      },
    ]);
  });

  it('blocks on what is refused and on overrides not given', () => {
    const friday = check({ at: new Date('2026-12-04T12:00:00Z'), cvssScore: 9.9 });
    expect(blockingFindings(friday, []).blocking.map((f) => f.code)).toEqual(['friday']);
    expect(blockingFindings(friday, ['friday'])).toEqual({ blocking: [], applied: ['friday'] });
    // An override cannot lift a refusal.
    const past = check({ at: new Date('2026-11-20T12:00:00Z') });
    expect(blockingFindings(past, ['past', 'friday']).blocking.map((f) => f.code)).toEqual(['past']);
  });
});
