/**
 * Requests and responses of a project's webhooks (issue 10: announcements to chat and tools; issue
 * 13: the team's case events). Bounded.
 */
import { z } from 'zod';
import { boundedLine } from '../../lib/bounded.js';
import { slugParams } from '../projects/projects.schemas.js';
import { WEBHOOK_EVENTS, WEBHOOK_KINDS } from './webhook-message.js';
import { MAX_WEBHOOK_URL_CHARS } from './webhook-url.js';

export const webhookParams = slugParams.extend({ webhookId: z.uuid() });

/** The events a webhook receives: at least one, each once. */
export const webhookEventsInput = z
  .array(z.enum(WEBHOOK_EVENTS))
  .min(1, 'must name at least one event')
  .max(WEBHOOK_EVENTS.length)
  .refine((events) => new Set(events).size === events.length, 'must name each event once');

export const createWebhookInput = z.strictObject({
  /** https, to a public host (checked again at each delivery). */
  url: z.string().trim().min(1).max(MAX_WEBHOOK_URL_CHARS),
  kind: z.enum(WEBHOOK_KINDS),
  /** What the team calls it: "Slack #announcements". */
  label: boundedLine(100).min(1, 'is required: what the team calls this webhook'),
  /** What it receives; absent: every event (`advisory.published` and the team's case events). */
  events: webhookEventsInput.optional(),
});
export type CreateWebhookInput = z.infer<typeof createWebhookInput>;

export const updateWebhookInput = z.strictObject({ events: webhookEventsInput });
export type UpdateWebhookInput = z.infer<typeof updateWebhookInput>;

export const DELIVERY_STATES = ['queued', 'sent', 'failed'] as const;

export const webhookSchema = z.object({
  id: z.string(),
  kind: z.enum(WEBHOOK_KINDS),
  label: z.string(),
  /** Only the URL's origin: its path may be a credential (a Slack hook). */
  origin: z.string(),
  state: z.enum(['active', 'removed']),
  /** The events it receives. */
  events: z.array(z.enum(WEBHOOK_EVENTS)),
  createdAt: z.string(),
  removedAt: z.string().nullable(),
});

export const webhookListSchema = z.object({ webhooks: z.array(webhookSchema) });

/** The answer to creating a webhook: the only time its signing secret is shown. */
export const createdWebhookSchema = webhookSchema.extend({
  secret: z.string(),
  signature: z.string(),
});

export const webhookDeliverySchema = z.object({
  id: z.string(),
  caseHumanId: z.string(),
  event: z.enum(WEBHOOK_EVENTS),
  /** A transition's new state; null for the other events. */
  detail: z.string().nullable(),
  state: z.enum(DELIVERY_STATES),
  attempts: z.number(),
  statusCode: z.number().nullable(),
  lastError: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
});

export const webhookDeliveriesSchema = z.object({
  webhook: webhookSchema,
  deliveries: z.array(webhookDeliverySchema),
  /** The next (older) page of `deliveries`: pass as `cursor`; null on the last page. */
  nextCursor: z.string().nullable(),
});
