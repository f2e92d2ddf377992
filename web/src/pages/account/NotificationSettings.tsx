import { useState, type FormEvent } from 'react';
import {
  getNotificationSettings,
  setNotificationSettings,
  type NotificationMode,
  type NotificationSettings as Settings,
} from '../../api/notifications.js';
import { DataTable } from '../../components/DataTable.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { Loading, Notice } from '../../components/Status.js';
import { useAsyncAction, useResource } from '../../hooks.js';

const MODES: { mode: NotificationMode; label: string }[] = [
  { mode: 'mail', label: 'Mail' },
  { mode: 'digest', label: 'Daily digest' },
  { mode: 'none', label: 'None' },
];

/**
 * How the signed-in person hears of each team event: a mail each time (the default), a line in one
 * daily mail, or only the notification in Vigil (which comes whatever they choose).
 */
export function NotificationSettings() {
  const settings = useResource('notification-settings', (signal) => getNotificationSettings(signal));
  if (!settings.data) {
    return settings.error ? (
      <ProblemAlert error={settings.error} />
    ) : (
      <Loading what="Loading your notification settings" />
    );
  }
  return <SettingsEditor key={JSON.stringify(settings.data.events)} settings={settings.data} />;
}

function SettingsEditor({ settings }: { settings: Settings }) {
  const [events, setEvents] = useState<Record<string, NotificationMode>>(settings.events);
  const { busy, error, run } = useAsyncAction();
  const [notice, setNotice] = useState('');
  const names = Object.keys(settings.events) as (keyof Settings['events'] & string)[];

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setNotice('');
    void run(async () => {
      const saved = await setNotificationSettings(events as Settings['events']);
      setEvents(saved.events);
      setNotice('Your notification settings are saved.');
    });
  }

  return (
    <form onSubmit={submit} aria-label="Notification settings">
      <p className="hint">
        Every event also shows under Notifications (the bell), whatever you choose here. The daily digest goes
        once a day, at 07:00 UTC.
      </p>
      <ProblemAlert error={error} title={error ? 'Your settings were not saved' : undefined} />
      <Notice>{notice}</Notice>
      <DataTable columns={['Event', ...MODES.map((m) => m.label)]}>
        {names.map((name) => {
          const description = String(settings.descriptions[name] ?? name);
          return (
            <tr key={name}>
              <th scope="row" id={`notify-${name}`}>
                {description.charAt(0).toUpperCase() + description.slice(1)}
              </th>
              {MODES.map(({ mode, label }) => (
                <td key={mode}>
                  <input
                    type="radio"
                    name={`notify-${name}`}
                    value={mode}
                    checked={events[name] === mode}
                    aria-label={`${description}: ${label}`}
                    onChange={() => setEvents((e) => ({ ...e, [name]: mode }))}
                  />
                </td>
              ))}
            </tr>
          );
        })}
      </DataTable>
      <button type="submit" disabled={busy}>
        Save notification settings
      </button>
    </form>
  );
}
