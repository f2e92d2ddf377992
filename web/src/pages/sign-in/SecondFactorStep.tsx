import { useState, type FormEvent, type ReactNode } from 'react';
import type { ApiError } from '../../api/client.js';
import * as twoFactor from '../../api/two-factor.js';
import type { SecondFactorChallenge } from '../../api/two-factor.js';
import { Field } from '../../components/Field.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { SubmitButton } from '../../components/SubmitButton.js';
import { useAsyncAction } from '../../hooks.js';

interface SecondFactorStepProps {
  challenge: SecondFactorChallenge;
  /** The session has started: refresh and leave. */
  onSignedIn: () => Promise<void>;
  /** The challenge is spent (expired, used, too many wrong codes): back to the first step. */
  onRestart: () => void;
  /** Other ways to answer the challenge (a passkey), offered below the code form. */
  children?: ReactNode;
}

/**
 * The second step of a sign-in: a code from the authenticator app, or one of the recovery codes.
 * Used after a password (SignInPage) and after a sign-in link (SignInLinkPage).
 */
export function SecondFactorStep({ challenge, onSignedIn, onRestart, children }: SecondFactorStepProps) {
  const canRecover = challenge.methods.includes('recovery');
  const canCode = challenge.methods.includes('totp');
  const [mode, setMode] = useState<'totp' | 'recovery'>(canCode ? 'totp' : 'recovery');
  const [code, setCode] = useState('');
  const [recoveryCode, setRecoveryCode] = useState('');
  const { busy, error, run } = useAsyncAction({ leavesPage: true });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void run(async () => {
      await twoFactor.completeSecondFactor(
        mode === 'totp'
          ? { challenge: challenge.challenge, totp: code.replace(/\s/g, '') }
          : { challenge: challenge.challenge, recoveryCode: recoveryCode.trim() },
      );
      await onSignedIn();
    });
  }

  const spent = error?.status === 401 && /Sign in again/.test(error.problem.detail ?? '');
  return (
    <section aria-labelledby="second-factor-heading" className="stack">
      <h2 id="second-factor-heading">Two-factor sign-in</h2>
      <ProblemAlert error={error} title={error ? secondFactorErrorTitle(error) : undefined} />
      {spent ? (
        <button type="button" onClick={onRestart}>
          Start again
        </button>
      ) : null}
      {canCode || canRecover ? (
        <form className="stack" onSubmit={submit}>
          {mode === 'totp' ? (
            <Field
              label="Code from your authenticator app"
              hint="Six digits; it changes every 30 seconds."
              name="totp"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="\s*\d{3}\s*\d{3}\s*"
              required
              maxLength={8}
              autoFocus
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
          ) : (
            <Field
              label="Recovery code"
              hint="One of the codes you saved when you set up two-factor sign-in. Each works once."
              name="recoveryCode"
              autoComplete="off"
              spellCheck={false}
              required
              maxLength={40}
              autoFocus
              value={recoveryCode}
              onChange={(e) => setRecoveryCode(e.target.value)}
            />
          )}
          <SubmitButton busy={busy} busyLabel="Checking…">
            Verify and sign in
          </SubmitButton>
        </form>
      ) : null}
      {canCode && canRecover ? (
        <button
          type="button"
          className="button-quiet"
          onClick={() => setMode(mode === 'totp' ? 'recovery' : 'totp')}
        >
          {mode === 'totp' ? 'Use a recovery code instead' : 'Use a code from the app instead'}
        </button>
      ) : null}
      {children}
      <p className="hint">This step expires 5 minutes after your password was accepted.</p>
    </section>
  );
}

function secondFactorErrorTitle(error: ApiError): string {
  if (error.status === 401) return 'That did not work';
  if (error.status === 429) return 'Too many attempts';
  return error.problem.title;
}
