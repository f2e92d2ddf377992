import type { ReactNode } from 'react';

interface SubmitButtonProps {
  busy: boolean;
  /** Shown instead of the children while busy, e.g. "Saving…". */
  busyLabel: string;
  /** Disabled for another reason than being busy. */
  disabled?: boolean;
  children: ReactNode;
}

/** A form's primary submit button, in its own row of actions; disabled while the form is sent. */
export function SubmitButton({ busy, busyLabel, disabled = false, children }: SubmitButtonProps) {
  return (
    <div className="actions">
      <button type="submit" className="button-primary" disabled={busy || disabled}>
        {busy ? busyLabel : children}
      </button>
    </div>
  );
}
