import { useState, type FormEvent } from 'react';
import * as early from '../../../api/early-disclosure.js';
import type { EarlyCopy, EarlyDisclosure, EarlyRecipient, EarlySend } from '../../../api/early-disclosure.js';
import type { CaseDetail } from '../../../api/types.js';
import { DataTable } from '../../../components/DataTable.js';
import { DateTime } from '../../../components/DateTime.js';
import { CheckboxField, Field } from '../../../components/Field.js';
import { ProblemAlert } from '../../../components/ProblemAlert.js';
import { fieldIssues } from '../../../field-issues.js';
import { useAsyncAction, useResource } from '../../../hooks.js';
import { Link } from '../../../router.js';
import { FixPart } from './FixPart.js';
import { fromDateTimeLocal, toDateTimeLocal } from './fix-words.js';

const KEY_WORDS: Record<EarlyRecipient['key']['state'], string> = {
  none: 'no key',
  ok: 'key ok',
  unparsable: 'key unreadable',
  expired: 'key expired',
  'cannot-encrypt': 'key cannot encrypt',
};

const DELIVERY_WORDS: Record<EarlyRecipient['delivery'], string> = {
  encrypted: 'encrypted to their key',
  plain: 'in clear (no key)',
  blocked: 'refused: key fails',
  withheld: 'nothing: embargo not accepted',
};

const COPY_WORDS: Record<EarlyCopy['state'], string> = {
  queued: 'queued',
  accepted: 'accepted by the mail server',
  failed: 'failed',
  cancelled: 'not sent',
};

const LEFT_OUT_WORDS: Record<string, string> = {
  'embargo-not-accepted': 'has not accepted the embargo text',
  'has-this-revision': 'had this revision already',
  excluded: 'left out by the team',
  'excluded-key-expired': 'left out: key expired',
  'excluded-key-unparsable': 'left out: key unreadable',
  'excluded-key-cannot-encrypt': 'left out: key cannot encrypt',
};

function deliveryBadge(r: EarlyRecipient): string {
  if (r.delivery === 'blocked') return 'badge badge-danger';
  if (r.delivery === 'withheld') return 'badge badge-warning';
  return r.delivery === 'encrypted' ? 'badge badge-success' : 'badge';
}

function copyBadge(state: EarlyCopy['state']): string {
  if (state === 'accepted') return 'badge badge-success';
  if (state === 'failed') return 'badge badge-danger';
  return state === 'cancelled' ? 'badge badge-warning' : 'badge';
}

/**
 * Early disclosure (PROCESS.md §7): before sending, each person of the project's distributors list
 * and what a send would do for them (their key's problems first: a key that fails is never sent in
 * clear); the send, confirmed in a second step; and every send's delivery log, per copy.
 */
export function EarlyDisclosurePanel({ c }: { c: CaseDetail }) {
  const found = useResource(`early-disclosure:${c.id}:${c.state}`, (signal) =>
    early.getEarlyDisclosure(c.id, signal),
  );
  const [notice, setNotice] = useState('');
  return (
    <FixPart
      headingId="early-disclosure-heading"
      title="Early disclosure"
      notice={notice}
      found={found}
      what="the early disclosure"
    >
      {(data) => (
        <div className="stack" data-testid="early-disclosure">
          {!data.list.enabled ? (
            <p className="empty">
              The project’s policy has no distributors list: it sends no distributors’ notice.
            </p>
          ) : (
            <>
              <Preflight data={data} />
              {c.abilities['case.early-disclosure.send'] && data.canSend ? (
                <SendForm
                  c={c}
                  data={data}
                  onSent={(sent) => {
                    setNotice(sent);
                    found.reload();
                  }}
                />
              ) : null}
            </>
          )}
          {data.sends.map((s) => (
            <DeliveryLog key={s.sendId} send={s} recipients={data.recipients} />
          ))}
          {c.abilities['case.leak.trace'] && data.sends.length > 0 ? (
            <p>
              <Link to={`/cases/${encodeURIComponent(c.humanId)}/leak-trace`}>Trace a leaked copy</Link> to
              the person it was sent to.
            </p>
          ) : null}
        </div>
      )}
    </FixPart>
  );
}

