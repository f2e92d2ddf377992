/**
 * Whether the instance's mail goes out (the banner: admins and security-team members) and the
 * admins' mail queue. Types read from the API document.
 */
import { answer, api } from './client.js';
import type { Answer } from './types.js';

type Signal = AbortSignal | undefined;

export type MailStatus = Answer<'getMailStatus'>;
export type MailQueuePage = Answer<'getMailQueue'>;
export type MailJob = MailQueuePage['jobs'][number];

/** ok, not-configured or failing; a 404 for whoever is neither an admin nor on a security team. */
export function getMailStatus(signal?: Signal): Promise<MailStatus> {
  return answer(api.GET('/api/v1/mail-status', { signal }));
}

/** A page of the mail queue, newest first; `cursor` is the previous page's `nextCursor`. */
export function getMailQueue(cursor?: string, signal?: Signal): Promise<MailQueuePage> {
  return answer(
    api.GET('/api/v1/admin/mail-queue', {
      params: { query: { limit: 50, ...(cursor !== undefined && { cursor }) } },
      signal,
    }),
  );
}
