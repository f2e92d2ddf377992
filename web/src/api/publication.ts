/**
 * Publication at the agreed instant and the project's webhooks (issue 10, PROCESS.md §8), as the
 * case page and the project page use them: types read from the API document, one function per
 * operation.
 */
import { answer, api, done } from './client.js';
import type { Answer, Body } from './types.js';

type Signal = AbortSignal | undefined;

export type Publication = Answer<'getCasePublication'>;
export type PublicationMessage = Publication['announcement']['messages'][number];
export type PublicationHold = Publication['holds'][number];
export type PublicationWebhook = Publication['webhooks'][number];
export type FollowUp = Publication['followUps'][number];

export type Webhook = Answer<'listProjectWebhooks'>['webhooks'][number];
export type CreatedWebhook = Answer<'createProjectWebhook'>;
export type NewWebhook = Body<'createProjectWebhook'>;
export type WebhookKind = NewWebhook['kind'];
export type WebhookEvent = Webhook['events'][number];

/** Every event a webhook may receive, in the API's order, with what it means to the team. */
export const WEBHOOK_EVENTS: Record<WebhookEvent, string> = {
  'advisory.published': 'An advisory is published (its public fields)',
  'case.received': 'A new report arrives',
  'case.reporter-message': 'The reporter writes',
  'case.first-response-due': 'A first response is due soon (reminders)',
  'case.overdue': 'A first response is overdue (escalation)',
  'case.transition': 'A case changes state (with the new state)',
  'case.undecryptable': 'A message to a case could not be read',
};
export type WebhookDeliveries = Answer<'listProjectWebhookDeliveries'>;
export type WebhookDelivery = WebhookDeliveries['deliveries'][number];

/** The case's publication: instant, state, holds, each channel's messages. */
export function getCasePublication(caseId: string, signal?: Signal): Promise<Publication> {
  return answer(api.GET('/api/v1/cases/{id}/publication', { params: { path: { id: caseId } }, signal }));
}

/** Tries a held publication now (and queues a fix-coming notice still owed). */
export function retryCasePublication(caseId: string): Promise<Publication> {
  return answer(api.POST('/api/v1/cases/{id}/publication/retry', { params: { path: { id: caseId } } }));
}

/** The project's active webhooks (their URLs' origins only). */
export function listProjectWebhooks(slug: string, signal?: Signal): Promise<Webhook[]> {
  return answer(api.GET('/api/v1/projects/{slug}/webhooks', { params: { path: { slug } }, signal })).then(
    (r) => r.webhooks,
  );
}

/** Adds a webhook; the answer carries its signing secret, shown only this once. */
export function createProjectWebhook(slug: string, body: NewWebhook): Promise<CreatedWebhook> {
  return answer(api.POST('/api/v1/projects/{slug}/webhooks', { params: { path: { slug } }, body }));
}

/** Sets the events a webhook receives. */
export function updateProjectWebhook(
  slug: string,
  webhookId: string,
  events: WebhookEvent[],
): Promise<Webhook> {
  return answer(
    api.PATCH('/api/v1/projects/{slug}/webhooks/{webhookId}', {
      params: { path: { slug, webhookId } },
      body: { events },
    }),
  );
}

/** Removes a webhook (its delivery log stays). */
export function removeProjectWebhook(slug: string, webhookId: string): Promise<void> {
  return done(
    api.DELETE('/api/v1/projects/{slug}/webhooks/{webhookId}', { params: { path: { slug, webhookId } } }),
  );
}

/** One webhook's newest 200 deliveries (the log's first page), newest first. */
export function listProjectWebhookDeliveries(
  slug: string,
  webhookId: string,
  signal?: Signal,
): Promise<WebhookDeliveries> {
  return answer(
    api.GET('/api/v1/projects/{slug}/webhooks/{webhookId}/deliveries', {
      params: { path: { slug, webhookId }, query: { limit: 200 } },
      signal,
    }),
  );
}
