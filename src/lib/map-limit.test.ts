import { describe, expect, it } from 'vitest';
import { mapWithLimit } from './map-limit.js';

describe('mapWithLimit', () => {
  it('keeps the order of the items and never runs more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const out = await mapWithLimit([5, 1, 4, 2, 3, 0, 6, 7, 8, 9], 3, async (n, i) => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, n));
      running--;
      return `${i}:${n}`;
    });
    expect(out).toEqual(['0:5', '1:1', '2:4', '3:2', '4:3', '5:0', '6:6', '7:7', '8:8', '9:9']);
    expect(most).toBe(3);
  });

  it('answers an empty list, and rejects with the first failure', async () => {
    expect(await mapWithLimit([], 8, async () => 1)).toEqual([]);
    await expect(
      mapWithLimit([1, 2, 3], 2, async (n) => {
        if (n === 2) throw new Error('two');
        return n;
      }),
    ).rejects.toThrow('two');
  });
});
