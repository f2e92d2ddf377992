import { describe, expect, it } from 'vitest';
import { diffJson, unifiedLineDiff } from './advisory-diff.js';

describe('diffJson', () => {
  it('lists changed leaves by path, and added or removed entries whole', () => {
    const a = {
      title: 'A',
      affected: [{ ranges: [{ events: [{ introduced: '0' }, { fixed: '1.0.0' }] }] }],
      cwes: ['CWE-79'],
    };
    const b = {
      title: 'A',
      affected: [{ ranges: [{ events: [{ introduced: '0' }, { fixed: '1.0.1' }] }] }],
      cwes: [],
    };
    expect(diffJson(a, b)).toEqual([
      { path: 'affected[0].ranges[0].events[1].fixed', before: '1.0.0', after: '1.0.1' },
      { path: 'cwes[0]', before: 'CWE-79', after: null },
    ]);
    expect(diffJson({ x: 1 }, { x: 1, y: { z: 2 } })).toEqual([{ path: 'y', before: null, after: { z: 2 } }]);
    expect(diffJson(a, structuredClone(a))).toEqual([]);
  });
});

describe('unifiedLineDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedLineDiff('a\nb\n', 'a\nb\n')).toBe('');
    expect(unifiedLineDiff('', '')).toBe('');
  });

  it('adds to an empty text and empties one', () => {
    expect(unifiedLineDiff('', 'x\ny')).toBe('@@ -0,0 +1,2 @@\n+x\n+y\n');
    expect(unifiedLineDiff('x\n', '')).toBe('@@ -1,1 +0,0 @@\n-x\n');
  });

  it('keeps three lines of context and splits distant changes into hunks', () => {
    const a = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);
    const b = [...a];
    b[1] = 'changed 2';
    b[17] = 'changed 18';
    expect(unifiedLineDiff(a.join('\n'), b.join('\n'))).toBe(
      [
        '@@ -1,5 +1,5 @@',
        ' line 1',
        '-line 2',
        '+changed 2',
        ' line 3',
        ' line 4',
        ' line 5',
        '@@ -15,6 +15,6 @@',
        ' line 15',
        ' line 16',
        ' line 17',
        '-line 18',
        '+changed 18',
        ' line 19',
        ' line 20',
        '',
      ].join('\n'),
    );
  });

  it('aligns moved and inserted lines by their longest common subsequence', () => {
    expect(unifiedLineDiff('a\nb\nc\nd', 'a\nc\nx\nd')).toBe('@@ -1,4 +1,4 @@\n a\n-b\n c\n+x\n d\n');
  });
});
