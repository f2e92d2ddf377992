import { describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../../lib/errors.js';
import { CWE_SYNONYMS, tokenize } from './cwe-index.js';
import { createCweCatalogue, normalizeCweId } from './cwe-catalogue.js';

const cwe = createCweCatalogue();
const ids = (query: string, limit?: number) => cwe.searchCwe(query, limit).map((e) => e.id);

describe('CWE ids', () => {
  it.each([
    ['CWE-79', 'CWE-79'],
    ['cwe-79', 'CWE-79'],
    ['79', 'CWE-79'],
    [79, 'CWE-79'],
    [' CWE 79 ', 'CWE-79'],
    ['cwe79', 'CWE-79'],
    ['CWE_79', 'CWE-79'],
    ['CWE-079', 'CWE-79'],
  ])('reads %j as %s', (input, id) => {
    expect(normalizeCweId(input)).toBe(id);
  });

  it.each(['', 'CWE-', 'CWE--79', 'XSS', '79a', '-79', '0', 'CWE-0', '12345678', 'CWE-7.9', 'x'.repeat(30)])(
    'refuses %j',
    (input) => {
      expect(normalizeCweId(input)).toBeUndefined();
    },
  );

  it.each([0, -79, 7.9, Number.NaN, Number.MAX_SAFE_INTEGER + 2])('refuses the number %d', (input) => {
    expect(normalizeCweId(input)).toBeUndefined();
  });
});

describe('getCwe and isKnownCwe', () => {
  it('finds an entry by any spelling of its id', () => {
    const xss = {
      id: 'CWE-79',
      name: "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')",
      deprecated: false,
    };
    expect(cwe.getCwe('CWE-79')).toEqual(xss);
    expect(cwe.getCwe('cwe-79')).toEqual(xss);
    expect(cwe.getCwe('79')).toEqual(xss);
    expect(cwe.getCwe(79)).toEqual(xss);
  });

  it('answers not found for an id MITRE does not have, and says why a malformed one is refused', () => {
    expect(() => cwe.getCwe('CWE-99999')).toThrow(NotFoundError);
    expect(() => cwe.getCwe('CWE-99999')).toThrow('CWE-99999 was not found.');
    // CWE-16 is a category, not a weakness: not in the catalogue.
    expect(() => cwe.getCwe(16)).toThrow(NotFoundError);
    expect(() => cwe.getCwe('XSS')).toThrow(ValidationError);
    expect(() => cwe.getCwe('XSS')).toThrow("'XSS' is not a CWE id: write it as CWE-79 or 79.");
  });

  it('knows deprecated entries and marks them', () => {
    expect(cwe.getCwe('CWE-592')).toEqual({
      id: 'CWE-592',
      name: 'DEPRECATED: Authentication Bypass Issues',
      deprecated: true,
    });
    expect(cwe.isKnownCwe('CWE-592')).toBe(true);
  });

  it('tells known ids from unknown and malformed ones', () => {
    expect(cwe.isKnownCwe('CWE-787')).toBe(true);
    expect(cwe.isKnownCwe(787)).toBe(true);
    expect(cwe.isKnownCwe('CWE-1431')).toBe(true);
    expect(cwe.isKnownCwe('CWE-16')).toBe(false);
    expect(cwe.isKnownCwe('CWE-99999')).toBe(false);
    expect(cwe.isKnownCwe('787; drop table')).toBe(false);
    expect(cwe.isKnownCwe('')).toBe(false);
  });
});

describe('searchCwe by id', () => {
  it('puts the exact id first, then ids starting with its digits, shortest first', () => {
    expect(ids('79', 5)).toEqual(['CWE-79', 'CWE-790', 'CWE-791', 'CWE-792', 'CWE-793']);
    expect(ids('CWE-79', 5)).toEqual(ids('79', 5));
    expect(ids('cwe 78', 3)).toEqual(['CWE-78', 'CWE-780', 'CWE-781']);
    const many = ids('12', 50);
    expect(many.slice(0, 3)).toEqual(['CWE-12', 'CWE-120', 'CWE-121']);
    expect(many.every((id) => id.startsWith('CWE-12'))).toBe(true);
    expect(many.indexOf('CWE-129')).toBeLessThan(many.indexOf('CWE-1204'));
  });

  it('lists prefix matches even when the exact id is not an entry', () => {
    // CWE-16 is a category, not a weakness.
    const found = ids('16', 50);
    expect(found.length).toBeGreaterThan(5);
    expect(found).not.toContain('CWE-16');
    expect(found.every((id) => id.startsWith('CWE-16'))).toBe(true);
  });

  it('matches a one-digit id exactly, without listing every id that starts with it', () => {
    expect(ids('7')).toEqual(['CWE-7']);
    expect(ids('CWE-2')).toEqual([]);
  });

  it('finds a deprecated entry by its exact id only', () => {
    expect(ids('592')).toEqual(['CWE-592']);
    expect(ids('59', 50)).not.toContain('CWE-592');
    expect(ids('authentication bypass', 50)).not.toContain('CWE-592');
    expect(ids('deprecated')).toEqual([]);
  });
});

describe('searchCwe by words', () => {
  it('matches every query word as a word prefix, case-insensitively', () => {
    expect(ids('cross sit')[0]).toBe('CWE-79');
    expect(ids('CROSS-SITE')).toEqual(ids('cross site'));
    expect(ids('use after free')).toEqual(['CWE-416']);
    expect(ids('hard cod passw')).toEqual(['CWE-259']);
    expect(ids('deserial')).toEqual(['CWE-502']);
    // Every word must match: no entry is about scripting in Struts.
    expect(ids('struts scripting')).toEqual([]);
  });

  it("ranks MITRE's common name in parentheses first", () => {
    expect(ids('sql injection')).toEqual(['CWE-89', 'CWE-564']);
    expect(ids('path traversal', 3)).toEqual(['CWE-22', 'CWE-23', 'CWE-36']);
    expect(ids('buffer overflow', 4)).toEqual(['CWE-120', 'CWE-122', 'CWE-121', 'CWE-680']);
    expect(ids('command injection', 2)).toEqual(['CWE-77', 'CWE-78']);
    expect(ids('open redirect')).toEqual(['CWE-601']);
  });

  it('ranks whole-word matches above prefix matches, then shorter names', () => {
    // "Pointer" starts with "point" but is not the word: the shorter "NULL Pointer Dereference" comes after.
    const point = cwe.searchCwe('point', 50);
    const whole = point.map((e) => tokenize(e.name).includes('point'));
    expect(whole[0]).toBe(true);
    expect(whole.indexOf(false)).toBeGreaterThan(0);
    expect(whole.slice(whole.indexOf(false))).not.toContain(true);
    expect(point.map((e) => e.id)).toContain('CWE-476');
    // "race" is a whole word of each; the common name "Race Condition" of CWE-362 ranks it first.
    expect(ids('race', 3)).toEqual(['CWE-362', 'CWE-364', 'CWE-366']);
    expect(ids('null pointer', 2)).toEqual(['CWE-476', 'CWE-690']);
    expect(ids('integer overflow')).toEqual(['CWE-190', 'CWE-680']);
  });

  it('ignores the word "cwe" and repeated words', () => {
    expect(ids('cwe use after free')).toEqual(['CWE-416']);
    expect(ids('free free after use')).toEqual(['CWE-416']);
  });

  it('answers nothing to an empty query', () => {
    expect(cwe.searchCwe('')).toEqual([]);
    expect(cwe.searchCwe('   ')).toEqual([]);
    expect(cwe.searchCwe('-- ()')).toEqual([]);
    expect(cwe.searchCwe('CWE-')).toEqual([]);
  });

  it('returns entries without their deprecated ones, at most limit of them', () => {
    const all = cwe.searchCwe('improper', 50);
    expect(all).toHaveLength(50);
    expect(all.every((e) => !e.deprecated && /improper/i.test(e.name))).toBe(true);
    expect(cwe.searchCwe('improper')).toHaveLength(20);
    expect(cwe.searchCwe('improper', 1)).toEqual([all[0]]);
  });
});

describe('abbreviations', () => {
  it.each([
    ['xss', ['CWE-79']],
    ['sqli', ['CWE-89']],
    ['XSRF', ['CWE-352']],
    ['xxe', ['CWE-611']],
    ['rce', ['CWE-94', 'CWE-78']],
    ['idor', ['CWE-639']],
    ['uaf', ['CWE-416']],
    ['redos', ['CWE-1333']],
    ['ssti', ['CWE-1336']],
    ['dos', ['CWE-400']],
  ])('%s finds %j first', (query, expected) => {
    expect(ids(query).slice(0, expected.length)).toEqual(expected);
  });

  it('covers every line of the table, each naming a live entry', () => {
    expect([...CWE_SYNONYMS.keys()].sort()).toEqual(
      ['dos', 'idor', 'rce', 'redos', 'sqli', 'ssti', 'uaf', 'xsrf', 'xss', 'xxe'].sort(),
    );
    for (const nums of CWE_SYNONYMS.values()) {
      for (const n of nums) expect(cwe.getCwe(n).deprecated).toBe(false);
    }
  });

  it('still lists the entries whose names hold the word after the one it names', () => {
    expect(ids('xss', 4)).toEqual(['CWE-79', 'CWE-80', 'CWE-85', 'CWE-87']);
  });

  // The review's reproducer: `constructor` was read from the synonym table's prototype and crashed (500).
  it.each([
    'constructor',
    '__proto__',
    'prototype',
    'toString',
    'hasOwnProperty',
    'valueOf',
    '__defineGetter__',
  ])('treats the prototype key %j as a word like any other', (query) => {
    expect(() => cwe.searchCwe(query)).not.toThrow();
    expect(cwe.searchCwe(`xss ${query}`)).toBeInstanceOf(Array);
  });

  it('answers a prototype key with what the names hold', () => {
    expect(ids('constructor')).toEqual([]);
    // `__proto__` is the word `proto`: a prefix of Prototype Pollution's name.
    expect(ids('__proto__')[0]).toBe('CWE-1321');
  });

  it('leaves names that spell the abbreviation out to the word search', () => {
    expect(ids('csrf')).toEqual(['CWE-352']);
    expect(ids('ssrf')).toEqual(['CWE-918']);
    expect(ids('toctou')).toEqual(['CWE-367']);
  });
});

describe('query bounds', () => {
  it('accepts 100 characters and 8 words, and refuses more, naming the field', () => {
    expect(() => cwe.searchCwe('a'.repeat(100))).not.toThrow();
    expect(() => cwe.searchCwe('a b c d e f g h')).not.toThrow();
    for (const query of ['a'.repeat(101), 'a b c d e f g h i', 'a-b-c-d-e-f-g-h-i']) {
      const err = catchError(() => cwe.searchCwe(query));
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).issues.map((i) => i.path)).toEqual(['q']);
    }
  });

  it.each([0, 51, 1.5, -1, Number.NaN])('refuses limit %d', (limit) => {
    const err = catchError(() => cwe.searchCwe('injection', limit));
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues.map((i) => i.path)).toEqual(['limit']);
  });
});

describe('tokenize', () => {
  it('splits on anything but letters and digits, lower-cased', () => {
    expect(tokenize("Sensitive Cookie Without 'HttpOnly' Flag")).toEqual([
      'sensitive',
      'cookie',
      'without',
      'httponly',
      'flag',
    ]);
    expect(tokenize("J2EE Misconfiguration: Apple '.DS_Store'")).toEqual([
      'j2ee',
      'misconfiguration',
      'apple',
      'ds',
      'store',
    ]);
    expect(tokenize('ＣＲＯＳＳ—Site')).toEqual(['cross', 'site']);
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}
