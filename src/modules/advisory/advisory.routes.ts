/** The advisory routes under a case. Thin: parse, call the advisory service, answer. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageQuery } from '../../lib/pagination.js';
import {
  advisoryParams,
  advisorySchema,
  cveInput,
  cveRequestInput,
  diffQuery,
  diffSchema,
  reasonInput,
  revisionParams,
  revisionSchema,
  revisionSummarySchema,
  saveRevisionInput,
} from './advisory.schemas.js';
import type { AdvisoryService } from './advisory.service.js';

/** The largest advisory body accepted: a 100 000-character description and 200 affected packages fit. */
export const ADVISORY_BODY_LIMIT = 2 * 1024 * 1024;

/** Registers `/api/v1/cases/:id/advisory` and its revisions, diff, CVE and state routes. */
export function registerAdvisoryRoutes(root: FastifyInstance, advisories: AdvisoryService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['advisories'];
  const base = '/api/v1/cases/:id/advisory';
  const small = 16 * 1024;

  app.post(
    base,
    {
      bodyLimit: small,
      schema: {
        operationId: 'createAdvisoryDraft',
        tags,
        description:
          'Starts the advisory of an accepted case, pre-filled from it (201); returns the existing one (200).',
        params: advisoryParams,
        response: { 200: advisorySchema, 201: advisorySchema },
      },
    },
    async (request, reply) => {
      const r = await advisories.createDraft(request.principal, request.params.id);
      return reply.code(r.created ? 201 : 200).send(r.advisory);
    },
  );

  app.get(
    base,
    {
      schema: {
        operationId: 'getAdvisory',
        tags,
        description: 'The current revision of the advisory, with `descriptionHtml` rendered sanitised.',
        params: advisoryParams,
        response: { 200: advisorySchema },
      },
    },
    async (request) => advisories.getAdvisory(request.principal, request.params.id),
  );

  app.put(
    base,
    {
      bodyLimit: ADVISORY_BODY_LIMIT,
      schema: {
        operationId: 'saveAdvisoryRevision',
        tags,
        description: 'Saves the document as a new revision; 409 when `baseRevision` is not the current one.',
        params: advisoryParams,
        body: saveRevisionInput,
        response: { 200: advisorySchema },
      },
    },
    async (request) => advisories.saveRevision(request.principal, request.params.id, request.body),
  );

  app.get(
    `${base}/revisions`,
    {
      schema: {
        operationId: 'listAdvisoryRevisions',
        tags,
        description: 'The revisions (number, author, time), oldest first, a page at a time.',
        params: advisoryParams,
        querystring: pageQuery,
        response: {
          200: z.object({
            revisions: z.array(revisionSummarySchema),
            /** Pass as `cursor` for the next page; null on the last page. */
            nextCursor: z.string().nullable(),
          }),
        },
      },
    },
    async (request) => advisories.listRevisions(request.principal, request.params.id, request.query),
  );

  app.get(
    `${base}/revisions/:n`,
    {
      schema: {
        operationId: 'getAdvisoryRevision',
        tags,
        params: revisionParams,
        response: { 200: revisionSchema },
      },
    },
    async (request) => advisories.getRevision(request.principal, request.params.id, request.params.n),
  );

  app.get(
    `${base}/diff`,
    {
      schema: {
        operationId: 'diffAdvisoryRevisions',
        tags,
        description: 'Changed JSON paths between two revisions, and a unified diff of the description.',
        params: advisoryParams,
        querystring: diffQuery,
        response: { 200: diffSchema },
      },
    },
    async (request) =>
      advisories.diffRevisions(request.principal, request.params.id, request.query.from, request.query.to),
  );

  app.put(
    `${base}/cve`,
    {
      bodyLimit: small,
      schema: {
        operationId: 'setAdvisoryCve',
        tags,
        description: 'Records the CVE id. It stays private until publication.',
        params: advisoryParams,
        body: cveInput,
        response: { 200: advisorySchema },
      },
    },
    async (request) => advisories.setCve(request.principal, request.params.id, request.body),
  );

  app.post(
    `${base}/cve-request`,
    {
      bodyLimit: small,
      schema: {
        operationId: 'recordAdvisoryCveRequest',
        tags,
        description: 'Records that a CVE was requested from a CNA (which, when; the caller as requester).',
        params: advisoryParams,
        body: cveRequestInput,
        response: { 200: advisorySchema },
      },
    },
    async (request) => advisories.recordCveRequest(request.principal, request.params.id, request.body),
  );

  app.post(
    `${base}/withdraw`,
    {
      bodyLimit: small,
      schema: {
        operationId: 'withdrawAdvisory',
        tags,
        params: advisoryParams,
        body: reasonInput,
        response: { 200: advisorySchema },
      },
    },
    async (request) => advisories.withdraw(request.principal, request.params.id, request.body),
  );

  app.post(
    `${base}/reject`,
    {
      bodyLimit: small,
      schema: {
        operationId: 'rejectAdvisory',
        tags,
        params: advisoryParams,
        body: reasonInput,
        response: { 200: advisorySchema },
      },
    },
    async (request) => advisories.reject(request.principal, request.params.id, request.body),
  );
}
