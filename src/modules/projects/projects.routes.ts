/** HTTP routes for projects, their policy and members. Thin: parse, call the service, answer. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageQuery } from '../../lib/pagination.js';
import {
  createProjectBody,
  memberAddedSchema,
  memberBody,
  memberParams,
  memberQuery,
  memberRequestDecisionSchema,
  memberRequestParams,
  policyVersionListSchema,
  policyVersionSchema,
  projectDetailSchema,
  projectSummarySchema,
  renderPolicyBody,
  slugParams,
  updatePolicyBody,
} from './projects.schemas.js';
import type { ProjectsService } from './projects.service.js';

export function registerProjectsRoutes(root: FastifyInstance, projects: ProjectsService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['projects'];

  app.get(
    '/api/v1/projects',
    {
      schema: {
        operationId: 'listProjects',
        tags,
        response: { 200: z.object({ projects: z.array(projectSummarySchema) }) },
      },
    },
    async (request) => ({ projects: await projects.listProjects(request.principal) }),
  );

  app.post(
    '/api/v1/projects',
    {
      schema: {
        operationId: 'createProject',
        tags,
        body: createProjectBody,
        response: { 201: z.object({ project: projectSummarySchema }) },
      },
    },
    async (request, reply) =>
      reply.code(201).send({ project: await projects.createProject(request.principal, request.body) }),
  );

  app.get(
    '/api/v1/projects/:slug',
    {
      schema: { operationId: 'getProject', tags, params: slugParams, response: { 200: projectDetailSchema } },
    },
    async (request) => projects.getProject(request.principal, request.params.slug),
  );

  app.put(
    '/api/v1/projects/:slug/policy',
    {
      schema: {
        operationId: 'updateProjectPolicy',
        description:
          'Saves a new policy version. Send JSON `{ yaml, baseVersion? }`, or the YAML document itself with ' +
          '`content-type: application/yaml`. With `baseVersion`, a concurrent save answers 409.',
        tags,
        params: slugParams,
        body: updatePolicyBody,
        response: { 200: z.object({ version: z.number() }) },
      },
    },
    async (request) => projects.updatePolicy(request.principal, request.params.slug, request.body),
  );

  app.get(
    '/api/v1/projects/:slug/policy/versions',
    {
      schema: {
        operationId: 'listPolicyVersions',
        tags,
        description: "The policy's versions, newest first, a page at a time.",
        params: slugParams,
        querystring: pageQuery,
        response: { 200: policyVersionListSchema },
      },
    },
    async (request) => projects.listPolicyVersions(request.principal, request.params.slug, request.query),
  );

  app.get(
    '/api/v1/projects/:slug/policy/versions/:version',
    {
      schema: {
        operationId: 'getPolicyVersion',
        tags,
        params: slugParams.extend({ version: z.coerce.number().int().min(1).max(1_000_000) }),
        response: { 200: policyVersionSchema },
      },
    },
    async (request) =>
      projects.getPolicyVersion(request.principal, request.params.slug, request.params.version),
  );

  app.get(
    '/api/v1/projects/:slug/security.md',
    { schema: { operationId: 'getSecurityMd', tags, params: slugParams } },
    async (request, reply) =>
      reply
        .type('text/markdown; charset=utf-8')
        .send(await projects.renderSecurityMd(request.principal, request.params.slug)),
  );

  app.post(
    '/api/v1/policy/render',
    {
      schema: {
        operationId: 'renderPolicy',
        tags,
        body: renderPolicyBody,
        response: { 200: z.object({ markdown: z.string(), html: z.string() }) },
      },
    },
    async (request) => projects.previewPolicy(request.principal, request.body.yaml),
  );

  app.post(
    '/api/v1/projects/:slug/members',
    {
      schema: {
        operationId: 'addProjectMember',
        description:
          'Adds a person to the security team (an admin or a member may ask). A team that has members ' +
          'takes nobody without the approval of another current member: the answer is then 202 with ' +
          '`status: pending` and a `requestId`, and the team is told by mail. An admin may seed an empty ' +
          'team (201, `status: added`).',
        tags,
        params: slugParams,
        body: memberBody,
        response: { 201: memberAddedSchema, 202: memberAddedSchema },
      },
    },
    async (request, reply) => {
      const r = await projects.addMember(request.principal, request.params.slug, request.body);
      return reply.code(r.status === 'pending' ? 202 : 201).send(r);
    },
  );

  app.post(
    '/api/v1/projects/:slug/members/requests/:requestId/approve',
    {
      schema: {
        operationId: 'approveProjectMemberRequest',
        description:
          'A current member of the team, who neither asked nor is the person to be added, approves: only ' +
          'then the role exists. 409 for the requester, the person themselves, or a request already decided.',
        tags,
        params: memberRequestParams,
        response: { 200: memberRequestDecisionSchema },
      },
    },
    async (request) =>
      projects.approveMemberRequest(request.principal, request.params.slug, request.params.requestId),
  );

  app.post(
    '/api/v1/projects/:slug/members/requests/:requestId/decline',
    {
      schema: {
        operationId: 'declineProjectMemberRequest',
        description: 'A current member of the team declines a request to join: nobody is added.',
        tags,
        params: memberRequestParams,
        response: { 200: memberRequestDecisionSchema },
      },
    },
    async (request) =>
      projects.declineMemberRequest(request.principal, request.params.slug, request.params.requestId),
  );

  app.delete(
    '/api/v1/projects/:slug/members/:userId',
    {
      schema: {
        operationId: 'removeProjectMember',
        description:
          'Removes a member from the team (an admin), announced to the team and to the person by mail.',
        tags,
        params: memberParams,
        querystring: memberQuery,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await projects.removeMember(
        request.principal,
        request.params.slug,
        request.params.userId,
        request.query.role,
      );
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/projects/:slug/team-notes',
    {
      schema: {
        operationId: 'getTeamNotes',
        tags,
        params: slugParams,
        response: { 200: z.object({ notes: z.string() }) },
      },
    },
    async (request) => ({ notes: await projects.getTeamNotes(request.principal, request.params.slug) }),
  );

  app.put(
    '/api/v1/projects/:slug/team-notes',
    {
      schema: {
        operationId: 'setTeamNotes',
        tags,
        params: slugParams,
        body: z.object({ notes: z.string().max(20_000) }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await projects.setTeamNotes(request.principal, request.params.slug, request.body.notes);
      return reply.code(204).send(null);
    },
  );
}
