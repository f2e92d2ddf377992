/** The notifications API's shapes: the list, marking read, and one's settings per event. */
import { z } from 'zod';
import { pageQuery } from '../../lib/pagination.js';
import { NOTIFICATION_MODES, TEAM_EVENTS } from './notification-events.js';

/** At most this many ids in one "mark read". */
export const MAX_READ_IDS = 200;

export const notificationsQuery = pageQuery.extend({
  unread: z.enum(['true', 'false']).optional().describe('`true`: only the unread ones.'),
});

export const notificationSchema = z.object({
  id: z.string(),
  /** The team mail kind it stands for. */
  event: z.string(),
  /** The mail's subject: the project's name, the case's id, what happened. Never content. */
  label: z.string(),
  /** A path in Vigil. */
  link: z.string(),
  projectName: z.string(),
  caseHumanId: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});

export const notificationsPageSchema = z.object({
  notifications: z.array(notificationSchema),
  nextCursor: z.string().nullable(),
  /** How many of one's notifications are unread (all pages). */
  unread: z.int(),
});

export const markReadBody = z.union([
  z.strictObject({ ids: z.array(z.string().max(64)).min(1).max(MAX_READ_IDS) }),
  z.strictObject({ all: z.literal(true) }),
]);

export const markReadResponse = z.object({ updated: z.int(), unread: z.int() });

const modeSchema = z.enum(NOTIFICATION_MODES);

export const settingsBody = z.strictObject({
  /** Event -> mode; events left out keep their setting. */
  events: z
    .record(z.string().max(100), modeSchema)
    .refine((r) => Object.keys(r).length <= 100, 'has too many events'),
});

export const settingsSchema = z.object({
  events: z.record(z.enum(TEAM_EVENTS), modeSchema),
  /** Each event in words, for the settings table. */
  descriptions: z.record(z.enum(TEAM_EVENTS), z.string()),
});
