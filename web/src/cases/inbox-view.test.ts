import { describe, expect, it } from 'vitest';
import {
  clearedUrl,
  describeRange,
  formatTotal,
  inboxQuery,
  isFiltered,
  listKey,
  pageUrl,
  readInboxView,
  withParam,
} from './inbox-view.js';

const view = (qs: string) => readInboxView(new URLSearchParams(qs));

describe('the inbox view in the URL', () => {
  it('reads the filters, order, search and page, dropping what it does not know', () => {
    const v = view(
      'project=demo&state=triage,bogus&clock=overdue&channel=email,web,fax&severity=high,unscored' +
        '&flag=publicly-known&assigned=me&held=true&sort=received&q=heap+overflow&limit=100&cursor=abc&page=3',
    );
    expect(v).toMatchObject({
      project: 'demo',
      stateParam: 'triage,bogus',
      states: ['triage'],
      clock: 'overdue',
      channels: ['web', 'email'],
      severities: ['high', 'unscored'],
      flags: ['publicly-known'],
      assignedToMe: true,
      held: true,
      sort: 'received',
      q: 'heap overflow',
      limit: 100,
      cursor: 'abc',
      page: 3,
    });
    expect(isFiltered(v)).toBe(true);
    expect(inboxQuery(v)).toEqual({
      project: 'demo',
      state: 'triage',
      clock: 'overdue',
      channel: 'web,email',
      severity: 'high,unscored',
      flag: 'publicly-known',
      assignee: 'me',
      held: 'true',
      sort: 'received',
      q: 'heap overflow',
      limit: 100,
      cursor: 'abc',
    });
  });

  it('defaults to the first page of everything, most urgent first, 50 a page', () => {
    const v = view('clock=late&sort=random&limit=501&page=7');
    expect(v).toMatchObject({ clock: null, sort: 'urgency', limit: 50, cursor: null, page: 1 });
    expect(isFiltered(v)).toBe(false);
    expect(inboxQuery(v)).toEqual({
      project: undefined,
      state: undefined,
      clock: undefined,
      channel: undefined,
      severity: undefined,
      flag: undefined,
      assignee: undefined,
      held: undefined,
      sort: undefined,
      q: undefined,
      limit: undefined,
      cursor: undefined,
    });
  });

  it('starts a changed list from its first page, and leaves defaults out of the URL', () => {
    const params = new URLSearchParams('state=triage&cursor=abc&page=4');
    expect(withParam(params, 'clock', 'overdue')).toBe('/cases?state=triage&clock=overdue');
    expect(withParam(params, 'state', '')).toBe('/cases');
    expect(withParam(params, 'sort', 'urgency')).toBe('/cases?state=triage');
    expect(withParam(params, 'limit', '50')).toBe('/cases?state=triage');
    expect(withParam(params, 'q', 'tls crash')).toBe('/cases?state=triage&q=tls+crash');
    expect(pageUrl(params, 'def', 5)).toBe('/cases?state=triage&cursor=def&page=5');
    expect(pageUrl(params, null, 1)).toBe('/cases?state=triage');
    expect(clearedUrl(new URLSearchParams('state=triage&sort=received&q=x&limit=25&cursor=c&page=2'))).toBe(
      '/cases?sort=received&limit=25',
    );
  });

  it('keys a list by everything but its page', () => {
    expect(listKey(view('state=triage&cursor=a&page=2'))).toBe(listKey(view('state=triage')));
    expect(listKey(view('state=triage'))).not.toBe(listKey(view('state=triage&sort=received')));
    expect(listKey(view('q=a'))).not.toBe(listKey(view('q=b')));
  });
});

describe('the count line', () => {
  it('places the page in the whole list', () => {
    expect(describeRange(1, 50, 50, 1234, false, true)).toBe('1–50 of 1,234 cases');
    expect(describeRange(3, 50, 50, 1234, false, true)).toBe('101–150 of 1,234 cases');
    expect(describeRange(1, 50, 1, 1, false, false)).toBe('1–1 of 1 case');
    expect(describeRange(1, 50, 0, 0, false, false)).toBe('0 cases');
    expect(describeRange(2, 50, 0, 0, false, false)).toBe('No more cases');
  });

  it('says "at least" when the server stopped counting, never fewer than are known, exact on the last page', () => {
    expect(describeRange(1, 50, 50, 10_000, true, true)).toBe('1–50 of at least 10,000 cases');
    expect(describeRange(201, 50, 50, 10_000, true, true)).toBe('10,001–10,050 of at least 10,051 cases');
    expect(describeRange(5, 50, 20, 10_000, true, false)).toBe('201–220 of 220 cases');
    expect(formatTotal(10_000, true)).toBe('at least 10,000');
    expect(formatTotal(987_654, false)).toBe('987,654');
  });
});
