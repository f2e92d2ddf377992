import type { CreditDraft } from '../cases/report-draft.js';
import { Field } from './Field.js';

interface CreditFieldsProps {
  value: CreditDraft;
  onChange: (patch: Partial<CreditDraft>) => void;
  /** The error message of a field, after its name (`The name …`). */
  error: (field: keyof CreditDraft, subject: string) => string | undefined;
}

const LINES = [
  {
    field: 'name',
    label: 'Name, or how to be referred to',
    subject: 'The name',
    maxLength: 200,
    autoComplete: 'name',
  },
  {
    field: 'handle',
    label: 'Handle',
    subject: 'The handle',
    maxLength: 100,
    hint: 'e.g. your GitHub handle',
  },
  {
    field: 'affiliation',
    label: 'Affiliation',
    subject: 'The affiliation',
    maxLength: 200,
    autoComplete: 'organization',
  },
] as const;

/**
 * How a reporter wants to be credited: name, handle and affiliation, each optional. The report
 * form and the reporter's credit form both ask with these fields.
 */
export function CreditFields({ value, onChange, error }: CreditFieldsProps) {
  return LINES.map((line) => (
    <Field
      key={line.field}
      label={line.label}
      hint={'hint' in line ? line.hint : undefined}
      maxLength={line.maxLength}
      autoComplete={'autoComplete' in line ? line.autoComplete : undefined}
      value={value[line.field]}
      onChange={(e) => onChange({ [line.field]: e.target.value })}
      error={error(line.field, line.subject)}
    />
  ));
}
