/** HTTP routes for project keys: the published public key, and the team's generate/import/show. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { slugParams } from '../projects/projects.schemas.js';
import { importKeyBody, projectKeyDetailSchema, projectKeySchema, publicSlugParams } from './pgp.schemas.js';
import type { PgpService } from './pgp.service.js';

/** Registers `/p/:slug/pgp-key.asc` (public) and `/api/v1/projects/:slug/pgp-key`. */
export function registerPgpRoutes(root: FastifyInstance, pgp: PgpService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['projects'];

  app.get(
    '/p/:slug/pgp-key.asc',
    {
      config: { public: true },
      schema: {
        operationId: 'getPublishedProjectKey',
        description: "The project's OpenPGP public key, for encrypting reports to its security team.",
        tags: ['public'],
        params: publicSlugParams,
      },
    },
    async (request, reply) => {
      const key = await pgp.getPublicKey(request.params.slug);
      return reply
        .type('application/pgp-keys')
        .header('cache-control', 'public, max-age=300')
        .header('content-disposition', `inline; filename="${request.params.slug}-security.asc"`)
        .send(key.armored);
    },
  );

  app.get(
    '/api/v1/projects/:slug/pgp-key',
    {
      schema: {
        operationId: 'getProjectKey',
        description:
          "The project's current key (fingerprint, dates) and its retired keys; never a private key.",
        tags,
        params: slugParams,
        response: { 200: projectKeyDetailSchema },
      },
    },
    async (request) => pgp.getProjectKey(request.principal, request.params.slug),
  );

  app.post(
    '/api/v1/projects/:slug/pgp-key',
    {
      schema: {
        operationId: 'generateProjectKey',
        description: 'Generates a new key pair; the current key is retired and still decrypts old mail.',
        tags,
        params: slugParams,
        response: { 201: z.object({ key: projectKeySchema }) },
      },
    },
    async (request, reply) =>
      reply.code(201).send({ key: await pgp.generateProjectKey(request.principal, request.params.slug) }),
  );

  app.put(
    '/api/v1/projects/:slug/pgp-key',
    {
      schema: {
        operationId: 'importProjectKey',
        description:
          'Imports an armored OpenPGP private key (with its passphrase when it has one) as the project key. ' +
          'It is stored without the passphrase, encrypted at rest; the current key is retired.',
        tags,
        params: slugParams,
        body: importKeyBody,
        response: { 200: z.object({ key: projectKeySchema }) },
      },
    },
    async (request) => ({
      key: await pgp.importProjectKey(
        request.principal,
        request.params.slug,
        request.body.privateKey,
        request.body.passphrase,
      ),
    }),
  );
}
