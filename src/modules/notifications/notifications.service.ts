/**
 * One's own notifications (issue 13, item 3): the list (keyset pages, newest first) with the unread
 * count, marking read (only one's own rows: another's id is not found), and the setting per team
 * event (mail, digest, none). Each person sees only their own rows, whatever projects they are on.
 */
import { appendAuditEvent } from '../../audit/audit.log.js';
import { actorOf } from '../../authz/access.js';
import { authorize, type Principal } from '../../authz/authz.policy.js';
import type { Db } from '../../db/connection.js';
import type { Clock } from '../../lib/clock.js';
import type { Keyring } from '../../lib/crypto/keyring.js';
import { BadFieldError, NotFoundError, UnauthenticatedError } from '../../lib/errors.js';
import { cursorKey, keysetPage, lazyCursorCodec } from '../../lib/list-page.js';
import { DIGEST_EVENTS } from '../../mail/templates/digest-team.template.js';
import {
  DEFAULT_MODE,
  isTeamEvent,
  TEAM_EVENTS,
  type NotificationMode,
  type TeamEvent,
} from './notification-events.js';
import * as repo from './notifications.repo.js';

export interface NotificationsDeps {
  db: Db;
  clock: Clock;
  cipher: Pick<Keyring, 'encryptField' | 'decryptField'>;
}

export type NotificationsService = ReturnType<typeof createNotificationsService>;

function selfId(principal: Principal): string {
  authorize(principal, 'self.manage');
  if (principal.kind !== 'user') throw new UnauthenticatedError();
  return principal.userId;
}

export function createNotificationsService(deps: NotificationsDeps) {
  const k = deps.db.kysely;
  const { clock } = deps;
  const cursors = lazyCursorCodec(deps);

  async function settings(userId: string) {
    const set = new Map((await repo.listSettings(k, userId)).map((r) => [r.event, r.mode]));
    const events = Object.fromEntries(
      TEAM_EVENTS.map((e) => [e, (set.get(e) as NotificationMode | undefined) ?? DEFAULT_MODE]),
    ) as Record<TeamEvent, NotificationMode>;
    return { events, descriptions: { ...DIGEST_EVENTS } as Record<TeamEvent, string> };
  }

  return {
    /** One's notifications, newest first, a page at a time, and how many are unread. */
    async list(
      principal: Principal,
      query: { limit: number; cursor?: string | undefined; unread?: 'true' | 'false' | undefined },
    ) {
      const userId = selfId(principal);
      const unreadOnly = query.unread === 'true';
      const codec = await cursors();
      const filter = { userId, unread: unreadOnly };
      const before = cursorKey(codec.decode('me.notifications', filter, query.cursor), ['string', 'string']);
      const { rows, nextCursor } = keysetPage(
        await repo.listNotifications(k, userId, unreadOnly, before, query.limit + 1),
        query.limit,
        (last) => codec.encode('me.notifications', filter, [last.created_at, last.id]),
      );
      return {
        notifications: rows.map((n) => ({
          id: n.id,
          event: n.event,
          label: n.label,
          link: n.link,
          projectName: n.project_name,
          caseHumanId: n.case_human_id ?? null,
          createdAt: n.created_at,
          readAt: n.read_at,
        })),
        nextCursor,
        unread: await repo.countUnread(k, userId),
      };
    },

    /**
     * Marks one's notifications read: these ids, or all. Ids of nobody's or another person's
     * notifications are ignored; when none of the ids is one's own, 404.
     */
    async markRead(principal: Principal, input: { ids: string[] } | { all: true }) {
      const userId = selfId(principal);
      const at = clock.now().toISOString();
      const all = 'all' in input;
      const own = all ? 'all' : await repo.ownIds(k, userId, [...new Set(input.ids)]);
      if (own !== 'all' && own.length === 0) throw new NotFoundError('The notification');
      // A change of one's own read state, audited like any other (nothing read again: no event).
      const updated = await k.transaction().execute(async (trx) => {
        const n = await repo.markRead(trx, userId, own, at);
        if (n > 0) {
          await appendAuditEvent(trx, clock, {
            actor: actorOf(principal),
            action: 'user.notifications_read',
            subject: { type: 'user', id: userId },
            data: { count: n, all },
          });
        }
        return n;
      });
      return { updated, unread: await repo.countUnread(k, userId) };
    },

    /** One's mode for every team event (mail unless set otherwise). */
    async getSettings(principal: Principal) {
      return settings(selfId(principal));
    },

    /** Sets one's mode for the events named; an event that does not exist is a 400 naming it. */
    async setSettings(principal: Principal, input: { events: Record<string, NotificationMode> }) {
      const userId = selfId(principal);
      for (const event of Object.keys(input.events)) {
        if (!isTeamEvent(event)) {
          throw new BadFieldError(
            `body.events.${event.slice(0, 100)}`,
            `is not a notification event (one of ${TEAM_EVENTS.join(', ')})`,
          );
        }
      }
      const now = clock.now().toISOString();
      await k.transaction().execute(async (trx) => {
        for (const [event, mode] of Object.entries(input.events)) {
          await repo.upsertSetting(trx, { user_id: userId, event, mode, updated_at: now });
        }
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'user.notification_settings_set',
          subject: { type: 'user', id: userId },
          data: { events: input.events },
        });
      });
      return settings(userId);
    },
  };
}
