/**
 * Public intake routes: anyone may file a report (no account), and the reporter's private link
 * (a 256-bit capability in the path) opens their side of the case. Thin: parse, call, answer.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { slugParams } from '../../projects/projects.schemas.js';
import { attachmentDisposition } from '../attachments.js';
import {
  creditSchema,
  REPORT_BODY_LIMIT,
  reporterMessageInput,
  reporterTokenParams,
  reporterViewSchema,
  ENCRYPTED_REPORT_BODY_LIMIT,
  encryptedReportInput,
  filedReportSchema,
  reportInput,
} from '../cases.schemas.js';
import type { IntakeService } from './intake.service.js';

export function registerIntakeRoutes(root: FastifyInstance, intake: IntakeService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['intake'];

  app.post(
    '/api/v1/projects/:slug/reports',
    {
      config: { public: true },
      bodyLimit: REPORT_BODY_LIMIT,
      schema: {
        operationId: 'submitReport',
        tags,
        description:
          'Files a private vulnerability report; no account needed. Answers with the case id and the reporter’s ' +
          'private link (keep it: it is the only way back to the conversation without an email address).',
        params: slugParams,
        body: reportInput,
        response: { 201: filedReportSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await intake.submitReport(request.params.slug, request.body, clientMeta(request))),
  );

  app.post(
    '/api/v1/projects/:slug/reports/encrypted',
    {
      config: { public: true },
      bodyLimit: ENCRYPTED_REPORT_BODY_LIMIT,
      schema: {
        operationId: 'submitEncryptedReport',
        tags,
        description:
          'The same report, encrypted in the browser to the key at /p/{slug}/pgp-key.asc: an armored OpenPGP ' +
          'message whose plaintext is the JSON body of submitReport. Errors in the plaintext are named `encrypted.<field>`.',
        params: slugParams,
        body: encryptedReportInput,
        response: { 201: filedReportSchema },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await intake.submitEncryptedReport(
            request.params.slug,
            request.body.encrypted,
            clientMeta(request),
          ),
        ),
  );

  app.get(
    '/api/v1/projects/:slug/intake',
    {
      config: { public: true },
      schema: {
        operationId: 'getIntakeInfo',
        tags,
        description: 'What the public report form needs to know: the project’s name, limits and commitments.',
        params: slugParams,
        response: {
          200: z.object({
            slug: z.string(),
            name: z.string(),
            reportContents: z.array(z.string()),
            maxAttachmentBytesPerCase: z.number(),
            firstResponseBusinessDays: z.number().nullable(),
            timeZone: z.string(),
            publicKeyUrl: z.string(),
            issueTrackerUrl: z.string().nullable(),
            /** The subject line's example, the project's own (policy `intake.subjectHint`) or a neutral one. */
            subjectHint: z.string(),
          }),
        },
      },
    },
    async (request) => intake.intakeInfo(request.params.slug),
  );

  app.get(
    '/api/v1/reporter/cases/:token',
    {
      config: { public: true },
      schema: {
        operationId: 'getReporterCase',
        tags,
        params: reporterTokenParams,
        response: { 200: reporterViewSchema },
      },
    },
    async (request) => intake.getReporterView(request.params.token),
  );

  app.post(
    '/api/v1/reporter/cases/:token/messages',
    {
      config: { public: true },
      bodyLimit: REPORT_BODY_LIMIT,
      schema: {
        operationId: 'addReporterMessage',
        tags,
        params: reporterTokenParams,
        body: reporterMessageInput,
        response: { 201: z.object({ messageId: z.string() }) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await intake.addReporterMessage(request.params.token, request.body)),
  );

  app.put(
    '/api/v1/reporter/cases/:token/credit',
    {
      config: { public: true },
      schema: {
        operationId: 'setReporterCredit',
        tags,
        params: reporterTokenParams,
        body: creditSchema,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await intake.setCredit(request.params.token, request.body);
      return reply.code(204).send(null);
    },
  );

  app.put(
    '/api/v1/reporter/cases/:token/private-handling',
    {
      config: { public: true },
      schema: {
        operationId: 'answerPrivateHandling',
        tags,
        description:
          'Answers "can this still be handled privately?" for a report about something already public.',
        params: reporterTokenParams,
        body: z.object({ answer: z.enum(['possible', 'declined']) }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await intake.answerPrivateHandling(request.params.token, request.body.answer);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/reporter/cases/:token/attachments/:attachmentId',
    {
      config: { public: true },
      schema: {
        operationId: 'getReporterAttachment',
        tags,
        params: reporterTokenParams.extend({ attachmentId: z.uuid() }),
      },
    },
    async (request, reply) => {
      const a = await intake.getReporterAttachment(request.params.token, request.params.attachmentId);
      return sendDownload(reply, a.filename, a.bytes);
    },
  );
}

/** Which way a report came in (the web form marks itself) and from where, for rate limiting. */
function clientMeta(request: FastifyRequest): { channel: 'web' | 'api'; ip: string } {
  return { channel: request.headers['x-vigil-client'] === 'web' ? 'web' : 'api', ip: request.ip };
}

/** Attachments are always downloads: never rendered, never sniffed. */
export function sendDownload(reply: FastifyReply, filename: string, bytes: Buffer) {
  return reply
    .header('content-disposition', attachmentDisposition(filename))
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cache-control', 'no-store')
    .type('application/octet-stream')
    .send(bytes);
}
