/**
 * LIKE patterns built from data: the text is matched literally (`%`, `_` and the escape character
 * `\` escaped; use with `escape '\'`), and bounded, since SQLite refuses a pattern longer than
 * 50,000 bytes ("LIKE or GLOB pattern too complex") where PostgreSQL would scan with it.
 */

/** Longest text a pattern is built from: far above any id, far below SQLite's limit. */
export const LIKE_TEXT_MAX_CHARS = 1000;

/** `text` with LIKE's wildcards and the escape character escaped by `\`. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A pattern matching values that contain `text`; undefined when `text` is too long to be one. */
export function containsPattern(text: string): string | undefined {
  return text.length > LIKE_TEXT_MAX_CHARS ? undefined : `%${escapeLike(text)}%`;
}
