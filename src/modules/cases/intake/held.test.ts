import { describe, expect, it } from 'vitest';
import {
  checkProof,
  DEFAULT_PROOF_BITS,
  issueChallenge,
  MAX_EXTRA_PROOF_BITS,
  requiredProofBits,
  solveChallenge,
} from './held.js';

describe('requiredProofBits', () => {
  it('is the base within the quota, then 2 bits more per doubling beyond it, at most 4 more', () => {
    const at = (hits: number, count = 200) => requiredProofBits(DEFAULT_PROOF_BITS, hits, count);
    expect([0, 1, 199, 200].map((h) => at(h))).toEqual([18, 18, 18, 18]);
    expect([201, 300, 400].map((h) => at(h))).toEqual([20, 20, 20]);
    expect([401, 800].map((h) => at(h))).toEqual([22, 22]);
    expect([801, 1600].map((h) => at(h))).toEqual([22, 22]);
    expect([1601, 1_000_000, Number.MAX_SAFE_INTEGER].map((h) => at(h))).toEqual([22, 22, 22]);
    // The review's numbers: a quota of 2.
    expect([2, 3, 4, 5, 8, 9, 16, 17].map((h) => at(h, 2))).toEqual([18, 20, 20, 22, 22, 22, 22, 22]);
    expect(requiredProofBits(10, 1_000, 1)).toBe(10 + MAX_EXTRA_PROOF_BITS);
  });
});

describe('checkProof', () => {
  const secret = Buffer.alloc(32, 7);
  const now = new Date('2026-12-21T14:00:00Z');

  it('refuses a proof solved at fewer bits than now required (too-weak), and takes it when they suffice', () => {
    const { challenge, difficulty } = issueChallenge(secret, 'p1', now, 8);
    const proof = { challenge, nonce: solveChallenge(challenge, difficulty) };
    expect(checkProof(secret, 'p1', now, proof, 8).ok).toBe(true);
    expect(checkProof(secret, 'p1', now, proof, 10)).toEqual({ ok: false, reason: 'too-weak' });
  });
});
