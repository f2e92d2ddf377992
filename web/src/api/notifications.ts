/**
 * One's notifications (one per mail the security team gets: the project, the case, what happened
 * and a link, never report content), marking them read, and how one hears of each event.
 */
import { answer, api } from './client.js';
import type { Answer, Body } from './types.js';

type Signal = AbortSignal | undefined;

export type NotificationsPage = Answer<'listNotifications'>;
export type Notification = NotificationsPage['notifications'][number];
export type NotificationSettings = Answer<'getNotificationSettings'>;
export type NotificationMode = NotificationSettings['events'][keyof NotificationSettings['events']];

/** A page of one's notifications, newest first, with the unread count. */
export function listNotifications(
  options: { cursor?: string | undefined; limit?: number; unread?: boolean } = {},
  signal?: Signal,
): Promise<NotificationsPage> {
  return answer(
    api.GET('/api/v1/me/notifications', {
      signal,
      params: {
        query: {
          limit: options.limit ?? 50,
          ...(options.cursor !== undefined && { cursor: options.cursor }),
          ...(options.unread && { unread: 'true' as const }),
        },
      },
    }),
  );
}

/** Marks these notifications (or all) read; answers the unread count after. */
export function markNotificationsRead(
  which: Body<'markNotificationsRead'>,
): Promise<Answer<'markNotificationsRead'>> {
  return answer(api.POST('/api/v1/me/notifications/read', { body: which }));
}

export function getNotificationSettings(signal?: Signal): Promise<NotificationSettings> {
  return answer(api.GET('/api/v1/me/notification-settings', { signal }));
}

export function setNotificationSettings(
  events: Body<'setNotificationSettings'>['events'],
): Promise<NotificationSettings> {
  return answer(api.PUT('/api/v1/me/notification-settings', { body: { events } }));
}

/** Tells the header's bell that the unread count changed (a page marked some read). */
export const NOTIFICATIONS_CHANGED = 'vigil:notifications-changed';
export function announceNotificationsChanged(): void {
  window.dispatchEvent(new Event(NOTIFICATIONS_CHANGED));
}
