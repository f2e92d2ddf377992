/** The mail queue and the mail status (issue 13, item 3). Thin: parse, call, answer. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageQuery } from '../../lib/pagination.js';
import type { MailQueueService } from './mail-queue.service.js';

const mailHealth = z.enum(['ok', 'not-configured', 'failing']);

export const mailStatusSchema = z.object({
  /** ok; not-configured (no VIGIL_SMTP_URL); failing (mail waits over 15 minutes, or failed within the hour). */
  state: mailHealth,
  /** Mail jobs that are due and not sent (queued, retrying or sending); reminders not yet due are not counted. */
  queued: z.number().int(),
  /** Mail jobs that failed for good within the last hour. */
  failed: z.number().int(),
  /** Since when the oldest due mail waits; null when the state is ok or nothing waits. */
  since: z.string().nullable(),
});

export const mailJobSchema = z.object({
  id: z.string(),
  /** The job kind, e.g. case.mail, account.security.mail. */
  kind: z.string(),
  /** scheduled: a reminder not yet due; queued: due, not tried; retrying: an attempt failed, another comes. */
  state: z.enum(['scheduled', 'queued', 'retrying', 'sending', 'failed', 'sent']),
  /** The case the mail is about, when it is about one. */
  caseHumanId: z.string().nullable(),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  /** When it will be tried (scheduled, queued and retrying only). */
  nextAttemptAt: z.string().nullable(),
  /** The last attempt's error: its class and message, never an address. */
  lastError: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

export const mailQueuePageSchema = z.object({
  summary: z.object({
    /** This instance has VIGIL_SMTP_URL. */
    configured: z.boolean(),
    state: mailHealth,
    /** Due and not sent (queued, retrying, sending). */
    queued: z.number().int(),
    /** Reminders not yet due. */
    scheduled: z.number().int(),
    /** Mail jobs that failed for good (all kept rows). */
    failed: z.number().int(),
    oldestQueuedAt: z.string().nullable(),
  }),
  jobs: z.array(mailJobSchema),
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: z.string().nullable(),
});

export function registerMailQueueRoutes(root: FastifyInstance, mailQueue: MailQueueService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/v1/mail-status',
    {
      schema: {
        operationId: 'getMailStatus',
        tags: ['admin'],
        description:
          "Whether the instance's mail goes out, for the banner: not-configured without VIGIL_SMTP_URL, " +
          'failing when a mail has waited over 15 minutes or one failed within the hour. Admins and ' +
          'security-team members.',
        response: { 200: mailStatusSchema },
      },
    },
    async (request) => mailQueue.mailStatus(request.principal),
  );
  app.get(
    '/api/v1/admin/mail-queue',
    {
      schema: {
        operationId: 'getMailQueue',
        tags: ['admin'],
        description:
          'The mail jobs, newest first: waiting, retrying, failed, and sent within the day, with their ' +
          'attempts, next attempt and last error (never an address or content), and a summary. Admins only.',
        querystring: pageQuery,
        response: { 200: mailQueuePageSchema },
      },
    },
    async (request) =>
      mailQueue.listMailQueue(request.principal, {
        cursor: request.query.cursor,
        limit: request.query.limit,
      }),
  );
}
