import { describe, expect, it } from 'vitest';
import { findNul } from './input-guard.plugin.js';

describe('findNul', () => {
  it('names the first field holding NUL, in values and in keys', () => {
    expect(findNul({ a: 'x', b: ['y', 'z\u0000'] }, 'body')).toBe('body.b.1');
    expect(findNul({ 'k\u0000': 1 }, 'body')).toBe('body');
    expect(findNul('\u0000', 'params')).toBe('params');
    expect(findNul(Object.assign(Object.create(null) as object, { id: 'a\u0000b' }), 'params')).toBe(
      'params.id',
    );
  });

  it('passes text without NUL, lone surrogates and other controls included', () => {
    expect(
      findNul({ a: '\ud800', b: '\u0001\u001f', c: [1, null, true], d: { e: '\\u0000' } }, 'body'),
    ).toBeUndefined();
  });

  it('leaves raw bodies alone', () => {
    expect(findNul(Buffer.from([0, 0, 0]), 'body')).toBeUndefined();
  });
});
