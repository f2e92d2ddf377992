import { useState, type FormEvent } from 'react';
import * as distributors from '../../../api/distributors.js';
import type { DistributorOrg, DistributorPerson, ListOverview, OrgState } from '../../../api/distributors.js';
import { SecretPanel } from '../../../components/CopyField.js';
import { DataTable } from '../../../components/DataTable.js';
import { DateTime } from '../../../components/DateTime.js';
import { Field, Options, SelectField, TextAreaField } from '../../../components/Field.js';
import { ProblemAlert } from '../../../components/ProblemAlert.js';
import { Notice } from '../../../components/Status.js';
import { useAsyncAction } from '../../../hooks.js';

const EMBARGO_WORDS: Record<DistributorPerson['embargo'], string> = {
  current: 'accepted',
  outdated: 'accepted an older text',
  none: 'not accepted yet',
};
const STATE_WORDS: Record<OrgState, string> = {
  active: 'Active',
  suspended: 'Suspended',
  removed: 'Removed',
};

interface Props {
  slug: string;
  canManage: boolean;
  overview: ListOverview;
  onChanged: () => void;
}

/** The member organisations: people, keys, state, incidents and reviews; and putting one on by hand. */
export function MembersPart({ slug, canManage, overview, onChanged }: Props) {
  const [link, setLink] = useState<{ url: string; email: string } | null>(null);
  return (
    <section aria-labelledby="distributor-members-heading" className="stack">
      <h3 id="distributor-members-heading">Member organisations</h3>
      {link ? (
        <SecretPanel
          label={`The sign-in link mailed to ${link.email}`}
          value={link.url}
          warning="It was mailed to them; hand it on only through a channel you trust."
          hideLabel="Done, hide the link"
          onHide={() => setLink(null)}
        />
      ) : null}
      {overview.orgs.length === 0 ? <p className="empty">No organisation is on the list yet.</p> : null}
      {overview.orgs.map((o) => (
        <OrgCard
          key={o.id}
          slug={slug}
          org={o}
          canManage={canManage}
          onChanged={onChanged}
          onLink={(url, email) => setLink(url.includes('/sign-in/link') ? { url, email } : null)}
        />
      ))}
      {canManage ? <NewOrgForm slug={slug} onChanged={onChanged} /> : null}
    </section>
  );
}

function NewOrgForm({ slug, onChanged }: { slug: string; onChanged: () => void }) {
  const [name, setName] = useState('');
  const [alias, setAlias] = useState('');
  const { busy, error, run } = useAsyncAction();
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void run(async () => {
      await distributors.createOrg(slug, name, alias);
      setName('');
      setAlias('');
      onChanged();
    });
  }
  return (
    <form className="inline-form" onSubmit={submit} aria-label="Put an organisation on the list">
      <ProblemAlert error={error} title={error ? 'The organisation was not added' : undefined} />
      <Field
        label="Organisation"
        required
        maxLength={200}
        value={name}
        onChange={(e) => setName(e.target.value)}
      />
      <Field
        label="Contact alias"
        type="email"
        required
        maxLength={254}
        value={alias}
        onChange={(e) => setAlias(e.target.value)}
      />
      <button type="submit" disabled={busy}>
        Put on the list
      </button>
    </form>
  );
}

