/**
 * Applications to a distributors list: the public form's two routes, the vouching member's three
 * (their own requests, behind sign-in), and the team's decision. Thin: parse, call, answer.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageQuery } from '../../../lib/pagination.js';
import type { DistributorApplicationsService } from './applications.service.js';
import {
  APPLICATION_BODY_LIMIT,
  VOUCH_STATES,
  applicationBody,
  applicationParams,
  applicationSchema,
  applyInfoSchema,
  approvedSchema,
  decidedSchema,
  refuseBody,
  slugParams,
  submittedApplicationSchema,
  vouchBody,
  vouchDetailSchema,
  vouchParams,
  vouchSummarySchema,
} from './distributors.schemas.js';

const small = 16 * 1024;

/** Registers the application routes. */
export function registerDistributorApplicationsRoutes(
  root: FastifyInstance,
  applications: DistributorApplicationsService,
): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['distributors'];

  app.get(
    '/api/v1/projects/:slug/distributors/apply',
    {
      config: { public: true },
      schema: {
        operationId: 'getDistributorsApplyInfo',
        tags,
        description:
          'What the public application form shows: the list’s name, its membership criteria (answer each) and ' +
          'the embargo text with its version hash (send it back to accept it). 404 when the project’s policy ' +
          'has no enabled distributors list.',
        params: slugParams,
        response: { 200: applyInfoSchema },
      },
    },
    async (request) => applications.applyInfo(request.params.slug),
  );

  app.post(
    '/api/v1/projects/:slug/distributors/applications',
    {
      config: { public: true },
      bodyLimit: APPLICATION_BODY_LIMIT,
      schema: {
        operationId: 'submitDistributorApplication',
        tags,
        description:
          'Applies to the distributors list (no account): one answer per membership criterion, the embargo ' +
          'text accepted by its hash (409 when it changed), an optional OpenPGP public key, and the address of ' +
          'a person already on the list who vouches (400 on `vouchEmail` otherwise). Rate-limited per client.',
        params: slugParams,
        body: applicationBody,
        response: { 201: submittedApplicationSchema },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await applications.submitApplication(request.params.slug, request.body, { ip: request.ip })),
  );

  app.get(
    '/api/v1/me/vouches',
    {
      schema: {
        operationId: 'listMyVouches',
        tags,
        description: 'The vouch requests addressed to you as a person of a distributors list, newest first.',
        response: { 200: z.object({ vouches: z.array(vouchSummarySchema) }) },
      },
    },
    async (request) => ({ vouches: await applications.listMyVouches(request.principal) }),
  );

  app.get(
    '/api/v1/me/vouches/:applicationId',
    {
      schema: {
        operationId: 'getMyVouch',
        tags,
        description:
          'A vouch request with the application’s answers: only for the person asked (404 for anyone else).',
        params: vouchParams,
        response: { 200: vouchDetailSchema },
      },
    },
    async (request) => applications.getVouch(request.principal, request.params.applicationId),
  );

  app.post(
    '/api/v1/me/vouches/:applicationId',
    {
      bodyLimit: small,
      schema: {
        operationId: 'answerMyVouch',
        tags,
        description: 'Vouches for the application, or declines to, once; the security team is told.',
        params: vouchParams,
        body: vouchBody,
        response: {
          200: z.object({ applicationId: z.string(), state: z.enum(VOUCH_STATES), answeredAt: z.string() }),
        },
      },
    },
    async (request) =>
      applications.answerVouch(request.principal, request.params.applicationId, request.body),
  );

  app.get(
    '/api/v1/projects/:slug/distributors/applications',
    {
      schema: {
        operationId: 'listDistributorApplications',
        tags,
        description:
          'The applications to the project’s distributors list, with their answers and vouch, newest first, a page at a time.',
        params: slugParams,
        querystring: pageQuery,
        response: {
          200: z.object({
            applications: z.array(applicationSchema),
            /** Pass as `cursor` for the next (older) page; null on the last page. */
            nextCursor: z.string().nullable(),
          }),
        },
      },
    },
    async (request) => applications.listApplications(request.principal, request.params.slug, request.query),
  );

  app.post(
    '/api/v1/projects/:slug/distributors/applications/:applicationId/approve',
    {
      schema: {
        operationId: 'approveDistributorApplication',
        tags,
        description:
          'Approves a vouched application: the organisation joins, active; the applicant is its first person ' +
          '(an account made if needed) and is mailed the link.',
        params: applicationParams,
        response: { 200: approvedSchema },
      },
    },
    async (request) =>
      applications.approveApplication(request.principal, request.params.slug, request.params.applicationId),
  );

  app.post(
    '/api/v1/projects/:slug/distributors/applications/:applicationId/refuse',
    {
      bodyLimit: small,
      schema: {
        operationId: 'refuseDistributorApplication',
        tags,
        description: 'Refuses a pending application for a reason, which is mailed to the applicant.',
        params: applicationParams,
        body: refuseBody,
        response: { 200: decidedSchema },
      },
    },
    async (request) =>
      applications.refuseApplication(
        request.principal,
        request.params.slug,
        request.params.applicationId,
        request.body.reason,
      ),
  );
}
