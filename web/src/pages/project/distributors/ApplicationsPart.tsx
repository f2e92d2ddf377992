import { useState } from 'react';
import * as distributors from '../../../api/distributors.js';
import type { Application } from '../../../api/distributors.js';
import { SecretPanel } from '../../../components/CopyField.js';
import { DateTime } from '../../../components/DateTime.js';
import { TextAreaField } from '../../../components/Field.js';
import { ProblemAlert } from '../../../components/ProblemAlert.js';
import { Loading } from '../../../components/Status.js';
import { useAsyncAction, type Resource } from '../../../hooks.js';
import { Answers } from '../../distributors/Answers.js';

const VOUCH_WORDS: Record<Application['vouch']['state'], string> = {
  asked: 'asked, no answer yet',
  vouched: 'vouched',
  declined: 'declined to vouch',
};

interface Props {
  slug: string;
  canManage: boolean;
  resource: Resource<{ applications: Application[] }>;
  onChanged: () => void;
}

/** The applications, pending first: answers, vouch, embargo version; approve, or refuse with a reason. */
export function ApplicationsPart({ slug, canManage, resource, onChanged }: Props) {
  const [link, setLink] = useState<{ url: string; name: string } | null>(null);
  const rows = [...(resource.data?.applications ?? [])].sort(
    (a, b) => Number(b.state === 'pending') - Number(a.state === 'pending'),
  );
  return (
    <section aria-labelledby="distributor-applications-heading" className="stack">
      <h3 id="distributor-applications-heading">Applications</h3>
      <ProblemAlert error={resource.error} title="The applications could not be loaded" />
      {link ? (
        <SecretPanel
          label={`The sign-in link mailed to ${link.name}`}
          value={link.url}
          warning="It was mailed to them; hand it on only through a channel you trust."
          hideLabel="Done, hide the link"
          onHide={() => setLink(null)}
        />
      ) : null}
      {resource.loading && !resource.data ? <Loading what="Loading the applications" /> : null}
      {resource.data && rows.length === 0 ? <p className="empty">No application so far.</p> : null}
      {rows.map((a) => (
        <ApplicationCard
          key={a.id}
          slug={slug}
          application={a}
          canManage={canManage}
          onApproved={(url) => {
            if (url.includes('/sign-in/link')) setLink({ url, name: a.applicant.name });
            onChanged();
          }}
          onChanged={onChanged}
        />
      ))}
    </section>
  );
}

function ApplicationCard({
  slug,
  application: a,
  canManage,
  onApproved,
  onChanged,
}: {
  slug: string;
  application: Application;
  canManage: boolean;
  onApproved: (link: string) => void;
  onChanged: () => void;
}) {
  const [reason, setReason] = useState('');
  const [refusing, setRefusing] = useState(false);
  const { busy, error, run } = useAsyncAction();
  const headingId = `application-${a.id}`;

  return (
    <article className="panel stack" aria-labelledby={headingId} data-testid="distributor-application">
      <h4 id={headingId}>
        {a.orgName} <span className="badge">{a.state}</span>
      </h4>
      <dl className="facts">
        <div>
          <dt>Applicant</dt>
          <dd>
            {a.applicant.name} ({a.applicant.email})
          </dd>
        </div>
        <div>
          <dt>Contact alias</dt>
          <dd>{a.contactAlias}</dd>
        </div>
        <div>
          <dt>OpenPGP key</dt>
          <dd className="mono">{a.pgpFingerprint ?? 'none'}</dd>
        </div>
        <div>
          <dt>Vouch</dt>
          <dd>
            {a.vouch.name} ({a.vouch.email}, {a.vouch.orgName}): {VOUCH_WORDS[a.vouch.state]}
            {a.vouch.note ? <span className="prewrap">. “{a.vouch.note}”</span> : null}
          </dd>
        </div>
        <div>
          <dt>Embargo</dt>
          <dd>
            accepted <DateTime value={a.embargo.acceptedAt} />, version{' '}
            <span className="mono">{a.embargo.hash.slice(0, 12)}</span>
            {a.embargo.current ? '' : ' (the text changed since)'}
            <span className="hint">
              {' '}
              On approval the applicant accepts it again, signed in, before anything embargoed reaches them.
            </span>
          </dd>
        </div>
        <div>
          <dt>Sent</dt>
          <dd>
            <DateTime value={a.createdAt} />
          </dd>
        </div>
        {a.reason ? (
          <div>
            <dt>Reason</dt>
            <dd className="prewrap">{a.reason}</dd>
          </div>
        ) : null}
      </dl>
      <details>
        <summary>Answers to the membership criteria</summary>
        <Answers answers={a.answers} />
      </details>
      <ProblemAlert error={error} title={error ? 'The decision was not recorded' : undefined} />
      {canManage && a.state === 'pending' ? (
        refusing ? (
          <form
            className="stack"
            onSubmit={(e) => {
              e.preventDefault();
              void run(async () => {
                await distributors.refuseApplication(slug, a.id, reason);
                onChanged();
              });
            }}
          >
            <TextAreaField
              label={`Why ${a.orgName} is refused`}
              hint="Mailed to the applicant as you write it."
              required
              rows={3}
              maxLength={2000}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
            <div className="actions">
              <button type="submit" className="button-danger" disabled={busy}>
                Refuse the application
              </button>
              <button type="button" disabled={busy} onClick={() => setRefusing(false)}>
                Cancel
              </button>
            </div>
          </form>
        ) : (
          <div className="actions">
            <button
              type="button"
              className="button-primary"
              disabled={busy || a.vouch.state !== 'vouched'}
              title={a.vouch.state === 'vouched' ? undefined : 'Approval waits for the vouch'}
              onClick={() =>
                void run(async () => {
                  const approved = await distributors.approveApplication(slug, a.id);
                  onApproved(approved.link);
                })
              }
            >
              Approve<span className="visually-hidden"> {a.orgName}</span>
            </button>
            <button type="button" disabled={busy} onClick={() => setRefusing(true)}>
              Refuse…<span className="visually-hidden"> {a.orgName}</span>
            </button>
            {a.vouch.state === 'vouched' ? null : <span className="hint">Approval waits for the vouch.</span>}
          </div>
        )
      ) : null}
    </article>
  );
}
