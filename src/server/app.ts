/**
 * Builds the Fastify application: plugins (errors, security headers, auth, metrics, OpenAPI),
 * every module's routes, and the web UI. No listening here: see start.ts. Tests build it and use
 * `app.inject()`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import helmet from 'helmet';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from '../db/connection.js';
import { NotFoundError, UnauthenticatedError } from '../lib/errors.js';
import { registerAccountsRoutes } from '../modules/accounts/accounts.routes.js';
import { registerNotificationsRoutes } from '../modules/notifications/notifications.routes.js';
import { registerOidcRoutes } from '../modules/accounts/oidc/oidc.routes.js';
import { registerPasskeysRoutes } from '../modules/accounts/passkeys/passkeys.routes.js';
import { registerAdvisoryExportRoutes } from '../modules/advisory/export/export.routes.js';
import { registerAdvisoryImportRoutes } from '../modules/advisory/import/import.routes.js';
import { registerAdvisoryRoutes } from '../modules/advisory/advisory.routes.js';
import { registerAdvisoryRenderRoutes } from '../modules/advisory/render/advisory-render.routes.js';
import { VIGIL_VERSION } from '../lib/version.js';
import { registerCweRoutes } from '../modules/cwe/cwe.routes.js';
import { registerCiRoutes } from '../modules/fix/ci/ci.routes.js';
import { registerIntakeRoutes } from '../modules/cases/intake/intake.routes.js';
import { registerHeldIntakeRoutes } from '../modules/cases/intake/held.routes.js';
import { registerPgpRoutes } from '../modules/pgp/pgp.routes.js';
import { registerProjectsRoutes } from '../modules/projects/projects.routes.js';
import { registerPublicRoutes } from '../modules/public/public.routes.js';
import { registerPublicSiteRoutes } from '../modules/public/site/site.routes.js';
import type { PublicSiteService } from '../modules/public/site/site.service.js';
import { registerTriageRoutes } from '../modules/cases/triage/triage.routes.js';
import { registerDashboardRoutes } from '../modules/dashboard/dashboard.routes.js';
import { registerAccessLogRoutes } from '../modules/access/access-log.routes.js';
import { registerConversationRoutes } from '../modules/cases/triage/conversation.routes.js';
import { registerAuditEventsRoutes } from '../modules/audit-events/audit-events.routes.js';
import { registerRetrospectiveRoutes } from '../modules/fix/retrospective/retrospective.routes.js';
import { registerFixTeamRoutes } from '../modules/fix/team/fix-team.routes.js';
import { registerPhasesRoutes } from '../modules/fix/phases/phases.routes.js';
import { registerReleasesRoutes } from '../modules/fix/releases/releases.routes.js';
import { registerPublicationRoutes } from '../modules/embargo/publication/publication.routes.js';
import { registerWebhooksRoutes } from '../modules/webhooks/webhooks.routes.js';
import { GIT_CHALLENGE, registerGitRoutes } from '../modules/fix/repository/git-http.routes.js';
import { registerRepositoryRoutes } from '../modules/fix/repository/repository.routes.js';
import { registerDistributorApplicationsRoutes } from '../modules/embargo/distributors/applications.routes.js';
import { registerDistributorsListRoutes } from '../modules/embargo/distributors/list.routes.js';
import { registerDistributorLeaksRoutes } from '../modules/embargo/distributors/leaks.routes.js';
import { registerDisclosureDateRoutes } from '../modules/embargo/disclosure-date/disclosure-date.routes.js';
import { registerPortalRoutes } from '../modules/embargo/portal/portal.routes.js';
import { registerMailQueueRoutes } from '../modules/mail-queue/mail-queue.routes.js';
import { registerEarlyDisclosureRoutes } from '../modules/embargo/early-disclosure/early-disclosure.routes.js';
import { registerInstanceRoutes } from '../modules/demo/instance.routes.js';
import { registerMetrics, type MetricsSources } from './metrics.js';
import { registerAuth } from './plugins/auth.plugin.js';
import { registerErrorHandlers, sendProblem } from './plugins/errors.plugin.js';
import { registerInputGuard } from './plugins/input-guard.plugin.js';
import { problem } from './problem.js';
import type { Services } from './services.js';
import { repoRoot } from '../lib/paths.js';

export interface AppDeps {
  db: Db;
  services: Services;
  publicUrl: string;
  trustProxy: boolean;
  logger?: Logger | false;
  metrics?: MetricsSources;
  /** Directory of the built web UI; defaults to dist/web in the repository. */
  webRoot?: string;
  /** Largest JSON body accepted, in bytes (routes may set less). */
  bodyLimit?: number;
}

export const VERSION = VIGIL_VERSION;

