/** `GET /api/v1/projects/:slug/audit-events`: the project's audit log, a page at a time. Thin: parse, call, answer. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageQuery } from '../../lib/pagination.js';
import { slugParams } from '../projects/projects.schemas.js';
import type { AuditEventsService } from './audit-events.service.js';

export const auditEventSchema = z.object({
  /** The event's place in the instance-wide chain (gaps are other projects' events). */
  seq: z.number(),
  id: z.string(),
  occurredAt: z.string(),
  actor: z.object({ type: z.string(), id: z.string().nullable(), name: z.string().nullable() }),
  action: z.string(),
  subject: z.object({ type: z.string(), id: z.string().nullable() }),
  /** The event's data as the catalogue (src/audit/audit.events.ts) defines it: never secrets or report text. */
  data: z.record(z.string(), z.unknown()),
});

export function registerAuditEventsRoutes(root: FastifyInstance, auditEvents: AuditEventsService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/v1/projects/:slug/audit-events',
    {
      schema: {
        operationId: 'listProjectAuditEvents',
        tags: ['projects'],
        description:
          "The project's audit events (every state change of the project, its cases, advisories and " +
          'people), newest first, a page at a time. Its security team and the instance admins.',
        params: slugParams,
        querystring: pageQuery,
        response: {
          200: z.object({
            events: z.array(auditEventSchema),
            /** Pass as `cursor` for the next (older) page; null on the last page. */
            nextCursor: z.string().nullable(),
          }),
        },
      },
    },
    async (request) => auditEvents.listProjectEvents(request.principal, request.params.slug, request.query),
  );
}
