import { describe, expect, it } from 'vitest';
import { BadFieldError } from './errors.js';
import { cursorKey, keysetPage } from './list-page.js';

describe('keysetPage', () => {
  const rows = [1, 2, 3, 4, 5];
  it('keeps `limit` rows and gives the cursor after the last when one more was fetched', () => {
    expect(keysetPage(rows.slice(0, 3), 2, (last) => `after ${last}`)).toEqual({
      rows: [1, 2],
      nextCursor: 'after 2',
    });
  });
  it('has no cursor on the last page, full or not', () => {
    expect(keysetPage(rows.slice(0, 2), 2, (last) => `after ${last}`)).toEqual({
      rows: [1, 2],
      nextCursor: null,
    });
    expect(keysetPage([], 2, (last) => `after ${String(last)}`)).toEqual({ rows: [], nextCursor: null });
  });
});

describe('cursorKey', () => {
  it('gives back a key of the expected shape', () => {
    expect(cursorKey(['2026-01-01T00:00:00.000Z', 'id'], ['string', 'string'])).toEqual([
      '2026-01-01T00:00:00.000Z',
      'id',
    ]);
    expect(cursorKey([3], ['number'])).toEqual([3]);
    expect(cursorKey(undefined, ['number'])).toBeUndefined();
  });
  it('refuses another shape as a cursor this list did not give out', () => {
    for (const [key, kinds] of [
      [['x'], ['number']],
      [[3, 'x'], ['number']],
      [[null], ['string']],
    ] as const) {
      try {
        cursorKey(key, kinds);
        throw new Error('accepted');
      } catch (err) {
        expect(err).toBeInstanceOf(BadFieldError);
        expect((err as BadFieldError).issues[0]?.path).toBe('querystring.cursor');
      }
    }
  });
});
