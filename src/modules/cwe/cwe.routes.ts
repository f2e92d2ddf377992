/** HTTP routes of the CWE catalogue, for any signed-in user. Thin: parse, call the service, answer. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { cweEntrySchema, cweIdParams, cweSearchQuery, cweSearchResponse } from './cwe.schemas.js';
import type { CweService } from './cwe.service.js';

/** Registers `GET /api/v1/cwe?q=&limit=` and `GET /api/v1/cwe/:id`. */
export function registerCweRoutes(root: FastifyInstance, cwe: CweService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['cwe'];

  app.get(
    '/api/v1/cwe',
    {
      schema: {
        operationId: 'searchCwe',
        description:
          'Searches MITRE CWE weaknesses by id (`79`, `CWE-79`: that entry, then ids starting with those digits) ' +
          'or by words (each a prefix of a word of the name; `xss`, `sqli` and a few other abbreviations work). ' +
          'Deprecated entries are found by their exact id only. At most 8 words.',
        tags,
        querystring: cweSearchQuery,
        response: { 200: cweSearchResponse },
      },
    },
    async (request) => ({ results: cwe.searchCwe(request.principal, request.query.q, request.query.limit) }),
  );

  app.get(
    '/api/v1/cwe/:id',
    {
      schema: {
        operationId: 'getCwe',
        description: 'One CWE entry, by `CWE-79`, `cwe-79` or `79`.',
        tags,
        params: cweIdParams,
        response: { 200: cweEntrySchema },
      },
    },
    async (request) => cwe.getCwe(request.principal, request.params.id),
  );
}
