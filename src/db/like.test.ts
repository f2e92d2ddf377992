import { describe, expect, it } from 'vitest';
import { containsPattern, escapeLike, LIKE_TEXT_MAX_CHARS } from './like.js';

describe('LIKE patterns from data', () => {
  it('escapes the wildcards and the escape character', () => {
    expect(escapeLike('GHSA_%\\x')).toBe('GHSA\\_\\%\\\\x');
    expect(containsPattern('"a_b"')).toBe('%"a\\_b"%');
  });

  it('builds no pattern from text longer than the bound', () => {
    expect(containsPattern('x'.repeat(LIKE_TEXT_MAX_CHARS))).toBeDefined();
    expect(containsPattern('x'.repeat(LIKE_TEXT_MAX_CHARS + 1))).toBeUndefined();
  });
});
