/** The fix repository's API routes. Thin: parse, call the repository service, answer. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { caseIdParams } from '../../cases/cases.schemas.js';
import {
  patchesParams,
  repositorySchema,
  seedAnswer,
  watchwordsInput,
  wordsAnswer,
} from './repository.schemas.js';
import type { RepositoryService } from './repository.service.js';

export function registerRepositoryRoutes(root: FastifyInstance, repositories: RepositoryService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['fix'];

  app.get(
    '/api/v1/cases/:id/repository',
    {
      schema: {
        operationId: 'getCaseRepository',
        tags,
        description:
          "The case's private fix repository: its state, clone URL (clone and push with a personal API token as " +
          'the password), branches with their heads and how far each is beyond what was seeded, and recent commits.',
        params: caseIdParams,
        response: { 200: repositorySchema },
      },
    },
    async (request) => repositories.getRepository(request.principal, request.params.id),
  );

  app.post(
    '/api/v1/cases/:id/repository/seed',
    {
      schema: {
        operationId: 'seedCaseRepository',
        tags,
        description:
          "Seeds the repository again from the policy's upstream after a failure (or creates the repository of a " +
          'case accepted before Vigil had them). The seed runs as a job: poll the repository for its state.',
        params: caseIdParams,
        response: { 202: seedAnswer },
      },
    },
    async (request, reply) =>
      reply.code(202).send(await repositories.seedRepository(request.principal, request.params.id)),
  );

  app.get(
    '/api/v1/cases/:id/watchwords',
    {
      schema: {
        operationId: 'getCaseWatchwords',
        tags,
        description: "The team's own words that no commit, branch or tag of the case may carry.",
        params: caseIdParams,
        response: { 200: wordsAnswer },
      },
    },
    async (request) => repositories.getWatchwords(request.principal, request.params.id),
  );

  app.put(
    '/api/v1/cases/:id/watchwords',
    {
      schema: {
        operationId: 'setCaseWatchwords',
        tags,
        description:
          "Replaces the team's own words (beyond the case's id, advisory id and CVE id) that no commit message, " +
          'branch or tag name may carry before disclosure. Matched ignoring case.',
        params: caseIdParams,
        body: watchwordsInput,
        response: { 200: wordsAnswer },
      },
    },
    async (request) => repositories.setWatchwords(request.principal, request.params.id, request.body.words),
  );

  app.get(
    '/api/v1/cases/:id/commit-check',
    {
      schema: {
        operationId: 'getCommitCheckWords',
        tags,
        description:
          'Every word that no commit, branch or tag of the case may carry: what `vigil check-commits` and its ' +
          'pre-push hook check against.',
        params: caseIdParams,
        response: { 200: wordsAnswer },
      },
    },
    async (request) => repositories.commitCheckWords(request.principal, request.params.id),
  );

  app.get(
    '/api/v1/cases/:id/repository/patches/:branch',
    {
      schema: {
        operationId: 'getCaseRepositoryPatches',
        tags,
        description:
          "A branch's patch series, as `git format-patch --stdout` writes it (an mbox for `git am`): its commits " +
          'beyond the upstream head it was seeded from.',
        params: patchesParams,
      },
    },
    async (request, reply) => {
      const { filename, mbox } = await repositories.getPatches(
        request.principal,
        request.params.id,
        request.params.branch,
      );
      return reply
        .header('content-disposition', `attachment; filename="${filename}"`)
        .header('x-content-type-options', 'nosniff')
        .type('text/plain; charset=utf-8')
        .send(mbox);
    },
  );
}
