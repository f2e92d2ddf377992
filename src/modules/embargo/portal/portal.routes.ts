/**
 * The distributors' portal (`/api/v1/portal/...`: a distributor person's shared cases while
 * embargoed, acknowledgement and feedback) and the team's view of it on the case (the access log).
 * Thin: parse, call the portal service, answer.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  acknowledgementSchema,
  caseIdParams,
  feedbackCreatedSchema,
  feedbackInput,
  portalCaseListSchema,
  portalCaseQuery,
  portalCaseSchema,
  portalLogSchema,
} from './portal.schemas.js';
import type { PortalService } from './portal.service.js';
import { pageQuery } from '../../../lib/pagination.js';

export function registerPortalRoutes(root: FastifyInstance, portal: PortalService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['portal'];

  app.get(
    '/api/v1/portal/cases',
    {
      schema: {
        operationId: 'listPortalCases',
        tags,
        description:
          "The cases shared with the caller's distributors-list organisations while they are embargoed (each listing is logged).",
        response: { 200: portalCaseListSchema },
      },
    },
    async (request) => portal.listCases(request.principal),
  );

  app.get(
    '/api/v1/portal/cases/:id',
    {
      schema: {
        operationId: 'getPortalCase',
        tags,
        description:
          'A shared case as distributors see it: the embargo end (UTC and `timeZone`, an IANA zone; UTC unless given), the advisory draft without its CVE id, references or credits, the patches per release line (git format-patch text, bounded) and the release plan. Logged. 409 `embargo_not_accepted` until the current embargo text is accepted.',
        params: caseIdParams,
        querystring: portalCaseQuery,
        response: { 200: portalCaseSchema },
      },
    },
    async (request) => portal.getCase(request.principal, request.params.id, request.query.timeZone),
  );

  app.post(
    '/api/v1/portal/cases/:id/acknowledge',
    {
      schema: {
        operationId: 'acknowledgePortalCase',
        tags,
        description: 'The caller acknowledges the shared case (once; again answers the first time).',
        params: caseIdParams,
        response: { 200: acknowledgementSchema },
      },
    },
    async (request) => portal.acknowledge(request.principal, request.params.id),
  );

  app.post(
    '/api/v1/portal/cases/:id/feedback',
    {
      bodyLimit: 64 * 1024,
      schema: {
        operationId: 'addPortalFeedback',
        tags,
        description:
          "The caller's organisation's feedback to the security team (kept encrypted; the team is told).",
        params: caseIdParams,
        body: feedbackInput,
        response: { 201: feedbackCreatedSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await portal.addFeedback(request.principal, request.params.id, request.body)),
  );

  app.get(
    '/api/v1/cases/:id/portal-log',
    {
      schema: {
        operationId: 'getPortalLog',
        tags,
        description:
          "What the distributors' people opened and did through the portal on this case (who, what, when; " +
          'newest first, a page at a time), with every acknowledgement and all feedback on each page.',
        params: caseIdParams,
        querystring: pageQuery,
        response: { 200: portalLogSchema },
      },
    },
    async (request) => portal.getPortalLog(request.principal, request.params.id, request.query),
  );
}