/** Assembles the application; the caller owns the database and closes it. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger || undefined,
    logger: deps.logger === undefined ? false : undefined,
    trustProxy: deps.trustProxy,
    bodyLimit: deps.bodyLimit ?? 256 * 1024,
    // Bounded ids in URLs: longer paths are refused before routing.
    routerOptions: { maxParamLength: 200 },
  }) as unknown as FastifyInstance;
  // A policy can be sent as the YAML file itself (`content-type: application/yaml`): it arrives as
  // `{ yaml }`, exactly like the JSON form, and is validated by the same schema.
  app.addContentTypeParser(
    ['application/yaml', 'application/x-yaml', 'text/yaml'],
    { parseAs: 'string' },
    (_request, body, done) => done(null, { yaml: body }),
  );
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandlers(app);
  registerInputGuard(app);

  const secureCookies = deps.publicUrl.startsWith('https://');
  await app.register(fastifyCookie);
  await registerSecurityHeaders(app, secureCookies);
  await registerApiDocs(app);
  registerAuth(app, deps.services, { secureCookies });
  registerMetrics(app, deps.metrics);
  registerHealthChecks(app, deps.db);
  // Before the pages: its hook puts a demo instance's banner on every server-rendered page.
  registerInstanceRoutes(app, deps.services.instance);

  registerAccountsRoutes(app, deps.services, { secureCookies });
  registerOidcRoutes(app, deps.services, { secureCookies });
  registerPasskeysRoutes(app, deps.services.passkeys, { secureCookies });
  registerProjectsRoutes(app, deps.services.projects);
  registerIntakeRoutes(app, deps.services.intake);
  registerHeldIntakeRoutes(app, deps.services.heldIntake);
  registerPgpRoutes(app, deps.services.pgp);
  registerPublicRoutes(app, { publicPages: deps.services.publicPages });
  registerPublicSiteRoutes(app, deps.services.publicSite);
  registerTriageRoutes(app, deps.services.triage);
  registerDashboardRoutes(app, deps.services.dashboard);
  registerCweRoutes(app, deps.services.cwe);
  registerAdvisoryRoutes(app, deps.services.advisories);
  registerAdvisoryExportRoutes(app, deps.services.advisoryExport);
  registerAdvisoryImportRoutes(app, deps.services.advisoryImport);
  registerAdvisoryRenderRoutes(app, deps.services.advisoryRender);
  registerRetrospectiveRoutes(app, deps.services.retrospectives);
  registerFixTeamRoutes(app, deps.services);
  registerReleasesRoutes(app, deps.services.releases);
  registerPhasesRoutes(app, deps.services.phases);
  registerCiRoutes(app, deps.services);
  registerRepositoryRoutes(app, deps.services.repositories);
  registerGitRoutes(app, deps.services.gitHttp);
  registerDistributorApplicationsRoutes(app, deps.services.distributorApplications);
  registerDistributorsListRoutes(app, deps.services.distributorsList);
  registerDistributorLeaksRoutes(app, deps.services.distributorLeaks);
  registerPortalRoutes(app, deps.services.portal);
  registerDisclosureDateRoutes(app, deps.services.disclosureDates);
  registerEarlyDisclosureRoutes(app, deps.services);
  registerPublicationRoutes(app, deps.services.publication);
  registerWebhooksRoutes(app, deps.services.webhooks);
  registerAccessLogRoutes(app, deps.services.accessLog);
  registerConversationRoutes(app, deps.services.conversation);
  registerAuditEventsRoutes(app, deps.services.auditEvents);
  registerNotificationsRoutes(app, deps.services.notifications);
  registerMailQueueRoutes(app, deps.services.mailQueue);

  await registerWebUi(app, deps.webRoot ?? join(repoRoot(), 'dist', 'web'), deps.services.publicSite);
  return app;
}

/**
 * The security headers: a strict CSP (no inline script or style), HSTS behind HTTPS, no referrer;
 * and nothing under /api cacheable by shared caches.
 */
async function registerSecurityHeaders(app: FastifyInstance, secureCookies: boolean): Promise<void> {
  // helmet's middleware is built once here: @fastify/helmet rebuilt it on every request (parsing
  // the CSP directives again each time, about 0.15 ms a request in issue 12's profile of the case
  // page). Every header is the same for every request.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(secureCookies && { upgradeInsecureRequests: [] }),
      },
    },
    hsts: secureCookies ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onRequest', (request, reply, done) => {
    securityHeaders(request.raw, reply.raw, (err?: unknown) => done(err as Error | undefined));
  });
  app.addHook('onSend', async (request, reply) => {
    // Nothing under /api is cacheable by shared caches: it is private or changes.
    if (request.url.startsWith('/api/v1')) reply.header('cache-control', 'no-store');
  });
}

