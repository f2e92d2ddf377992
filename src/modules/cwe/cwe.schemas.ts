/** Zod schemas of the CWE API: request validation and the OpenAPI description come from these. */
import { z } from 'zod';
import { CWE_QUERY_MAX_CHARS, CWE_SEARCH_DEFAULT_LIMIT, CWE_SEARCH_MAX_LIMIT } from './cwe-catalogue.js';

export const cweEntrySchema = z.object({
  id: z.string().describe('CWE-79'),
  name: z.string(),
  deprecated: z.boolean().describe('MITRE deprecated the entry: do not use it for new mappings.'),
});

export const cweSearchQuery = z.object({
  q: z.string().max(CWE_QUERY_MAX_CHARS).default(''),
  limit: z.coerce.number().int().min(1).max(CWE_SEARCH_MAX_LIMIT).default(CWE_SEARCH_DEFAULT_LIMIT),
});

export const cweSearchResponse = z.object({ results: z.array(cweEntrySchema) });

export const cweIdParams = z.object({ id: z.string().min(1).max(20) });
