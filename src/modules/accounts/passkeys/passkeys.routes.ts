/** HTTP routes for passkeys: one's own (register, list, remove) and signing in with one. Thin: parse, call, answer. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { UnauthenticatedError } from '../../../lib/errors.js';
import { idSchema, sessionUserSchema } from '../accounts.schemas.js';
import { setSessionCookie } from '../session-cookie.js';
import {
  addPasskeyBody,
  authenticationOptionsSchema,
  passkeySchema,
  passkeySignInBody,
  registrationOptionsSchema,
  secondFactorOptionsBody,
  secondFactorPasskeyBody,
} from './passkeys.schemas.js';
import type { PasskeysService } from './passkeys.service.js';

const sessionResponse = z.object({ user: sessionUserSchema, csrfToken: z.string() });

/** Registers the passkey routes. */
export function registerPasskeysRoutes(
  root: FastifyInstance,
  passkeys: PasskeysService,
  opts: { secureCookies: boolean },
): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['accounts'];

  app.get(
    '/api/v1/me/passkeys',
    {
      schema: {
        operationId: 'listPasskeys',
        tags,
        response: { 200: z.object({ passkeys: z.array(passkeySchema) }) },
      },
    },
    async (request) => ({ passkeys: await passkeys.listPasskeys(request.principal) }),
  );

  app.post(
    '/api/v1/me/passkeys/options',
    {
      schema: {
        operationId: 'passkeyRegistrationOptions',
        tags,
        description:
          'Begins registering a passkey: the options for navigator.credentials.create(), valid five minutes. From a browser session only (an API token cannot add a way to sign in).',
        response: { 200: registrationOptionsSchema },
      },
    },
    async (request) => {
      if (!request.authSession) throw new UnauthenticatedError('Add a passkey from a signed-in browser.');
      return passkeys.registrationOptions(request.principal);
    },
  );

  app.post(
    '/api/v1/me/passkeys',
    {
      schema: {
        operationId: 'addPasskey',
        tags,
        description: "Registers the passkey the browser created from this session's options, under a name.",
        body: addPasskeyBody,
        response: { 201: passkeySchema },
      },
    },
    async (request, reply) => {
      if (!request.authSession) throw new UnauthenticatedError('Add a passkey from a signed-in browser.');
      return reply
        .code(201)
        .send(await passkeys.addPasskey(request.principal, request.body, request.authSession.idHash));
    },
  );

  app.delete(
    '/api/v1/me/passkeys/:id',
    {
      schema: {
        operationId: 'removePasskey',
        tags,
        params: z.object({ id: idSchema }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await passkeys.removePasskey(request.principal, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/passkey/options',
    {
      config: { public: true },
      schema: {
        operationId: 'passkeySignInOptions',
        tags,
        description: 'Begins a sign-in with a passkey: the options for navigator.credentials.get().',
        response: { 200: authenticationOptionsSchema },
      },
    },
    async (request) => passkeys.signInOptions({ ip: request.ip }),
  );

  app.post(
    '/api/v1/auth/passkey',
    {
      config: { public: true },
      schema: {
        operationId: 'signInWithPasskey',
        tags,
        description:
          'Signs in with a passkey (user verification required: the passkey is both factors) and sets the session cookie.',
        body: passkeySignInBody,
        response: { 200: sessionResponse },
      },
    },
    async (request, reply) => {
      const session = await passkeys.signInWithPasskey({
        response: request.body.response,
        userAgent: request.headers['user-agent'] ?? null,
      });
      setSessionCookie(reply, session, opts.secureCookies);
      return { user: session.user, csrfToken: session.csrfToken };
    },
  );

  app.post(
    '/api/v1/auth/second-factor/passkey/options',
    {
      config: { public: true },
      schema: {
        operationId: 'secondFactorPasskeyOptions',
        tags,
        description:
          "After a password, the options for completing the sign-in with one of the account's passkeys (the challenge is the sign-in's second-factor challenge).",
        body: secondFactorOptionsBody,
        response: { 200: authenticationOptionsSchema },
      },
    },
    async (request) => passkeys.secondFactorOptions({ challenge: request.body.challenge, ip: request.ip }),
  );

  app.post(
    '/api/v1/auth/second-factor/passkey',
    {
      config: { public: true },
      schema: {
        operationId: 'completeSecondFactorWithPasskey',
        tags,
        description:
          'Completes a password sign-in with a passkey as its second factor and sets the session cookie.',
        body: secondFactorPasskeyBody,
        response: { 200: sessionResponse },
      },
    },
    async (request, reply) => {
      const session = await passkeys.completeSecondFactor({
        challenge: request.body.challenge,
        response: request.body.response,
        userAgent: request.headers['user-agent'] ?? null,
      });
      setSessionCookie(reply, session, opts.secureCookies);
      return { user: session.user, csrfToken: session.csrfToken };
    },
  );
}
