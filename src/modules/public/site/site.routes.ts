/**
 * The public site's routes, outside /api/v1 and without sign-in: HTML pages (a 404 page for what
 * is not there), Atom feeds, JSON documents and indexes (problem+json 404s), OSV archives and the
 * OSV query API at `/osv/v1/query` and `/osv/v1/querybatch` (osv.dev's paths under `/osv`).
 */
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotFoundError } from '../../../lib/errors.js';
import {
  BATCH_BODY_LIMIT,
  osvBatchAnswer,
  osvBatchBody,
  osvQueryAnswer,
  osvQueryBody,
  QUERY_BODY_LIMIT,
} from './osv-api.schemas.js';
import { STYLESHEET, STYLESHEET_PATH } from './site-html.js';
import { FRONT_PAGE_SIZE } from './site.service.js';
import type { PublicSiteService } from './site.service.js';
import { pageQuery } from '../../../lib/pagination.js';

const HTML = 'text/html; charset=utf-8';
const ATOM = 'application/atom+xml; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';
// Short: a publication should show soon, and nothing here is private.
const CACHE = 'public, max-age=300';

const slug = z.string().min(1).max(100);
const advisoryId = z.string().min(1).max(100);
const slugParams = z.object({ slug });
const advisoryParams = z.object({ slug, advisoryId });
const frontPageQuery = z.object({ page: z.coerce.number().int().min(1).max(100_000).default(1) });
const ecosystemParams = z.object({ ecosystem: z.string().min(1).max(100) });

/** A JSON document as it is (OSV records and Vigil documents carry more than a schema lists). */
const document = z.looseObject({});

/** Sends an HTML page, or the site's 404 page when the service says it is not there. */
async function sendPage(
  reply: FastifyReply,
  site: PublicSiteService,
  render: () => Promise<string>,
  cache: string = CACHE,
): Promise<FastifyReply> {
  try {
    const body = await render();
    return reply.type(HTML).header('cache-control', cache).send(body);
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    return reply.code(404).type(HTML).send(site.notFoundPage());
  }
}

