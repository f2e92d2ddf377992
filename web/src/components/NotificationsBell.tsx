import { useEffect, useState } from 'react';
import { listNotifications, NOTIFICATIONS_CHANGED } from '../api/notifications.js';
import { Link, useLocation } from '../router.js';

/** How often the bell asks for the unread count while the page stays open. */
const POLL_MS = 60_000;

/**
 * The header's bell: a link to /notifications whose name says how many are unread ("Notifications
 * 3 unread"; the number shows, "unread" is for screen readers). It asks on every navigation, every minute, and when a page marks some read.
 */
export function NotificationsBell() {
  const { pathname } = useLocation();
  const [unread, setUnread] = useState<number | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const again = () => setTick((t) => t + 1);
    const timer = window.setInterval(again, POLL_MS);
    window.addEventListener(NOTIFICATIONS_CHANGED, again);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener(NOTIFICATIONS_CHANGED, again);
    };
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    listNotifications({ limit: 1, unread: true }, controller.signal).then(
      (page) => setUnread(page.unread),
      // The count is a hint: a failed poll keeps the last one.
      () => undefined,
    );
    return () => controller.abort();
  }, [pathname, tick]);

  return (
    <Link
      to="/notifications"
      className="bell"
      aria-current={pathname === '/notifications' ? 'page' : undefined}
      data-testid="notifications-bell"
    >
      <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
        <path
          fill="currentColor"
          d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1z"
        />
      </svg>
      {/* Its name, read from the text: "Notifications 3 unread" ("unread" unseen), "Notifications (none unread)". */}
      <span>
        <span className="bell-text">Notifications</span>
        {unread === null ? null : unread === 0 ? (
          <span className="visually-hidden"> (none unread)</span>
        ) : (
          <>
            <span className="bell-count" data-testid="notifications-unread">
              {unread > 99 ? '99+' : unread}
            </span>
            <span className="visually-hidden"> unread</span>
          </>
        )}
      </span>
    </Link>
  );
}
