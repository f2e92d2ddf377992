/**
 * Finding a slot's variant in a text, as tokens (trace-tokens.ts): a slot is recognised by the
 * words around it in the notice (up to CONTEXT tokens each side, a neighbouring slot standing for
 * any of its variants), so the choice is read wherever that stretch of the notice appears, in any
 * layout. `pruneAmbiguous` drops, before a send, the slots whose surroundings are not unique in the
 * notice (a repeated sentence): tracing could otherwise read one place for another.
 */
import { randomBytes } from 'node:crypto';
import { applyChoices, choicesFromSeed, type Layout, type Slot } from './copy-variations.js';
import { traceTokens } from './trace-tokens.js';

/** Tokens of context each side of a slot. */
export const CONTEXT = 4;

type Element = { token: string } | { slot: number; alternatives: string[][] };

/** A slot as tracing looks for it: the context each side and the tokens of each variant. */
export interface SlotPattern {
  left: Element[];
  variants: string[][];
  right: Element[];
}

/** The body as tokens, with each slot as one element standing for its variants. */
function elementsOf(layout: Pick<Layout, 'body' | 'slots'>): Element[] {
  const out: Element[] = [];
  let at = 0;
  layout.slots.forEach((slot, i) => {
    for (const token of traceTokens(layout.body.slice(at, slot.start))) out.push({ token });
    out.push({ slot: i, alternatives: slot.variants.map(traceTokens) });
    at = slot.end;
  });
  for (const token of traceTokens(layout.body.slice(at))) out.push({ token });
  return out;
}

/** The pattern of every slot of `layout`. */
export function slotPatterns(layout: Pick<Layout, 'body' | 'slots'>): SlotPattern[] {
  const elements = elementsOf(layout);
  const patterns: SlotPattern[] = [];
  elements.forEach((e, i) => {
    if (!('slot' in e)) return;
    patterns[e.slot] = {
      left: elements.slice(Math.max(0, i - CONTEXT), i),
      variants: e.alternatives,
      right: elements.slice(i + 1, i + 1 + CONTEXT),
    };
  });
  return patterns;
}

/** A text's tokens, with where each token occurs. */
export interface TokenIndex {
  tokens: readonly string[];
  at: ReadonlyMap<string, readonly number[]>;
}

export function indexTokens(tokens: readonly string[]): TokenIndex {
  const at = new Map<string, number[]>();
  tokens.forEach((t, i) => {
    const list = at.get(t);
    if (list) list.push(i);
    else at.set(t, [i]);
  });
  return { tokens, at };
}

/** How far a side's context matched: `complete`, or cut short by the start or end of the text. */
interface SideMatch {
  complete: boolean;
  matched: number;
}

const sameAt = (tokens: readonly string[], at: number, seq: readonly string[]) =>
  seq.every((t, i) => tokens[at + i] === t);

/** Matches `elements` forward from `at`; each way it can go, with how many elements it matched. */
function forward(elements: readonly Element[], tokens: readonly string[], at: number, done = 0): SideMatch[] {
  if (done === elements.length) return [{ complete: true, matched: done }];
  if (at >= tokens.length) return [{ complete: false, matched: done }];
  const e = elements[done];
  if (!e) return [];
  if ('token' in e) return tokens[at] === e.token ? forward(elements, tokens, at + 1, done + 1) : [];
  return e.alternatives.flatMap((alt) => {
    if (at + alt.length > tokens.length) return [{ complete: false, matched: done }];
    return sameAt(tokens, at, alt) ? forward(elements, tokens, at + alt.length, done + 1) : [];
  });
}

