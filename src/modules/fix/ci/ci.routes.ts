/**
 * HTTP routes of CI on the fix: runner registration (admins), the runner API (runner tokens only)
 * and a case's CI status and logs (the people on the case). Thin: parse, call the service, answer.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { caseIdParams } from '../../cases/cases.schemas.js';
import {
  caseCiSchema,
  claimResponse,
  heartbeatBody,
  heartbeatResponse,
  MAX_RESULT_BODY_BYTES,
  registerRunnerBody,
  registeredRunnerSchema,
  resultBody,
  resultResponse,
  runIdParams,
  runLogResponse,
  runnerIdParams,
  runnerSchema,
} from './ci.schemas.js';
import type { CiService } from './ci.service.js';
import type { RunnersService } from './runners.service.js';

export interface CiServices {
  runners: RunnersService;
  ci: CiService;
}

/** Registers the runners, runner API and case CI routes. */
export function registerCiRoutes(root: FastifyInstance, services: CiServices): void {
  registerRunnerAdminRoutes(root, services.runners);
  registerRunnerApiRoutes(root, services.ci);
  registerCaseCiRoutes(root, services.ci);
}

/** `POST|GET /api/v1/runners`, `DELETE /api/v1/runners/:runnerId`: admins manage runners. */
function registerRunnerAdminRoutes(root: FastifyInstance, runners: RunnersService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['ci'];

  app.post(
    '/api/v1/runners',
    {
      schema: {
        operationId: 'registerRunner',
        description:
          "Registers a CI runner, for every project or one (`project`: it then claims only that project's runs). " +
          'Its token (`vgr_...`) is in this answer only: give it to `vigil runner --token-file`.',
        tags,
        body: registerRunnerBody,
        response: { 201: registeredRunnerSchema },
      },
    },
    async (request, reply) => {
      const r = await runners.registerRunner(request.principal, request.body);
      return reply.code(201).send({ id: r.id, name: r.name, token: r.token, project: r.project });
    },
  );

  app.get(
    '/api/v1/runners',
    {
      schema: {
        operationId: 'listRunners',
        tags,
        response: { 200: z.object({ runners: z.array(runnerSchema) }) },
      },
    },
    async (request) => ({ runners: await runners.listRunners(request.principal) }),
  );

  app.delete(
    '/api/v1/runners/:runnerId',
    {
      schema: {
        operationId: 'revokeRunner',
        description:
          'Revokes a runner: its token stops working at once; a run it held is taken back when its lease expires.',
        tags,
        params: runnerIdParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await runners.revokeRunner(request.principal, request.params.runnerId);
      return reply.code(204).send(null);
    },
  );
}

/** The runner API: only runner tokens reach it (`config.runner`), and only they may (`ci.run.work`). */
function registerRunnerApiRoutes(root: FastifyInstance, ci: CiService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['runner'];
  const config = { runner: true };

  app.post(
    '/api/v1/runner/claim',
    {
      config,
      schema: {
        operationId: 'claimRun',
        description:
          'Claims the oldest queued test run under a lease: 200 with the run, 204 when nothing is queued. ' +
          'Heartbeat every third of `leaseSeconds`, or the run is queued again for another runner.',
        tags,
        response: { 200: claimResponse, 204: z.null() },
      },
    },
    async (request, reply) => {
      const run = await ci.claimRun(request.principal);
      return run ? reply.code(200).send({ run }) : reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/runner/runs/:runId/heartbeat',
    {
      config,
      schema: {
        operationId: 'heartbeatRun',
        description:
          'Extends the lease of a run this runner holds. 404: the run was taken back; stop working on it.',
        tags,
        params: runIdParams,
        body: heartbeatBody,
        response: { 200: heartbeatResponse },
      },
    },
    async (request) => ci.heartbeat(request.principal, request.params.runId, request.body.attempt),
  );

  app.post(
    '/api/v1/runner/runs/:runId/result',
    {
      config,
      bodyLimit: MAX_RESULT_BODY_BYTES,
      schema: {
        operationId: 'reportRunResult',
        description:
          'Reports the outcome and log of a run this runner holds (the last 256 KiB of the log are kept). ' +
          'Sending it again answers the recorded outcome; 404: the run was taken back.',
        tags,
        params: runIdParams,
        body: resultBody,
        response: { 200: resultResponse },
      },
    },
    async (request) => ci.reportResult(request.principal, request.params.runId, request.body),
  );
}

/** A case's CI status per branch, and a run's log. */
function registerCaseCiRoutes(root: FastifyInstance, ci: CiService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['ci'];

  app.get(
    '/api/v1/cases/:id/ci',
    {
      schema: {
        operationId: 'getCaseCi',
        description: 'The test command and, per fix branch, the latest test run and the recent ones.',
        tags,
        params: caseIdParams,
        response: { 200: caseCiSchema },
      },
    },
    async (request) => ci.getCaseCi(request.principal, request.params.id),
  );

  app.get(
    '/api/v1/cases/:id/ci/runs/:runId/log',
    {
      schema: {
        operationId: 'getCaseCiRunLog',
        tags,
        params: caseIdParams.extend(runIdParams.shape),
        response: { 200: runLogResponse },
      },
    },
    async (request) => ci.getRunLog(request.principal, request.params.id, request.params.runId),
  );
}
