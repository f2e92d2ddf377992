import { useState } from 'react';
import * as fix from '../../api/fix.js';
import type { Invitation } from '../../api/fix.js';
import { casePath } from '../../cases/paths.js';
import { DateTime } from '../../components/DateTime.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { Loading } from '../../components/Status.js';
import { useAsyncAction, useResource } from '../../hooks.js';
import { Link } from '../../router.js';
import { memberRoleLabel } from '../case/fix/TeamPanel.js';

interface Accepted {
  memberId: string;
  caseHumanId: string;
  projectName: string;
}

/**
 * The signed-in user's pending invitations to cases (PROCESS.md §6, §7): each shows the embargo
 * terms, to read and accept before anything of the case is shown; once accepted, a link to the case.
 */
export function PendingInvitations() {
  const invitations = useResource('my-invitations', (signal) => fix.listMyInvitations(signal));
  const [accepted, setAccepted] = useState<Accepted[]>([]);

  return (
    <div className="stack" data-testid="invitations">
      {accepted.map((a) => (
        <div key={a.memberId} className="alert alert-success" role="status">
          <p className="alert-title">You accepted the terms: you are on case {a.caseHumanId}.</p>
          <p>
            <Link to={casePath(a.caseHumanId)}>Open case {a.caseHumanId}</Link> of {a.projectName}
          </p>
        </div>
      ))}
      <ProblemAlert error={invitations.error} title="Your invitations could not be loaded" />
      {invitations.data ? (
        invitations.data.invitations.length === 0 ? (
          accepted.length === 0 ? (
            <p className="empty">You have no pending invitations to a case.</p>
          ) : null
        ) : (
          invitations.data.invitations.map((inv) => (
            <InvitationCard
              key={inv.memberId}
              invitation={inv}
              onAccepted={(a) => {
                setAccepted((list) => [...list, a]);
                invitations.reload();
              }}
            />
          ))
        )
      ) : invitations.loading ? (
        <Loading what="Loading your invitations" />
      ) : null}
    </div>
  );
}

function InvitationCard({
  invitation,
  onAccepted,
}: {
  invitation: Invitation;
  onAccepted: (a: Accepted) => void;
}) {
  const { busy, error, run } = useAsyncAction();
  const headingId = `invitation-${invitation.memberId}`;

  function accept() {
    void run(async () => {
      const done = await fix.acceptInvitation(invitation.memberId, invitation.terms.hash);
      onAccepted({
        memberId: done.memberId,
        caseHumanId: done.caseHumanId,
        projectName: invitation.project.name,
      });
    });
  }

  return (
    <section className="panel invitation" aria-labelledby={headingId}>
      <h3 id={headingId}>
        Case <span className="mono">{invitation.caseHumanId}</span> of {invitation.project.name}
      </h3>
      <p className="meta">
        As {memberRoleLabel(invitation.role).toLowerCase()}, invited <DateTime value={invitation.invitedAt} />
        .
      </p>
      <p>Before you see anything of the case, read and accept its embargo terms:</p>
      <div
        className="terms prewrap"
        tabIndex={0}
        role="region"
        aria-label={`Embargo terms of case ${invitation.caseHumanId}`}
        data-testid="embargo-terms"
      >
        {invitation.terms.text}
      </div>
      <p className="meta">
        Version <span className="mono">{invitation.terms.hash.slice(0, 12)}</span>: Vigil records which text
        you accepted, and when.
      </p>
      <ProblemAlert error={error} title={error ? 'The terms were not accepted' : undefined} />
      <div className="actions">
        <button type="button" className="button-primary" disabled={busy} onClick={accept}>
          {busy ? 'Accepting…' : 'Accept the terms'}
          <span className="visually-hidden"> of case {invitation.caseHumanId}</span>
        </button>
      </div>
    </section>
  );
}

/**
 * A note, where a signed-in user lands, that invitations to cases wait for them: nothing when
 * there are none (or they could not be loaded: the account page says why).
 */
export function InvitationsNotice() {
  const invitations = useResource('my-invitations', (signal) => fix.listMyInvitations(signal));
  const count = invitations.data?.invitations.length ?? 0;
  if (count === 0) return null;
  return (
    <div className="alert alert-info" data-testid="invitations-notice">
      <p className="alert-title">
        {count === 1 ? 'You are invited to a case.' : `You are invited to ${count} cases.`}
      </p>
      <p>
        Read and accept the embargo terms first: <Link to="/invitations">your invitations</Link>.
      </p>
    </div>
  );
}
