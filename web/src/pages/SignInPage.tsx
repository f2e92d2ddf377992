import { useState, type FormEvent } from 'react';
import type { ApiError } from '../api/client.js';
import * as api from '../api/endpoints.js';
import { getSignInMethods, oidcErrorMessage, oidcStartHref } from '../api/sign-in-methods.js';
import { Alert } from '../components/Status.js';
import { Field } from '../components/Field.js';
import { ProblemAlert } from '../components/ProblemAlert.js';
import { SubmitButton } from '../components/SubmitButton.js';
import { formatWait, useAsyncAction, useCountdown, useResource, useTitle } from '../hooks.js';
import { MAX_PASSWORD } from '../passwords.js';
import { navigate, Redirect, safeReturnPath, useLocation } from '../router.js';
import { useSession } from '../session.js';
import { PasskeySignInButton } from './sign-in/PasskeySignIn.js';

/**
 * Email and password sign-in, a passkey, and a "Sign in with <provider>" button when the instance
 * has an OpenID Connect provider; returns to the page the user was sent away from.
 */
export function SignInPage() {
  useTitle('Sign in');
  const { state, refresh } = useSession();
  const location = useLocation();
  const next = safeReturnPath(location.searchParams.get('next'));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [retryAt, setRetryAt] = useState<number | null>(null);
  const methods = useResource('sign-in-methods', getSignInMethods);
  const oidc = methods.data?.oidc ?? null;
  const oidcError = location.searchParams.get('oidc-error');
  const waitSeconds = useCountdown(retryAt);
  const { busy, error, run } = useAsyncAction({
    leavesPage: true,
    onError: ({ retryAfterSeconds }) => {
      if (retryAfterSeconds !== null) setRetryAt(Date.now() + retryAfterSeconds * 1000);
    },
  });

  if (state.status === 'signed-in' && !busy) return <Redirect to={next} />;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void run(async () => {
      await api.signIn(email.trim(), password);
      await refresh();
      navigate(next, { replace: true });
    });
  }

  const expired = state.status === 'signed-out' && state.reason === 'expired';
  return (
    <div className="narrow">
      <h1>Sign in to Vigil</h1>
      {expired ? (
        <div className="alert alert-info" role="status">
          Your session ended. Sign in again to continue.
        </div>
      ) : null}
      {oidcError ? (
        <Alert title={oidc ? `Sign-in with ${oidc.name} failed` : 'Sign-in failed'}>
          <p>{oidcErrorMessage(oidcError)}</p>
        </Alert>
      ) : null}
      <ProblemAlert error={error} title={error ? signInErrorTitle(error) : undefined} />
      <form className="stack" onSubmit={submit}>
        <Field
          label="Email"
          type="email"
          name="email"
          autoComplete="username"
          required
          maxLength={320}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <Field
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          required
          maxLength={MAX_PASSWORD}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <SubmitButton busy={busy} busyLabel="Signing in…" disabled={waitSeconds > 0}>
          {waitSeconds > 0 ? `Sign in (wait ${formatWait(waitSeconds)})` : 'Sign in'}
        </SubmitButton>
      </form>
      {oidc ? (
        <section className="sign-in-other" aria-labelledby="sign-in-other-title">
          <h2 id="sign-in-other-title" className="sign-in-other-title">
            Single sign-on
          </h2>
          {/* A full navigation: the provider's page, then back to Vigil's callback. */}
          <a className="button-link-primary" href={oidcStartHref(oidc, next)}>
            Sign in with {oidc.name}
          </a>
        </section>
      ) : null}
      <PasskeySignInButton
        disabled={busy}
        onSignedIn={async () => {
          await refresh();
          navigate(next, { replace: true });
        }}
      />
      <p className="hint">
        New here, or forgot your password? Ask an administrator of this Vigil instance for a sign-in link.
      </p>
    </div>
  );
}

function signInErrorTitle(error: ApiError): string {
  if (error.status === 401) return 'Sign-in failed';
  if (error.status === 429) return 'Too many sign-in attempts';
  return error.problem.title;
}
