/** The case's access log: who has read this case's confidential content. Thin: parse, call, answer. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { caseIdParams } from '../cases/cases.schemas.js';
import { pageQuery } from '../../lib/pagination.js';
import type { AccessLogService } from './access-log.service.js';

export const accessLogEntrySchema = z.object({
  id: z.string(),
  reader: z.object({
    kind: z.enum(['user', 'operator']),
    userId: z.string().nullable(),
    name: z.string(),
    email: z.string().nullable(),
  }),
  /** case | advisory | fix | portal | public-issue | attachment:<id> */
  what: z.string(),
  /** The right the read came by: security-team, a case role (fix-team, collaborator, ...) or operator. */
  via: z.string(),
  /** The reader is an instance admin (who reads a case only by holding a role on it). */
  admin: z.boolean(),
  at: z.string(),
});

export const accessLogPageSchema = z.object({
  entries: z.array(accessLogEntrySchema),
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: z.string().nullable(),
});

export function registerAccessLogRoutes(root: FastifyInstance, accessLog: AccessLogService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/v1/cases/:id/access-log',
    {
      schema: {
        operationId: 'getCaseAccessLog',
        tags: ['cases'],
        description:
          "Who has read this case's confidential content (the report, the conversation, attachments, the " +
          'advisory draft, the fix workspace), newest first: one entry per reader, part and ten minutes. ' +
          'The security team only.',
        params: caseIdParams,
        querystring: pageQuery,
        response: { 200: accessLogPageSchema },
      },
    },
    async (request) =>
      accessLog.listCaseAccessLog(request.principal, request.params.id, {
        cursor: request.query.cursor,
        limit: request.query.limit,
      }),
  );
}