function OrgCard({
  slug,
  org,
  canManage,
  onChanged,
  onLink,
}: {
  slug: string;
  org: DistributorOrg;
  canManage: boolean;
  onChanged: () => void;
  onLink: (url: string, email: string) => void;
}) {
  const { busy, error, run } = useAsyncAction();
  const [notice, setNotice] = useState('');
  const headingId = `org-${org.id}`;
  const act = (what: () => Promise<unknown>, done: string) =>
    void run(async () => {
      setNotice('');
      await what();
      setNotice(done);
      onChanged();
    });
  const open = org.state !== 'removed';

  return (
    <article
      className={`panel stack${open ? '' : ' muted-row'}`}
      aria-labelledby={headingId}
      data-testid="distributor-org"
    >
      <h4 id={headingId}>
        {org.name} <span className="badge">{STATE_WORDS[org.state]}</span>
        {org.reviewDue ? <span className="badge badge-warning">Review due</span> : null}
        {org.removalProposed ? <span className="badge badge-danger">Remove per policy</span> : null}
      </h4>
      <dl className="facts">
        <div>
          <dt>Contact alias</dt>
          <dd>{org.contactAlias}</dd>
        </div>
        <div>
          <dt>Joined</dt>
          <dd>
            <DateTime value={org.joinedAt} />
            {org.vouchedByOrg ? `, vouched for by ${org.vouchedByOrg}` : ''}
          </dd>
        </div>
        <div>
          <dt>Review due</dt>
          <dd>
            <DateTime value={org.reviewDueAt} />
            {org.lastReview ? (
              <>
                {' '}
                (last <DateTime value={org.lastReview.reviewedAt} />
                {org.lastReview.note ? `: ${org.lastReview.note}` : ''})
              </>
            ) : null}
          </dd>
        </div>
        <div>
          <dt>Incidents</dt>
          <dd>{org.incidents}</dd>
        </div>
        {org.stateNote ? (
          <div>
            <dt>Last state change</dt>
            <dd className="prewrap">{org.stateNote}</dd>
          </div>
        ) : null}
      </dl>
      <Notice>{notice}</Notice>
      <ProblemAlert error={error} title={error ? 'The change was not made' : undefined} />
      <PeopleTable
        org={org}
        canManage={canManage && open}
        busy={busy}
        onRemove={(p) => {
          if (
            !window.confirm(
              `Remove ${p.name} from ${org.name}? They receive nothing of the list from then on.`,
            )
          )
            return;
          act(() => distributors.removePerson(slug, org.id, p.id), `${p.name} was removed.`);
        }}
        onKey={(p, key) =>
          act(
            () => distributors.setPersonKey(slug, org.id, p.id, key),
            key ? `${p.name}'s key was set.` : `${p.name}'s key was cleared.`,
          )
        }
      />
      {canManage && open ? (
        <>
          <AddPersonForm
            slug={slug}
            org={org}
            onAdded={(url, email) => {
              onLink(url, email);
              onChanged();
            }}
          />
          {org.removalProposed ? (
            <RemovalPerPolicy
              org={org}
              busy={busy}
              onConfirm={(reason) =>
                act(
                  () => distributors.removePerPolicy(slug, org.id, reason),
                  `${org.name} was removed per the policy.`,
                )
              }
            />
          ) : null}
          <StateForm
            org={org}
            busy={busy}
            onSubmit={(state, reason) =>
              act(
                () => distributors.setOrgState(slug, org.id, state, reason),
                `${org.name} is ${STATE_WORDS[state].toLowerCase()}.`,
              )
            }
          />
          <ReviewForm
            org={org}
            busy={busy}
            onSubmit={(note) =>
              act(
                () => distributors.recordReview(slug, org.id, note),
                `The review of ${org.name} is recorded.`,
              )
            }
          />
        </>
      ) : null}
    </article>
  );
}

function PeopleTable({
  org,
  canManage,
  busy,
  onRemove,
  onKey,
}: {
  org: DistributorOrg;
  canManage: boolean;
  busy: boolean;
  onRemove: (p: DistributorPerson) => void;
  onKey: (p: DistributorPerson, key: string | null) => void;
}) {
  const [editing, setEditing] = useState<string | null>(null);
  const [key, setKey] = useState('');
  const people = org.people.filter((p) => p.state === 'active');
  if (people.length === 0) return <p className="empty">No person named for {org.name}.</p>;
  return (
    <>
      <DataTable
        columns={['Person', 'OpenPGP key', 'Embargo policy', 'Added']}
        actions={canManage}
        aria-label={`People of ${org.name}`}
      >
        {people.map((p) => (
          <tr key={p.id}>
            <td>
              {p.name}
              <br />
              <span className="meta">{p.email}</span>
            </td>
            <td className="mono">
              {p.pgpFingerprint ?? 'none'}
              {p.pgpExpiresAt ? (
                <span className="meta">
                  {' '}
                  ({Date.parse(p.pgpExpiresAt) <= Date.now() ? 'expired' : 'expires'}{' '}
                  <DateTime value={p.pgpExpiresAt} />)
                </span>
              ) : null}
            </td>
            <td>{EMBARGO_WORDS[p.embargo]}</td>
            <td>
              <DateTime value={p.createdAt} />
            </td>
            {canManage ? (
              <td className="row-actions">
                <button
                  type="button"
                  className="button-small"
                  disabled={busy}
                  onClick={() => {
                    setEditing(p.id);
                    setKey('');
                  }}
                >
                  Key…<span className="visually-hidden"> of {p.name}</span>
                </button>
                <button
                  type="button"
                  className="button-small button-danger"
                  disabled={busy}
                  onClick={() => onRemove(p)}
                >
                  Remove<span className="visually-hidden"> {p.name}</span>
                </button>
              </td>
            ) : null}
          </tr>
        ))}
      </DataTable>
      {editing ? (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            const person = people.find((p) => p.id === editing);
            if (person) onKey(person, key.trim() || null);
            setEditing(null);
          }}
        >
          <TextAreaField
            label={`OpenPGP public key of ${people.find((p) => p.id === editing)?.name ?? ''}`}
            hint="Armored. Leave empty to clear it: their copies then go unencrypted."
            rows={5}
            maxLength={100_000}
            className="mono"
            value={key}
            onChange={(e) => setKey(e.target.value)}
          />
          <div className="actions">
            <button type="submit" disabled={busy}>
              {key.trim() ? 'Set the key' : 'Clear the key'}
            </button>
            <button type="button" onClick={() => setEditing(null)}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
    </>
  );
}

