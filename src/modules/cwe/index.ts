/** The MITRE CWE catalogue: search and lookup by id, its routes. */
export {
  CWE_CATALOGUE,
  CWE_QUERY_MAX_CHARS,
  CWE_QUERY_MAX_WORDS,
  CWE_SEARCH_DEFAULT_LIMIT,
  CWE_SEARCH_MAX_LIMIT,
  createCweService,
  normalizeCweId,
  parseCweNumber,
  type CweEntry,
  type CweService,
} from './cwe.service.js';
export { registerCweRoutes } from './cwe.routes.js';
