/**
 * The words of a text as leak tracing compares them: what survives when a copy is rewrapped, its
 * white space collapsed, its quotes and dashes "smartened" or straightened, quoted with `>` or
 * pasted into a forum that renders Markdown. Letters and digits (lower case, NFKC), apostrophes
 * inside a word, hyphens between two letters, and the punctuation marks `, ; : . ! ?`; everything
 * else (white space, quotes, bullets, emphasis, zero-width characters) is dropped.
 */

/** Zero-width and invisible formatting characters, soft hyphens and bidi controls. */
const INVISIBLE = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/g;
const APOSTROPHES = /[\u2018\u2019\u201A\u201B\u2032\u02BC\u0060\u00B4]/g;
const QUOTES = /[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g;
const DASHES = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g;
const TOKEN = /[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*|(?<=[\p{L}\p{N}])-(?=[\p{L}\p{N}])|[,;:.!?]/gu;

/** The text as tracing reads it: NFKC, no invisible characters, lower case, one apostrophe, one dash. */
export function normalizeForTrace(text: string): string {
  return text
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .toLowerCase()
    .replace(APOSTROPHES, "'")
    .replace(QUOTES, '"')
    .replace(DASHES, '-');
}

/** The tokens of `text` (normalised first). */
export function traceTokens(text: string): string[] {
  return normalizeForTrace(text).match(TOKEN) ?? [];
}
