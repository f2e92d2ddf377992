import { describe, expect, it } from 'vitest';
import { humanIdQuery, MAX_SEARCH_TERMS, normaliseWord, searchWords } from './search-words.js';

describe('search words', () => {
  it('lower-cases, removes diacritics and applies NFKC', () => {
    expect(normaliseWord('Überlauf')).toBe('uberlauf');
    expect(normaliseWord('CAFÉ')).toBe('cafe');
    expect(normaliseWord('ﬁle')).toBe('file'); // the fi ligature (NFKC)
    expect(normaliseWord('Ｈｅａｐ')).toBe('heap'); // full-width letters
    expect(normaliseWord('İstanbul')).toBe('istanbul');
  });

  it('splits on anything but letters and digits, drops stop words, short and long words, repeats', () => {
    expect(searchWords('Heap overflow in the TLS parser (CVE-2026-1234): a crash!')).toEqual([
      'heap',
      'overflow',
      'tls',
      'parser',
      'cve',
      '2026',
      '1234',
      'crash',
    ]);
    expect(searchWords('the of and a')).toEqual([]);
    expect(searchWords('x'.repeat(65))).toEqual([]);
    expect(searchWords('x'.repeat(64))).toEqual(['x'.repeat(64)]);
    expect(searchWords('Crash crash CRASH crásh')).toEqual(['crash']);
    expect(searchWords('日本語 の テスト')).toEqual(['日本語', 'テスト']);
  });

  it('keeps a title’s first 64 distinct words; a query may ask for more', () => {
    const words = Array.from({ length: 100 }, (_, i) => `w${i}`);
    expect(searchWords(words.join(' '))).toEqual(words.slice(0, MAX_SEARCH_TERMS));
    expect(searchWords(words.join(' '), Infinity)).toHaveLength(100);
  });

  it('recognises a human id', () => {
    expect(humanIdQuery(' ctr-2026-0001 ')).toBe('CTR-2026-0001');
    expect(humanIdQuery('overflow')).toBeUndefined();
    expect(humanIdQuery('CTR-2026-0001 overflow')).toBeUndefined();
  });
});
