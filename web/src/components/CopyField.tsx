import { useId, useRef } from 'react';
import { useCopyToClipboard } from '../hooks.js';

interface CopyFieldProps {
  label: string;
  value: string;
  /** What to know about the value, e.g. that it will not be shown again. */
  warning: string;
  /** `hint` for a value that is no secret (a clone URL): the note reads as a plain hint. */
  tone?: 'warning' | 'hint';
}

/**
 * A secret or link shown once: read-only, selectable, with a Copy button and a warning that it
 * will not be shown again (or, with `tone="hint"`, any value to copy with a note about it).
 */
export function CopyField({ label, value, warning, tone = 'warning' }: CopyFieldProps) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const { status, copy } = useCopyToClipboard(() => input.current?.select());

  return (
    <div className="copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="copy-row">
        <input
          id={id}
          ref={input}
          className="mono"
          readOnly
          value={value}
          aria-describedby={`${id}-warning`}
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" onClick={() => void copy(value)}>
          Copy
        </button>
      </div>
      <p id={`${id}-warning`} className={tone}>
        {warning}
      </p>
      <p className="copy-status" role="status">
        {status}
      </p>
    </div>
  );
}

interface SecretPanelProps {
  label: string;
  value: string;
  warning: string;
  /** The button that hides the panel, e.g. "Done, hide the token". */
  hideLabel: string;
  onHide: () => void;
}

/** A `<CopyField>` in its own highlighted panel, until the user says they have it. */
export function SecretPanel({ hideLabel, onHide, ...field }: SecretPanelProps) {
  return (
    <div className="panel panel-secret">
      <CopyField {...field} />
      <div className="actions">
        <button type="button" className="button-quiet" onClick={onHide}>
          {hideLabel}
        </button>
      </div>
    </div>
  );
}
