/**
 * A copy's visible fingerprint: a reference code such as `ED-7K3M-Q9XA` (40 random bits in
 * Crockford's base 32, which has no I, L, O or U), printed in the subject and the body; and the same
 * 40 bits as invisible marks (zero-width space = 0, zero-width non-joiner = 1, between two word
 * joiners), which survive a copy-paste that keeps the characters but loses the visible code.
 */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const BITS = 40;
const ZERO = '\u200B';
const ONE = '\u200C';
const FRAME = '\u2060';
const MARK = new RegExp(`${FRAME}([${ZERO}${ONE}]{${BITS}})${FRAME}`, 'g');
/** `ED-XXXX-XXXX`, tolerant of case, spaces or any dash between the groups (forums retype them). */
const CODE_IN_TEXT =
  /\bED[\s\-\u2010-\u2015]{0,2}([0-9A-HJKMNP-TV-Z]{4})[\s\-\u2010-\u2015]{0,2}([0-9A-HJKMNP-TV-Z]{4})\b/gi;

/** A new random reference code. */
export function newReferenceCode(): string {
  const bytes = randomBytes(5);
  let value = 0n;
  for (const b of bytes) value = (value << 8n) | BigInt(b);
  let chars = '';
  for (let i = 0; i < 8; i++) {
    chars = (ALPHABET[Number(value & 31n)] ?? '0') + chars;
    value >>= 5n;
  }
  return `ED-${chars.slice(0, 4)}-${chars.slice(4)}`;
}

function codeBits(code: string): string {
  const chars = code.replace(/^ED-/, '').replace('-', '');
  return [...chars].map((c) => ALPHABET.indexOf(c).toString(2).padStart(5, '0')).join('');
}

function codeOfBits(bits: string): string {
  let chars = '';
  for (let i = 0; i < BITS; i += 5) chars += ALPHABET[parseInt(bits.slice(i, i + 5), 2)] ?? '0';
  return `ED-${chars.slice(0, 4)}-${chars.slice(4)}`;
}

/** The invisible mark that carries `code`. */
export function invisibleMark(code: string): string {
  return `${FRAME}${[...codeBits(code)].map((b) => (b === '1' ? ONE : ZERO)).join('')}${FRAME}`;
}

/** The reference codes printed in `text`, normalised (`ED-7K3M-Q9XA`), each once. */
export function referenceCodesIn(text: string): string[] {
  const found = [...text.normalize('NFKC').matchAll(CODE_IN_TEXT)].map((m) =>
    `ED-${m[1] ?? ''}-${m[2] ?? ''}`.toUpperCase(),
  );
  return [...new Set(found)];
}

/** The reference codes carried by invisible marks in `text`, each with how many marks carry it. */
export function markedCodesIn(text: string): { code: string; marks: number }[] {
  const counts = new Map<string, number>();
  for (const m of text.matchAll(MARK)) {
    const bits = [...(m[1] ?? '')].map((c) => (c === ONE ? '1' : '0')).join('');
    const code = codeOfBits(bits);
    counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  return [...counts].map(([code, marks]) => ({ code, marks }));
}
