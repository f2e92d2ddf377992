/**
 * The words of the encrypted-title search (case-search.ts), one rule for what is indexed and what
 * is asked: NFKC, lower case, diacritics removed (`Überlauf` is `uberlauf`), split on anything but
 * letters and digits, words of 2 to 64 characters, common English words dropped, at most
 * MAX_SEARCH_TERMS distinct words. Pure: the intake, the import, the backfill migration and the
 * inbox's query all call it, so a title and a query can never be cut differently.
 */

/** A title is indexed by at most this many distinct words (its first ones). */
export const MAX_SEARCH_TERMS = 64;
export const MIN_WORD_LENGTH = 2;
export const MAX_WORD_LENGTH = 64;

/** Words too common to find anything by (a query of only these answers nothing, at once). */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below ' +
    'between both but by can could did do does doing down during each few for from further had has have ' +
    'having he her here hers herself him himself his how i if in into is it its itself just me more most ' +
    'my myself no nor not now of off on once only or other our ours ourselves out over own same she should ' +
    'so some such than that the their theirs them themselves then there these they this those through to ' +
    'too under until up very was we were what when where which while who whom why will with would you your ' +
    'yours yourself yourselves'
  ).split(' '),
);

/** One word as indexed and asked: NFKC, lower case, without diacritics. */
export function normaliseWord(word: string): string {
  return word
    .normalize('NFKC')
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{Mn}+/gu, '')
    .normalize('NFC');
}

/**
 * The distinct searchable words of `text`, in order of first appearance: at most `max` (a title's
 * first MAX_SEARCH_TERMS). A query asks with the same function, `max` = Infinity, so that one with
 * more distinct words than any title holds is known to match nothing.
 */
export function searchWords(text: string, max = MAX_SEARCH_TERMS): string[] {
  const out = new Set<string>();
  for (const raw of normaliseWord(text).split(/[^\p{L}\p{N}]+/u)) {
    if (out.size >= max) break;
    const length = [...raw].length;
    if (length < MIN_WORD_LENGTH || length > MAX_WORD_LENGTH) continue;
    if (STOP_WORDS.has(raw)) continue;
    out.add(raw);
  }
  return [...out];
}

/** A query that is a case's human id (`CTR-2026-0001`), upper-cased; undefined otherwise. */
export function humanIdQuery(q: string): string | undefined {
  const t = q.trim().toUpperCase();
  return /^[A-Z0-9]{2,10}-\d{4}-\d{1,10}$/.test(t) ? t : undefined;
}
