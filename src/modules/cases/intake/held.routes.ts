/**
 * Held intake's routes: the proof-of-work challenge (public), the reporter's confirmations (by the
 * mailed link, or by a proof on the private link) and the team's release. Thin: parse, call, answer.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { slugParams } from '../../projects/projects.schemas.js';
import { caseIdParams, proofOfWorkInput, reporterTokenParams } from '../cases.schemas.js';
import type { HeldIntakeService } from './held.service.js';

export function registerHeldIntakeRoutes(root: FastifyInstance, held: HeldIntakeService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['intake'];

  app.get(
    '/api/v1/projects/:slug/reports/challenge',
    {
      config: { public: true },
      schema: {
        operationId: 'getReportChallenge',
        tags,
        description:
          'A proof-of-work challenge for a report to the project. Find a nonce (up to 64 characters) such ' +
          'that SHA-256 of the UTF-8 string `<challenge>:<nonce>` starts with `difficulty` zero bits, and ' +
          'send `proofOfWork: {challenge, nonce}` with the report before `expiresAt`. A report with a ' +
          'valid, unused proof is not held, even when the project has had too many reports recently; ' +
          'each challenge admits one report. The difficulty rises with how far the project is over its ' +
          'quota (2 bits per doubling, at most 6): a report is checked against the difficulty required ' +
          'when it arrives, so a proof of a challenge issued before the flood grew may be too weak, and ' +
          'that report is held (never refused).',
        params: slugParams,
        response: {
          200: z.object({ challenge: z.string(), difficulty: z.number(), expiresAt: z.string() }),
        },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      return held.challenge(request.params.slug);
    },
  );

  app.post(
    '/api/v1/reports/confirm',
    {
      config: { public: true },
      schema: {
        operationId: 'confirmHeldReport',
        tags,
        description:
          'Confirms a held report with the token of the link in its receipt mail (the part after `#`): ' +
          'the report is released to the team. `released: false` when it was not held any more.',
        body: z.strictObject({ token: z.string().min(1).max(200) }),
        response: {
          200: z.object({ humanId: z.string(), projectName: z.string(), released: z.boolean() }),
        },
      },
    },
    async (request) => held.confirmByMail(request.body.token),
  );

  app.post(
    '/api/v1/reporter/cases/:token/confirm',
    {
      config: { public: true },
      schema: {
        operationId: 'confirmHeldReportWithProof',
        tags,
        description:
          'The reporter confirms their held report with a solved challenge (see getReportChallenge): ' +
          'the report is released to the team. `released: false` when it was not held.',
        params: reporterTokenParams,
        body: z.strictObject({ proofOfWork: proofOfWorkInput }),
        response: { 200: z.object({ released: z.boolean() }) },
      },
    },
    async (request) => held.confirmByProof(request.params.token, request.body.proofOfWork),
  );

  app.post(
    '/api/v1/cases/:id/release',
    {
      schema: {
        operationId: 'releaseHeldCase',
        tags: ['cases'],
        description:
          'Releases a held report (possibly a flood) into the inbox: its response clock starts and the ' +
          'team is told. To reject one instead, use the transition to `rejected`.',
        params: caseIdParams,
        response: { 200: z.object({ humanId: z.string() }) },
      },
    },
    async (request) => held.release(request.principal, request.params.id),
  );
}
