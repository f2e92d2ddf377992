/**
 * The events a person is notified of (issue 13, item 3): every mail to the security team, by its
 * template kind, and how each person wants to hear of each: a mail per event (the default), a line
 * in a daily digest, or only the in-app notification.
 */
import { DIGEST_EVENTS, type DigestEvent } from '../../mail/templates/digest-team.template.js';

/** The team mail kinds: each is a notification event. */
export const TEAM_EVENTS = Object.keys(DIGEST_EVENTS) as [DigestEvent, ...DigestEvent[]];
export type TeamEvent = DigestEvent;

export const NOTIFICATION_MODES = ['mail', 'digest', 'none'] as const;
export type NotificationMode = (typeof NOTIFICATION_MODES)[number];
export const DEFAULT_MODE: NotificationMode = 'mail';

export function isTeamEvent(event: string): event is TeamEvent {
  return Object.hasOwn(DIGEST_EVENTS, event);
}
