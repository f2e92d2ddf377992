/** HTTP routes for two-factor sign-in: the second step of a sign-in, and one's own TOTP. Thin. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  secondFactorBody,
  sessionUserSchema,
  totpConfirmBody,
  totpDisableBody,
  totpStartSchema,
  twoFactorStatusSchema,
} from '../accounts.schemas.js';
import { setSessionCookie } from '../session-cookie.js';
import type { TwoFactorService } from './two-factor.service.js';

/** Registers the second step of sign-in and the TOTP enrolment routes. */
export function registerTwoFactorRoutes(
  root: FastifyInstance,
  { twoFactor }: { twoFactor: TwoFactorService },
  opts: { secureCookies: boolean },
): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['accounts'];

  app.post(
    '/api/v1/auth/second-factor',
    {
      config: { public: true },
      schema: {
        operationId: 'completeSecondFactor',
        tags,
        description:
          'The second step of a sign-in: the challenge from the first step and a current TOTP code (`totp`) or one of the recovery codes (`recoveryCode`). Starts a two-factor session. A challenge lasts 5 minutes and allows 5 wrong answers.',
        body: secondFactorBody,
        response: { 200: z.object({ user: sessionUserSchema, csrfToken: z.string() }) },
      },
    },
    async (request, reply) => {
      const session = await twoFactor.completeSecondFactor({
        ...request.body,
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
      });
      setSessionCookie(reply, session, opts.secureCookies);
      return { user: session.user, csrfToken: session.csrfToken };
    },
  );

  app.get(
    '/api/v1/me/two-factor',
    { schema: { operationId: 'getTwoFactor', tags, response: { 200: twoFactorStatusSchema } } },
    async (request) => twoFactor.getStatus(request.principal),
  );

  app.post(
    '/api/v1/me/totp',
    {
      schema: {
        operationId: 'startTotp',
        tags,
        description:
          'Starts setting up sign-in codes from an authenticator app: the secret (base32) and an `otpauth://` URI, shown this once. Nothing changes until `POST /api/v1/me/totp/confirm` with a first code.',
        response: { 201: totpStartSchema },
      },
    },
    async (request, reply) => reply.code(201).send(await twoFactor.startTotp(request.principal)),
  );

  app.post(
    '/api/v1/me/totp/confirm',
    {
      schema: {
        operationId: 'confirmTotp',
        tags,
        description:
          'Turns sign-in codes on with a first code from the app; answers ten single-use recovery codes, this once (they are stored only hashed).',
        body: totpConfirmBody,
        response: { 200: z.object({ recoveryCodes: z.array(z.string()) }) },
      },
    },
    async (request) => twoFactor.confirmTotp(request.principal, request.body, request.authSession?.idHash),
  );

  app.delete(
    '/api/v1/me/totp',
    {
      schema: {
        operationId: 'disableTotp',
        tags,
        description:
          'Turns sign-in codes off (and their recovery codes), with a current code, a recovery code or the password.',
        body: totpDisableBody,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await twoFactor.disableTotp(request.principal, request.body);
      return reply.code(204).send(null);
    },
  );
}
