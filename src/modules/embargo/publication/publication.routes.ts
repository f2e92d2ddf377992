/** A case's publication. Thin: parse, call the publication service, answer. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { caseIdParams } from '../../cases/cases.schemas.js';
import { publicationSchema } from './publication.schemas.js';
import type { PublicationService } from './publication.service.js';

/** Registers `/api/v1/cases/:id/publication` and its retry. */
export function registerPublicationRoutes(root: FastifyInstance, publication: PublicationService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['publication'];

  app.get(
    '/api/v1/cases/:id/publication',
    {
      schema: {
        operationId: 'getCasePublication',
        tags,
        description:
          "The case's publication at the agreed instant (PROCESS.md §8): its state, the holds and their blockers, and each channel's messages (announcement per address, the fix-coming notice, webhooks, the distributors' follow-ups).",
        params: caseIdParams,
        response: { 200: publicationSchema },
      },
    },
    async (request) => publication.getPublication(request.principal, request.params.id),
  );

  app.post(
    '/api/v1/cases/:id/publication/retry',
    {
      schema: {
        operationId: 'retryCasePublication',
        tags,
        description:
          'Tries a held publication now rather than at the next retry (and queues a fix-coming notice still owed); 409 when there is nothing to retry.',
        params: caseIdParams,
        response: { 200: publicationSchema },
      },
    },
    async (request) => publication.retry(request.principal, request.params.id),
  );
}
