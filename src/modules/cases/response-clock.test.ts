import { describe, expect, it } from 'vitest';
import { getPresetPolicy } from '../policy/policy.presets.js';
import {
  businessHoursBetween,
  clockStatus,
  firstResponseDue,
  reminderInstants,
  resumedDue,
} from './response-clock.js';

const contour = { ...getPresetPolicy('contour'), timeZone: 'America/New_York', holidays: 'US' };
const emissary = getPresetPolicy('emissary');
const cal = { timeZone: 'America/New_York', holidays: 'US' };

describe('the first-response clock', () => {
  it('is due 3 business days after receipt for contour, across a weekend and Christmas', () => {
    // Wed 23 Dec 2026 11:00 EST; Thu 24 is a working day, Fri 25 a holiday: Thu, Mon, Tue.
    expect(firstResponseDue(new Date('2026-12-23T16:00:00Z'), contour, false)?.toISOString()).toBe(
      '2026-12-29T16:00:00.000Z',
    );
  });

  it('is as soon as possible when the case is public, and absent when the policy sets none', () => {
    const at = new Date('2026-12-23T16:00:00Z');
    expect(firstResponseDue(at, contour, true)).toEqual(at);
    expect(firstResponseDue(at, emissary, false)).toBeNull();
  });

  it('reports met, paused, asap, running and overdue', () => {
    const base = {
      received_at: '2026-12-23T16:00:00.000Z',
      first_response_due_at: '2026-12-29T16:00:00.000Z',
      first_responded_at: null,
      clock_paused_at: null,
      publicly_known: 0,
    };
    const before = new Date('2026-12-29T15:59:59Z');
    const after = new Date('2026-12-29T16:00:00Z');
    expect(clockStatus(base, before).status).toBe('running');
    expect(clockStatus(base, after).status).toBe('overdue');
    expect(clockStatus({ ...base, first_responded_at: '2026-12-24T10:00:00Z' }, after).status).toBe('met');
    expect(clockStatus({ ...base, clock_paused_at: '2026-12-24T10:00:00Z' }, after).status).toBe('paused');
    expect(clockStatus({ ...base, publicly_known: 1 }, before).status).toBe('asap');
    expect(clockStatus({ ...base, first_response_due_at: null }, after).status).toBe('none');
  });

  it('says missed, by the hour, when the answer came after the due instant', () => {
    const base = {
      received_at: '2026-12-23T16:00:00.000Z',
      first_response_due_at: '2026-12-29T16:00:00.000Z',
      first_responded_at: '2026-12-29T18:30:00.000Z',
      clock_paused_at: null,
      publicly_known: 0,
    };
    const later = new Date('2027-01-05T00:00:00Z');
    expect(clockStatus(base, later)).toEqual({
      status: 'missed',
      dueAt: base.first_response_due_at,
      hoursLate: 2,
    });
    expect(clockStatus({ ...base, first_responded_at: '2026-12-29T16:00:00.001Z' }, later)).toMatchObject({
      status: 'missed',
      hoursLate: 0,
    });
    expect(clockStatus({ ...base, first_responded_at: base.first_response_due_at }, later)).toMatchObject({
      status: 'met',
      hoursLate: 0,
    });
  });

  it('makes a publicly known case due at once: overdue by the hour, missed when answered after its first hour', () => {
    const publicCase = {
      received_at: '2026-12-23T16:00:00.000Z',
      first_response_due_at: '2026-12-23T16:00:00.000Z',
      first_responded_at: null,
      clock_paused_at: null,
      publicly_known: 1,
    };
    expect(clockStatus(publicCase, new Date('2026-12-23T16:30:00Z'))).toEqual({
      status: 'asap',
      dueAt: publicCase.first_response_due_at,
      hoursLate: 0,
    });
    expect(clockStatus(publicCase, new Date('2026-12-23T21:10:00Z'))).toMatchObject({
      status: 'asap',
      hoursLate: 5,
    });
    const answered = (at: string) =>
      clockStatus({ ...publicCase, first_responded_at: at }, new Date('2027-01-01T00:00:00Z'));
    expect(answered('2026-12-23T16:59:59.000Z')).toMatchObject({ status: 'met', hoursLate: 0 });
    // Answered late: no longer "met".
    expect(answered('2026-12-24T01:00:00.000Z')).toMatchObject({ status: 'missed', hoursLate: 9 });
  });

  it('reminds half-way and at 80 percent', () => {
    const r = reminderInstants(new Date('2026-12-01T00:00:00Z'), new Date('2026-12-11T00:00:00Z'));
    expect(r.map((x) => [x.percent, x.at.toISOString()])).toEqual([
      [50, '2026-12-06T00:00:00.000Z'],
      [80, '2026-12-09T00:00:00.000Z'],
    ]);
  });

  it('measures business hours between instants, skipping the weekend', () => {
    // Fri 10:00 -> Mon 10:00 New York: 14 h on Friday, 10 h on Monday.
    expect(
      businessHoursBetween(new Date('2026-11-20T15:00:00Z'), new Date('2026-11-23T15:00:00Z'), cal),
    ).toBeCloseTo(24, 3);
  });

  it('resumes with the business time that was left: a paused weekend costs nothing', () => {
    // Due Tue 24 Nov 10:00; paused Fri 20 Nov 10:00 (2 business days left); resumed Mon 23 10:00 -> Wed 25 10:00.
    const due = resumedDue(
      new Date('2026-11-20T15:00:00Z'),
      new Date('2026-11-24T15:00:00Z'),
      new Date('2026-11-23T15:00:00Z'),
      cal,
    );
    expect(due.toISOString()).toBe('2026-11-25T15:00:00.000Z');
  });
});
