import { describe, expect, it } from 'vitest';
import {
  fromDateTimeLocal,
  phaseStatusClass,
  phaseStatusText,
  safeHref,
  shortSha,
  toDateTimeLocal,
} from './fix-words.js';

describe('phaseStatusText', () => {
  it('says how late a phase is, by the hour and then by the day', () => {
    expect(phaseStatusText('overdue', 0)).toBe('overdue by less than an hour');
    expect(phaseStatusText('overdue', 5)).toBe('overdue by 5 h');
    expect(phaseStatusText('missed', 47)).toBe('missed by 47 h');
    expect(phaseStatusText('missed', 50)).toBe('missed by 2 days 2 h');
  });

  it('names the other statuses, and shows an unknown one as it is', () => {
    expect(phaseStatusText('met', 0)).toBe('met');
    expect(phaseStatusText('pending', 0)).toBe('not started');
    expect(phaseStatusText('relaxed', 0)).toBe('relaxed (low severity)');
    expect(phaseStatusText('paused', 0)).toBe('paused');
  });

  it('marks late phases as danger and met ones as success', () => {
    expect(phaseStatusClass('overdue')).toContain('badge-danger');
    expect(phaseStatusClass('missed')).toContain('badge-danger');
    expect(phaseStatusClass('met')).toContain('badge-success');
    expect(phaseStatusClass('running')).toBe('badge');
  });
});

describe('safeHref', () => {
  it('keeps http(s) links and refuses every other scheme', () => {
    expect(safeHref('https://example.org/a?b=c')).toBe('https://example.org/a?b=c');
    expect(safeHref('http://example.org')).toBe('http://example.org/');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('JaVaScRiPt:alert(1)')).toBeNull();
    expect(safeHref('data:text/html,<script>alert(1)</script>')).toBeNull();
    expect(safeHref('/relative')).toBeNull();
    expect(safeHref('not a url')).toBeNull();
  });
});

describe('datetime-local values', () => {
  it('round-trips an instant through the wall time of the browser, to the minute', () => {
    const iso = '2026-12-20T14:30:00.000Z';
    const local = toDateTimeLocal(iso);
    expect(local).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    expect(fromDateTimeLocal(local)).toBe(iso);
  });

  it('reads nothing from nothing', () => {
    expect(toDateTimeLocal(null)).toBe('');
    expect(toDateTimeLocal('not a date')).toBe('');
    expect(fromDateTimeLocal('')).toBeNull();
    expect(fromDateTimeLocal('nonsense')).toBeNull();
  });
});

it('shortens a commit id to 12 characters', () => {
  expect(shortSha('4b24536509a3c0ffee0000000000000000000000')).toBe('4b24536509a3');
});
