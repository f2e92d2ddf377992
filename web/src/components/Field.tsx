import {
  useId,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';

interface Described {
  label: string;
  hint?: ReactNode;
  /** What the server (or a check) said is wrong with this field, shown under it. */
  error?: string | undefined;
}

/** The ids and ARIA attributes that tie a control to its hint and error. */
function useDescription(id: string | undefined, hint: ReactNode, error: string | undefined) {
  const generated = useId();
  const controlId = id ?? generated;
  const describedBy = [hint ? `${controlId}-hint` : null, error ? `${controlId}-error` : null]
    .filter((part) => part !== null)
    .join(' ');
  return {
    controlId,
    aria: {
      'aria-describedby': describedBy || undefined,
      'aria-invalid': error ? true : undefined,
    },
    after: (
      <>
        {hint ? (
          <p id={`${controlId}-hint`} className="hint">
            {hint}
          </p>
        ) : null}
        {error ? (
          <p id={`${controlId}-error`} className="field-error">
            {error}
          </p>
        ) : null}
      </>
    ),
  };
}

type FieldProps = InputHTMLAttributes<HTMLInputElement> & Described;

/** A labelled input with an optional hint and error tied to it for screen readers. */
export function Field({ label, hint, error, id, ...input }: FieldProps) {
  const { controlId, aria, after } = useDescription(id, hint, error);
  return (
    <div className="field">
      <label htmlFor={controlId}>{label}</label>
      <input id={controlId} {...aria} {...input} />
      {after}
    </div>
  );
}

type TextAreaFieldProps = TextareaHTMLAttributes<HTMLTextAreaElement> & Described;

/** A labelled multi-line text box with an optional hint and error. */
export function TextAreaField({ label, hint, error, id, rows = 5, ...textarea }: TextAreaFieldProps) {
  const { controlId, aria, after } = useDescription(id, hint, error);
  return (
    <div className="field">
      <label htmlFor={controlId}>{label}</label>
      <textarea id={controlId} rows={rows} {...aria} {...textarea} />
      {after}
    </div>
  );
}

type SelectFieldProps = SelectHTMLAttributes<HTMLSelectElement> & Described;

/** A labelled select with an optional hint and error. */
export function SelectField({ label, hint, error, id, children, ...select }: SelectFieldProps) {
  const { controlId, aria, after } = useDescription(id, hint, error);
  return (
    <div className="field">
      <label htmlFor={controlId}>{label}</label>
      <select id={controlId} {...aria} {...select}>
        {children}
      </select>
      {after}
    </div>
  );
}

/** A labelled checkbox, label after the box. */
export function CheckboxField({
  label,
  id,
  ...input
}: InputHTMLAttributes<HTMLInputElement> & { label: string }) {
  const generated = useId();
  const inputId = id ?? generated;
  return (
    <div className="field field-checkbox">
      <input id={inputId} type="checkbox" {...input} />
      <label htmlFor={inputId}>{label}</label>
    </div>
  );
}

/** One option per value, for a SelectField: the value itself, or `label(value)`, as its text. */
export function Options<V extends string | number>({
  values,
  label = String,
}: {
  values: readonly V[];
  label?: (value: V) => string;
}) {
  return (
    <>
      {values.map((v) => (
        <option key={v} value={v}>
          {label(v)}
        </option>
      ))}
    </>
  );
}

/** An error about a whole part of a form (not one control): nothing when there is none. */
export function FieldError({ message }: { message: string | undefined }) {
  return message ? <p className="field-error">{message}</p> : null;
}
