import { useState, type FormEvent } from 'react';
import * as pub from '../../api/publication.js';
import { WEBHOOK_EVENTS } from '../../api/publication.js';
import type { CreatedWebhook, Webhook, WebhookEvent, WebhookKind } from '../../api/publication.js';
import { SecretPanel } from '../../components/CopyField.js';
import { DataTable } from '../../components/DataTable.js';
import { DateTime } from '../../components/DateTime.js';
import { CheckboxField, Field, FieldError, SelectField } from '../../components/Field.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { Loading, Notice } from '../../components/Status.js';
import { fieldIssues } from '../../field-issues.js';
import { useAsyncAction, useResource } from '../../hooks.js';

const KINDS: Record<WebhookKind, string> = {
  slack: 'Slack-compatible ({"text": …})',
  json: 'JSON (a versioned object)',
};

const ALL_EVENTS = Object.keys(WEBHOOK_EVENTS) as WebhookEvent[];

/**
 * Where the project's publications and the team's case events are posted (issues 10 and 13):
 * Slack-compatible or generic JSON webhooks, each message signed with a secret shown once when the
 * webhook is added, each webhook receiving the events checked for it. Change its events, remove it,
 * and each webhook's delivery log (state, attempts, the receiver's answer, the last error).
 */
export function WebhooksPanel({ slug }: { slug: string }) {
  const hooks = useResource(`webhooks:${slug}`, (signal) => pub.listProjectWebhooks(slug, signal));
  const [created, setCreated] = useState<CreatedWebhook | null>(null);
  const [notice, setNotice] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const removal = useAsyncAction();

  function remove(w: Webhook) {
    if (!window.confirm(`Remove the webhook “${w.label}” (${w.origin})? Nothing more is posted to it.`))
      return;
    setNotice('');
    void removal.run(async () => {
      await pub.removeProjectWebhook(slug, w.id);
      setNotice(`Removed the webhook “${w.label}”.`);
      if (open === w.id) setOpen(null);
      hooks.reload();
    });
  }

  return (
    <div data-testid="webhooks-panel">
      <p className="hint">
        Vigil posts to each webhook the events checked for it: at publication the advisory’s public fields
        (id, CVE id, summary, severity, address); for the team’s case events only the project, the case’s id
        and its link in Vigil (and a transition’s new state), never the report, its title, a message or who
        reported it. Each message is signed: <span className="mono">X-Vigil-Signature: sha256=…</span> is the
        HMAC-SHA256, keyed by the webhook’s secret, of <span className="mono">X-Vigil-Timestamp</span>, a dot,
        and the body. A delivery that times out or answers 5xx is retried with backoff, then shown failed.
      </p>
      <Notice>{notice}</Notice>
      <ProblemAlert error={removal.error} title="The webhook could not be removed" />
      <ProblemAlert error={hooks.error} title="The webhooks could not be loaded" />
      {created ? (
        <SecretPanel
          label={`Signing secret of “${created.label}”`}
          value={created.secret}
          warning="Copy it into the receiver now: Vigil keeps it encrypted and does not show it again."
          hideLabel="Done, hide the secret"
          onHide={() => setCreated(null)}
        />
      ) : null}
      {hooks.data === undefined ? (
        hooks.error ? null : (
          <Loading what="Loading the webhooks" />
        )
      ) : hooks.data.length === 0 ? (
        <p className="empty">No webhook yet.</p>
      ) : (
        <DataTable columns={['Label', 'Kind', 'Address', 'Events', 'Added']} actions aria-label="Webhooks">
          {hooks.data.map((w) => (
            <tr key={w.id}>
              <td>{w.label}</td>
              <td>{w.kind === 'slack' ? 'Slack-compatible' : 'JSON'}</td>
              <td className="mono">{w.origin}/…</td>
              <td>{w.events.length === ALL_EVENTS.length ? 'All events' : w.events.join(', ')}</td>
              <td>
                <DateTime value={w.createdAt} />
              </td>
              <td className="row-actions">
                <button
                  type="button"
                  className="button-small"
                  aria-expanded={editing === w.id}
                  onClick={() => setEditing(editing === w.id ? null : w.id)}
                >
                  Events<span className="visually-hidden"> of {w.label}</span>
                </button>{' '}
                <button
                  type="button"
                  className="button-small"
                  aria-expanded={open === w.id}
                  onClick={() => setOpen(open === w.id ? null : w.id)}
                >
                  Delivery log<span className="visually-hidden"> of {w.label}</span>
                </button>{' '}
                <button
                  type="button"
                  className="button-small"
                  disabled={removal.busy}
                  onClick={() => remove(w)}
                >
                  Remove<span className="visually-hidden"> {w.label}</span>
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {editing && hooks.data?.some((w) => w.id === editing) ? (
        <EditEventsForm
          slug={slug}
          webhook={hooks.data.find((w) => w.id === editing) as Webhook}
          onSaved={(w) => {
            setEditing(null);
            setNotice(`The webhook “${w.label}” now receives ${describeEvents(w.events)}.`);
            hooks.reload();
          }}
        />
      ) : null}
      {open ? <DeliveryLog slug={slug} webhookId={open} /> : null}
      <AddWebhookForm
        slug={slug}
        onAdded={(w) => {
          setNotice('');
          setCreated(w);
          hooks.reload();
        }}
      />
    </div>
  );
}

function DeliveryLog({ slug, webhookId }: { slug: string; webhookId: string }) {
  const log = useResource(`webhook-deliveries:${slug}:${webhookId}`, (signal) =>
    pub.listProjectWebhookDeliveries(slug, webhookId, signal),
  );
  if (!log.data) {
    return log.error ? (
      <ProblemAlert error={log.error} title="The delivery log could not be loaded" />
    ) : (
      <Loading what="Loading the delivery log" />
    );
  }
  const { webhook, deliveries } = log.data;
  return (
    <div className="panel" data-testid="webhook-deliveries">
      <h3>Deliveries to “{webhook.label}”</h3>
      {deliveries.length === 0 ? (
        <p className="empty">Nothing was posted to it yet.</p>
      ) : (
        <DataTable
          aria-label={`Deliveries to ${webhook.label}`}
          columns={['Case', 'Event', 'State', 'Attempts', 'Answer', 'Delivered', 'Last error']}
        >
          {deliveries.map((d) => (
            <tr key={d.id}>
              <td className="mono">{d.caseHumanId}</td>
              <td className="mono">
                {d.event}
                {d.detail ? ` → ${d.detail}` : ''}
              </td>
              <td>
                <span
                  className={
                    d.state === 'sent'
                      ? 'badge badge-success'
                      : d.state === 'failed'
                        ? 'badge badge-danger'
                        : 'badge'
                  }
                >
                  {d.state}
                </span>
              </td>
              <td className="num">{d.attempts}</td>
              <td className="num">{d.statusCode ?? '—'}</td>
              <td>
                <DateTime value={d.deliveredAt} />
              </td>
              <td className="prewrap">{d.lastError ?? '—'}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </div>
  );
}

function AddWebhookForm({ slug, onAdded }: { slug: string; onAdded: (w: CreatedWebhook) => void }) {
  const [url, setUrl] = useState('');
  const [label, setLabel] = useState('');
  const [kind, setKind] = useState<WebhookKind>('slack');
  const [events, setEvents] = useState<WebhookEvent[]>(ALL_EVENTS);
  const { busy, error, run } = useAsyncAction();
  const issues = fieldIssues(error, ['url', 'label', 'kind', 'events']);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    let added: CreatedWebhook | undefined;
    const ok = await run(async () => {
      added = await pub.createProjectWebhook(slug, { url: url.trim(), kind, label: label.trim(), events });
    });
    if (ok && added) {
      setUrl('');
      setLabel('');
      setEvents(ALL_EVENTS);
      onAdded(added);
    }
  }

  return (
    <form className="panel stack" onSubmit={(e) => void submit(e)} aria-labelledby="add-webhook-heading">
      <h3 id="add-webhook-heading">Add a webhook</h3>
      <ProblemAlert
        error={error}
        title={error ? 'The webhook was not added' : undefined}
        issues={issues.unclaimed}
      />
      <Field
        label="Label"
        hint="What the team calls it, e.g. Slack #announcements."
        required
        maxLength={100}
        value={label}
        onChange={(e) => setLabel(e.target.value)}
        error={issues.message('label', 'The label')}
      />
      <Field
        label="URL"
        hint="https, to a public host: Vigil refuses private and local addresses."
        type="url"
        required
        maxLength={2000}
        value={url}
        onChange={(e) => setUrl(e.target.value)}
        error={issues.message('url', 'The URL')}
      />
      <SelectField label="Kind" value={kind} onChange={(e) => setKind(e.target.value as WebhookKind)}>
        {(Object.keys(KINDS) as WebhookKind[]).map((k) => (
          <option key={k} value={k}>
            {KINDS[k]}
          </option>
        ))}
      </SelectField>
      <EventChoices
        legend="Events it receives"
        selected={events}
        onChange={setEvents}
        error={issues.message('events', 'The events')}
      />
      <div className="actions">
        <button type="submit" className="button-primary" disabled={busy || events.length === 0}>
          {busy ? 'Adding…' : 'Add webhook'}
        </button>
      </div>
    </form>
  );
}

function describeEvents(events: readonly WebhookEvent[]): string {
  return events.length === ALL_EVENTS.length ? 'every event' : events.join(', ');
}

/** One checkbox per event; at least one must stay checked (the API refuses none). */
function EventChoices({
  legend,
  selected,
  onChange,
  error,
}: {
  legend: string;
  selected: readonly WebhookEvent[];
  onChange: (events: WebhookEvent[]) => void;
  error?: string | undefined;
}) {
  return (
    <fieldset className="stack">
      <legend>{legend}</legend>
      {ALL_EVENTS.map((e) => (
        <CheckboxField
          key={e}
          label={`${WEBHOOK_EVENTS[e]} (${e})`}
          checked={selected.includes(e)}
          onChange={(ev) =>
            onChange(ALL_EVENTS.filter((x) => (x === e ? ev.target.checked : selected.includes(x))))
          }
        />
      ))}
      {selected.length === 0 ? <p className="hint">Check at least one event.</p> : null}
      <FieldError message={error} />
    </fieldset>
  );
}

function EditEventsForm({
  slug,
  webhook,
  onSaved,
}: {
  slug: string;
  webhook: Webhook;
  onSaved: (w: Webhook) => void;
}) {
  const [events, setEvents] = useState<WebhookEvent[]>(webhook.events);
  const { busy, error, run } = useAsyncAction();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    let saved: Webhook | undefined;
    const ok = await run(async () => {
      saved = await pub.updateProjectWebhook(slug, webhook.id, events);
    });
    if (ok && saved) onSaved(saved);
  }

  return (
    <form
      className="panel stack"
      onSubmit={(e) => void submit(e)}
      aria-label={`Events of ${webhook.label}`}
      data-testid="webhook-events"
    >
      <h3>Events posted to “{webhook.label}”</h3>
      <ProblemAlert error={error} title={error ? 'The events were not saved' : undefined} />
      <EventChoices legend="Events it receives" selected={events} onChange={setEvents} />
      <div className="actions">
        <button type="submit" className="button-primary" disabled={busy || events.length === 0}>
          {busy ? 'Saving…' : 'Save events'}
        </button>
      </div>
    </form>
  );
}
