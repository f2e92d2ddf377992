import { describe, expect, it } from 'vitest';
import {
  countdownText,
  formatInZone,
  isoToWallTime,
  wallTimeToIso,
  zoneOffsetMinutes,
} from './zoned-time.js';

describe('instants in a named zone', () => {
  it('knows the offset of a zone at an instant, across DST', () => {
    expect(zoneOffsetMinutes(Date.parse('2026-12-01T12:00:00Z'), 'Europe/Berlin')).toBe(60);
    expect(zoneOffsetMinutes(Date.parse('2026-07-01T12:00:00Z'), 'Europe/Berlin')).toBe(120);
    expect(zoneOffsetMinutes(Date.parse('2026-12-01T12:00:00Z'), 'America/New_York')).toBe(-300);
    expect(zoneOffsetMinutes(Date.parse('2026-12-01T12:00:00Z'), 'Asia/Kolkata')).toBe(330);
  });

  it('turns a wall time of a zone into an instant with that zone’s offset', () => {
    expect(wallTimeToIso('2026-12-01T14:00', 'Europe/Berlin')).toBe('2026-12-01T14:00:00+01:00');
    expect(wallTimeToIso('2026-07-01T14:00', 'Europe/Berlin')).toBe('2026-07-01T14:00:00+02:00');
    expect(wallTimeToIso('2026-12-01T09:30', 'America/New_York')).toBe('2026-12-01T09:30:00-05:00');
    expect(wallTimeToIso('2026-12-01T09:30', 'UTC')).toBe('2026-12-01T09:30:00+00:00');
    expect(Date.parse(wallTimeToIso('2026-12-01T14:00', 'Europe/Berlin') ?? '')).toBe(
      Date.parse('2026-12-01T13:00:00Z'),
    );
    expect(wallTimeToIso('2026-12-01', 'UTC')).toBeNull();
    expect(wallTimeToIso('2026-12-01T14:00', 'Mars/Olympus')).toBeNull();
  });

  it('says an instant back as the wall time of a zone', () => {
    expect(isoToWallTime('2026-12-01T13:00:00.000Z', 'Europe/Berlin')).toBe('2026-12-01T14:00');
    expect(isoToWallTime('2026-12-02T14:00:00.000Z', 'America/New_York')).toBe('2026-12-02T09:00');
    expect(formatInZone('2026-12-01T13:00:00.000Z', 'Europe/Berlin')).toBe(
      'Tue, 1 Dec 2026, 14:00 (Europe/Berlin)',
    );
  });

  it('counts down in days and a clock', () => {
    expect(countdownText(59)).toBe('00:00:59');
    expect(countdownText(3 * 86_400 + 4 * 3600 + 5 * 60 + 6)).toBe('3 days 04:05:06');
    expect(countdownText(86_400)).toBe('1 day 00:00:00');
  });
});
