/** `GET /api/v1/cases/:id/messages`: the case's conversation, a page at a time. Thin: parse, call, answer. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageQuery } from '../../../lib/pagination.js';
import { caseIdParams, messageSchema } from '../cases.schemas.js';
import type { ConversationService } from './conversation.service.js';

export function registerConversationRoutes(root: FastifyInstance, conversation: ConversationService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/v1/cases/:id/messages',
    {
      schema: {
        operationId: 'listCaseMessages',
        tags: ['cases'],
        description:
          "The case's conversation with the reporter and the team's internal notes, oldest first, a page " +
          'at a time (the same messages the case embeds). The security team only.',
        params: caseIdParams,
        querystring: pageQuery,
        response: {
          200: z.object({
            messages: z.array(messageSchema),
            /** Pass as `cursor` for the next page; null on the last page. */
            nextCursor: z.string().nullable(),
          }),
        },
      },
    },
    async (request) => conversation.listMessages(request.principal, request.params.id, request.query),
  );
}
