/** The retrospective's routes (PROCESS.md §9). Thin: parse, call the retrospective service, answer. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { caseIdParams } from '../../cases/cases.schemas.js';
import {
  closedSchema,
  feedbackInput,
  RETROSPECTIVE_BODY_LIMIT,
  retrospectiveSchema,
  sectionsInput,
} from './retrospective.schemas.js';
import type { RetrospectiveService } from './retrospective.service.js';

export function registerRetrospectiveRoutes(
  root: FastifyInstance,
  retrospectives: RetrospectiveService,
): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['retrospective'];
  const url = '/api/v1/cases/:id/retrospective';

  app.get(
    url,
    {
      schema: {
        operationId: 'getRetrospective',
        tags,
        description:
          "The case's retrospective: drafted from the audit log at publication (who took part, the timeline, " +
          'the phases met or missed, links), the blameless sections and the feedback. `state: none` before ' +
          'publication or when the policy holds none.',
        params: caseIdParams,
        response: { 200: retrospectiveSchema },
      },
    },
    async (request) => retrospectives.getRetrospective(request.principal, request.params.id),
  );

  app.put(
    url,
    {
      bodyLimit: RETROSPECTIVE_BODY_LIMIT,
      schema: {
        operationId: 'updateRetrospective',
        tags,
        description:
          'Writes the sections named (plain text); the others are kept. 409 once the retrospective is closed.',
        params: caseIdParams,
        body: sectionsInput,
        response: { 200: retrospectiveSchema },
      },
    },
    async (request) => retrospectives.updateSections(request.principal, request.params.id, request.body),
  );

  app.post(
    `${url}/feedback`,
    {
      bodyLimit: 64 * 1024,
      schema: {
        operationId: 'addRetrospectiveFeedback',
        tags,
        description: 'Feedback from someone who took part (plain text). 409 before the draft or once closed.',
        params: caseIdParams,
        body: feedbackInput,
        response: {
          201: z.object({
            id: z.string(),
            author: z.object({ userId: z.string().nullable(), name: z.string() }),
            body: z.string(),
            createdAt: z.string(),
          }),
        },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await retrospectives.addFeedback(request.principal, request.params.id, request.body)),
  );

  app.post(
    `${url}/close`,
    {
      schema: {
        operationId: 'closeRetrospective',
        tags,
        description: 'Closes the retrospective, and with it the case (published -> closed).',
        params: caseIdParams,
        response: { 200: closedSchema },
      },
    },
    async (request) => retrospectives.close(request.principal, request.params.id),
  );
}
