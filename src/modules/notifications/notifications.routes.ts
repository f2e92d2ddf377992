/** HTTP routes of one's own notifications and notification settings. Thin: parse, call, answer. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  markReadBody,
  markReadResponse,
  notificationsPageSchema,
  notificationsQuery,
  settingsBody,
  settingsSchema,
} from './notifications.schemas.js';
import type { NotificationsService } from './notifications.service.js';

export function registerNotificationsRoutes(
  root: FastifyInstance,
  notifications: NotificationsService,
): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['notifications'];

  app.get(
    '/api/v1/me/notifications',
    {
      schema: {
        operationId: 'listNotifications',
        tags,
        description:
          'Your notifications, newest first, a page at a time (`unread=true`: only unread), and how many are unread. One per mail the security team gets: the project, the case id, what happened and a link; never report content.',
        querystring: notificationsQuery,
        response: { 200: notificationsPageSchema },
      },
    },
    async (request) => notifications.list(request.principal, request.query),
  );

  app.post(
    '/api/v1/me/notifications/read',
    {
      schema: {
        operationId: 'markNotificationsRead',
        tags,
        description:
          'Marks your notifications read: `{ ids }` (at most 200) or `{ all: true }`. Ids that are not yours are ignored; when none is, 404.',
        body: markReadBody,
        response: { 200: markReadResponse },
      },
    },
    async (request) => notifications.markRead(request.principal, request.body),
  );

  app.get(
    '/api/v1/me/notification-settings',
    {
      schema: {
        operationId: 'getNotificationSettings',
        tags,
        description:
          'How you hear of each team event: `mail` (the default), `digest` (a daily mail) or `none`.',
        response: { 200: settingsSchema },
      },
    },
    async (request) => notifications.getSettings(request.principal),
  );

  app.put(
    '/api/v1/me/notification-settings',
    {
      schema: {
        operationId: 'setNotificationSettings',
        tags,
        description:
          'Sets how you hear of the events named (`mail`, `digest` or `none`); the others keep theirs. An event that does not exist is a 400 naming it. You are notified in Vigil of every event whatever you choose.',
        body: settingsBody,
        response: { 200: settingsSchema },
      },
    },
    async (request) => notifications.setSettings(request.principal, request.body),
  );
}
