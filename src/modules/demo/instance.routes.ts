/**
 * `GET /api/v1/instance`: what any page may know of the instance (public), and the demo banner of
 * the server-rendered HTML pages: on a demo instance every `text/html` page the server renders
 * carries it at the top of its body (the app's shell shows it from the API field).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DEMO_NOTICE, type InstanceService } from './instance.service.js';

export const instanceInfoSchema = z.object({
  demo: z.boolean(),
  notice: z.string().nullable(),
});

/** The banner's markup: a landmark of its own, before the skip link's target. */
export const DEMO_BANNER_HTML = `<aside class="demo-banner" aria-label="Demo instance"><p><strong>${DEMO_NOTICE.replace(': ', ':</strong> ')}</p></aside>`;

/** Puts the demo banner right after `<body ...>` of a whole HTML document (unchanged without one). */
export function withDemoBanner(page: string): string {
  return page.replace(/<body(\s[^>]*)?>/i, (tag) => `${tag}${DEMO_BANNER_HTML}`);
}

export function registerInstanceRoutes(root: FastifyInstance, instance: InstanceService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/v1/instance',
    {
      config: { public: true },
      schema: {
        operationId: 'getInstance',
        description:
          'What any page may know of the instance: whether it is a demo holding made-up data (`vigil demo`), and the notice to show.',
        tags: ['instance'],
        response: { 200: instanceInfoSchema },
      },
    },
    async (_request, reply) => {
      void reply.header('cache-control', 'no-cache');
      return instance.getInstance();
    },
  );

  // The server-rendered pages (the public site, its 404 page): the banner on a demo instance.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (typeof payload !== 'string') return payload;
    if (!String(reply.getHeader('content-type') ?? '').startsWith('text/html')) return payload;
    return (await instance.getInstance()).demo ? withDemoBanner(payload) : payload;
  });
}
