/**
 * Keyed indexes: where a lookup or a uniqueness rule needs a confidential value (a CVE id before
 * publication), the column holds HMAC-SHA256(index key, purpose + normalised value), never the
 * value. Without the index key a database reader cannot test a guess ("is CVE-2026-1234 here?")
 * against it. The index key is an instance secret (instance-secrets.ts): random, kept encrypted
 * under the master key, so a master-key rotation re-encrypts it but never changes it, and the
 * indexes stay valid.
 */
import { createHmac } from 'node:crypto';
import { humanIdQuery, MAX_SEARCH_TERMS, searchWords } from '../search/search-words.js';

/** The instance secret that keys the CVE id index (`advisories.cve_id_index`). */
export const CVE_INDEX_SECRET = 'index.cve_id';

/** A CVE id as compared: trimmed, upper case (`cve-2026-0001 ` is `CVE-2026-0001`). */
export function normaliseCveId(cveId: string): string {
  return cveId.trim().toUpperCase();
}

/** The keyed index of `value` for `purpose` (base64url, 43 characters). */
export function keyedIndex(key: Uint8Array, purpose: string, value: string): string {
  if (key.length < 32) throw new Error('An index key must be at least 32 bytes.');
  return createHmac('sha256', key).update(`vigil-index:${purpose}\u0000${value}`, 'utf8').digest('base64url');
}

/** The value of `advisories.cve_id_index` for `cveId`. */
export function cveIdIndex(key: Uint8Array, cveId: string): string {
  return keyedIndex(key, 'advisories.cve_id', normaliseCveId(cveId));
}

/** The instance secret that keys the title search's terms (`case_search_terms.term`). */
export const CASE_SEARCH_SECRET = 'index.case_search';
const TITLE_PURPOSE = 'cases.title';

/** The stored terms of a case title: one keyed hash per distinct searchable word (search-words.ts). */
export function titleTerms(key: Uint8Array, title: string): string[] {
  return searchWords(title).map((w) => keyedIndex(key, TITLE_PURPOSE, w));
}

/**
 * What a title search asks: the terms every matching title holds (AND), and the human id the
 * query may be. `terms: null`: no title can match (no usable word, or more distinct words than a
 * title keeps), so the search answers nothing without asking the database.
 */
export function titleSearchQuery(key: Uint8Array, q: string): { terms: string[] | null; humanId?: string } {
  const words = searchWords(q, Infinity);
  const humanId = humanIdQuery(q);
  const terms =
    words.length === 0 || words.length > MAX_SEARCH_TERMS
      ? null
      : words.map((w) => keyedIndex(key, TITLE_PURPOSE, w));
  return humanId === undefined ? { terms } : { terms, humanId };
}
