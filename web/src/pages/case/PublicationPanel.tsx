import { useState } from 'react';
import * as pub from '../../api/publication.js';
import type { Publication, PublicationMessage } from '../../api/publication.js';
import type { CaseDetail } from '../../api/types.js';
import { DataTable } from '../../components/DataTable.js';
import { DateTime } from '../../components/DateTime.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { Alert } from '../../components/Status.js';
import { useAsyncAction, useResource } from '../../hooks.js';
import { FixPart } from './fix/FixPart.js';

type MessageState = PublicationMessage['state'];

/** Each message's state in words, with a badge class; never colour alone. */
const MESSAGE_STATES: Record<MessageState, { text: string; badge: string }> = {
  queued: { text: 'queued', badge: 'badge' },
  sent: { text: 'sent', badge: 'badge badge-success' },
  failed: { text: 'failed', badge: 'badge badge-danger' },
  cancelled: { text: 'not sent (moot)', badge: 'badge' },
};

const ENDED_BY: Record<string, string> = {
  published: 'published',
  rescheduled: 'rescheduled',
  cancelled: 'the case went back to work',
};

/**
 * The case's publication at the agreed instant (PROCESS.md §8): when it is due, whether it is held
 * and why (with the retry), and what each channel sent: the announcement per address, the "a fix
 * is coming" notice, the webhooks and the distributors' follow-ups.
 */
export function PublicationPanel({ c }: { c: CaseDetail }) {
  const found = useResource(`case-publication:${c.id}:${c.state}`, (signal) =>
    pub.getCasePublication(c.id, signal),
  );
  const [notice, setNotice] = useState('');
  const { busy, error, run } = useAsyncAction();
  const canManage = c.abilities['case.publication.manage'];

  function retry() {
    setNotice('');
    void run(async () => {
      await pub.retryCasePublication(c.id);
      setNotice('The publication is being tried now.');
      found.reload();
    });
  }

  return (
    <FixPart
      headingId="publication-heading"
      title="Publication"
      notice={notice}
      found={found}
      what="the publication"
    >
      {(p) => (
        <div data-testid="publication-panel">
          <Summary p={p} />
          <ProblemAlert error={error} title="The publication could not be retried" />
          {canManage && p.retryable ? (
            <div className="actions">
              <button type="button" className="button-primary" disabled={busy} onClick={retry}>
                {busy ? 'Retrying…' : 'Try the publication now'}
              </button>
            </div>
          ) : null}
          <Holds p={p} />
          <Channels p={p} />
        </div>
      )}
    </FixPart>
  );
}

function Summary({ p }: { p: Publication }) {
  switch (p.state) {
    case 'not-scheduled':
      return (
        <p data-testid="publication-state">
          Not scheduled yet: the publication is scheduled when the case’s disclosure instant is set.
        </p>
      );
    case 'scheduled':
      return (
        <p data-testid="publication-state">
          <span className="badge">scheduled</span> Vigil publishes the advisory at{' '}
          <DateTime value={p.scheduledFor} /> (the project’s zone is {p.timeZone}), once every required
          release is recorded as published.
        </p>
      );
    case 'held': {
      const open = p.holds.find((h) => h.endedAt === null);
      return (
        <Alert title="The publication is held" tone="warning">
          <p data-testid="publication-state">
            It was due at <DateTime value={p.scheduledFor} />. Vigil tries again every {p.retryMinutes}{' '}
            minutes; next attempt at <DateTime value={p.nextAttemptAt} />.
          </p>
          {open ? (
            <ul className="issues">
              {open.reasons.map((r, i) => (
                <li key={i}>{r}</li>
              ))}
            </ul>
          ) : null}
        </Alert>
      );
    }
    case 'published':
      return (
        <p data-testid="publication-state">
          <span className="badge badge-success">published</span> at <DateTime value={p.publishedAt} />
          {p.publishedBy ? ` by ${p.publishedBy}` : ''}.
        </p>
      );
    case 'cancelled':
      return (
        <p data-testid="publication-state">
          <span className="badge">cancelled</span> The case went back to work: the publication is scheduled
          again with its next disclosure instant.
        </p>
      );
  }
}

