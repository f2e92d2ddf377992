/** A case's release matrix and its recorded releases. Thin: parse, call the releases service, answer. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { caseIdParams } from '../../cases/cases.schemas.js';
import { lineParams, overrideInput, recordReleaseInput, releaseBoardSchema } from './releases.schemas.js';
import type { ReleasesService } from './releases.service.js';

/** Registers `/api/v1/cases/:id/releases` and its per-line record and override. */
export function registerReleasesRoutes(root: FastifyInstance, releases: ReleasesService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['fix'];
  const bodyLimit = 8 * 1024;

  app.get(
    '/api/v1/cases/:id/releases',
    {
      schema: {
        operationId: 'getCaseReleases',
        tags,
        description:
          "The release matrix (PROCESS.md §5) from the policy's supported lines and the advisory's affected versions, with each row's recorded release, CI status and override, and what holds publication.",
        params: caseIdParams,
        response: { 200: releaseBoardSchema },
      },
    },
    async (request) => releases.getReleases(request.principal, request.params.id),
  );

  app.put(
    '/api/v1/cases/:id/releases/:line',
    {
      bodyLimit,
      schema: {
        operationId: 'recordCaseRelease',
        tags,
        description:
          'Records the release of a row of the matrix (version, planned date, state planned/built/published, link); answers the matrix.',
        params: lineParams,
        body: recordReleaseInput,
        response: { 200: releaseBoardSchema },
      },
    },
    async (request) =>
      releases.recordRelease(request.principal, request.params.id, request.params.line, request.body),
  );

  app.post(
    '/api/v1/cases/:id/releases/:line/override',
    {
      bodyLimit,
      schema: {
        operationId: 'overrideCaseReleaseLine',
        tags,
        description:
          "The Fix Lead goes on without a green CI run on the row's branch, for the reason given (kept encrypted); answers the matrix.",
        params: lineParams,
        body: overrideInput,
        response: { 200: releaseBoardSchema },
      },
    },
    async (request) =>
      releases.overrideLine(request.principal, request.params.id, request.params.line, request.body),
  );
}
