import { useState, type FormEvent } from 'react';
import { type ApiError, toApiError } from '../api/client.js';
import * as api from '../api/endpoints.js';
import { Field } from '../components/Field.js';
import { ProblemAlert } from '../components/ProblemAlert.js';
import { useTitle } from '../hooks.js';
import { checkNewPassword, MAX_PASSWORD, MIN_PASSWORD } from '../passwords.js';
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
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [mismatch, setMismatch] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const problem = checkNewPassword(password, confirmation);
    setMismatch(problem);
    if (problem) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.signInWithLink(token, password);
      await refresh();
      // Replacing the history entry drops the token from the address bar and the back button.
      navigate('/projects', { replace: true });
    } catch (err) {
      setError(toApiError(err));
      setBusy(false);
    }
  }

  if (!token) {
    return (
      <div className="narrow">
        <h1>Set your password</h1>
        <div className="alert alert-error" role="alert">
          <p className="alert-title">This sign-in link is incomplete</p>
          <p>Open the whole link from your message, or ask an administrator for a new one.</p>
        </div>
      </div>
    );
  }

  return (
    <div className="narrow">
      <h1>Set your password</h1>
      <p>Choose a password for your Vigil account. This link works once.</p>
      {error?.status === 404 ? (
        <div className="alert alert-error" role="alert">
          <p className="alert-title">This sign-in link is no longer valid</p>
          <p>Links expire and work only once. Ask an administrator of this Vigil instance for a new one.</p>
        </div>
      ) : (
        <ProblemAlert error={error} />
      )}
      {error?.status === 404 ? null : (
        <form className="stack" onSubmit={(e) => void submit(e)}>
          <Field
            label="New password"
            type="password"
            autoComplete="new-password"
            required
            minLength={MIN_PASSWORD}
            maxLength={MAX_PASSWORD}
            hint={`At least ${MIN_PASSWORD} characters. A passphrase of several words is easiest to remember.`}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <Field
            label="Confirm new password"
            type="password"
            autoComplete="new-password"
            required
            maxLength={MAX_PASSWORD}
            value={confirmation}
            onChange={(e) => setConfirmation(e.target.value)}
            aria-invalid={mismatch ? true : undefined}
          />
          {mismatch ? (
            <p className="field-error" role="alert">
              {mismatch}
            </p>
          ) : null}
          <div className="actions">
            <button type="submit" className="button-primary" disabled={busy}>
              {busy ? 'Setting password…' : 'Set password and sign in'}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
