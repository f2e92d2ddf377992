/**
 * Who is calling: `Authorization: Bearer <API token>`, `Bearer <runner token>` (`vgr_...`, a CI
 * runner) or the `vigil_session` cookie. Sets `request.principal` for every request. Routes are
 * private unless their config says `{ public: true }`; cookie-authenticated writes must carry the
 * session's CSRF token. A runner token opens the runner API (`{ runner: true }`) and the public
 * routes, nothing else: any other private route answers it 404, as if it did not exist.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isRunnerToken } from '../../modules/fix/ci/runner-token.js';
import { ANONYMOUS, type Principal } from '../../authz/authz.policy.js';
import { AppError, NotFoundError, UnauthenticatedError } from '../../lib/errors.js';
import type { ApiTokensService } from '../../modules/accounts/api-tokens.service.js';
import type { SessionsService } from '../../modules/accounts/sessions.service.js';
import { SESSION_COOKIE, clearSessionCookie } from '../../modules/accounts/session-cookie.js';
import type { RunnersService } from '../../modules/fix/ci/runners.service.js';

export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
    authSession: { idHash: string; csrfToken: string } | undefined;
  }
  interface FastifyContextConfig {
    /** Reachable without signing in. */
    public?: boolean;
    /** Part of the runner API: the only private routes a runner token reaches. */
    runner?: boolean;
  }
}

/** Where the fix repositories are served (git's smart HTTP protocol). */
export const GIT_PREFIX = '/git/';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** What resolves a credential to a principal. */
export interface CredentialResolvers {
  sessions: Pick<SessionsService, 'resolveSession'>;
  apiTokens: Pick<ApiTokensService, 'resolveApiToken'>;
  runners: Pick<RunnersService, 'resolveRunnerToken'>;
}

/** Installs authentication and CSRF checks for `/api/` routes. */
export function registerAuth(
  app: FastifyInstance,
  { sessions, apiTokens, runners }: CredentialResolvers,
  opts: { secureCookies: boolean },
): void {
  app.decorateRequest('principal', null, []);
  app.decorateRequest('authSession', undefined, []);

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    request.principal = ANONYMOUS;
    // The fix repositories' git protocol authenticates itself, as git clients expect (HTTP Basic
    // with a token as the password, a Basic challenge on 401): see git-http.routes.ts.
    if (request.url.startsWith(GIT_PREFIX)) return;
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer ([A-Za-z0-9_-]{10,200})$/.exec(header);
      const token = match?.[1];
      const principal = !token
        ? undefined
        : isRunnerToken(token)
          ? await runners.resolveRunnerToken(token)
          : await apiTokens.resolveApiToken(token);
      // A bad token is an error even on public routes: the client believes it is signed in.
      if (!principal) throw new UnauthenticatedError('The API token is invalid, expired or revoked.');
      request.principal = principal;
    } else {
      const cookie = request.cookies[SESSION_COOKIE];
      if (cookie) {
        const session = cookie.length <= 200 ? await sessions.resolveSession(cookie) : undefined;
        if (session) {
          request.principal = session.principal;
          request.authSession = { idHash: session.idHash, csrfToken: session.csrfToken };
        } else {
          clearSessionCookie(reply, opts.secureCookies);
        }
      }
    }
    // The API proper; its description (/api/openapi.json, /api/docs) is public.
    if (!request.url.startsWith('/api/v1/')) return;
    const isPublic = request.routeOptions.config.public === true;
    if (!isPublic && request.principal.kind === 'anonymous') throw new UnauthenticatedError();
    if (!isPublic && request.principal.kind === 'runner' && request.routeOptions.config.runner !== true) {
      throw new NotFoundError(`${request.method} ${request.url.split('?')[0] ?? ''}`);
    }
    if (request.authSession && UNSAFE.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !sameSecret(sent, request.authSession.csrfToken)) {
        throw new AppError(
          'csrf_failed',
          403,
          'The request lacks a valid X-CSRF-Token header. Reload the page and try again.',
        );
      }
    }
  });
}
