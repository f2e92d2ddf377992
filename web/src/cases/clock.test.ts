import { describe, expect, it } from 'vitest';
import type { CaseClock } from '../api/types.js';
import {
  describeClock,
  describeFirstResponse,
  formatDuration,
  isUnacknowledged,
  WATCHDOG_HORIZON_MS,
} from './clock.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-03-02T09:00:00Z');

function clock(status: CaseClock['status'], dueInMs?: number, hoursLate = 0): CaseClock {
  return {
    status,
    dueAt: dueInMs === undefined ? null : new Date(NOW + dueInMs).toISOString(),
    respondedAt: null,
    hoursLate,
  };
}

describe('formatDuration', () => {
  it('says durations as a person does, coarsely, whatever their sign', () => {
    expect(formatDuration(0)).toBe('less than a minute');
    expect(formatDuration(59_999)).toBe('less than a minute');
    expect(formatDuration(MINUTE)).toBe('1 min');
    expect(formatDuration(12 * MINUTE + 59_000)).toBe('12 min');
    expect(formatDuration(HOUR)).toBe('1 h');
    expect(formatDuration(5 * HOUR + 20 * MINUTE)).toBe('5 h 20 min');
    expect(formatDuration(DAY)).toBe('1 day');
    expect(formatDuration(2 * DAY + 3 * HOUR + 59 * MINUTE)).toBe('2 days 3 h');
    expect(formatDuration(-(5 * HOUR))).toBe('5 h');
  });
});

describe('describeClock', () => {
  it('names the stopped clocks without a time', () => {
    expect(describeClock(clock('met'), NOW)).toEqual({ text: 'answered', tone: 'quiet' });
    expect(describeClock(clock('missed', -3 * HOUR, 2), NOW)).toEqual({
      text: 'answered 2 h late',
      tone: 'quiet',
    });
    expect(describeClock(clock('missed', -3 * HOUR, 0), NOW)).toEqual({
      text: 'answered late',
      tone: 'quiet',
    });
    expect(describeClock(clock('paused'), NOW)).toEqual({ text: 'paused', tone: 'quiet' });
    expect(describeClock(clock('none'), NOW)).toEqual({ text: 'no deadline', tone: 'quiet' });
    expect(describeClock(clock('asap'), NOW)).toEqual({ text: 'as soon as possible', tone: 'asap' });
  });

  it('shows an "as soon as possible" clock late once its first hour has passed unanswered', () => {
    // Due when the report arrived: within the hour an answer is still met, so it is not late yet.
    expect(describeClock(clock('asap', -30 * MINUTE), NOW)).toEqual({
      text: 'as soon as possible',
      tone: 'asap',
    });
    expect(describeClock(clock('asap', -5 * HOUR, 5), NOW)).toEqual({
      text: 'overdue by 5 h (as soon as possible)',
      tone: 'overdue',
    });
    // The page stays open: the browser's clock makes it late though the server said 0 h at load.
    expect(describeClock(clock('asap', -(HOUR + 5 * MINUTE), 0), NOW)).toEqual({
      text: 'overdue by 1 h 5 min (as soon as possible)',
      tone: 'overdue',
    });
    expect(isUnacknowledged(clock('asap', -5 * HOUR, 5), NOW)).toBe(true);
  });

  it('counts down a running clock, marking the last day as soon', () => {
    expect(describeClock(clock('running', 2 * DAY + 3 * HOUR), NOW)).toEqual({
      text: 'due in 2 days 3 h',
      tone: 'running',
    });
    expect(describeClock(clock('running', WATCHDOG_HORIZON_MS), NOW)).toEqual({
      text: 'due in 1 day',
      tone: 'soon',
    });
    expect(describeClock(clock('running', WATCHDOG_HORIZON_MS + MINUTE), NOW).tone).toBe('running');
  });

  it('turns overdue on the browser’s clock once the deadline passes, even if the server said running', () => {
    expect(describeClock(clock('running', 0), NOW)).toEqual({
      text: 'overdue by less than a minute',
      tone: 'overdue',
    });
    expect(describeClock(clock('overdue', -5 * HOUR), NOW)).toEqual({
      text: 'overdue by 5 h',
      tone: 'overdue',
    });
  });

  it('says what it can of a clock without a readable deadline', () => {
    expect(describeClock(clock('overdue'), NOW)).toEqual({ text: 'overdue', tone: 'asap' });
    expect(
      describeClock({ status: 'running', dueAt: 'not a date', respondedAt: null, hoursLate: 0 }, NOW),
    ).toEqual({
      text: 'running',
      tone: 'asap',
    });
  });
});

describe('isUnacknowledged', () => {
  it('holds the overdue, the urgent and those due within a day; not the answered or the far', () => {
    expect(isUnacknowledged(clock('overdue', -HOUR), NOW)).toBe(true);
    expect(isUnacknowledged(clock('asap'), NOW)).toBe(true);
    expect(isUnacknowledged(clock('running', 3 * HOUR), NOW)).toBe(true);
    expect(isUnacknowledged(clock('running', 3 * DAY), NOW)).toBe(false);
    expect(isUnacknowledged(clock('met'), NOW)).toBe(false);
    expect(isUnacknowledged(clock('paused'), NOW)).toBe(false);
  });
});

describe('describeFirstResponse', () => {
  it('promises the policy’s business days, or as soon as possible without a number', () => {
    expect(describeFirstResponse(3)).toBe('within 3 business days');
    expect(describeFirstResponse(1)).toBe('within 1 business day');
    expect(describeFirstResponse(null)).toBe('as soon as possible');
  });
});
