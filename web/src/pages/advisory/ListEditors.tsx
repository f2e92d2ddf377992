import {
  CREDIT_TYPES,
  REFERENCE_TYPES,
  type AdvisoryCredit,
  type AdvisoryReference,
  type CreditType,
  type ReferenceType,
} from '../../api/advisory.js';
import { Field, SelectField } from '../../components/Field.js';
import type { MessageAt } from './AffectedEditor.js';

/** "REMEDIATION_DEVELOPER" as "Remediation developer". */
export function creditTypeLabel(type: string): string {
  const words = type.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

interface ListProps<T> {
  value: T[];
  onChange: (value: T[]) => void;
  message: MessageAt;
  disabled: boolean;
}

/** The references: rows of OSV type and URL. */
export function ReferencesEditor({ value, onChange, message, disabled }: ListProps<AdvisoryReference>) {
  const set = (i: number, ref: AdvisoryReference) => onChange(value.map((r, k) => (k === i ? ref : r)));
  return (
    <>
      {value.length === 0 ? <p className="hint">No reference yet.</p> : null}
      <ul className="row-list" aria-label="References">
        {value.map((ref, i) => (
          <li key={i}>
            <SelectField
              label={`Reference ${i + 1} type`}
              value={ref.type}
              disabled={disabled}
              error={message(`references.${i}.type`, 'The type')}
              onChange={(e) => set(i, { ...ref, type: e.target.value as ReferenceType })}
            >
              {REFERENCE_TYPES.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </SelectField>
            <Field
              label={`Reference ${i + 1} URL`}
              type="url"
              value={ref.url}
              disabled={disabled}
              error={message(`references.${i}.url`, 'The URL') ?? message(`references.${i}`, 'The reference')}
              onChange={(e) => set(i, { ...ref, url: e.target.value })}
            />
            <button
              type="button"
              className="button-small button-quiet"
              disabled={disabled}
              onClick={() => onChange(value.filter((_, k) => k !== i))}
            >
              Remove<span className="visually-hidden"> reference {i + 1}</span>
            </button>
          </li>
        ))}
      </ul>
      <div className="actions">
        <button
          type="button"
          className="button-small"
          disabled={disabled}
          onClick={() => onChange([...value, { type: 'WEB', url: '' }])}
        >
          Add a reference
        </button>
      </div>
    </>
  );
}

/** The credits: rows of name and OSV credit type (contacts are kept as they are). */
export function CreditsEditor({ value, onChange, message, disabled }: ListProps<AdvisoryCredit>) {
  const set = (i: number, credit: AdvisoryCredit) => onChange(value.map((c, k) => (k === i ? credit : c)));
  return (
    <>
      {value.length === 0 ? <p className="hint">Nobody credited yet.</p> : null}
      <ul className="row-list" aria-label="Credits">
        {value.map((credit, i) => (
          <li key={i}>
            <Field
              label={`Credit ${i + 1} name`}
              value={credit.name}
              disabled={disabled}
              error={message(`credits.${i}.name`, 'The name') ?? message(`credits.${i}`, 'The credit')}
              onChange={(e) => set(i, { ...credit, name: e.target.value })}
            />
            <SelectField
              label={`Credit ${i + 1} role`}
              value={credit.type}
              disabled={disabled}
              error={message(`credits.${i}.type`, 'The role')}
              onChange={(e) => set(i, { ...credit, type: e.target.value as CreditType })}
            >
              {CREDIT_TYPES.map((t) => (
                <option key={t} value={t}>
                  {creditTypeLabel(t)}
                </option>
              ))}
            </SelectField>
            <button
              type="button"
              className="button-small button-quiet"
              disabled={disabled}
              onClick={() => onChange(value.filter((_, k) => k !== i))}
            >
              Remove<span className="visually-hidden"> credit {i + 1}</span>
            </button>
          </li>
        ))}
      </ul>
      <div className="actions">
        <button
          type="button"
          className="button-small"
          disabled={disabled}
          onClick={() => onChange([...value, { name: '', type: 'FINDER' }])}
        >
          Add a credit
        </button>
      </div>
    </>
  );
}
