import { describe, expect, it } from 'vitest';
import { ownValue } from './own-key.js';

describe('ownValue', () => {
  const table: Record<string, string> = { xss: 'CWE-79' };

  it('answers the own entries of a table', () => {
    expect(ownValue(table, 'xss')).toBe('CWE-79');
    expect(ownValue(table, 'sqli')).toBeUndefined();
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'])(
    'answers nothing for the inherited key %j, which plain indexing finds',
    (key) => {
      expect(table[key]).toBeDefined();
      expect(ownValue(table, key)).toBeUndefined();
    },
  );
});
