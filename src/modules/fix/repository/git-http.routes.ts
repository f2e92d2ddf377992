/**
 * git's smart HTTP protocol for the cases' fix repositories: `git clone https://vigil/git/CTR-2026-0001.git`.
 * Outside /api/v1, so these routes authenticate themselves, the way git clients expect: HTTP Basic
 * with any user name and a personal API token (or a CI runner's token) as the password, or
 * `Authorization: Bearer <token>` (`git -c http.extraHeader=...`). Without credentials every path
 * answers 401 with a Basic challenge, whatever it names; a caller who may not see the case gets 404.
 * Errors git shows its user (`remote: ...`) are text/plain: read-only, still seeding.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import type { Principal } from '../../../authz/authz.policy.js';
import { AppError } from '../../../lib/errors.js';
import {
  RECEIVE_PACK_MAX_BYTES,
  UPLOAD_PACK_MAX_BYTES,
  type GitAction,
  type GitHttpService,
} from './git-http.service.js';

/** What a 401 under /git/ carries, so that git asks for (or sends) the credentials. */
export const GIT_CHALLENGE = { 'www-authenticate': 'Basic realm="Vigil", charset="UTF-8"' };
const TOKEN = /^[A-Za-z0-9_-]{10,200}$/;

/** The token of an Authorization header: Bearer, or Basic's password (or its user name alone). */
export function tokenOf(header: string | undefined): string | undefined | null {
  if (header === undefined) return undefined;
  const bearer = /^Bearer (\S+)$/i.exec(header);
  if (bearer?.[1]) return TOKEN.test(bearer[1]) ? bearer[1] : null;
  const basic = /^Basic ([A-Za-z0-9+/=]{1,600})$/i.exec(header);
  if (!basic?.[1]) return null;
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon < 0 ? decoded : decoded.slice(0, colon);
  const password = colon < 0 ? '' : decoded.slice(colon + 1);
  const token = password || user;
  return TOKEN.test(token) ? token : null;
}

function unauthenticated(message: string): AppError {
  return new AppError('unauthenticated', 401, message, [], GIT_CHALLENGE);
}

async function principalOf(request: FastifyRequest, git: GitHttpService): Promise<Principal> {
  const token = tokenOf(request.headers.authorization);
  if (token === undefined) {
    throw unauthenticated('Authenticate with a personal API token (`vigil token create`) as the password.');
  }
  const principal = token ? await git.resolveToken(token) : undefined;
  if (!principal) {
    throw unauthenticated('The token is invalid, expired or revoked.');
  }
  return principal;
}

/** An error's code (a database's, a system call's), if it has a short one. */
function codeOf(err: unknown): string | undefined {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' || typeof code === 'number' ? String(code).slice(0, 40) : undefined;
}

const header = (request: FastifyRequest, name: string): string | undefined => {
  const v = request.headers[name];
  return typeof v === 'string' ? v : undefined;
};

export function registerGitRoutes(app: FastifyInstance, git: GitHttpService): void {
  // git's request bodies reach http-backend as they came (maybe gzip): never parsed here.
  app.addContentTypeParser(/^application\/x-git-[a-z-]+-request$/, (_request, payload, done) =>
    done(null, payload),
  );

  const handler = (action: GitAction) => async (request: FastifyRequest, reply: FastifyReply) => {
    const principal = await principalOf(request, git);
    const { repo } = request.params as { repo: string };
    const { service } = request.query as { service?: unknown };
    try {
      const answer = await git.serve(principal, {
        repo,
        action,
        service: typeof service === 'string' ? service : undefined,
        query: request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '',
        contentType: header(request, 'content-type'),
        contentEncoding: header(request, 'content-encoding'),
        gitProtocol: header(request, 'git-protocol'),
        remoteAddr: request.ip,
        body: request.body instanceof Readable ? request.body : undefined,
      });
      // The cause's name and code only: a database error may quote the values it was given.
      answer.done.catch((err: unknown) =>
        request.log.error(
          { repo, error: err instanceof Error ? err.name : typeof err, code: codeOf(err) },
          'recording a push failed: the client was told the push failed',
        ),
      );
      return reply.code(answer.status).headers(answer.headers).send(answer.body);
    } catch (err) {
      // What git prints to its user: a refusal it may read, as text.
      if (err instanceof AppError && [400, 403, 409, 413].includes(err.status)) {
        return reply.code(err.status).type('text/plain; charset=utf-8').send(`${err.message}\n`);
      }
      throw err;
    }
  };

  const config = { exposeHeadRoute: false, schema: { hide: true } };
  app.get('/git/:repo/info/refs', config, handler('info-refs'));
  app.post(
    '/git/:repo/git-upload-pack',
    { ...config, bodyLimit: UPLOAD_PACK_MAX_BYTES },
    handler('upload-pack'),
  );
  app.post(
    '/git/:repo/git-receive-pack',
    { ...config, bodyLimit: RECEIVE_PACK_MAX_BYTES },
    handler('receive-pack'),
  );
}
