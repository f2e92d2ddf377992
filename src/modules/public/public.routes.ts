/**
 * Public pages outside /api/v1, no sign-in: security.txt for the instance and each project, and a
 * project's SECURITY.md. Unknown projects answer 404 problem+json.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { PublicService } from './public.service.js';

export interface PublicRoutesDeps {
  publicPages: PublicService;
}

const slugParams = z.object({ slug: z.string().min(1).max(100) });
const TEXT = 'text/plain; charset=utf-8';
// Short: security.txt carries a rendered Expires, and a policy edit should show soon.
const CACHE = 'public, max-age=300';

/** Registers `/.well-known/security.txt`, `/security.txt`, `/p/:slug/security.txt` and `/p/:slug/SECURITY.md`. */
export function registerPublicRoutes(root: FastifyInstance, deps: PublicRoutesDeps): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const pages = deps.publicPages;
  const tags = ['public'];

  app.get(
    '/.well-known/security.txt',
    {
      config: { public: true },
      schema: {
        operationId: 'getInstanceSecurityTxt',
        description: 'RFC 9116 security.txt of the instance.',
        tags,
      },
    },
    async (_request, reply) =>
      reply
        .type(TEXT)
        .header('cache-control', CACHE)
        .send(await pages.instanceSecurityTxt()),
  );

  // RFC 9116 §3: a legacy /security.txt may redirect to the well-known one.
  app.get('/security.txt', { config: { public: true }, schema: { hide: true } }, async (_request, reply) =>
    reply.redirect('/.well-known/security.txt', 301),
  );

  app.get(
    '/p/:slug/security.txt',
    {
      config: { public: true },
      schema: {
        operationId: 'getProjectSecurityTxt',
        description: "RFC 9116 security.txt of a project: its team's contact, report form, key and policy.",
        tags,
        params: slugParams,
      },
    },
    async (request, reply) =>
      reply
        .type(TEXT)
        .header('cache-control', CACHE)
        .send(await pages.projectSecurityTxt(request.params.slug)),
  );

  app.get(
    '/p/:slug/SECURITY.md',
    {
      config: { public: true },
      schema: {
        operationId: 'getPublishedSecurityMd',
        description: "The project's current SECURITY.md, rendered from its policy.",
        tags,
        params: slugParams,
      },
    },
    async (request, reply) =>
      reply
        .type('text/markdown; charset=utf-8')
        .header('cache-control', CACHE)
        .send(await pages.securityMd(request.params.slug)),
  );
}
