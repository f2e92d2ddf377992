/**
 * Maps every error to RFC 9457 application/problem+json, once. Request validation errors name the
 * offending field; unexpected errors are logged (without request bodies) and answered generically.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, type FieldIssue } from '../../lib/errors.js';
import { problem, type Problem } from '../problem.js';

export function sendProblem(
  reply: FastifyReply,
  p: Problem,
  headers: Record<string, string> = {},
): FastifyReply {
  return reply.code(p.status).headers(headers).type('application/problem+json').send(p);
}

function pathOf(context: string | undefined, instancePath: string): string {
  const inner = instancePath.replace(/^\//, '').replace(/\//g, '.');
  return [context, inner].filter(Boolean).join('.');
}

/** Installs the error and not-found handlers. */
export function registerErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const instance = request.url.split('?')[0];
    if (err instanceof AppError) {
      return sendProblem(
        reply,
        problem(err.status, err.code, err.message, err.issues, instance),
        err.headers,
      );
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues: FieldIssue[] = err.validation.map((v) => ({
        path: pathOf(err.validationContext, v.instancePath),
        message: v.message ?? 'is invalid',
      }));
      const fields = issues.map((i) => i.path).join(', ');
      return sendProblem(
        reply,
        problem(400, 'validation_failed', `The request is invalid: ${fields}.`, issues, instance),
      );
    }
    if (isResponseSerializationError(err)) {
      request.log.error({ err: { message: err.message } }, 'response did not match its schema');
      return sendProblem(
        reply,
        problem(500, 'internal', 'Something went wrong on our side.', undefined, instance),
      );
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code =
        err.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? 'payload_too_large'
          : err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
            ? 'unsupported_media_type'
            : 'bad_request';
      const detail =
        code === 'payload_too_large'
          ? 'The request body is larger than this endpoint accepts.'
          : code === 'unsupported_media_type'
            ? 'Send the request body as application/json.'
            : err.message;
      return sendProblem(reply, problem(status, code, detail, undefined, instance));
    }
    request.log.error({ err }, 'unhandled error');
    return sendProblem(
      reply,
      problem(500, 'internal', 'Something went wrong on our side.', undefined, instance),
    );
  });
}
