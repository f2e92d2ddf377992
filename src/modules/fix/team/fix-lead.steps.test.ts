import { describe, expect, it } from 'vitest';
import type { TeamCandidate } from './fix-lead.repo.js';
import { isUnavailable, nextInRotation } from './fix-lead.steps.js';

const AT = new Date('2026-12-02T12:00:00Z');

function member(
  userId: string,
  away: Partial<Pick<TeamCandidate, 'unavailableFrom' | 'unavailableUntil'>> = {},
) {
  return {
    userId,
    email: `${userId}@example.org`,
    name: userId,
    unavailableFrom: away.unavailableFrom ?? null,
    unavailableUntil: away.unavailableUntil ?? null,
  };
}

/** The leads of `n` cases in a row, each turn continuing after the last. */
function turns(team: TeamCandidate[], n: number, at = AT): (string | undefined)[] {
  const out: (string | undefined)[] = [];
  let last: string | null = null;
  for (let i = 0; i < n; i++) {
    const lead: string | undefined = nextInRotation(team, last, at)?.userId;
    out.push(lead);
    last = lead ?? last;
  }
  return out;
}

describe('the Fix Lead rotation', () => {
  const team = [member('a'), member('b'), member('c')];

  it('starts with the first member, then takes each in order and wraps around', () => {
    expect(turns(team, 7)).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'a']);
  });

  it('continues after the last lead, even one who left the team', () => {
    expect(nextInRotation(team, 'a', AT)?.userId).toBe('b');
    expect(nextInRotation(team, 'c', AT)?.userId).toBe('a');
    // "bb" left the team: the turn goes to the next one in order after them.
    expect(nextInRotation(team, 'bb', AT)?.userId).toBe('c');
    expect(nextInRotation(team, 'z', AT)?.userId).toBe('a');
  });

  it('skips whoever is unavailable at that instant, and takes them again once back', () => {
    const away = [
      member('a'),
      member('b', {
        unavailableFrom: '2026-12-01T00:00:00.000Z',
        unavailableUntil: '2026-12-03T00:00:00.000Z',
      }),
      member('c'),
    ];
    expect(turns(away, 4)).toEqual(['a', 'c', 'a', 'c']);
    expect(turns(away, 3, new Date('2026-12-03T00:00:00Z'))).toEqual(['a', 'b', 'c']);
    expect(turns(away, 3, new Date('2026-11-30T23:59:59Z'))).toEqual(['a', 'b', 'c']);
  });

  it('reads an open end as "since" or "until further notice"', () => {
    const since = member('a', { unavailableFrom: '2026-12-01T00:00:00.000Z' });
    const until = member('a', { unavailableUntil: '2026-12-05T00:00:00.000Z' });
    expect(isUnavailable(since, AT)).toBe(true);
    expect(isUnavailable(since, new Date('2026-11-30T00:00:00Z'))).toBe(false);
    expect(isUnavailable(until, AT)).toBe(true);
    expect(isUnavailable(until, new Date('2026-12-05T00:00:00Z'))).toBe(false);
    expect(isUnavailable(member('a'), AT)).toBe(false);
  });

  it('gives the last lead again when everyone else is away', () => {
    const away = {
      unavailableFrom: '2026-12-01T00:00:00.000Z',
      unavailableUntil: '2026-12-03T00:00:00.000Z',
    };
    expect(nextInRotation([member('a', away), member('b'), member('c', away)], 'b', AT)?.userId).toBe('b');
  });

  it('finds nobody when everyone is away, or there is no team', () => {
    const away = { unavailableFrom: '2026-12-01T00:00:00.000Z' };
    expect(nextInRotation([member('a', away), member('b', away)], null, AT)).toBeUndefined();
    expect(nextInRotation([member('a', away), member('b', away)], 'a', AT)).toBeUndefined();
    expect(nextInRotation([], null, AT)).toBeUndefined();
  });
});
