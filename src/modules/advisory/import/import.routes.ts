/** `POST /api/v1/projects/:slug/advisories/import`: OSV or GitHub advisory records become published advisories. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ValidationError } from '../../../lib/errors.js';
import { slugParams } from '../../projects/projects.schemas.js';
import type { AdvisoryImportService } from './import.service.js';

/** The largest import body: a few hundred typical records (GitHub's are a few KiB each). */
export const IMPORT_BODY_LIMIT = 8 * 1024 * 1024;
/** The most records one request takes; the CLI has no such limit below the service's. */
export const MAX_IMPORT_RECORDS_PER_REQUEST = 500;

const record = z.record(z.string(), z.unknown());
const records = z.array(record).min(1).max(MAX_IMPORT_RECORDS_PER_REQUEST);

/** The records of a body: `{ records: [...] }`, or the body itself as one record. */
function recordsOf(body: Record<string, unknown>): unknown[] {
  const isRecord = 'id' in body || 'ghsaId' in body || 'ghsa_id' in body;
  if (isRecord || !('records' in body)) return [body];
  const r = records.safeParse(body.records);
  if (r.success) return r.data;
  throw new ValidationError(
    'The records are invalid.',
    r.error.issues.map((i) => ({ path: ['records', ...i.path].map(String).join('.'), message: i.message })),
  );
}

const issue = z.object({ path: z.string(), message: z.string() });
const importReportSchema = z.object({
  imported: z.array(
    z.object({
      name: z.string(),
      sourceId: z.string(),
      format: z.string(),
      advisoryId: z.string(),
      caseHumanId: z.string(),
      state: z.string(),
      unmapped: z.array(z.object({ path: z.string(), reason: z.string() })),
    }),
  ),
  skipped: z.array(
    z.object({ name: z.string(), sourceId: z.string(), advisoryId: z.string(), reason: z.string() }),
  ),
  failed: z.array(z.object({ name: z.string(), sourceId: z.string().nullable(), issues: z.array(issue) })),
});

export function registerAdvisoryImportRoutes(root: FastifyInstance, imports: AdvisoryImportService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.post(
    '/api/v1/projects/:slug/advisories/import',
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        operationId: 'importAdvisories',
        tags: ['advisories'],
        description:
          'Imports one OSV record or GitHub advisory (GraphQL or REST shape), or `{ records: [...] }`, as published ' +
          'advisories of the project, each with its own case. One transaction per record: the report lists what ' +
          'was imported (and what of it did not map), skipped (imported before) and failed (field and reason).',
        params: slugParams,
        body: record,
        response: { 200: importReportSchema },
      },
    },
    async (request) => {
      const list = recordsOf(request.body);
      return imports.importRecords(
        request.principal,
        request.params.slug,
        list.map((json, i) => ({ name: `records.${i}`, json })),
      );
    },
  );
}
