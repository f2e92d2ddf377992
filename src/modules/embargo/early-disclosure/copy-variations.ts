/**
 * The per-copy variations of a notice: the slots of its rendered body (places where equivalent
 * spellings exist, found by variation-rules.ts), the choice of one variant per slot drawn from a
 * copy's secret seed, and the copy's text. Pure: the service stores the layout and the choices.
 *
 * Left alone: the embargo note (the words people agreed to), URLs, mail addresses, `<...>`, code
 * (backticks, fenced or indented), double-quoted text (an error message, a header) and text in
 * capitals. A slot whose surroundings recur elsewhere, so that tracing could not tell it apart,
 * is dropped by slot-patterns.ts before the layout is stored.
 */
import { createHmac } from 'node:crypto';
import { PHRASE_RULES, type PhraseRule, type SlotRule } from './variation-rules.js';

/** A place where copies may differ: the range of the rendered body and its equivalent variants. */
export interface Slot {
  start: number;
  end: number;
  rule: SlotRule;
  variants: string[];
}

/** A send's notice as rendered once, and its slots (sorted, not overlapping). */
export interface Layout {
  subject: string;
  body: string;
  slots: Slot[];
}

type Range = readonly [number, number];

/** At most this many slots per notice: far more than tracing needs, and a bound on the stored layout. */
export const MAX_SLOTS = 400;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const formSource = (form: string) => escapeRegExp(form).replace(/ /g, '\\s+').replace(/'/g, "['\u2019]");
const normalForm = (text: string) =>
  text
    .replace(/\s+/g, ' ')
    .replace(/\u2019/g, "'")
    .toLowerCase();

const compiled = new Map<PhraseRule, RegExp>();

/** The rule as one regular expression, bounded so it never matches inside a word, path or address. */
function regexOf(rule: PhraseRule): RegExp {
  let re = compiled.get(rule);
  if (!re) {
    const alternatives = [...(rule.detect ?? rule.forms)]
      .sort((a, b) => b.length - a.length)
      .map(formSource)
      .join('|');
    re = new RegExp(
      `(?<![\\p{L}\\p{N}'\u2019_@/.\\-])` +
        (rule.before ? `(?<=${rule.before})` : '') +
        (rule.notBefore ? `(?<!${rule.notBefore})` : '') +
        `(?:${alternatives})` +
        `(?![\\p{L}\\p{N}'\u2019_@/\\-])(?!\\.[\\p{L}\\p{N}])` +
        (rule.after ? `(?=${rule.after})` : '') +
        (rule.notAfter ? `(?!${rule.notAfter})` : ''),
      'giu',
    );
    compiled.set(rule, re);
  }
  re.lastIndex = 0;
  return re;
}

