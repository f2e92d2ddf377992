import type { ApiError } from '../../api/client.js';
import {
  completeSecondFactorWithPasskey,
  passkeysSupported,
  signInWithPasskey,
  type PasskeySignIn,
} from '../../api/passkeys.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { useAsyncAction } from '../../hooks.js';

interface Props {
  /** Told once the server has set the session cookie. */
  onSignedIn: (result: PasskeySignIn) => Promise<void> | void;
  /** Another control of the page is busy signing in. */
  disabled?: boolean;
}

/** The sign-in page's "Sign in with a passkey": no email, no password; the device checks it is you. */
export function PasskeySignInButton({ onSignedIn, disabled = false }: Props) {
  const { busy, error, run } = useAsyncAction({ leavesPage: true });
  if (!passkeysSupported()) return null;
  return (
    <section className="stack" aria-labelledby="passkey-sign-in-heading">
      <h2 id="passkey-sign-in-heading">Or use a passkey</h2>
      <ProblemAlert error={error} title={error ? passkeyErrorTitle(error) : undefined} />
      <div className="actions">
        <button
          type="button"
          disabled={busy || disabled}
          onClick={() => void run(async () => onSignedIn(await signInWithPasskey()))}
        >
          {busy ? 'Waiting for your passkey…' : 'Sign in with a passkey'}
        </button>
      </div>
    </section>
  );
}

/**
 * The second step of a password sign-in, with a passkey: for the sign-in page's second step (the
 * twofactor part's), given the challenge `POST /api/v1/auth/sign-in` answered.
 */
export function PasskeySecondFactorButton({
  challenge,
  onSignedIn,
  disabled = false,
}: Props & { challenge: string }) {
  const { busy, error, run } = useAsyncAction({ leavesPage: true });
  if (!passkeysSupported()) return null;
  return (
    <>
      <ProblemAlert error={error} title={error ? passkeyErrorTitle(error) : undefined} />
      <div className="actions">
        <button
          type="button"
          disabled={busy || disabled}
          onClick={() => void run(async () => onSignedIn(await completeSecondFactorWithPasskey(challenge)))}
        >
          {busy ? 'Waiting for your passkey…' : 'Use a passkey'}
        </button>
      </div>
    </>
  );
}

function passkeyErrorTitle(error: ApiError): string {
  if (error.status === 401) return 'The passkey was not accepted';
  if (error.status === 429) return 'Too many sign-in attempts';
  return error.problem.title;
}
