import { useState, type FormEvent } from 'react';
import * as api from '../api/endpoints.js';
import { challengeOf, type SecondFactorChallenge } from '../api/two-factor.js';
import { NewPasswordFields, useNewPassword } from '../components/NewPasswordFields.js';
import { ProblemAlert } from '../components/ProblemAlert.js';
import { Alert } from '../components/Status.js';
import { SubmitButton } from '../components/SubmitButton.js';
import { useAsyncAction, useTitle } from '../hooks.js';
import { MIN_PASSWORD } from '../passwords.js';
import { navigate, useLocation } from '../router.js';
import { useSession } from '../session.js';
import { PasskeySecondFactorButton } from './sign-in/PasskeySignIn.js';
import { SecondFactorStep } from './sign-in/SecondFactorStep.js';

/**
 * `/sign-in/link#token=sil_...`: the one-time link an administrator sends. The token sits in the
 * fragment so it never reaches a server log; the page asks for a new password, posts both, then
 * drops the token from the address bar and history. An account with a second factor then answers
 * the second step (a link alone never passes two-factor sign-in).
 */
export function SignInLinkPage() {
  useTitle('Set your password');
  const { refresh } = useSession();
  const location = useLocation();
  const token = new URLSearchParams(location.hash.replace(/^#/, '')).get('token') ?? '';
  const newPassword = useNewPassword();
  const { busy, error, run } = useAsyncAction({ leavesPage: true });
  const [challenge, setChallenge] = useState<SecondFactorChallenge | null>(null);

  async function signedIn() {
    await refresh();
    // Replacing the history entry drops the token from the address bar and the back button.
    navigate('/dashboard', { replace: true });
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!newPassword.check()) return;
    void run(async () => {
      const step = challengeOf(await api.signInWithLink(token, newPassword.password));
      if (step) {
        newPassword.clear();
        setChallenge(step);
        return;
      }
      await signedIn();
    });
  }

  if (challenge) {
    return (
      <div className="narrow">
        <h1>Set your password</h1>
        <p>Your new password is set. Your account asks for a second factor to sign in.</p>
        <SecondFactorStep
          challenge={challenge}
          onSignedIn={signedIn}
          onRestart={() => navigate('/sign-in', { replace: true })}
        >
          {challenge.methods.includes('passkey') ? (
            <PasskeySecondFactorButton challenge={challenge.challenge} onSignedIn={signedIn} />
          ) : null}
        </SecondFactorStep>
      </div>
    );
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
