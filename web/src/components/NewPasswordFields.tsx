import { useState } from 'react';
import { checkNewPassword, MAX_PASSWORD, MIN_PASSWORD } from '../passwords.js';
import { Field } from './Field.js';

/** A new password and its confirmation, as typed, with the result of the last check. */
export interface NewPassword {
  password: string;
  confirmation: string;
  setPassword: (value: string) => void;
  setConfirmation: (value: string) => void;
  /** Why the last check refused the pair; null when it passed or has not run. */
  problem: string | null;
  /** Checks the pair before it is sent, showing why it is refused; true when it may be sent. */
  check: () => boolean;
  /** Empties both fields, e.g. after the password was changed. */
  clear: () => void;
}

/** The state behind `<NewPasswordFields>`. */
export function useNewPassword(): NewPassword {
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  return {
    password,
    confirmation,
    setPassword,
    setConfirmation,
    problem,
    check: () => {
      const found = checkNewPassword(password, confirmation);
      setProblem(found);
      return found === null;
    },
    clear: () => {
      setPassword('');
      setConfirmation('');
    },
  };
}

/** "New password" and "Confirm new password", with the message when the pair is refused. */
export function NewPasswordFields({ state, hint }: { state: NewPassword; hint: string }) {
  return (
    <>
      <Field
        label="New password"
        type="password"
        autoComplete="new-password"
        required
        minLength={MIN_PASSWORD}
        maxLength={MAX_PASSWORD}
        hint={hint}
        value={state.password}
        onChange={(e) => state.setPassword(e.target.value)}
      />
      <Field
        label="Confirm new password"
        type="password"
        autoComplete="new-password"
        required
        maxLength={MAX_PASSWORD}
        value={state.confirmation}
        onChange={(e) => state.setConfirmation(e.target.value)}
        aria-invalid={state.problem ? true : undefined}
      />
      {state.problem ? (
        <p className="field-error" role="alert">
          {state.problem}
        </p>
      ) : null}
    </>
  );
}
