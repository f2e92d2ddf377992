import type { FormEvent } from 'react';
import * as api from '../api/endpoints.js';
import { NewPasswordFields, useNewPassword } from '../components/NewPasswordFields.js';
import { ProblemAlert } from '../components/ProblemAlert.js';
import { Alert } from '../components/Status.js';
import { SubmitButton } from '../components/SubmitButton.js';
import { useAsyncAction, useTitle } from '../hooks.js';
import { MIN_PASSWORD } from '../passwords.js';
import { navigate, useLocation } from '../router.js';
import { useSession } from '../session.js';

/**
 * `/sign-in/link#token=sil_...`: the one-time link an administrator sends. The token sits in the
 * fragment so it never reaches a server log; the page asks for a new password, posts both, then
 * drops the token from the address bar and history.
 */
export function SignInLinkPage() {
  useTitle('Set your password');
  const { refresh } = useSession();
  const location = useLocation();
  const token = new URLSearchParams(location.hash.replace(/^#/, '')).get('token') ?? '';
  const newPassword = useNewPassword();
  const { busy, error, run } = useAsyncAction({ leavesPage: true });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!newPassword.check()) return;
    void run(async () => {
      await api.signInWithLink(token, newPassword.password);
      await refresh();
      // Replacing the history entry drops the token from the address bar and the back button.
      navigate('/projects', { replace: true });
    });
  }

  if (!token) {
    return (
      <div className="narrow">
        <h1>Set your password</h1>
        <Alert title="This sign-in link is incomplete">
          <p>Open the whole link from your message, or ask an administrator for a new one.</p>
        </Alert>
      </div>
    );
  }

  return (
    <div className="narrow">
      <h1>Set your password</h1>
      <p>Choose a password for your Vigil account. This link works once.</p>
      {error?.status === 404 ? (
        <Alert title="This sign-in link is no longer valid">
          <p>Links expire and work only once. Ask an administrator of this Vigil instance for a new one.</p>
        </Alert>
      ) : (
        <ProblemAlert error={error} />
      )}
      {error?.status === 404 ? null : (
        <form className="stack" onSubmit={submit}>
          <NewPasswordFields
            state={newPassword}
            hint={`At least ${MIN_PASSWORD} characters. A passphrase of several words is easiest to remember.`}
          />
          <SubmitButton busy={busy} busyLabel="Setting password…">
            Set password and sign in
          </SubmitButton>
        </form>
      )}
    </div>
  );
}