/** Matches `elements` backward, ending just before `end`. */
function backward(
  elements: readonly Element[],
  tokens: readonly string[],
  end: number,
  done = 0,
): SideMatch[] {
  if (done === elements.length) return [{ complete: true, matched: done }];
  if (end <= 0) return [{ complete: false, matched: done }];
  const e = elements[elements.length - 1 - done];
  if (!e) return [];
  if ('token' in e) return tokens[end - 1] === e.token ? backward(elements, tokens, end - 1, done + 1) : [];
  return e.alternatives.flatMap((alt) => {
    if (end - alt.length < 0) return [{ complete: false, matched: done }];
    return sameAt(tokens, end - alt.length, alt)
      ? backward(elements, tokens, end - alt.length, done + 1)
      : [];
  });
}

/**
 * Both sides matched in full; or one in full and the other cut short by the text's edge (a partial
 * copy that starts or ends near the slot), with at least CONTEXT tokens of context in all.
 */
function accepted(left: SideMatch, right: SideMatch, pattern: SlotPattern): boolean {
  if (left.complete && right.complete) return true;
  if (!left.complete && !right.complete) return false;
  const wanted = Math.min(CONTEXT, pattern.left.length + pattern.right.length);
  return left.matched + right.matched >= wanted;
}

/** Where a token sequence could start: after `first`'s occurrences, or anywhere. */
function anchors(index: TokenIndex, variant: readonly string[], right: readonly Element[]): Iterable<number> {
  const first = variant[0];
  if (first !== undefined) return index.at.get(first) ?? [];
  const next = right[0];
  if (next && 'token' in next) {
    // The variant is empty (no serial comma): it sits just before the right context starts.
    return index.at.get(next.token) ?? [];
  }
  return index.tokens.keys();
}

/** How many times each variant of the slot appears in the text, in its context. */
export function countVariants(pattern: SlotPattern, index: TokenIndex): number[] {
  return pattern.variants.map((variant) => {
    let hits = 0;
    for (const at of anchors(index, variant, pattern.right)) {
      if (!sameAt(index.tokens, at, variant)) continue;
      const rights = forward(pattern.right, index.tokens, at + variant.length);
      if (rights.length === 0) continue;
      const lefts = backward(pattern.left, index.tokens, at);
      if (lefts.some((l) => rights.some((r) => accepted(l, r, pattern)))) hits += 1;
    }
    return hits;
  });
}

/**
 * Drops the slots that a trace could misread: for a few random copies (and the text as rendered),
 * each slot must be found exactly once, with the variant the copy has. Repeats until stable.
 */
export function pruneAmbiguous(layout: Layout, trials = 6): Layout {
  let slots = layout.slots;
  for (let round = 0; round < 5; round++) {
    const current = { ...layout, slots };
    const patterns = slotPatterns(current);
    const drop = new Set<number>();
    const choiceSets = [
      slots.map(() => 0),
      ...Array.from({ length: trials }, () => choicesFromSeed(randomBytes(32), slots)),
    ];
    for (const choices of choiceSets) {
      const index = indexTokens(traceTokens(applyChoices(current, choices)));
      patterns.forEach((p, i) => {
        if (drop.has(i)) return;
        const counts = countVariants(p, index);
        const total = counts.reduce((a, b) => a + b, 0);
        if (total !== 1 || counts[choices[i] ?? 0] !== 1) drop.add(i);
      });
    }
    if (drop.size === 0) break;
    slots = slots.filter((_, i) => !drop.has(i));
  }
  return { ...layout, slots };
}

/** A slot in words, for the evidence: what its variant looks like. */
export function variantLabel(slot: Pick<Slot, 'rule' | 'variants'>, variant: number): string {
  if (slot.rule === 'serial-comma')
    return variant === 1 ? 'comma before "and"/"or"' : 'no comma before "and"/"or"';
  if (slot.rule === 'order') return variant === 1 ? 'items swapped' : 'items in order';
  if (slot.rule === 'semicolon') return variant === 1 ? 'full stop' : 'semicolon';
  if (slot.rule === 'punctuation') return `"${slot.variants[variant] ?? '?'}"`;
  return slot.variants[variant] ?? '?';
}