function Preflight({ data }: { data: EarlyDisclosure }) {
  const count = (d: EarlyRecipient['delivery']) => data.recipients.filter((r) => r.delivery === d).length;
  return (
    <>
      <p className="meta">
        {data.list.name ?? 'The distributors list'}
        {data.advisory
          ? `: the notice of advisory ${data.advisory.advisoryId}, revision ${data.advisory.revision} (${data.advisory.state}), without its CVE id.`
          : '.'}
      </p>
      {data.blockers.length > 0 ? (
        <div data-testid="early-disclosure-blockers">
          <p>Nothing can be sent now:</p>
          <ul className="issues">
            {data.blockers.map((b, i) => (
              <li key={i}>{b}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {data.recipients.length > 0 ? (
        <>
          <p data-testid="early-disclosure-summary">
            {count('encrypted')} encrypted, {count('plain')} in clear, {count('blocked')} refused for a key
            that fails, {count('withheld')} withheld until they accept the embargo text.
          </p>
          <DataTable
            columns={['Person', 'Organisation', 'Embargo text', 'OpenPGP key', 'A send now']}
            data-testid="early-disclosure-recipients"
          >
            {data.recipients.map((r) => (
              <tr key={r.personId}>
                <td>
                  {r.name}
                  <br />
                  <span className="meta">{r.email}</span>
                </td>
                <td>{r.orgName}</td>
                <td>{r.embargoAccepted ? 'accepted' : 'not accepted'}</td>
                <td>
                  {KEY_WORDS[r.key.state]}
                  {r.key.fingerprint ? (
                    <>
                      <br />
                      <span className="mono meta">{r.key.fingerprint}</span>
                    </>
                  ) : null}
                  {r.key.problem ? <p className="field-error">{r.key.problem}</p> : null}
                </td>
                <td>
                  <span className={deliveryBadge(r)}>{DELIVERY_WORDS[r.delivery]}</span>
                  {r.hasCurrentRevision ? <p className="meta">has this revision already</p> : null}
                </td>
              </tr>
            ))}
          </DataTable>
        </>
      ) : null}
    </>
  );
}

function SendForm({
  c,
  data,
  onSent,
}: {
  c: CaseDetail;
  data: EarlyDisclosure;
  onSent: (notice: string) => void;
}) {
  const [releaseAt, setReleaseAt] = useState(toDateTimeLocal(data.releaseAt));
  const [excluded, setExcluded] = useState<ReadonlySet<string>>(new Set());
  const [confirming, setConfirming] = useState(false);
  const { busy, error, run } = useAsyncAction();
  const issues = fieldIssues(error, ['releaseAt']);
  const candidates = data.recipients.filter((r) => r.delivery !== 'withheld' && !r.hasCurrentRevision);
  const blocked = candidates.filter((r) => r.delivery === 'blocked');
  const going = candidates.filter((r) => r.delivery !== 'blocked' && !excluded.has(r.personId));
  const unresolved = blocked.filter((r) => !excluded.has(r.personId));

  function toggle(personId: string, on: boolean) {
    const next = new Set(excluded);
    if (on) next.add(personId);
    else next.delete(personId);
    setExcluded(next);
  }

  function ask(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setConfirming(true);
  }

  async function send() {
    const ok = await run(async () => {
      const at = fromDateTimeLocal(releaseAt);
      const sent = await early.sendEarlyDisclosure(c.id, {
        ...(at ? { releaseAt: at } : {}),
        exclude: [...excluded],
        ...(data.advisory ? { advisoryRevision: data.advisory.revision } : {}),
      });
      onSent(
        `The notice went to ${sent.sent.copies} ${sent.sent.copies === 1 ? 'person' : 'people'} (${sent.sent.encrypted} encrypted), each with their own copy.`,
      );
    });
    setConfirming(false);
    if (ok) setExcluded(new Set());
  }

  return (
    <form className="panel stack" onSubmit={ask} aria-label="Send the distributors’ notice">
      <h3>Send the notice</h3>
      <ProblemAlert
        error={error}
        title={error ? 'The notice was not sent' : undefined}
        issues={issues.unclaimed}
      />
      <Field
        label="Planned release"
        type="datetime-local"
        required={!data.releaseAt}
        hint={
          data.releaseAt
            ? 'The agreed disclosure date; change it only to name another planned instant.'
            : 'No disclosure date is agreed yet: the notice names this planned instant.'
        }
        value={releaseAt}
        onChange={(e) => setReleaseAt(e.target.value)}
        error={issues.message('releaseAt', 'The planned release')}
      />
      {blocked.length > 0 ? (
        <fieldset>
          <legend>Keys that fail: the notice is never sent in clear to these people</legend>
          {blocked.map((r) => (
            <CheckboxField
              key={r.personId}
              label={`Leave out ${r.name} (${r.orgName}): ${KEY_WORDS[r.key.state]}`}
              checked={excluded.has(r.personId)}
              onChange={(e) => toggle(r.personId, e.target.checked)}
            />
          ))}
        </fieldset>
      ) : null}
      {unresolved.length > 0 ? (
        <p className="warning">Leave out everyone whose key fails (or have them fix it) before sending.</p>
      ) : null}
      {confirming ? (
        <div className="alert alert-warning" role="alertdialog" aria-labelledby="early-confirm-title">
          <p className="alert-title" id="early-confirm-title">
            Send revision {data.advisory?.revision} of the notice to {going.length}{' '}
            {going.length === 1 ? 'person' : 'people'} (
            {going.filter((r) => r.delivery === 'encrypted').length} encrypted)? Each gets their own marked
            copy; this cannot be undone.
          </p>
          <div className="actions">
            <button type="button" className="button-primary" disabled={busy} onClick={() => void send()}>
              {busy ? 'Sending…' : 'Confirm and send'}
            </button>
            <button
              type="button"
              className="button-quiet"
              disabled={busy}
              onClick={() => setConfirming(false)}
            >
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <div className="actions">
          <button
            type="submit"
            className="button-primary"
            disabled={unresolved.length > 0 || going.length === 0}
          >
            Send the notice…
          </button>
        </div>
      )}
    </form>
  );
}

function DeliveryLog({ send, recipients }: { send: EarlySend; recipients: EarlyRecipient[] }) {
  const nameOf = (personId: string) => recipients.find((r) => r.personId === personId)?.name ?? personId;
  return (
    <section
      aria-label={`Delivery log of revision ${send.advisoryRevision}`}
      data-testid="early-disclosure-log"
    >
      <h3>
        Revision {send.advisoryRevision}, sent <DateTime value={send.sentAt} /> by {send.sentBy}
      </h3>
      <p className="meta">
        Planned release named: <DateTime value={send.releaseAt} />
      </p>
      <DataTable columns={['Person', 'Reference', 'Sent', 'Delivery', 'Opened', 'Acknowledged']}>
        {send.copies.map((copy) => (
          <tr key={copy.copyId}>
            <td>
              {copy.name} ({copy.orgName})
              <br />
              <span className="meta">{copy.email}</span>
            </td>
            <td className="mono">{copy.referenceCode}</td>
            <td>
              {copy.encrypted ? 'encrypted' : 'in clear'}
              <br />
              <span className="meta">
                queued <DateTime value={copy.queuedAt} />
              </span>
            </td>
            <td>
              <span className={copyBadge(copy.state)}>{COPY_WORDS[copy.state]}</span>
              {copy.acceptedAt ? (
                <p className="meta">
                  <DateTime value={copy.acceptedAt} />: {copy.smtpResponse}
                </p>
              ) : null}
              {copy.lastError ? (
                <p className="meta">
                  {copy.state === 'failed' ? 'Failed' : 'Last attempt failed'} ({copy.attempts}{' '}
                  {copy.attempts === 1 ? 'attempt' : 'attempts'}): {copy.lastError}
                </p>
              ) : null}
              {copy.cancelledReason ? <p className="meta">{copy.cancelledReason}</p> : null}
            </td>
            <td>
              <DateTime value={copy.openedAt} empty="not yet" />
            </td>
            <td>
              <DateTime value={copy.acknowledgedAt} empty="not yet" />
            </td>
          </tr>
        ))}
      </DataTable>
      {send.leftOut.length > 0 ? (
        <p className="meta">
          Not sent:{' '}
          {send.leftOut.map((l, i) => (
            <span key={l.personId}>
              {i > 0 ? '; ' : ''}
              {nameOf(l.personId)}, {LEFT_OUT_WORDS[l.reason] ?? l.reason}
            </span>
          ))}
        </p>
      ) : null}
    </section>
  );
}
