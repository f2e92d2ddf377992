/** Responses of a case's publication (PROCESS.md §8): its instant, holds and each channel's outcome. */
import { z } from 'zod';
import { CASE_STATES } from '../../cases/case-transitions.js';
import { WEBHOOK_KINDS } from '../../webhooks/webhook-message.js';

export const PUBLICATION_VIEW_STATES = [
  'not-scheduled',
  'scheduled',
  'held',
  'published',
  'cancelled',
] as const;
export const MESSAGE_STATES = ['queued', 'sent', 'failed', 'cancelled'] as const;

const messageSchema = z.object({
  id: z.string(),
  recipient: z.string(),
  state: z.enum(MESSAGE_STATES),
  attempts: z.number(),
  lastError: z.string().nullable(),
  sentAt: z.string().nullable(),
});

export const publicationSchema = z.object({
  caseId: z.string(),
  humanId: z.string(),
  caseState: z.enum(CASE_STATES),
  state: z.enum(PUBLICATION_VIEW_STATES),
  /** The agreed instant (the case's disclosure instant when nothing is scheduled yet). */
  scheduledFor: z.string().nullable(),
  timeZone: z.string(),
  nextAttemptAt: z.string().nullable(),
  publishedAt: z.string().nullable(),
  publishedBy: z.string().nullable(),
  retryMinutes: z.number(),
  /** What a retry would do now: try a held publication, queue a notice still owed. */
  retryable: z.boolean(),
  holds: z.array(
    z.object({
      id: z.string(),
      startedAt: z.string(),
      endedAt: z.string().nullable(),
      endedBy: z.enum(['published', 'rescheduled', 'cancelled']).nullable(),
      reasons: z.array(z.string()),
      attempts: z.number(),
      lastAttemptAt: z.string(),
      alertedAt: z.string().nullable(),
    }),
  ),
  announcement: z.object({
    /** The policy's announcement addresses. */
    addresses: z.array(z.string()),
    note: z.string().nullable(),
    messages: z.array(messageSchema),
  }),
  fixComing: z.object({
    /** The policy tells users a fix is coming (Emissary's window). */
    wanted: z.boolean(),
    /** The release instant the notice was queued for. */
    queuedFor: z.string().nullable(),
    usersToldAt: z.string().nullable(),
    note: z.string().nullable(),
    messages: z.array(messageSchema),
  }),
  followUps: z.array(messageSchema.extend({ organisation: z.string().nullable() })),
  webhooks: z.array(
    z.object({
      id: z.string(),
      webhookId: z.string(),
      label: z.string(),
      kind: z.enum(WEBHOOK_KINDS),
      origin: z.string(),
      state: z.enum(MESSAGE_STATES),
      attempts: z.number(),
      statusCode: z.number().nullable(),
      lastError: z.string().nullable(),
      deliveredAt: z.string().nullable(),
    }),
  ),
});
export type PublicationView = z.infer<typeof publicationSchema>;
