import { useState, type FormEvent } from 'react';
import * as twoFactor from '../../api/two-factor.js';
import type { TotpStart } from '../../api/two-factor.js';
import { CopyField } from '../../components/CopyField.js';
import { Field, SelectField } from '../../components/Field.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { Loading, Notice } from '../../components/Status.js';
import { SubmitButton } from '../../components/SubmitButton.js';
import { useAsyncAction, useResource } from '../../hooks.js';
import { MAX_PASSWORD } from '../../passwords.js';
import { useSession } from '../../session.js';

/**
 * Two-factor sign-in with codes from an authenticator app: set it up (the secret shown as text and
 * as an otpauth link, confirmed by a first code), the recovery codes shown once, turning it off.
 */
export function TwoFactorSettings() {
  const status = useResource('two-factor', (signal) => twoFactor.getTwoFactor(signal));
  const { refresh } = useSession();
  const [started, setStarted] = useState<TotpStart | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [notice, setNotice] = useState('');
  const { busy, error, run } = useAsyncAction();

  function start() {
    setNotice('');
    void run(async () => {
      setStarted(await twoFactor.startTotp());
      status.reload();
    });
  }

  function confirmed(codes: string[]) {
    setStarted(null);
    setRecoveryCodes(codes);
    status.reload();
    // The session that confirmed the code now counts two factors: projects that ask for it open.
    void refresh();
  }

  if (!status.data)
    return status.loading ? (
      <Loading what="Loading two-factor sign-in" />
    ) : (
      <ProblemAlert error={status.error} />
    );
  const s = status.data;
  return (
    <>
      <ProblemAlert error={error} />
      <Notice>{notice}</Notice>
      {recoveryCodes ? <RecoveryCodes codes={recoveryCodes} onHide={() => setRecoveryCodes(null)} /> : null}
      {s.totp === 'on' ? (
        <>
          <p>
            <strong>Two-factor sign-in is on.</strong> After your password, Vigil asks for a code from your
            authenticator app. Recovery codes left: {s.recoveryCodesLeft}.
          </p>
          <TurnOff
            onDone={() => {
              setNotice('Two-factor sign-in with codes is off.');
              status.reload();
            }}
          />
        </>
      ) : started ? (
        <Enrol started={started} onConfirmed={confirmed} onCancel={() => setStarted(null)} />
      ) : (
        <>
          <p>
            Two-factor sign-in is off. With it on, a stolen password alone does not sign anyone in as you. You
            need an authenticator app (for example one that reads <code>otpauth://</code> links or QR codes).
          </p>
          {s.totp === 'pending' ? (
            <p className="hint">
              A set-up was started but not confirmed. Set it up again to get a new secret.
            </p>
          ) : null}
          <button type="button" onClick={start} disabled={busy}>
            Set up two-factor sign-in
          </button>
        </>
      )}
    </>
  );
}

function Enrol({
  started,
  onConfirmed,
  onCancel,
}: {
  started: TotpStart;
  onConfirmed: (codes: string[]) => void;
  onCancel: () => void;
}) {
  const [code, setCode] = useState('');
  const { busy, error, run } = useAsyncAction();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void run(async () => {
      const { recoveryCodes } = await twoFactor.confirmTotp(code.replace(/\s/g, ''));
      onConfirmed(recoveryCodes);
    });
  }

  return (
    <div className="stack">
      <h3>1. Add Vigil to your authenticator app</h3>
      <p>
        Enter the secret below in your app, or open the <code>otpauth://</code> link on the device that has
        the app. It is shown only now.
      </p>
      <CopyField
        label="Secret (enter it in your app)"
        value={started.secret}
        warning="Keep it to yourself: whoever has it can make your codes."
      />
      <CopyField
        label="otpauth URI"
        value={started.otpauthUri}
        warning="The same secret as a link that authenticator apps read."
      />
      <p>
        <a href={started.otpauthUri}>Open in an authenticator app on this device</a>
      </p>
      <h3>2. Confirm with a first code</h3>
      <ProblemAlert error={error} title={error ? 'Two-factor sign-in is not on yet' : undefined} />
      <form className="inline-form" onSubmit={submit}>
        <Field
          label="Code from the app"
          hint="Six digits."
          name="totp-confirm"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="\s*\d{3}\s*\d{3}\s*"
          required
          maxLength={8}
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
        <SubmitButton busy={busy} busyLabel="Checking…">
          Turn on two-factor sign-in
        </SubmitButton>
        <button type="button" className="button-quiet" onClick={onCancel}>
          Cancel
        </button>
      </form>
    </div>
  );
}

function RecoveryCodes({ codes, onHide }: { codes: string[]; onHide: () => void }) {
  return (
    <div className="panel panel-secret" role="region" aria-labelledby="recovery-codes-heading">
      <h3 id="recovery-codes-heading">Your recovery codes</h3>
      <p className="warning">
        Two-factor sign-in is on. Save these ten codes somewhere safe now: each signs you in once when you do
        not have your app. Vigil stores only their hashes and will not show them again.
      </p>
      <ul className="mono" aria-label="Recovery codes">
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      <CopyField
        label="All recovery codes"
        value={codes.join(' ')}
        warning="Copy them to your password manager."
        tone="hint"
      />
      <div className="actions">
        <button type="button" className="button-quiet" onClick={onHide}>
          I have saved them, hide the codes
        </button>
      </div>
    </div>
  );
}

function TurnOff({ onDone }: { onDone: () => void }) {
  const [by, setBy] = useState<'code' | 'recoveryCode' | 'password'>('code');
  const [value, setValue] = useState('');
  const { busy, error, run } = useAsyncAction();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!window.confirm('Turn two-factor sign-in off? Your password alone will sign you in.')) return;
    void run(async () => {
      await twoFactor.disableTotp(by === 'code' ? { code: value.replace(/\s/g, '') } : { [by]: value });
      setValue('');
      onDone();
    });
  }

  const labels = {
    code: 'Current code from the app',
    recoveryCode: 'Recovery code',
    password: 'Your password',
  };
  return (
    <>
      <ProblemAlert error={error} title={error ? 'Two-factor sign-in is still on' : undefined} />
      <form className="inline-form" onSubmit={submit} aria-label="Turn two-factor sign-in off">
        <SelectField
          label="Prove it is you with"
          value={by}
          onChange={(e) => {
            setBy(e.target.value as typeof by);
            setValue('');
          }}
        >
          <option value="code">a code from the app</option>
          <option value="recoveryCode">a recovery code</option>
          <option value="password">your password</option>
        </SelectField>
        <Field
          label={labels[by]}
          type={by === 'password' ? 'password' : 'text'}
          autoComplete={by === 'password' ? 'current-password' : by === 'code' ? 'one-time-code' : 'off'}
          inputMode={by === 'code' ? 'numeric' : undefined}
          required
          maxLength={by === 'password' ? MAX_PASSWORD : 40}
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
        <SubmitButton busy={busy} busyLabel="Turning off…">
          Turn off two-factor sign-in
        </SubmitButton>
      </form>
    </>
  );
}
