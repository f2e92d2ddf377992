import { TextAreaField } from '../../../components/Field.js';

/**
 * The reason a person gives for a decision of the fix phase (a Fix Lead change, a removal, an
 * override, a slow-down): required, at most 2,000 characters, kept encrypted with the case.
 */
export function ReasonField({
  hint,
  value,
  onChange,
  error,
}: {
  hint: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
}) {
  return (
    <TextAreaField
      label="Reason"
      hint={hint}
      required
      rows={3}
      maxLength={2000}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      error={error}
    />
  );
}
