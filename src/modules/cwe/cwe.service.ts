/**
 * The CWE catalogue for callers: authorizes `cwe.read`, then searches or looks up. The catalogue
 * itself (cwe-catalogue.ts) is pure reference data that advisory validation and exports read
 * without a principal; people reach it only through this service.
 */
import { authorize, type Principal } from '../../authz/authz.policy.js';
import type { CweCatalogue, CweEntry } from './cwe-catalogue.js';

export type CweService = ReturnType<typeof createCweService>;

/** The CWE service over `catalogue`. */
export function createCweService(deps: { catalogue: CweCatalogue }) {
  const { catalogue } = deps;
  return {
    /** Entries matching `query` (an id or words), best first. */
    searchCwe(principal: Principal, query: string, limit?: number): CweEntry[] {
      authorize(principal, 'cwe.read');
      return catalogue.searchCwe(query, limit);
    },

    /** One entry by `CWE-79`, `cwe-79` or `79`. */
    getCwe(principal: Principal, id: string): CweEntry {
      authorize(principal, 'cwe.read');
      return catalogue.getCwe(id);
    },
  };
}
