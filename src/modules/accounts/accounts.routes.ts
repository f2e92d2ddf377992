/** HTTP routes for sign-in, sessions, one's own account and tokens, and user management. Thin: parse, call, answer. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageQuery } from '../../lib/pagination.js';
import { abilityMapSchema } from '../../authz/abilities.schema.js';
import { UI_ABILITIES, instanceAbilities } from '../../authz/authz.policy.js';
import { UnauthenticatedError } from '../../lib/errors.js';
import { answerSignIn, clearSessionCookie } from './session-cookie.js';
import {
  availabilityBody,
  changePasswordBody,
  createTokenBody,
  createUserBody,
  idSchema,
  meSchema,
  secondFactorResponse,
  sessionTwoFactorSchema,
  sessionUserSchema,
  signInBody,
  signInLinkBody,
  tokenSchema,
  updateUserBody,
  userSchema,
} from './accounts.schemas.js';
import type { ApiTokensService } from './api-tokens.service.js';
import type { SessionsService } from './sessions.service.js';
import type { SignInLinksService } from './sign-in-links.service.js';
import { registerTwoFactorRoutes } from './two-factor/two-factor.routes.js';
import type { TwoFactorService } from './two-factor/two-factor.service.js';
import type { UsersService } from './users.service.js';

const sessionResponse = z.object({ user: sessionUserSchema, csrfToken: z.string() });
/** A sign-in step's answer: the session, or the challenge for a second factor. */
const signInResponse = z.union([sessionResponse, secondFactorResponse]);

/** The accounts module's services, as the routes use them. */
export interface AccountsServices {
  users: UsersService;
  sessions: SessionsService;
  apiTokens: ApiTokensService;
  signInLinks: SignInLinksService;
  twoFactor: TwoFactorService;
}

type Opts = { secureCookies: boolean };

/** Registers the accounts routes: sign-in and sessions, one's own account and tokens, user management. */
export function registerAccountsRoutes(root: FastifyInstance, services: AccountsServices, opts: Opts): void {
  registerSessionRoutes(root, services, opts);
  registerTwoFactorRoutes(root, services, opts);
  registerOwnAccountRoutes(root, services);
  registerUserRoutes(root, services);
}

/** Sign-in (password or link), the browser session, sign-out. */
function registerSessionRoutes(
  root: FastifyInstance,
  {
    sessions,
    signInLinks,
    users,
    twoFactor,
  }: Pick<AccountsServices, 'sessions' | 'signInLinks' | 'users' | 'twoFactor'>,
  opts: Opts,
): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['accounts'];

  app.post(
    '/api/v1/auth/sign-in',
    {
      config: { public: true },
      schema: {
        operationId: 'signIn',
        tags,
        description:
          'Password sign-in. Answers the session, or, when the account has a second factor, `secondFactor` with a challenge for `POST /api/v1/auth/second-factor` (no session yet). Throttled per account and address (429 + Retry-After); the account itself is never locked.',
        body: signInBody,
        response: { 200: signInResponse },
      },
    },
    async (request, reply) => {
      const result = await sessions.signInWithPassword({
        ...request.body,
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
      });
      return answerSignIn(reply, result, opts.secureCookies);
    },
  );

  app.post(
    '/api/v1/auth/sign-in-link',
    {
      config: { public: true },
      schema: {
        operationId: 'redeemSignInLink',
        tags,
        body: signInLinkBody,
        response: { 200: signInResponse },
      },
    },
    async (request, reply) => {
      const result = await signInLinks.redeemSignInLink({
        ...request.body,
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
      });
      return answerSignIn(reply, result, opts.secureCookies);
    },
  );

  app.get(
    '/api/v1/auth/session',
    {
      schema: {
        operationId: 'getSession',
        tags,
        response: {
          200: sessionResponse.extend({
            abilities: abilityMapSchema(UI_ABILITIES.instance),
            twoFactor: sessionTwoFactorSchema,
          }),
        },
      },
    },
    async (request) => {
      const p = request.principal;
      if (p.kind !== 'user' || !request.authSession)
        throw new UnauthenticatedError('There is no browser session.');
      const user = await users.getUser(p.userId);
      if (!user) throw new UnauthenticatedError();
      return {
        user,
        csrfToken: request.authSession.csrfToken,
        abilities: instanceAbilities(p),
        twoFactor: { factors: p.factors, requiredBy: await twoFactor.projectsRequiringTwoFactor(p) },
      };
    },
  );

  app.post(
    '/api/v1/auth/sign-out',
    { config: { public: true }, schema: { operationId: 'signOut', tags, response: { 204: z.null() } } },
    async (request, reply) => {
      if (request.authSession) await sessions.signOut(request.authSession.idHash);
      clearSessionCookie(reply, opts.secureCookies);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/sign-out-everywhere',
    {
      schema: {
        operationId: 'signOutEverywhere',
        tags,
        response: { 200: z.object({ sessions: z.number() }) },
      },
    },
    async (request, reply) => {
      const ended = await sessions.signOutEverywhere(request.principal);
      clearSessionCookie(reply, opts.secureCookies);
      return { sessions: ended };
    },
  );
}

