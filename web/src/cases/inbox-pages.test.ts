import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { previousCursor, rememberStep } from './inbox-pages.js';

/** A tab's sessionStorage, as much of it as the module uses. */
function fakeSessionStorage() {
  const items = new Map<string, string>();
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
  };
}

describe('the way back through the inbox pages', () => {
  const global = globalThis as { window?: unknown };
  beforeEach(() => {
    global.window = { sessionStorage: fakeSessionStorage() };
  });
  afterEach(() => {
    delete global.window;
  });

  it('knows the page each cursor came from, per list', () => {
    rememberStep('list-a', null, 'c2');
    rememberStep('list-a', 'c2', 'c3');
    rememberStep('list-b', null, 'c3');
    expect(previousCursor('list-a', 'c3')).toBe('c2');
    expect(previousCursor('list-a', 'c2')).toBeNull();
    expect(previousCursor('list-b', 'c3')).toBeNull();
    // A page this tab never came through (a shared link): unknown, not the first page.
    expect(previousCursor('list-a', 'c9')).toBeUndefined();
    expect(previousCursor('list-c', 'c2')).toBeUndefined();
  });

  it('forgets the oldest steps first', () => {
    for (let i = 0; i < 1005; i++) rememberStep('list', i === 0 ? null : `c${i}`, `c${i + 1}`);
    expect(previousCursor('list', 'c1')).toBeUndefined();
    expect(previousCursor('list', 'c1005')).toBe('c1004');
  });

  it('falls back to "unknown" when storage is refused or holds something else', () => {
    global.window = {
      sessionStorage: {
        getItem: () => '[not json',
        setItem: () => {
          throw new Error('QuotaExceededError');
        },
      },
    };
    rememberStep('list', null, 'c2');
    expect(previousCursor('list', 'c2')).toBeUndefined();
  });
});
