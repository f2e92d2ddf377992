/**
 * OpenID Connect sign-in routes: browser navigations, answered with redirects (to the provider, back
 * to the app, or to the sign-in page naming what went wrong), and the sign-in methods for the page.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { setSessionCookie } from '../session-cookie.js';
import type { SessionsService } from '../sessions.service.js';
import { oidcCallbackQuery, oidcStartQuery, redirectResponse, signInMethodsSchema } from './oidc.schemas.js';
import { OIDC_STATE_TTL_MS, OidcRefusal, type OidcService } from './oidc.service.js';

/** The cookie binding a started sign-in to the browser that started it (login CSRF). */
export const OIDC_BROWSER_COOKIE = 'vigil_oidc';
const COOKIE_PATH = '/api/v1/auth/oidc';

/** Where a refused sign-in lands: the sign-in page, which says why in words. */
export function refusalLocation(code: string): string {
  return `/sign-in?oidc-error=${encodeURIComponent(code)}`;
}

/** Registers the sign-in methods and the OpenID Connect start and callback. */
export function registerOidcRoutes(
  root: FastifyInstance,
  { oidc, sessions }: { oidc: OidcService; sessions: Pick<SessionsService, 'signOut'> },
  opts: { secureCookies: boolean },
): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['accounts'];
  const refuse = (reply: FastifyReply, err: unknown) => {
    if (!(err instanceof OidcRefusal)) throw err;
    reply.log.info({ code: err.code }, 'OpenID Connect sign-in refused');
    return reply.redirect(refusalLocation(err.code), 302);
  };

  app.get(
    '/api/v1/auth/methods',
    {
      config: { public: true },
      schema: {
        operationId: 'getSignInMethods',
        tags,
        description: 'The ways to sign in that this instance offers (for the sign-in page).',
        response: { 200: signInMethodsSchema },
      },
    },
    async () => oidc.methods(),
  );

  app.get(
    '/api/v1/auth/oidc/start',
    {
      config: { public: true },
      schema: {
        operationId: 'startOidcSignIn',
        tags,
        description:
          'Starts a sign-in at the OpenID Connect provider: a browser navigation, answered with a redirect ' +
          'to the provider (or to the sign-in page with `oidc-error`). 404 when no provider is configured.',
        querystring: oidcStartQuery,
        response: { 302: redirectResponse },
      },
    },
    async (request, reply) => {
      try {
        const started = await oidc.start({
          returnTo: request.query.returnTo,
          browserToken: request.cookies[OIDC_BROWSER_COOKIE],
          ip: request.ip,
        });
        reply.setCookie(OIDC_BROWSER_COOKIE, started.browserToken, {
          httpOnly: true,
          // Lax: the provider's redirect back is a top-level navigation, which carries it.
          sameSite: 'lax',
          secure: opts.secureCookies,
          path: COOKIE_PATH,
          maxAge: Math.floor(OIDC_STATE_TTL_MS / 1000),
        });
        return reply.redirect(started.url, 302);
      } catch (err) {
        return refuse(reply, err);
      }
    },
  );

  app.get(
    '/api/v1/auth/oidc/callback',
    {
      config: { public: true },
      schema: {
        operationId: 'finishOidcSignIn',
        tags,
        description:
          "The provider's redirect back: signs in (the session cookie, as the password sign-in sets it) " +
          'and redirects to the app; a second factor, when the account has one, is asked on the sign-in page.',
        querystring: oidcCallbackQuery,
        response: { 302: redirectResponse },
      },
    },
    async (request, reply) => {
      try {
        const outcome = await oidc.callback({
          query: request.query,
          browserToken: request.cookies[OIDC_BROWSER_COOKIE],
          userAgent: request.headers['user-agent'] ?? null,
        });
        reply.clearCookie(OIDC_BROWSER_COOKIE, {
          httpOnly: true,
          sameSite: 'lax',
          secure: opts.secureCookies,
          path: COOKIE_PATH,
        });
        if (outcome.kind === 'second-factor') {
          // In the fragment: never sent to a server, never in a log or a Referer.
          const fragment = new URLSearchParams({
            'second-factor': outcome.challengeToken,
            methods: outcome.methods.join(','),
            next: outcome.returnTo,
          });
          return reply.redirect(`/sign-in#${fragment.toString()}`, 302);
        }
        // A new sign-in in this browser ends the session it had (no session outlives a change of person).
        if (request.authSession) await sessions.signOut(request.authSession.idHash);
        setSessionCookie(reply, outcome.session, opts.secureCookies);
        return reply.redirect(outcome.returnTo, 302);
      } catch (err) {
        return refuse(reply, err);
      }
    },
  );
}
