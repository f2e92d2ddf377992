/** A project's webhooks. Thin: parse, call the webhooks service, answer. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageQuery } from '../../lib/pagination.js';
import { slugParams } from '../projects/projects.schemas.js';
import {
  createdWebhookSchema,
  createWebhookInput,
  updateWebhookInput,
  webhookDeliveriesSchema,
  webhookSchema,
  webhookListSchema,
  webhookParams,
} from './webhooks.schemas.js';
import type { WebhooksService } from './webhooks.service.js';

/** Registers `/api/v1/projects/:slug/webhooks`, one webhook's events and removal, and its delivery log. */
export function registerWebhooksRoutes(root: FastifyInstance, webhooks: WebhooksService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['publication'];

  app.get(
    '/api/v1/projects/:slug/webhooks',
    {
      schema: {
        operationId: 'listProjectWebhooks',
        tags,
        description: "The project's active webhooks: kind, label and the URL's origin (never its path).",
        params: slugParams,
        response: { 200: webhookListSchema },
      },
    },
    async (request) => webhooks.listWebhooks(request.principal, request.params.slug),
  );

  app.post(
    '/api/v1/projects/:slug/webhooks',
    {
      bodyLimit: 8 * 1024,
      schema: {
        operationId: 'createProjectWebhook',
        tags,
        description:
          'Adds a webhook (https to a public host; kind slack or json; the events it receives, every event when absent). The answer carries its signing secret, shown only this once.',
        params: slugParams,
        body: createWebhookInput,
        response: { 201: createdWebhookSchema },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await webhooks.createWebhook(request.principal, request.params.slug, request.body)),
  );

  app.patch(
    '/api/v1/projects/:slug/webhooks/:webhookId',
    {
      bodyLimit: 8 * 1024,
      schema: {
        operationId: 'updateProjectWebhook',
        tags,
        description: 'Sets the events an active webhook receives (advisory.published and the case events).',
        params: webhookParams,
        body: updateWebhookInput,
        response: { 200: webhookSchema },
      },
    },
    async (request) =>
      webhooks.updateWebhook(request.principal, request.params.slug, request.params.webhookId, request.body),
  );

  app.delete(
    '/api/v1/projects/:slug/webhooks/:webhookId',
    {
      schema: {
        operationId: 'removeProjectWebhook',
        tags,
        description: 'Removes a webhook: nothing more is posted to it; its delivery log stays.',
        params: webhookParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await webhooks.removeWebhook(request.principal, request.params.slug, request.params.webhookId);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/projects/:slug/webhooks/:webhookId/deliveries',
    {
      schema: {
        operationId: 'listProjectWebhookDeliveries',
        tags,
        description:
          "The webhook's deliveries, newest first, a page at a time: state, attempts, the receiver's status code, the last error, when delivered.",
        params: webhookParams,
        querystring: pageQuery,
        response: { 200: webhookDeliveriesSchema },
      },
    },
    async (request) =>
      webhooks.listDeliveries(
        request.principal,
        request.params.slug,
        request.params.webhookId,
        request.query,
      ),
  );
}
