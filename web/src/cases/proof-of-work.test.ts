import { describe, expect, it } from 'vitest';
import { leadingZeroBits } from '../../../src/modules/cases/intake/proof-bits.js';
import { solveChallenge } from './proof-of-work.js';

const bytes = (hex: string) => new Uint8Array((hex.match(/../g) ?? []).map((h) => parseInt(h, 16)));

describe('the report form’s proof of work', () => {
  it('counts leading zero bits as the server does (held.ts)', () => {
    const cases: [string, number][] = [
      ['ff', 0],
      ['00ff', 8],
      ['0001', 15],
      ['000000', 24],
      ['7f', 1],
      ['3f00', 2],
    ];
    for (const [hex, bits] of cases) expect(leadingZeroBits(bytes(hex))).toBe(bits);
  });

  it('finds a nonce whose hash has the difficulty’s zero bits', async () => {
    const challenge = 'pow1.project.10.1.random.mac';
    const nonce = await solveChallenge(challenge, 10);
    const digest = new Uint8Array(
      await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${challenge}:${nonce}`)),
    );
    expect(digest[0]).toBe(0);
    expect(leadingZeroBits(digest)).toBeGreaterThanOrEqual(10);
  });

  it('stops when told to', async () => {
    const stop = new AbortController();
    stop.abort();
    await expect(solveChallenge('c', 30, stop.signal)).rejects.toThrow();
  });
});
