import { useState, type FormEvent } from 'react';
import * as api from '../../api/endpoints.js';
import type { Availability, Me } from '../../api/types.js';
import { DateTime } from '../../components/DateTime.js';
import { Field } from '../../components/Field.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { Loading, Notice } from '../../components/Status.js';
import { fieldIssues } from '../../field-issues.js';
import { useAsyncAction, useResource } from '../../hooks.js';

/** `yyyy-mm-dd` of an instant, in the user's time zone ('' for none). */
function localDate(iso: string | null, shiftMs = 0): string {
  if (!iso) return '';
  const d = new Date(Date.parse(iso) + shiftMs);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The first instant of a `yyyy-mm-dd` day in the user's time zone, `days` later; null for ''. */
function startOfDay(date: string, days = 0): string | null {
  if (!date) return null;
  const d = new Date(`${date}T00:00`);
  if (Number.isNaN(d.getTime())) return null;
  d.setDate(d.getDate() + days);
  return d.toISOString();
}

/**
 * When the signed-in user is away, by whole days in their time zone: the Fix Lead rotation skips
 * them then (PROCESS.md §6). "Away until" is the last day away.
 */
export function AvailabilityForm() {
  const me = useResource('me', (signal) => api.getMe(signal));
  if (!me.data) {
    return me.error ? <ProblemAlert error={me.error} /> : <Loading what="Loading your availability" />;
  }
  return (
    <AvailabilityEditor
      key={`${me.data.unavailableFrom}:${me.data.unavailableUntil}`}
      me={me.data}
      onSaved={me.reload}
    />
  );
}

function AvailabilityEditor({ me, onSaved }: { me: Me; onSaved: () => void }) {
  const [from, setFrom] = useState(localDate(me.unavailableFrom));
  // Stored as the first instant after the last day away.
  const [until, setUntil] = useState(localDate(me.unavailableUntil, -1));
  const { busy, error, run } = useAsyncAction();
  const [notice, setNotice] = useState('');
  const issues = fieldIssues(error, ['unavailableFrom', 'unavailableUntil']);
  const away = me.unavailableFrom !== null || me.unavailableUntil !== null;

  function save(next: Availability, message: string) {
    setNotice('');
    void run(async () => {
      await api.setAvailability(next);
      setNotice(message);
      onSaved();
    });
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    save(
      { unavailableFrom: startOfDay(from), unavailableUntil: startOfDay(until, 1) },
      'Your availability is saved.',
    );
  }

  return (
    <>
      <p className="hint">
        New cases get their Fix Lead round-robin over the security team; while you are away the rotation skips
        you, and someone else leads.
      </p>
      <p data-testid="availability">
        {away ? (
          <>
            You are away
            {me.unavailableFrom ? (
              <>
                {' '}
                from <DateTime value={me.unavailableFrom} />
              </>
            ) : null}
            {me.unavailableUntil ? (
              <>
                {' '}
                until <DateTime value={me.unavailableUntil} />
              </>
            ) : (
              ' until further notice'
            )}
            .
          </>
        ) : (
          'You are available: the rotation may choose you.'
        )}
      </p>
      <ProblemAlert
        error={error}
        title={error ? 'Your availability was not saved' : undefined}
        issues={issues.unclaimed}
      />
      <Notice>{notice}</Notice>
      <form className="inline-form" onSubmit={submit} aria-label="Availability">
        <Field
          label="Away from (first day)"
          type="date"
          value={from}
          onChange={(e) => setFrom(e.target.value)}
          error={issues.message('unavailableFrom', 'The first day')}
        />
        <Field
          label="Away until (last day)"
          type="date"
          min={from || undefined}
          value={until}
          onChange={(e) => setUntil(e.target.value)}
          error={issues.message('unavailableUntil', 'The last day')}
        />
        <button type="submit" disabled={busy || (from === '' && until === '')}>
          Save
        </button>
        {away ? (
          <button
            type="button"
            className="button-quiet"
            disabled={busy}
            onClick={() =>
              save({ unavailableFrom: null, unavailableUntil: null }, 'You are available again.')
            }
          >
            I am available
          </button>
        ) : null}
      </form>
    </>
  );
}