/**
 * swagger-ui's colours that fail WCAG 2.1 AA contrast (4.5:1), darkened: the white version stamps on
 * grey (3.6:1) and green (2.3:1), the blue link to the document (3.5:1), the white method names on
 * their colours (2.0 to 3.6:1), and the green Authorize button (2.0:1).
 */
const API_DOCS_CSS = `.swagger-ui .info .title small { background-color: #4f5663; }
.swagger-ui .info .title small.version-stamp { background-color: #3f6a00; }
.swagger-ui .info a, .swagger-ui .info .link .url { color: #1d5fa8; }
.swagger-ui .opblock.opblock-get .opblock-summary-method { background-color: #1d5fa8; }
.swagger-ui .opblock.opblock-post .opblock-summary-method { background-color: #1e7b4f; }
.swagger-ui .opblock.opblock-put .opblock-summary-method { background-color: #935a00; }
.swagger-ui .opblock.opblock-patch .opblock-summary-method { background-color: #0e6e5c; }
.swagger-ui .opblock.opblock-delete .opblock-summary-method { background-color: #b42323; }
.swagger-ui .btn.authorize { color: #1e7b4f; border-color: #1e7b4f; }
.swagger-ui .btn.authorize svg { fill: #1e7b4f; }
`;

/** The OpenAPI document (from the routes' zod schemas) at /api/openapi.json, and its UI at /api/docs. */
async function registerApiDocs(app: FastifyInstance): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Vigil API',
        version: VERSION,
        description:
          'Security disclosure and response for open-source projects. Authenticate with `Authorization: Bearer <token>` ' +
          '(create one with `vigil token create` or on the Account page). Errors are RFC 9457 problem+json.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  // No CSP of its own (swagger-ui's `staticCSP` allowed https: styles and sent
  // upgrade-insecure-requests on plain http): its page is files only (HTML, CSS, scripts), so the
  // app's CSP above covers it like every other page. No syntax highlighting (it styles inline) and
  // the base layout (the standalone one's top bar draws a logo with a <style> element).
  // No deep links either: they put a link inside each operation's expand button (axe
  // nested-interactive, WCAG 4.1.2). The theme is a stylesheet file (the CSP allows no inline style).
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: false,
    uiConfig: { deepLinking: false, syntaxHighlight: false, layout: 'BaseLayout' },
    theme: { title: 'Vigil API', css: [{ filename: 'vigil.css', content: API_DOCS_CSS }] },
  });
  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
}

/** Liveness (/healthz) and readiness, which needs the database (/readyz). */
function registerHealthChecks(app: FastifyInstance, db: Db): void {
  app.get('/healthz', { config: { public: true }, schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
    try {
      await sql`select 1`.execute(db.kysely);
      return { status: 'ready', database: db.dialect };
    } catch {
      return sendProblem(reply, problem(503, 'not_ready', 'The database is not reachable.'));
    }
  });
}

/**
 * Serves the built single-page app, with index.html for any non-API path, except under `/p/`: the
 * public site's, where a path no route answers is the site's 404 page (an unknown project, an
 * unknown page of a known one), never the app and its sign-in box; only the app's public pages of
 * a project that exists (its report form, the distributors' application) load the app.
 */
async function registerWebUi(
  app: FastifyInstance,
  webRoot: string,
  site: Pick<PublicSiteService, 'appOwnsPublicPath' | 'notFoundPage'>,
): Promise<void> {
  const hasUi = existsSync(join(webRoot, 'index.html'));
  if (hasUi) {
    await app.register(fastifyStatic, {
      root: webRoot,
      prefix: '/',
      wildcard: false,
      index: false,
      setHeaders(res, path) {
        if (path.includes('/assets/')) res.header('cache-control', 'public, max-age=31536000, immutable');
      },
    });
  }
  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    // Under /git/ (the fix repositories), a path git never asks for says no more than a case does:
    // without credentials 401 with git's Basic challenge, as for every repository.
    if (path.startsWith('/git/') && request.headers.authorization === undefined) {
      const err = new UnauthenticatedError('Authenticate with a personal API token as the password.');
      return sendProblem(reply, problem(401, err.code, err.message, undefined, path), GIT_CHALLENGE);
    }
    const reads = request.method === 'GET' || request.method === 'HEAD';
    if (reads && (path === '/p' || path.startsWith('/p/')) && !(await site.appOwnsPublicPath(path))) {
      return reply.code(404).type('text/html; charset=utf-8').send(site.notFoundPage());
    }
    const wantsPage = request.method === 'GET' && !path.startsWith('/api/') && !/\.[a-z0-9]+$/i.test(path);
    if (wantsPage && hasUi) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html', webRoot);
    }
    if (wantsPage) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The web UI has not been built. Run `npm run build`.');
    }
    const err = new NotFoundError(`${request.method} ${path}`);
    return sendProblem(reply, problem(404, err.code, err.message, undefined, path));
  });
}