function AddPersonForm({
  slug,
  org,
  onAdded,
}: {
  slug: string;
  org: DistributorOrg;
  onAdded: (link: string, email: string) => void;
}) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [key, setKey] = useState('');
  const { busy, error, run } = useAsyncAction();
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void run(async () => {
      const added = await distributors.addPerson(slug, org.id, {
        name,
        email,
        ...(key.trim() ? { pgpPublicKey: key.trim() } : {}),
      });
      onAdded(added.link, email);
      setName('');
      setEmail('');
      setKey('');
    });
  }
  return (
    <details>
      <summary>Add a person to {org.name}</summary>
      <form className="stack" onSubmit={submit}>
        <ProblemAlert error={error} title={error ? 'The person was not added' : undefined} />
        <Field label="Name" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
        <Field
          label="Email"
          type="email"
          required
          maxLength={254}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <TextAreaField
          label="OpenPGP public key (optional)"
          rows={4}
          maxLength={100_000}
          className="mono"
          value={key}
          onChange={(e) => setKey(e.target.value)}
        />
        <p className="hint">
          They are mailed a link, and see nothing embargoed before they accept the embargo policy.
        </p>
        <div className="actions">
          <button type="submit" disabled={busy}>
            Add the person
          </button>
        </div>
      </form>
    </details>
  );
}

function RemovalPerPolicy({
  org,
  busy,
  onConfirm,
}: {
  org: DistributorOrg;
  busy: boolean;
  onConfirm: (reason: string) => void;
}) {
  const [reason, setReason] = useState('');
  return (
    <form
      className="alert alert-warning stack"
      aria-label={`Remove ${org.name} per policy`}
      onSubmit={(e) => {
        e.preventDefault();
        if (!window.confirm(`Remove ${org.name} from the list for good, per the policy's leak rule?`)) return;
        onConfirm(reason);
      }}
    >
      <p className="alert-title">
        {org.name} reached {org.incidents} incidents: the policy removes it from the list.
      </p>
      <TextAreaField
        label="Reason for the record"
        required
        rows={2}
        maxLength={2000}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
      <div className="actions">
        <button type="submit" className="button-danger" disabled={busy}>
          Remove per policy
        </button>
      </div>
    </form>
  );
}

function StateForm({
  org,
  busy,
  onSubmit,
}: {
  org: DistributorOrg;
  busy: boolean;
  onSubmit: (state: OrgState, reason: string) => void;
}) {
  const choices = (['active', 'suspended', 'removed'] as const).filter((s) => s !== org.state);
  const [state, setState] = useState<OrgState>(choices[0] ?? 'suspended');
  const [reason, setReason] = useState('');
  return (
    <details>
      <summary>Suspend, reinstate or remove {org.name}</summary>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          if (
            state === 'removed' &&
            !window.confirm(`Remove ${org.name} for good? A removed organisation applies again.`)
          )
            return;
          onSubmit(state, reason);
          setReason('');
        }}
      >
        <SelectField label="New state" value={state} onChange={(e) => setState(e.target.value as OrgState)}>
          <Options values={choices} label={(s) => STATE_WORDS[s]} />
        </SelectField>
        <TextAreaField
          label="Reason"
          required
          rows={2}
          maxLength={2000}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        <div className="actions">
          <button type="submit" disabled={busy}>
            Change the state
          </button>
        </div>
      </form>
    </details>
  );
}

function ReviewForm({
  org,
  busy,
  onSubmit,
}: {
  org: DistributorOrg;
  busy: boolean;
  onSubmit: (note: string) => void;
}) {
  const [note, setNote] = useState('');
  return (
    <details open={org.reviewDue}>
      <summary>Record the review of {org.name}</summary>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit(note.trim());
          setNote('');
        }}
      >
        <TextAreaField
          label="Notes (optional)"
          hint="Do they still meet every membership criterion?"
          rows={2}
          maxLength={2000}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
        <div className="actions">
          <button type="submit" disabled={busy}>
            Record the review
          </button>
        </div>
      </form>
    </details>
  );
}
