/** The phase clocks of a case and of a project. Thin: parse, call the phases service, answer. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { caseIdParams } from '../../cases/cases.schemas.js';
import { slugParams } from '../../projects/projects.schemas.js';
import { casePhasesSchema, projectTimelineSchema, slowdownInput, upstreamInput } from './phases.schemas.js';
import type { PhasesService } from './phases.service.js';

/** Registers `/api/v1/cases/:id/phases` and what the team records against them, and the project timeline. */
export function registerPhasesRoutes(root: FastifyInstance, phases: PhasesService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['fix'];
  const bodyLimit = 8 * 1024;
  const answer = { 200: casePhasesSchema };

  app.get(
    '/api/v1/cases/:id/phases',
    {
      schema: {
        operationId: 'getCasePhases',
        tags,
        description:
          "Each phase's start, due instant, completion and status (PROCESS.md §6, §8, §9), with the public flag, the slow-down and the upstream that shape them.",
        params: caseIdParams,
        response: answer,
      },
    },
    async (request) => phases.getPhases(request.principal, request.params.id),
  );

  app.get(
    '/api/v1/projects/:slug/phases',
    {
      schema: {
        operationId: 'getProjectTimeline',
        tags,
        description:
          "The project's timeline: every case whose phases run, with their due instants, the one due next first.",
        params: slugParams,
        response: { 200: projectTimelineSchema },
      },
    },
    async (request) => phases.projectTimeline(request.principal, request.params.slug),
  );

  app.post(
    '/api/v1/cases/:id/team-organised',
    {
      schema: {
        operationId: 'markTeamOrganised',
        tags,
        description: 'Records that the Fix Team is organised (once); answers the phases.',
        params: caseIdParams,
        response: answer,
      },
    },
    async (request) => phases.markTeamOrganised(request.principal, request.params.id),
  );

  app.post(
    '/api/v1/cases/:id/users-told',
    {
      schema: {
        operationId: 'markUsersToldOfFix',
        tags,
        description: 'Records that users were told a fix is coming (once); answers the phases.',
        params: caseIdParams,
        response: answer,
      },
    },
    async (request) => phases.markUsersTold(request.principal, request.params.id),
  );

  app.put(
    '/api/v1/cases/:id/slowdown',
    {
      bodyLimit,
      schema: {
        operationId: 'slowDownCase',
        tags,
        description:
          "Records the team's decision to slow a low-severity case down (PROCESS.md §4): 409 unless the advisory scores below the policy's threshold and the policy allows it.",
        params: caseIdParams,
        body: slowdownInput,
        response: answer,
      },
    },
    async (request) => phases.setSlowdown(request.principal, request.params.id, request.body),
  );

  app.put(
    '/api/v1/cases/:id/upstream',
    {
      bodyLimit,
      schema: {
        operationId: 'setCaseUpstream',
        tags,
        description:
          'The upstream project whose disclosure timeline the case follows (kept encrypted): the release is never due before its disclosure.',
        params: caseIdParams,
        body: upstreamInput,
        response: answer,
      },
    },
    async (request) => phases.setUpstream(request.principal, request.params.id, request.body),
  );
}