function Holds({ p }: { p: Publication }) {
  if (p.holds.length === 0) return null;
  return (
    <>
      <h3>Holds</h3>
      <DataTable columns={['Since', 'Until', 'Attempts', 'Alert sent', 'Blockers at the last attempt']}>
        {p.holds.map((h) => (
          <tr key={h.id}>
            <td>
              <DateTime value={h.startedAt} />
            </td>
            <td>
              {h.endedAt ? (
                <>
                  <DateTime value={h.endedAt} /> ({ENDED_BY[h.endedBy ?? ''] ?? h.endedBy})
                </>
              ) : (
                'still held'
              )}
            </td>
            <td className="num">{h.attempts}</td>
            <td>
              <DateTime value={h.alertedAt} empty="not yet" />
            </td>
            <td>
              <ul className="plain-list">
                {h.reasons.map((r, i) => (
                  <li key={i}>{r}</li>
                ))}
              </ul>
            </td>
          </tr>
        ))}
      </DataTable>
    </>
  );
}

function StateBadge({ state }: { state: MessageState }) {
  const s = MESSAGE_STATES[state];
  return <span className={s.badge}>{s.text}</span>;
}

function Messages({
  label,
  messages,
  empty,
}: {
  label: string;
  messages: (PublicationMessage & { organisation?: string | null })[];
  empty: string;
}) {
  if (messages.length === 0) return <p className="empty">{empty}</p>;
  const withOrg = messages.some((m) => m.organisation);
  return (
    <DataTable
      aria-label={label}
      columns={['Recipient', ...(withOrg ? ['Organisation'] : []), 'State', 'Attempts', 'Sent', 'Last error']}
    >
      {messages.map((m) => (
        <tr key={m.id}>
          <td>{m.recipient}</td>
          {withOrg ? <td>{m.organisation ?? '—'}</td> : null}
          <td>
            <StateBadge state={m.state} />
          </td>
          <td className="num">{m.attempts}</td>
          <td>
            <DateTime value={m.sentAt} />
          </td>
          <td className="prewrap">{m.lastError ?? '—'}</td>
        </tr>
      ))}
    </DataTable>
  );
}

function Channels({ p }: { p: Publication }) {
  return (
    <>
      <h3>Announcement</h3>
      {p.announcement.note ? <p className="hint">{p.announcement.note}</p> : null}
      <Messages
        label="Announcement messages"
        messages={p.announcement.messages}
        empty={
          p.announcement.addresses.length > 0
            ? `Mailed at publication to ${p.announcement.addresses.join(', ')}.`
            : 'The policy names no announcement address.'
        }
      />

      {p.fixComing.wanted || p.fixComing.messages.length > 0 ? (
        <>
          <h3>“A fix is coming” notice</h3>
          <p className="meta">
            Users told: <DateTime value={p.fixComing.usersToldAt} empty="not yet" />
            {p.fixComing.queuedFor ? (
              <>
                {' '}
                · the notice names <DateTime value={p.fixComing.queuedFor} />
              </>
            ) : null}
          </p>
          {p.fixComing.note ? <p className="hint">{p.fixComing.note}</p> : null}
          <Messages
            label="Fix-coming notices"
            messages={p.fixComing.messages}
            empty="Sent ahead of the instant, within the policy’s window, to the announcement addresses."
          />
        </>
      ) : null}

      <h3>Webhooks</h3>
      {p.webhooks.length === 0 ? (
        <p className="empty">Nothing was posted to a webhook for this case.</p>
      ) : (
        <DataTable
          aria-label="Webhook deliveries"
          columns={['Webhook', 'State', 'Attempts', 'Answer', 'Delivered', 'Last error']}
        >
          {p.webhooks.map((w) => (
            <tr key={w.id}>
              <td>
                {w.label}{' '}
                <span className="meta">
                  ({w.kind}, {w.origin})
                </span>
              </td>
              <td>
                <StateBadge state={w.state} />
              </td>
              <td className="num">{w.attempts}</td>
              <td className="num">{w.statusCode ?? '—'}</td>
              <td>
                <DateTime value={w.deliveredAt} />
              </td>
              <td className="prewrap">{w.lastError ?? '—'}</td>
            </tr>
          ))}
        </DataTable>
      )}

      <h3>Distributors’ follow-up</h3>
      <Messages
        label="Follow-ups to distributors"
        messages={p.followUps}
        empty="At publication, every person of each organisation the case was shared with is told the releases are out."
      />
    </>
  );
}
