import { useState } from 'react';
import {
  announceNotificationsChanged,
  listNotifications,
  markNotificationsRead,
  type Notification,
} from '../api/notifications.js';
import { DateTime } from '../components/DateTime.js';
import { ProblemAlert } from '../components/ProblemAlert.js';
import { Loading, Notice } from '../components/Status.js';
import { useAsyncAction, useResource, useTitle } from '../hooks.js';
import { Link, navigate } from '../router.js';

/**
 * One's notifications, newest first: one per mail the security team got (whatever one's mail
 * settings), each the project, the case, what happened and a link; never report content. Opening
 * one marks it read; "Mark all read" clears the bell.
 */
export function NotificationsPage() {
  useTitle('Notifications');
  const first = useResource('notifications', (signal) => listNotifications({}, signal));
  const [more, setMore] = useState<Notification[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [readIds, setReadIds] = useState<Set<string>>(new Set());
  const [allRead, setAllRead] = useState(false);
  const [notice, setNotice] = useState('');
  const action = useAsyncAction();

  if (!first.data) {
    return (
      <>
        <h1>Notifications</h1>
        {first.error ? <ProblemAlert error={first.error} /> : <Loading what="Loading your notifications" />}
      </>
    );
  }
  const items = [...first.data.notifications, ...more];
  const next = cursor === undefined ? first.data.nextCursor : cursor;
  const isRead = (n: Notification) => allRead || n.readAt !== null || readIds.has(n.id);
  const unread = items.filter((n) => !isRead(n)).length;

  function open(n: Notification) {
    void action.run(async () => {
      if (!isRead(n)) {
        await markNotificationsRead({ ids: [n.id] });
        announceNotificationsChanged();
      }
      navigate(n.link);
    });
  }

  function markAll() {
    setNotice('');
    void action.run(async () => {
      await markNotificationsRead({ all: true });
      setAllRead(true);
      setReadIds(new Set(items.map((n) => n.id)));
      setNotice('All your notifications are marked read.');
      announceNotificationsChanged();
    });
  }

  function loadMore() {
    if (!next) return;
    void action.run(async () => {
      const page = await listNotifications({ cursor: next });
      setMore((m) => [...m, ...page.notifications]);
      setCursor(page.nextCursor);
    });
  }

  return (
    <>
      <h1>Notifications</h1>
      <p className="hint">
        Everything the security teams you are on were told, as mail and here: the project, the case and what
        happened, never what a report says. Choose which events also come by mail, in a daily digest, or only
        here, under <Link to="/account#notification-settings-heading">Account</Link>.
      </p>
      <ProblemAlert error={action.error} title={action.error ? 'That did not work' : undefined} />
      <Notice>{notice}</Notice>
      {items.length === 0 ? (
        <p>No notifications yet.</p>
      ) : (
        <>
          <p>
            <button type="button" onClick={markAll} disabled={action.busy || unread === 0}>
              Mark all read
            </button>
          </p>
          <ul className="notification-list" aria-label="Your notifications">
            {items.map((n) => (
              <li key={n.id} className={isRead(n) ? 'notification' : 'notification notification-unread'}>
                <a
                  href={n.link}
                  onClick={(e) => {
                    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
                    e.preventDefault();
                    open(n);
                  }}
                >
                  {n.label}
                </a>
                {isRead(n) ? null : <span className="badge badge-warning">Unread</span>}
                <span className="meta">
                  {' '}
                  <DateTime value={n.createdAt} />
                </span>
              </li>
            ))}
          </ul>
          {next ? (
            <button type="button" className="button-quiet" onClick={loadMore} disabled={action.busy}>
              Show older
            </button>
          ) : null}
        </>
      )}
    </>
  );
}
