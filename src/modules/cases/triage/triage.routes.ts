/** The security team's case routes. Thin: parse, call the triage service, answer. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CASE_STATES } from '../case-transitions.js';
import {
  bulkTransitionInput,
  bulkTransitionResultSchema,
  caseDetailSchema,
  caseIdParams,
  caseSummarySchema,
  messageInput,
  transitionInput,
} from '../cases.schemas.js';
import { sendDownload } from '../intake/intake.routes.js';
import { slugParams } from '../../projects/projects.schemas.js';
import type { TriageService } from './triage.service.js';

const stateQuery = z.object({
  state: z
    .string()
    .max(200)
    .optional()
    .transform((s) => (s ? s.split(',') : undefined))
    .pipe(z.array(z.enum(CASE_STATES)).max(CASE_STATES.length).optional()),
});

const hours = z.number().nullable();

/** The figures of `computeResponseMetrics`: hours are null where no case has an answer yet. */
const responseMetricsSchema = z.object({
  windowDays: z.number(),
  cases: z.number(),
  firstResponse: z.object({
    answered: z.number(),
    medianHours: hours,
    p90Hours: hours,
    withDeadline: z.number(),
    metDeadline: z.number(),
    /** Of the cases with a deadline, the share that met it (0 to 1). */
    metShare: z.number().nullable(),
    overdueOpen: z.number(),
  }),
  triage: z.object({ triaged: z.number(), medianHours: hours, p90Hours: hours }),
});

export function registerTriageRoutes(root: FastifyInstance, triage: TriageService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['cases'];
  const list = z.object({
    cases: z.array(caseSummarySchema),
    /** Reports the listed projects hold as possibly a flood (whatever the filter): the "Held" count. */
    heldCount: z.number(),
  });
  const heldQuery = z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true'))
    .describe('`true`: only the reports held as possibly a flood (left out otherwise).');

  app.get(
    '/api/v1/cases',
    {
      schema: {
        operationId: 'listCases',
        tags,
        description:
          'The inbox: cases of all your projects and the cases you were invited to, most urgent first; ' +
          '`assigned=me`: the cases you lead; `held=true`: the reports held as possibly a flood (which ' +
          'the inbox leaves out otherwise).',
        querystring: stateQuery.extend({
          project: z.string().max(40).optional(),
          assigned: z.enum(['me']).optional(),
          held: heldQuery,
        }),
        response: { 200: list },
      },
    },
    async (request) =>
      triage.listCases(request.principal, {
        projectSlug: request.query.project,
        states: request.query.state,
        assigned: request.query.assigned,
        held: request.query.held,
      }),
  );

  app.get(
    '/api/v1/projects/:slug/cases',
    {
      schema: {
        operationId: 'listProjectCases',
        tags,
        params: slugParams,
        querystring: stateQuery.extend({ held: heldQuery }),
        response: { 200: list },
      },
    },
    async (request) =>
      triage.listCases(request.principal, {
        projectSlug: request.params.slug,
        states: request.query.state,
        held: request.query.held,
      }),
  );

  app.get(
    '/api/v1/cases/:id',
    {
      schema: {
        operationId: 'getCase',
        tags,
        description: 'A case by its id or human id (VGL-2026-0001).',
        params: caseIdParams,
        response: { 200: caseDetailSchema },
      },
    },
    async (request) => triage.getCase(request.principal, request.params.id),
  );

  app.post(
    '/api/v1/cases/:id/messages',
    {
      bodyLimit: 512 * 1024,
      schema: {
        operationId: 'addCaseMessage',
        tags,
        description: 'A message to the reporter, or with `internal: true` a note only the team sees.',
        params: caseIdParams,
        body: messageInput,
        response: { 201: z.object({ id: z.string() }) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await triage.addMessage(request.principal, request.params.id, request.body)),
  );

  app.post(
    '/api/v1/cases/:id/transitions',
    {
      bodyLimit: 512 * 1024,
      schema: {
        operationId: 'transitionCase',
        tags,
        params: caseIdParams,
        body: transitionInput,
        response: { 200: z.object({ state: z.enum(CASE_STATES), from: z.enum(CASE_STATES) }) },
      },
    },
    async (request) => triage.transition(request.principal, request.params.id, request.body),
  );

  app.post(
    '/api/v1/cases/bulk-transitions',
    {
      bodyLimit: 512 * 1024,
      schema: {
        operationId: 'transitionCases',
        tags,
        description:
          'One transition for up to 500 cases (by human id or uuid), all or nothing: each case moves ' +
          'exactly as `POST /api/v1/cases/{id}/transitions` moves it (its reporter mail, its audit ' +
          'event). A case you may not triage answers 404; a case the transition is refused for ' +
          'refuses the batch, naming it (`body.ids.N`).',
        body: bulkTransitionInput,
        response: { 200: bulkTransitionResultSchema },
      },
    },
    async (request) => triage.bulkTransition(request.principal, request.body),
  );

  app.put(
    '/api/v1/cases/:id/publicly-known',
    {
      schema: {
        operationId: 'setCasePubliclyKnown',
        tags,
        params: caseIdParams,
        body: z.object({ publiclyKnown: z.boolean() }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await triage.setPubliclyKnown(request.principal, request.params.id, request.body.publiclyKnown);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/cases/:id/attachments/:attachmentId',
    {
      schema: {
        operationId: 'getCaseAttachment',
        tags,
        params: caseIdParams.extend({ attachmentId: z.uuid() }),
      },
    },
    async (request, reply) => {
      const a = await triage.getAttachment(request.principal, request.params.id, request.params.attachmentId);
      return sendDownload(reply, a.filename, a.bytes);
    },
  );

  app.get(
    '/api/v1/cases/:id/public-issue',
    {
      schema: {
        operationId: 'getPublicIssueDraft',
        tags,
        params: caseIdParams,
        response: {
          200: z.object({ title: z.string(), body: z.string(), trackerUrl: z.string().nullable() }),
        },
      },
    },
    async (request) => triage.publicIssueDraft(request.principal, request.params.id),
  );

  app.get(
    '/api/v1/projects/:slug/metrics/response',
    {
      schema: {
        operationId: 'getResponseMetrics',
        tags,
        description: 'Time to first response and to triage over the last 90 days.',
        params: slugParams,
        response: { 200: responseMetricsSchema },
      },
    },
    async (request) => triage.metrics(request.principal, request.params.slug),
  );
}
