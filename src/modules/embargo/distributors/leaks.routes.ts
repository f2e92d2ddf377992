/** Leaks from a distributors list: the report form (members and team), and the team's incidents. Thin. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  incidentBody,
  incidentRecordedSchema,
  leakDismissedSchema,
  leakParams,
  leakReportBody,
  leakReportedSchema,
  leaksSchema,
  slugParams,
} from './distributors.schemas.js';
import type { DistributorLeaksService } from './leaks.service.js';
import { pageQuery } from '../../../lib/pagination.js';

const small = 32 * 1024;

/** Registers the leak and incident routes. */
export function registerDistributorLeaksRoutes(root: FastifyInstance, leaks: DistributorLeaksService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['distributors'];

  app.post(
    '/api/v1/projects/:slug/distributors/leaks',
    {
      bodyLimit: small,
      schema: {
        operationId: 'reportDistributorLeak',
        tags,
        description:
          'Reports a leak of embargoed information: what leaked, to whom, when, optionally the case. For the ' +
          'active people of the project’s distributors list and its security team (404 for anyone else).',
        params: slugParams,
        body: leakReportBody,
        response: { 201: leakReportedSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await leaks.reportLeak(request.principal, request.params.slug, request.body)),
  );

  app.get(
    '/api/v1/projects/:slug/distributors/leaks',
    {
      schema: {
        operationId: 'listDistributorLeaks',
        tags,
        description:
          'The leak reports (a page at a time) and the incidents recorded against member organisations, newest first.',
        params: slugParams,
        querystring: pageQuery,
        response: { 200: leaksSchema },
      },
    },
    async (request) => leaks.listLeaks(request.principal, request.params.slug, request.query),
  );

  app.post(
    '/api/v1/projects/:slug/distributors/incidents',
    {
      bodyLimit: small,
      schema: {
        operationId: 'recordDistributorIncident',
        tags,
        description:
          'Records an incident against an organisation, confirming a leak report or in the team’s own words. ' +
          'The answer says whether the policy’s removal rule is met (then removal-per-policy is offered).',
        params: slugParams,
        body: incidentBody,
        response: { 201: incidentRecordedSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await leaks.recordIncident(request.principal, request.params.slug, request.body)),
  );

  app.post(
    '/api/v1/projects/:slug/distributors/leaks/:leakId/dismiss',
    {
      schema: {
        operationId: 'dismissDistributorLeak',
        tags,
        description: 'Closes an open leak report without an incident.',
        params: leakParams,
        response: { 200: leakDismissedSchema },
      },
    },
    async (request) => leaks.dismissLeak(request.principal, request.params.slug, request.params.leakId),
  );
}
