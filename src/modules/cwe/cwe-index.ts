/**
 * The in-memory search index over the CWE catalogue: names are normalised into words once, and a
 * query is matched word by word (each query word a prefix of some name word). Pure: no I/O.
 */

/** One catalogue entry as Vigil serves it. */
export interface CweEntry {
  /** `CWE-79`. */
  id: string;
  name: string;
  /** MITRE deprecated the entry (its name starts with `DEPRECATED:`); it must not be used for new mappings. */
  deprecated: boolean;
}

interface IndexedEntry {
  entry: CweEntry;
  num: number;
  words: readonly string[];
  wordSet: ReadonlySet<string>;
  /** Words inside the name's parentheses: MITRE's common name, as in `('Cross-site Scripting')`. */
  aliasWords: ReadonlySet<string>;
  /** The alias words in order, joined by one space, to recognise a query that is the common name. */
  alias: string;
}

export interface CweIndex {
  byNum: ReadonlyMap<number, CweEntry>;
  entries: readonly IndexedEntry[];
}

/**
 * Abbreviations people search for that MITRE's names do not spell out: each maps to the entries it
 * most often means, in order. Kept small on purpose; every line is exercised by a test. A Map, not an
 * object literal: a query word is user input, and `constructor` or `__proto__` must find nothing.
 */
export const CWE_SYNONYMS: ReadonlyMap<string, readonly number[]> = new Map<string, readonly number[]>([
  ['xss', [79]],
  ['sqli', [89]],
  ['xsrf', [352]],
  ['xxe', [611]],
  ['rce', [94, 78]],
  ['idor', [639]],
  ['uaf', [416]],
  ['redos', [1333]],
  ['ssti', [1336]],
  ['dos', [400]],
]);

/** Lower-cased words of `text`: runs of letters and digits, so `Cross-site` gives `cross`, `site`. */
export function tokenize(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');
}

/** Builds the index once; `list` is MITRE's `{ id: 'CWE-79', name }` entries. */
export function buildCweIndex(list: readonly { id: string; name: string }[]): CweIndex {
  const byNum = new Map<number, CweEntry>();
  const entries: IndexedEntry[] = [];
  for (const { id, name } of list) {
    const num = Number(/^CWE-(\d{1,7})$/.exec(id)?.[1] ?? NaN);
    if (!Number.isSafeInteger(num)) throw new Error(`The CWE catalogue holds a malformed id: ${id}`);
    const entry: CweEntry = { id, name, deprecated: name.startsWith('DEPRECATED:') };
    const wordSet = new Set(tokenize(name));
    const aliasWords = tokenize((name.match(/\([^()]*\)/g) ?? []).join(' '));
    byNum.set(num, entry);
    entries.push({
      entry,
      num,
      words: [...wordSet],
      wordSet,
      aliasWords: new Set(aliasWords),
      alias: aliasWords.join(' '),
    });
  }
  entries.sort((a, b) => a.num - b.num);
  return { byNum, entries };
}

/**
 * Entries whose number starts with the digits of `num`, excluding `num` itself and deprecated
 * entries, shortest number first: `78` gives CWE-780 ... CWE-789, then four-digit ones.
 */
export function idPrefixMatches(index: CweIndex, num: number): CweEntry[] {
  const digits = String(num);
  return index.entries
    .filter((e) => e.num !== num && !e.entry.deprecated && String(e.num).startsWith(digits))
    .sort((a, b) => String(a.num).length - String(b.num).length || a.num - b.num)
    .map((e) => e.entry);
}

interface Ranked {
  entry: CweEntry;
  num: number;
  synonym: number;
  alias: number;
  exact: number;
  synonymOrder: number;
}

/**
 * Entries whose name has, for every query word, a word starting with it (or which a synonym names),
 * deprecated ones left out. Ranked by: named by a synonym; the query is the common name in
 * parentheses (2) or inside it (1); more query words matched whole; shorter name; lower number.
 */
export function wordMatches(index: CweIndex, words: readonly string[]): CweEntry[] {
  if (words.length === 0) return [];
  const synonymSets = words.map((w) => CWE_SYNONYMS.get(w) ?? []);
  const query = words.join(' ');
  const ranked: Ranked[] = [];
  for (const e of index.entries) {
    if (e.entry.deprecated) continue;
    let synonym = 0;
    let synonymOrder = Number.MAX_SAFE_INTEGER;
    let exact = 0;
    let inAlias = true;
    let all = true;
    for (const [i, w] of words.entries()) {
      const position = synonymSets[i]?.indexOf(e.num) ?? -1;
      if (position >= 0) {
        synonym += 1;
        synonymOrder = Math.min(synonymOrder, position);
        continue;
      }
      if (e.wordSet.has(w)) exact += 1;
      else if (!e.words.some((nw) => nw.startsWith(w))) {
        all = false;
        break;
      }
      if (!hasPrefix(e.aliasWords, w)) inAlias = false;
    }
    if (!all) continue;
    const alias = e.alias === query ? 2 : inAlias && e.aliasWords.size > 0 ? 1 : 0;
    ranked.push({ entry: e.entry, num: e.num, synonym, alias, exact, synonymOrder });
  }
  ranked.sort(
    (a, b) =>
      b.synonym - a.synonym ||
      a.synonymOrder - b.synonymOrder ||
      b.alias - a.alias ||
      b.exact - a.exact ||
      a.entry.name.length - b.entry.name.length ||
      a.num - b.num,
  );
  return ranked.map((r) => r.entry);
}

function hasPrefix(words: ReadonlySet<string>, prefix: string): boolean {
  for (const w of words) if (w.startsWith(prefix)) return true;
  return false;
}
