import { useTitle } from '../hooks.js';
import { Link } from '../router.js';
import { PendingInvitations } from './account/Invitations.js';

/**
 * Where an invitation to a case leads someone who has an account already (the invitation mail's
 * link): their pending invitations, each with its embargo terms to accept.
 */
export function InvitationsPage() {
  useTitle('Invitations');
  return (
    <>
      <h1>Invitations to cases</h1>
      <p className="meta">
        Also on your <Link to="/account">account page</Link>.
      </p>
      <PendingInvitations />
    </>
  );
}
