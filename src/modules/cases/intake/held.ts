/**
 * Held intake (issue 11, item 6): over a project's quota a report is stored and held as possibly a
 * flood, never refused. Two ways let a sender show they are not a flood, both keyed with the
 * instance secret `intake.held` (created on first use, encrypted under the master key, so that a
 * database alone cannot forge them):
 *
 * - a proof of work: the server issues a signed challenge (project, difficulty, expiry, random);
 *   the sender finds a nonce such that SHA-256(`<challenge>:<nonce>`) starts with `difficulty` zero
 *   bits. Checking costs one hash; a challenge admits one report (spent challenges are remembered
 *   until they expire). The difficulty rises with how far the project is over its quota
 *   (`requiredProofBits`), so that a flooder with a native solver pays more the more they send.
 * - a confirmation link, mailed to the reporter's address only (never in the API's answer, which
 *   the sender already holds): `<caseId>.<HMAC(caseId)>`, carried in the link's fragment.
 *
 * Pure functions of the secret and the clock's instant: no database here.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { leadingZeroBits } from './proof-bits.js';

/** The instance secret that keys challenges and confirmation links. */
export const HELD_SECRET = 'intake.held';
/** Why a report is held: over the project's quota (`intake.rateLimits.perProject`). */
export const HELD_REASONS = ['project-quota'] as const;
export type HeldReason = (typeof HELD_REASONS)[number];
/** The flag a report that came in over the quota keeps, also after its release. */
export const FLOOD_FLAG = 'possible-flood';

/**
 * Leading zero bits of SHA-256 a proof needs within the quota: about 260,000 hashes, a few seconds
 * in a browser.
 */
export const DEFAULT_PROOF_BITS = 18;
/** Bits added per doubling of the project's reports beyond its quota. */
export const PROOF_BITS_PER_DOUBLING = 2;
/**
 * The most bits added: 18 + 4 = 22, about 4 million hashes on average: a second or so for a native
 * solver, a minute or two for the web form's WebCrypto solver (measured in Chromium: 50,000 hashes a
 * second on a loaded machine; an idle laptop does a few times better), which it spends while the
 * reporter writes. More would hold real reporters for many minutes during a flood; the proof is a
 * speed bump for a flooder, and the hold (released by the reporter's mail or the team) is the wall.
 */
export const MAX_EXTRA_PROOF_BITS = 4;

/** The rate-limit bucket that counts a project's reports (`intake.rateLimits.perProject`). */
export const projectReportBucket = (projectId: string) => `report:project:${projectId}`;

/**
 * The bits a proof needs when the project has had `hitsInWindow` reports in the current window of
 * its quota of `perProjectCount`: `base` within the quota, then `PROOF_BITS_PER_DOUBLING` more per
 * doubling beyond it (hits/count in (1,2] adds 2, (2,4] adds 4, ...), at most
 * `MAX_EXTRA_PROOF_BITS` more.
 */
export function requiredProofBits(base: number, hitsInWindow: number, perProjectCount: number): number {
  let extra = 0;
  // Integers only: no rounding at the doublings' edges.
  for (
    let limit = Math.max(1, perProjectCount);
    hitsInWindow > limit && extra < MAX_EXTRA_PROOF_BITS;
    limit *= 2
  )
    extra += PROOF_BITS_PER_DOUBLING;
  return base + Math.min(MAX_EXTRA_PROOF_BITS, extra);
}
/** How long a challenge may be solved and sent. */
export const CHALLENGE_TTL_MS = 30 * 60_000;

export const CHALLENGE_MAX = 200;
export const NONCE_MAX = 64;

const b64url = (b: Buffer) => b.toString('base64url');

function mac(secret: Buffer, label: string, value: string): Buffer {
  return createHmac('sha256', secret).update(`${label}\n${value}`).digest();
}

function sameMac(given: string, expected: Buffer): boolean {
  const g = Buffer.from(given, 'base64url');
  return g.length === expected.length && timingSafeEqual(g, expected);
}

export interface Challenge {
  challenge: string;
  difficulty: number;
  expiresAt: string;
}

/** A fresh challenge for a report to `projectId`: `pow1.<project>.<bits>.<expiresMs>.<random>.<mac>`. */
export function issueChallenge(secret: Buffer, projectId: string, now: Date, difficulty: number): Challenge {
  const expiresMs = now.getTime() + CHALLENGE_TTL_MS;
  const body = `pow1.${projectId}.${difficulty}.${expiresMs}.${b64url(randomBytes(12))}`;
  return {
    challenge: `${body}.${b64url(mac(secret, 'challenge', body))}`,
    difficulty,
    expiresAt: new Date(expiresMs).toISOString(),
  };
}

export function proofHash(challenge: string, nonce: string): Buffer {
  return createHash('sha256').update(`${challenge}:${nonce}`).digest();
}

export type ProofCheck =
  | { ok: true; challengeHash: string; expiresAt: string }
  | { ok: false; reason: 'malformed' | 'forged' | 'other-project' | 'expired' | 'too-weak' | 'wrong' };

/**
 * Checks a proof against the secret, the project it is for and the instant (not whether it was
 * spent: the caller spends it in the filing's transaction). A proof weaker than `minBits` (a
 * challenge issued before the difficulty was raised, by the operator or by a growing flood: see
 * `requiredProofBits`) is refused.
 */
export function checkProof(
  secret: Buffer,
  projectId: string,
  now: Date,
  proof: { challenge: string; nonce: string },
  minBits: number,
): ProofCheck {
  const parts = proof.challenge.split('.');
  if (parts.length !== 6 || parts[0] !== 'pow1') return { ok: false, reason: 'malformed' };
  const [, project = '', bitsText = '', expiresText = '', , tag = ''] = parts;
  const body = parts.slice(0, 5).join('.');
  if (!sameMac(tag, mac(secret, 'challenge', body))) return { ok: false, reason: 'forged' };
  if (project !== projectId) return { ok: false, reason: 'other-project' };
  const expiresMs = Number(expiresText);
  if (!Number.isSafeInteger(expiresMs) || expiresMs <= now.getTime()) return { ok: false, reason: 'expired' };
  const bits = Number(bitsText);
  if (!Number.isInteger(bits) || bits < minBits) return { ok: false, reason: 'too-weak' };
  if (leadingZeroBits(proofHash(proof.challenge, proof.nonce)) < bits) return { ok: false, reason: 'wrong' };
  return {
    ok: true,
    challengeHash: createHash('sha256').update(proof.challenge).digest('hex'),
    expiresAt: new Date(expiresMs).toISOString(),
  };
}

/** Finds a nonce for a challenge (what the form does in the browser; tests and scripts use this). */
export function solveChallenge(challenge: string, difficulty: number): string {
  for (let n = 0; ; n++) {
    const nonce = n.toString(36);
    if (leadingZeroBits(proofHash(challenge, nonce)) >= difficulty) return nonce;
  }
}

/** The confirmation a held report's receipt mail carries: `<caseId>.<mac>`. */
export function confirmationToken(secret: Buffer, caseId: string): string {
  return `${caseId}.${b64url(mac(secret, 'confirm', caseId))}`;
}

/** The case a confirmation token names, if the token is genuine. */
export function confirmedCaseId(secret: Buffer, token: string): string | undefined {
  const dot = token.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const caseId = token.slice(0, dot);
  return sameMac(token.slice(dot + 1), mac(secret, 'confirm', caseId)) ? caseId : undefined;
}
