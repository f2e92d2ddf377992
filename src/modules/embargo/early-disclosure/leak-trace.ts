/**
 * Tracing a leaked text to the copy it came from (pure). Three kinds of evidence, strongest first:
 * a reference code printed in the text, the invisible marks (reference-code.ts), and the wording:
 * for each slot of each send whose context appears in the text, which variant it has
 * (slot-patterns.ts), compared with each copy's choices. The wording is scored as a likelihood
 * ratio (the copy's own text, with a small chance ε that a slot was retyped, against a copy drawn at
 * random), turned into a posterior over the copies and "none of them"; and the chance that a random
 * copy would agree as well (`pRandom`) says how much the agreement is worth. Weak evidence is said
 * to be weak: "inconclusive".
 */
import type { Layout } from './copy-variations.js';
import type { SlotRule } from './variation-rules.js';
import { countVariants, indexTokens, slotPatterns, variantLabel } from './slot-patterns.js';
import { traceTokens } from './trace-tokens.js';

/** The chance that a slot of the leaker's own copy reads otherwise in the leaked text (retyped, edited). */
const EPSILON = 0.05;
const EVIDENCE_ROWS = 200;

export interface TraceSend {
  sendId: string;
  layout: Pick<Layout, 'body' | 'slots'>;
  copies: { copyId: string; choices: number[] }[];
}

/** What the text shows at one slot of one send. */
export interface SlotObservation {
  slot: number;
  /** The variant found, or null: its context is absent, or two variants were found (`conflict`). */
  variant: number | null;
  conflict: boolean;
}

export interface SlotEvidence {
  slot: number;
  rule: SlotRule;
  expected: string;
  observed: string;
  match: boolean;
}

export interface Candidate {
  copyId: string;
  sendId: string;
  /** Slots of the copy's send whose variant the text shows. */
  observed: number;
  matched: number;
  mismatched: number;
  /** Natural log of the likelihood ratio: the copy's text against a random copy's. */
  score: number;
  /** The chance that a copy with random choices agrees on at least as many of these slots. */
  pRandom: number;
  /** The chance that this copy is the source, given the wording (uniform prior, "none" included). */
  posterior: number;
  evidence: SlotEvidence[];
}

/** Reads every slot of `layout` in the text. */
export function observeSlots(layout: Pick<Layout, 'body' | 'slots'>, leakedTokens: readonly string[]) {
  const index = indexTokens(leakedTokens);
  return slotPatterns(layout).map((pattern, slot): SlotObservation => {
    const counts = countVariants(pattern, index);
    const found = counts.flatMap((c, v) => (c > 0 ? [v] : []));
    return { slot, variant: found.length === 1 ? (found[0] ?? null) : null, conflict: found.length > 1 };
  });
}

/** P(X >= m) for X the number of agreements of a random copy, slot i agreeing with probability p[i]. */
export function tailProbability(p: readonly number[], m: number): number {
  let dist = [1];
  for (const q of p) {
    const next = new Array<number>(dist.length + 1).fill(0);
    dist.forEach((d, k) => {
      next[k] = (next[k] ?? 0) + d * (1 - q);
      next[k + 1] = (next[k + 1] ?? 0) + d * q;
    });
    dist = next;
  }
  return Math.min(
    1,
    dist.slice(Math.max(0, m)).reduce((a, b) => a + b, 0),
  );
}

/** Scores every copy of every send against the leaked text; best first. */
export function scoreCopies(sends: readonly TraceSend[], leakedText: string) {
  const tokens = traceTokens(leakedText);
  const candidates: Omit<Candidate, 'posterior'>[] = [];
  let observable = 0;
  for (const send of sends) {
    const observations = observeSlots(send.layout, tokens).filter((o) => o.variant !== null);
    observable = Math.max(observable, observations.length);
    for (const copy of send.copies) {
      let score = 0;
      let matched = 0;
      const evidence: SlotEvidence[] = [];
      for (const o of observations) {
        const slot = send.layout.slots[o.slot];
        const expected = copy.choices[o.slot] ?? 0;
        if (!slot || o.variant === null) continue;
        const k = slot.variants.length;
        const match = expected === o.variant;
        if (match) matched += 1;
        score += match ? Math.log((1 - EPSILON) * k) : Math.log((EPSILON * k) / (k - 1));
        evidence.push({
          slot: o.slot,
          rule: slot.rule,
          expected: variantLabel(slot, expected),
          observed: variantLabel(slot, o.variant),
          match,
        });
      }
      const p = observations.map((o) => 1 / (send.layout.slots[o.slot]?.variants.length ?? 2));
      candidates.push({
        copyId: copy.copyId,
        sendId: send.sendId,
        observed: observations.length,
        matched,
        mismatched: observations.length - matched,
        score,
        pRandom: tailProbability(p, matched),
        evidence: evidence.slice(0, EVIDENCE_ROWS),
      });
    }
  }
  // Posterior over the copies and "none of them" (the text came from elsewhere), equal priors.
  const top = Math.max(0, ...candidates.map((c) => c.score));
  const total = Math.exp(-top) + candidates.reduce((a, c) => a + Math.exp(c.score - top), 0);
  const ranked: Candidate[] = candidates
    .map((c) => ({ ...c, posterior: Math.exp(c.score - top) / total }))
    .sort((a, b) => b.score - a.score || a.pRandom - b.pRandom);
  return { tokens: tokens.length, observable, candidates: ranked };
}

export type Verdict = 'identified' | 'likely' | 'inconclusive';

/**
 * The wording's verdict on its best candidate: identified when it is the source with posterior at
 * least 0.99 and the other copies compared would, at random, produce an agreement as good less than
 * once in a hundred traces; likely at 0.9 and one in ten; otherwise inconclusive.
 */
export function wordingVerdict(best: Candidate | undefined, copiesCompared: number): Verdict {
  if (!best || best.observed === 0) return 'inconclusive';
  const falseMatches = best.pRandom * Math.max(1, copiesCompared - 1);
  if (best.posterior >= 0.99 && falseMatches <= 0.01) return 'identified';
  if (best.posterior >= 0.9 && falseMatches <= 0.1) return 'likely';
  return 'inconclusive';
}