/** Registers the public site's routes. */
export function registerPublicSiteRoutes(root: FastifyInstance, site: PublicSiteService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['public'];
  const config = { public: true };

  app.get(
    '/',
    {
      config,
      schema: {
        operationId: 'getFrontPage',
        description: `The instance's front page (HTML): its projects, ${FRONT_PAGE_SIZE} a page by slug (\`page\`, from 1; a page past the last is 404), each with its report form, security files, key and advisories; a sign-in link, or for a signed-in reader links to their work.`,
        tags,
        querystring: frontPageQuery,
      },
    },
    async (request, reply) => {
      const viewer = request.principal.kind === 'user' ? 'signed-in' : 'anonymous';
      // The header depends on the session: a shared cache keeps the anonymous page only, per cookie.
      reply.header('vary', 'Cookie, Authorization');
      const cache = viewer === 'signed-in' ? 'private, no-store' : CACHE;
      return sendPage(reply, site, () => site.frontPage(request.query.page, viewer), cache);
    },
  );

  app.get(STYLESHEET_PATH, { config, schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(STYLESHEET),
  );

  app.get(
    '/p/:slug',
    {
      config,
      schema: {
        operationId: 'getProjectPage',
        description: "A project's public page (HTML): where to report, its security files and advisories.",
        tags,
        params: slugParams,
      },
    },
    async (request, reply) => sendPage(reply, site, () => site.projectPage(request.params.slug, 'project')),
  );

  app.get(
    '/p/:slug/advisories',
    {
      config,
      schema: {
        operationId: 'getProjectAdvisoriesPage',
        description: "A project's published advisories (HTML), newest first.",
        tags,
        params: slugParams,
      },
    },
    async (request, reply) =>
      sendPage(reply, site, () => site.projectPage(request.params.slug, 'advisories')),
  );

  app.get(
    '/p/:slug/advisories/:advisoryId',
    {
      config,
      schema: {
        operationId: 'getAdvisoryPage',
        description: "A published advisory's page (HTML): the project's page template, sanitised.",
        tags,
        params: advisoryParams,
      },
    },
    async (request, reply) =>
      sendPage(reply, site, () => site.advisoryPage(request.params.slug, request.params.advisoryId)),
  );

  app.get(
    '/p/:slug/advisories/:advisoryId.json',
    {
      config,
      schema: {
        operationId: 'getPublicAdvisoryJson',
        description:
          "A published advisory as Vigil's JSON document (`format: vigil.public-advisory/1`): ids, CVE id, severity, dates, URLs and the advisory document.",
        tags,
        params: advisoryParams,
        response: { 200: document },
      },
    },
    async (request, reply) => {
      const body = await site.advisoryJson(request.params.slug, request.params.advisoryId);
      return reply.type(JSON_TYPE).header('cache-control', CACHE).send(body);
    },
  );

  app.get(
    '/p/:slug/advisories/:advisoryId.osv.json',
    {
      config,
      schema: {
        operationId: 'getPublicAdvisoryOsv',
        description: 'A published advisory as an OSV record (schema 1.7).',
        tags,
        params: advisoryParams,
        response: { 200: document },
      },
    },
    async (request, reply) => {
      const record = await site.advisoryOsv(request.params.slug, request.params.advisoryId);
      return reply
        .type(JSON_TYPE)
        .header('cache-control', CACHE)
        .send({ ...record });
    },
  );

  for (const [url, operationId, scope] of [
    ['/p/:slug/advisories.atom', 'getProjectAdvisoriesFeed', "A project's"],
    ['/advisories.atom', 'getAdvisoriesFeed', "The instance's"],
  ] as const) {
    app.get(
      url,
      {
        config,
        schema: {
          operationId,
          description: `${scope} published advisories as an Atom 1.0 feed, newest first (at most 50).`,
          tags,
          ...(url.includes(':slug') ? { params: slugParams } : {}),
        },
      },
      async (request, reply) => {
        const { slug: s } = (request.params ?? {}) as { slug?: string };
        return reply
          .type(ATOM)
          .header('cache-control', CACHE)
          .send(await site.feed(s));
      },
    );
  }

  for (const [url, operationId, scope] of [
    ['/p/:slug/advisories.json', 'getProjectAdvisoriesIndex', "A project's"],
    ['/advisories.json', 'getAdvisoriesIndex', "The instance's"],
  ] as const) {
    app.get(
      url,
      {
        config,
        schema: {
          operationId,
          description: `${scope} published advisories as a JSON index, newest first, a page at a time (\`nextCursor\`; \`total\` counts them all): id, CVE id, title, severity, dates and URLs.`,
          tags,
          ...(url.includes(':slug') ? { params: slugParams } : {}),
          querystring: pageQuery,
          response: { 200: document },
        },
      },
      async (request, reply) => {
        const { slug: s } = (request.params ?? {}) as { slug?: string };
        return reply
          .type(JSON_TYPE)
          .header('cache-control', CACHE)
          .send(await site.index(s, request.query));
      },
    );
  }

  const zip = (reply: FastifyReply, stream: AsyncIterable<Buffer>) =>
    reply
      .type('application/zip')
      .header('content-disposition', 'attachment; filename="all.zip"')
      .header('cache-control', CACHE)
      .send(Readable.from(stream));

  app.get(
    '/osv/all.zip',
    {
      config,
      schema: {
        operationId: 'getOsvArchive',
        description:
          "Every published advisory as OSV records, in osv.dev's layout: one `<id>.json` per record.",
        tags: ['osv'],
      },
    },
    async (_request, reply) => zip(reply, await site.osvArchive()),
  );

  app.get(
    '/osv/:ecosystem/all.zip',
    {
      config,
      schema: {
        operationId: 'getOsvEcosystemArchive',
        description:
          'The OSV records with a package of one OSV ecosystem (`Go`, `npm`, `crates.io`, ...; `GIT` for git ranges), one `<id>.json` per record. 404 for an unknown ecosystem.',
        tags: ['osv'],
        params: ecosystemParams,
      },
    },
    async (request, reply) => zip(reply, await site.osvArchive(request.params.ecosystem)),
  );

  app.get(
    '/osv/ecosystems.txt',
    {
      config,
      schema: {
        operationId: 'getOsvEcosystems',
        description: 'The OSV ecosystems that have records, one per line.',
        tags: ['osv'],
      },
    },
    async (_request, reply) =>
      reply
        .type('text/plain; charset=utf-8')
        .header('cache-control', CACHE)
        .send(await site.osvEcosystems()),
  );

  app.post(
    '/osv/v1/query',
    {
      config,
      bodyLimit: QUERY_BODY_LIMIT,
      schema: {
        operationId: 'osvQuery',
        description:
          "osv.dev's `POST /v1/query`: the published advisories (full OSV records) affecting a package version (`package` with `name` and `ecosystem`, or `purl`; `version`) or a commit (`commit`). `{}` when none. 600 queries a minute per client address (429 beyond).",
        tags: ['osv'],
        body: osvQueryBody,
        response: { 200: osvQueryAnswer },
      },
    },
    async (request) => site.query(request.body, request.ip),
  );

  app.post(
    '/osv/v1/querybatch',
    {
      config,
      bodyLimit: BATCH_BODY_LIMIT,
      schema: {
        operationId: 'osvQueryBatch',
        description:
          "osv.dev's `POST /v1/querybatch`: up to 1000 queries; each result lists the matching ids with their `modified`. 60 batches a minute per client address (429 beyond).",
        tags: ['osv'],
        body: osvBatchBody,
        response: { 200: osvBatchAnswer },
      },
    },
    async (request) => site.queryBatch(request.body.queries, request.ip),
  );
}