/** One's own account: profile, password, API tokens. */
function registerOwnAccountRoutes(
  root: FastifyInstance,
  { users, apiTokens }: Pick<AccountsServices, 'users' | 'apiTokens'>,
): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['accounts'];

  app.get(
    '/api/v1/me',
    { schema: { operationId: 'getMe', tags, response: { 200: meSchema } } },
    async (request) => {
      const me = await users.getMe(request.principal);
      if (!me) throw new UnauthenticatedError();
      return me;
    },
  );

  app.put(
    '/api/v1/me/availability',
    {
      schema: {
        operationId: 'setAvailability',
        tags,
        description:
          'When you are away (either end open; both null: available). The Fix Lead rotation skips you then.',
        body: availabilityBody,
        response: { 200: availabilityBody },
      },
    },
    async (request) => users.setAvailability(request.principal, request.body),
  );

  app.put(
    '/api/v1/me/password',
    {
      schema: { operationId: 'changePassword', tags, body: changePasswordBody, response: { 204: z.null() } },
    },
    async (request, reply) => {
      await users.changePassword(request.principal, request.body);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/me/tokens',
    {
      schema: {
        operationId: 'listTokens',
        tags,
        response: { 200: z.object({ tokens: z.array(tokenSchema) }) },
      },
    },
    async (request) => ({ tokens: await apiTokens.listApiTokens(request.principal) }),
  );

  app.post(
    '/api/v1/me/tokens',
    {
      schema: {
        operationId: 'createToken',
        tags,
        body: createTokenBody,
        response: {
          201: tokenSchema.omit({ lastUsedAt: true, revokedAt: true }).extend({ token: z.string() }),
        },
      },
    },
    async (request, reply) => {
      const p = request.principal;
      if (p.kind !== 'user') throw new UnauthenticatedError();
      const created = await apiTokens.createApiToken(p, { userId: p.userId, ...request.body });
      return reply.code(201).send(created);
    },
  );

  app.delete(
    '/api/v1/me/tokens/:id',
    {
      schema: {
        operationId: 'revokeToken',
        tags,
        params: z.object({ id: idSchema }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await apiTokens.revokeApiToken(request.principal, request.params.id);
      return reply.code(204).send(null);
    },
  );
}

/** User management (admins): list, create, update, issue a sign-in link. */
function registerUserRoutes(
  root: FastifyInstance,
  { users, signInLinks }: Pick<AccountsServices, 'users' | 'signInLinks'>,
): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const userTags = ['users'];
  app.get(
    '/api/v1/users',
    {
      schema: {
        operationId: 'listUsers',
        tags: userTags,
        description: "The instance's users by email, a page at a time (admins only).",
        querystring: pageQuery,
        response: {
          200: z.object({
            users: z.array(userSchema),
            /** Pass as `cursor` for the next page; null on the last page. */
            nextCursor: z.string().nullable(),
          }),
        },
      },
    },
    async (request) => users.listUsers(request.principal, request.query),
  );

  app.post(
    '/api/v1/users',
    {
      schema: {
        operationId: 'createUser',
        tags: userTags,
        body: createUserBody,
        response: { 201: z.object({ user: userSchema, signInLink: z.string(), expiresAt: z.string() }) },
      },
    },
    async (request, reply) => reply.code(201).send(await users.createUser(request.principal, request.body)),
  );

  app.patch(
    '/api/v1/users/:id',
    {
      schema: {
        operationId: 'updateUser',
        tags: userTags,
        params: z.object({ id: idSchema }),
        body: updateUserBody,
        response: { 200: z.object({ user: userSchema }) },
      },
    },
    async (request) => ({
      user: await users.updateUser(request.principal, request.params.id, request.body),
    }),
  );

  app.post(
    '/api/v1/users/:id/sign-in-link',
    {
      schema: {
        operationId: 'createSignInLink',
        tags: userTags,
        params: z.object({ id: idSchema }),
        response: { 201: z.object({ signInLink: z.string(), expiresAt: z.string() }) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await signInLinks.createSignInLink(request.principal, request.params.id)),
  );
}