/** The ranges no variation may touch. */
export function protectedRanges(body: string, keepVerbatim: readonly string[] = []): Range[] {
  const ranges: Range[] = [];
  const all = (re: RegExp) => {
    for (const m of body.matchAll(re)) ranges.push([m.index, m.index + m[0].length]);
  };
  for (const text of keepVerbatim) {
    const t = text.trim();
    if (!t) continue;
    for (let at = body.indexOf(t); at !== -1; at = body.indexOf(t, at + t.length)) {
      ranges.push([at, at + t.length]);
    }
  }
  all(/```[\s\S]*?(?:```|$)/g);
  all(/`[^`\n]*`/g);
  all(/^(?: {4}|\t).*$/gm);
  all(/\bhttps?:\/\/\S+/gi);
  all(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g);
  all(/<[^<>\s]{1,500}>/g);
  all(/"[^"\n]*"/g);
  all(/\u201C[^\u201D\n]*\u201D/g);
  return ranges;
}

const overlaps = (a: Range, ranges: readonly Range[]) => ranges.some(([s, e]) => a[0] < e && s < a[1]);

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Phrase slots: each match of a rule, its variants in the match's capitalisation and apostrophe. */
function phraseSlots(body: string, apostrophe: string): Slot[] {
  const slots: Slot[] = [];
  for (const rule of PHRASE_RULES) {
    for (const m of body.matchAll(regexOf(rule))) {
      const text = m[0];
      const letters = text.replace(/[^\p{L}]/gu, '');
      if (letters.length > 1 && letters === letters.toUpperCase()) continue;
      const capital = /^\p{Lu}/u.test(text);
      if (rule.lowerOnly && text !== text.toLowerCase()) continue;
      if (!rule.forms.some((f) => normalForm(f) === normalForm(text))) continue;
      const style = text.includes('\u2019') ? '\u2019' : apostrophe;
      const variants = rule.forms.map((f) => {
        const v = f.replace(/'/g, style);
        return capital ? capitalise(v) : v;
      });
      slots.push({ start: m.index, end: m.index + text.length, rule: rule.rule, variants });
    }
  }
  return slots;
}

const ITEM = '[\\p{L}\\p{N}][\\p{L}\\p{N}.\\-]*(?:[ \\t]+[\\p{L}\\p{N}.\\-]+)?';
const GAP = '[ \\t]*\\n?[ \\t]*';
const VERSION = '[vV]?\\d[\\p{L}\\p{N}.\\-]*';
/** A list of words needs two commas before the conjunction ("a, b, c and d"): "When enabled, X and Y" is no list. */
const SERIAL_COMMA = new RegExp(`,${GAP}${ITEM},${GAP}${ITEM}(,?)(?=${GAP}(?:and|or)\\s)`, 'gdu');
/** A list of versions needs one ("1.26.3, 1.27.2 and 2.0.1"). */
const SERIAL_COMMA_VERSIONS = new RegExp(
  `(?<![\\p{L}\\p{N}.])${VERSION},${GAP}${VERSION}(,?)(?=${GAP}(?:and|or)\\s)`,
  'gdu',
);
const SEMICOLON =
  /;([ \t]+|\n)(however|therefore|thus|otherwise|instead|moreover|furthermore|hence|consequently)(?=,)/gu;
const BULLET = /^[ \t]*[*\-\u2022][ \t]+\S.*$/;

/** "a, b and c" or "a, b, and c": a zero- or one-character slot before the conjunction. */
function serialCommaSlots(body: string): Slot[] {
  return [...body.matchAll(SERIAL_COMMA), ...body.matchAll(SERIAL_COMMA_VERSIONS)].flatMap((m) => {
    const at = m.indices?.[1];
    if (!at) return [];
    return [{ start: at[0], end: at[1], rule: 'serial-comma' as const, variants: ['', ','] }];
  });
}

/** "; however," or ". However,". */
function semicolonSlots(body: string): Slot[] {
  return [...body.matchAll(SEMICOLON)].map((m) => {
    const word = m[2] ?? '';
    return {
      start: m.index,
      end: m.index + m[0].length,
      rule: 'semicolon' as const,
      variants: [`; ${word}`, `. ${capitalise(word)}`],
    };
  });
}

/** Two adjacent bullet items that name versions (affected packages, fixed releases), either way round. */
function orderSlots(body: string): Slot[] {
  const slots: Slot[] = [];
  const lines: { start: number; text: string }[] = [];
  let at = 0;
  for (const text of body.split('\n')) {
    lines.push({ start: at, text });
    at += text.length + 1;
  }
  let run: typeof lines = [];
  const flush = () => {
    for (let i = 0; i + 1 < run.length; i += 2) {
      const a = run[i];
      const b = run[i + 1];
      if (!a || !b || a.text === b.text) continue;
      slots.push({
        start: a.start,
        end: b.start + b.text.length,
        rule: 'order',
        variants: [`${a.text}\n${b.text}`, `${b.text}\n${a.text}`],
      });
    }
    run = [];
  };
  for (const line of lines) {
    if (BULLET.test(line.text) && /\d/.test(line.text)) run.push(line);
    else flush();
  }
  flush();
  return slots;
}

/**
 * The candidate slots of `body`: every rule's places outside the protected ranges and `keepVerbatim`
 * (the embargo note), the longest first where two overlap, in order, at most MAX_SLOTS.
 */
export function findSlots(body: string, keepVerbatim: readonly string[] = []): Slot[] {
  const guarded = protectedRanges(body, keepVerbatim);
  const curly = (body.match(/\u2019/g) ?? []).length;
  const straight = (body.match(/'/g) ?? []).length;
  const apostrophe = curly > straight ? '\u2019' : "'";
  const candidates = [
    ...orderSlots(body),
    ...phraseSlots(body, apostrophe),
    ...serialCommaSlots(body),
    ...semicolonSlots(body),
  ]
    .filter((s) => !overlaps([s.start, Math.max(s.end, s.start + 1)], guarded))
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const chosen: Slot[] = [];
  let end = -1;
  for (const s of candidates) {
    if (s.start < end || (s.start === end && s.start === s.end)) continue;
    chosen.push(s);
    end = Math.max(s.end, s.start + (s.start === s.end ? 1 : 0));
    if (chosen.length >= MAX_SLOTS) break;
  }
  return chosen;
}

/** The variant index of each slot, drawn from a copy's secret seed (HMAC-SHA256 per slot). */
export function choicesFromSeed(seed: Buffer, slots: readonly Pick<Slot, 'variants'>[]): number[] {
  return slots.map((slot, i) => {
    const draw = createHmac('sha256', seed).update(`slot:${i}`).digest().readUInt32BE(0);
    return draw % slot.variants.length;
  });
}

/** The body with each slot replaced by its chosen variant. */
export function applyChoices(layout: Pick<Layout, 'body' | 'slots'>, choices: readonly number[]): string {
  let out = '';
  let at = 0;
  layout.slots.forEach((slot, i) => {
    out += layout.body.slice(at, slot.start) + (slot.variants[choices[i] ?? 0] ?? '');
    at = slot.end;
  });
  return out + layout.body.slice(at);
}

/**
 * Places to put invisible marks: after the space that follows the first word of up to `count`
 * prose lines spread over the body (outside the protected ranges), as offsets in `text`.
 */
export function markPlaces(text: string, count: number, keepVerbatim: readonly string[] = []): number[] {
  const guarded = protectedRanges(text, keepVerbatim);
  const places: number[] = [];
  for (const m of text.matchAll(/^[ \t]*\p{L}[\p{L}'\u2019]* (?=\p{L})/gmu)) {
    const at = m.index + m[0].length;
    if (!overlaps([at - 1, at + 1], guarded)) places.push(at);
  }
  if (places.length <= count) return places;
  return Array.from(
    { length: count },
    (_, i) => places[Math.floor(((i + 0.5) * places.length) / count)] ?? 0,
  );
}
