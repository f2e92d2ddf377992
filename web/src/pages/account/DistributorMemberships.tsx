import { useState } from 'react';
import * as distributors from '../../api/distributors.js';
import type { Membership } from '../../api/distributors.js';
import { DateTime } from '../../components/DateTime.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { Loading, Notice } from '../../components/Status.js';
import { useAsyncAction, useResource } from '../../hooks.js';
import { Link } from '../../router.js';

/**
 * The signed-in user's memberships of distributors lists (PROCESS.md §7): for each, the embargo
 * policy to accept before anything embargoed reaches them (again when its text changed), the
 * leak report form, and the vouch requests addressed to them.
 */
export function DistributorMemberships() {
  const memberships = useResource('my-distributors', (signal) => distributors.listMyMemberships(signal));
  const vouches = useResource('my-vouches', (signal) => distributors.listMyVouches(signal));
  const pending = (vouches.data?.vouches ?? []).filter((v) => v.state === 'asked');
  const list = memberships.data?.memberships ?? [];

  return (
    <div className="stack" data-testid="distributor-memberships">
      <ProblemAlert
        error={memberships.error ?? vouches.error}
        title="Your distributors lists could not be loaded"
      />
      {memberships.loading && !memberships.data ? <Loading what="Loading your distributors lists" /> : null}
      {memberships.data && list.length === 0 ? (
        <p className="empty">You are on no distributors list.</p>
      ) : (
        list.map((m) => <MembershipCard key={m.personId} membership={m} onAccepted={memberships.reload} />)
      )}
      {pending.length > 0 ? (
        <section aria-labelledby="vouches-heading">
          <h3 id="vouches-heading">Vouch requests</h3>
          <ul className="plain-list">
            {pending.map((v) => (
              <li key={v.applicationId}>
                <Link to={`/vouches/${v.applicationId}`}>
                  {v.orgName} ({v.applicantName}) asks you to vouch
                </Link>{' '}
                <span className="meta">
                  for the list of {v.project.name}, <DateTime value={v.askedAt} />
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

function MembershipCard({ membership: m, onAccepted }: { membership: Membership; onAccepted: () => void }) {
  const { busy, error, run } = useAsyncAction();
  const [done, setDone] = useState(false);
  const headingId = `membership-${m.personId}`;
  const listName = m.listName ?? 'distributors list';

  function accept() {
    void run(async () => {
      await distributors.acceptEmbargo(m.personId, m.embargo.hash);
      setDone(true);
      onAccepted();
    });
  }

  return (
    <section className="panel" aria-labelledby={headingId}>
      <h3 id={headingId}>
        {m.org.name}, on the {listName} of {m.project.name}
      </h3>
      {m.org.state === 'suspended' ? (
        <p className="warning">Your organisation is suspended: nothing is shared with it meanwhile.</p>
      ) : null}
      <Notice>{done ? 'You accepted the embargo policy.' : ''}</Notice>
      {m.mustAccept ? (
        <>
          <p>
            {m.acceptedHash
              ? 'The embargo policy changed since you accepted it. Read and accept it again before anything embargoed reaches you:'
              : 'Before anything embargoed reaches you, read and accept the embargo policy of the list:'}
          </p>
          <div
            className="terms prewrap"
            tabIndex={0}
            role="region"
            aria-label={`Embargo policy of the ${listName} of ${m.project.name}`}
            data-testid="embargo-terms"
          >
            {m.embargo.text}
          </div>
          <p className="meta">
            Version <span className="mono">{m.embargo.hash.slice(0, 12)}</span>: Vigil records which text you
            accepted, and when.
          </p>
          <ProblemAlert error={error} title={error ? 'The embargo policy was not accepted' : undefined} />
          <div className="actions">
            <button type="button" className="button-primary" disabled={busy} onClick={accept}>
              {busy ? 'Accepting…' : 'Accept the embargo policy'}
              <span className="visually-hidden">
                {' '}
                of the {listName} of {m.project.name}
              </span>
            </button>
          </div>
        </>
      ) : (
        <p className="meta">
          You accepted the embargo policy (version <span className="mono">{m.embargo.hash.slice(0, 12)}</span>
          ) <DateTime value={m.acceptedAt} />.
        </p>
      )}
      <p>
        <Link to={`/distributors/${m.project.slug}/leak`}>Report a leak</Link> of information from this list.
      </p>
    </section>
  );
}

/**
 * A note, where a signed-in user lands, that a distributors list waits for them: an embargo policy
 * to accept, or vouch requests to answer. Nothing otherwise (or when it could not be loaded).
 */
export function DistributorsNotice() {
  const memberships = useResource('my-distributors', (signal) => distributors.listMyMemberships(signal));
  const vouches = useResource('my-vouches', (signal) => distributors.listMyVouches(signal));
  const toAccept = (memberships.data?.memberships ?? []).filter((m) => m.mustAccept).length;
  const toVouch = (vouches.data?.vouches ?? []).filter((v) => v.state === 'asked').length;
  if (toAccept === 0 && toVouch === 0) return null;
  return (
    <div className="alert alert-info" data-testid="distributors-notice">
      <p className="alert-title">
        {toAccept > 0
          ? 'A distributors list waits for you to accept its embargo policy.'
          : `${toVouch === 1 ? 'A vouch request waits' : `${toVouch} vouch requests wait`} for your answer.`}
      </p>
      <p>
        See your <Link to="/account">account page</Link>.
      </p>
    </div>
  );
}
