/**
 * The CWE catalogue: MITRE's weaknesses (id and name), shipped with Vigil from
 * @secvisogram/csaf-validator-lib, the same list its CSAF validator checks `cwe` fields against.
 * Static data: no database, loaded and indexed once at first use (not at start: ~4 MB of an idle
 * server's memory, bench/README.md "Footprint") and shared by every service instance.
 */
import type * as CweList from '@secvisogram/csaf-validator-lib/cwe.js';
import { lazyRequire } from '../../lib/lazy.js';
import { NotFoundError, ValidationError } from '../../lib/errors.js';
import {
  buildCweIndex,
  idPrefixMatches,
  tokenize,
  wordMatches,
  type CweEntry,
  type CweIndex,
} from './cwe-index.js';

export type { CweEntry } from './cwe-index.js';

const cweList = lazyRequire<typeof CweList>('@secvisogram/csaf-validator-lib/cwe.js');

/** Which MITRE release the package's list is (a test pins it, so a package upgrade must update it). */
export const CWE_CATALOGUE = { version: '4.17', date: '2025-04-03' } as const;

export const CWE_QUERY_MAX_CHARS = 100;
export const CWE_QUERY_MAX_WORDS = 8;
export const CWE_SEARCH_MAX_LIMIT = 50;
export const CWE_SEARCH_DEFAULT_LIMIT = 20;
/** A one-digit id (`CWE-7`) matches itself only: as a prefix it would list a tenth of the catalogue. */
const MIN_PREFIX_DIGITS = 2;

const ID_PATTERN = /^(?:cwe\s*[-_:]?\s*)?(\d{1,7})$/i;

export interface CweCatalogue {
  /** The entry for `CWE-79`, `cwe-79`, `79` or 79, deprecated ones included. */
  getCwe(id: string | number): CweEntry;
  /**
   * Entries matching `query`, best first: the exact id, then ids starting with its digits (two or
   * more), or else entries whose name has every query word as a word prefix. Deprecated entries are
   * found by their exact id only.
   */
  searchCwe(query: string, limit?: number): CweEntry[];
  /** True when `id` names an entry of the catalogue (deprecated ones included). */
  isKnownCwe(id: string | number): boolean;
}

let index: CweIndex | undefined;
function catalogue(): CweIndex {
  index ??= buildCweIndex(cweList().weaknesses);
  return index;
}

/** The number of a CWE id written as `CWE-79`, `cwe 79`, `079` or 79; undefined when it is not one. */
export function parseCweNumber(id: string | number): number | undefined {
  if (typeof id === 'number') return Number.isSafeInteger(id) && id > 0 ? id : undefined;
  if (id.length > 20) return undefined;
  const digits = ID_PATTERN.exec(id.trim())?.[1];
  const num = Number(digits);
  return digits !== undefined && num > 0 ? num : undefined;
}

/** `CWE-79` for any accepted spelling of an id; undefined when `id` is not a CWE id at all. */
export function normalizeCweId(id: string | number): string | undefined {
  const num = parseCweNumber(id);
  return num === undefined ? undefined : `CWE-${num}`;
}

function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > CWE_SEARCH_MAX_LIMIT) {
    throw new ValidationError(`The limit must be a whole number from 1 to ${CWE_SEARCH_MAX_LIMIT}.`, [
      { path: 'limit', message: `must be from 1 to ${CWE_SEARCH_MAX_LIMIT}` },
    ]);
  }
}

/** The query's words, refused when the query is too long to be a search. */
function queryWords(query: string): string[] {
  if (query.length > CWE_QUERY_MAX_CHARS) {
    throw new ValidationError(`The search is longer than ${CWE_QUERY_MAX_CHARS} characters.`, [
      { path: 'q', message: `at most ${CWE_QUERY_MAX_CHARS} characters` },
    ]);
  }
  const words = [...new Set(tokenize(query))];
  if (words.length > CWE_QUERY_MAX_WORDS) {
    throw new ValidationError(`The search has more than ${CWE_QUERY_MAX_WORDS} words.`, [
      { path: 'q', message: `at most ${CWE_QUERY_MAX_WORDS} words` },
    ]);
  }
  // Every entry is a CWE: the word narrows nothing ("cwe injection").
  return words.filter((w) => w !== 'cwe');
}

/** The CWE catalogue service. */
export function createCweCatalogue(): CweCatalogue {
  return {
    getCwe(id) {
      const num = parseCweNumber(id);
      if (num === undefined) {
        const shown = String(id).slice(0, 20);
        throw new ValidationError(`'${shown}' is not a CWE id: write it as CWE-79 or 79.`, [
          { path: 'id', message: 'not a CWE id' },
        ]);
      }
      const entry = catalogue().byNum.get(num);
      if (!entry) throw new NotFoundError(`CWE-${num}`);
      return entry;
    },

    searchCwe(query, limit = CWE_SEARCH_DEFAULT_LIMIT) {
      checkLimit(limit);
      const words = queryWords(query);
      const cat = catalogue();
      const num = parseCweNumber(query);
      if (num !== undefined) {
        const exact = cat.byNum.get(num);
        const prefixed = String(num).length >= MIN_PREFIX_DIGITS ? idPrefixMatches(cat, num) : [];
        return [...(exact ? [exact] : []), ...prefixed].slice(0, limit);
      }
      return wordMatches(cat, words).slice(0, limit);
    },

    isKnownCwe(id) {
      const num = parseCweNumber(id);
      return num !== undefined && catalogue().byNum.has(num);
    },
  };
}
