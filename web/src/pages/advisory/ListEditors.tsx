import {
  CREDIT_TYPES,
  REFERENCE_TYPES,
  type AdvisoryCredit,
  type AdvisoryReference,
  type CreditType,
  type ReferenceType,
} from '../../api/advisory.js';
import { Field, Options, SelectField } from '../../components/Field.js';
import type { MessageAt } from './AffectedEditor.js';
import { RowList } from './RowList.js';

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
  return (
    <RowList
      items={value}
      onChange={onChange}
      label="References"
      empty="No reference yet."
      itemName="reference"
      addLabel="Add a reference"
      newItem={(): AdvisoryReference => ({ type: 'WEB', url: '' })}
      disabled={disabled}
      renderRow={(ref, i, set) => (
        <>
          <SelectField
            label={`Reference ${i + 1} type`}
            value={ref.type}
            disabled={disabled}
            error={message(`references.${i}.type`, 'The type')}
            onChange={(e) => set({ ...ref, type: e.target.value as ReferenceType })}
          >
            <Options values={REFERENCE_TYPES} />
          </SelectField>
          <Field
            label={`Reference ${i + 1} URL`}
            type="url"
            value={ref.url}
            disabled={disabled}
            error={message(`references.${i}.url`, 'The URL') ?? message(`references.${i}`, 'The reference')}
            onChange={(e) => set({ ...ref, url: e.target.value })}
          />
        </>
      )}
    />
  );
}

/** The credits: rows of name and OSV credit type (contacts are kept as they are). */
export function CreditsEditor({ value, onChange, message, disabled }: ListProps<AdvisoryCredit>) {
  return (
    <RowList
      items={value}
      onChange={onChange}
      label="Credits"
      empty="Nobody credited yet."
      itemName="credit"
      addLabel="Add a credit"
      newItem={(): AdvisoryCredit => ({ name: '', type: 'FINDER' })}
      disabled={disabled}
      renderRow={(credit, i, set) => (
        <>
          <Field
            label={`Credit ${i + 1} name`}
            value={credit.name}
            disabled={disabled}
            error={message(`credits.${i}.name`, 'The name') ?? message(`credits.${i}`, 'The credit')}
            onChange={(e) => set({ ...credit, name: e.target.value })}
          />
          <SelectField
            label={`Credit ${i + 1} role`}
            value={credit.type}
            disabled={disabled}
            error={message(`credits.${i}.type`, 'The role')}
            onChange={(e) => set({ ...credit, type: e.target.value as CreditType })}
          >
            <Options values={CREDIT_TYPES} label={creditTypeLabel} />
          </SelectField>
        </>
      )}
    />
  );
}

/** The other ids of the vulnerability (GHSA-..., PYSEC-...): one row each. The CVE id has its own place. */
export function AliasesEditor({ value, onChange, message, disabled }: ListProps<string>) {
  return (
    <RowList
      items={value}
      onChange={onChange}
      label="Other ids"
      empty="No other id yet."
      itemName="id"
      addLabel="Add an id"
      newItem={() => ''}
      disabled={disabled}
      renderRow={(id, i, set) => (
        <Field
          label={`Other id ${i + 1}`}
          hint="GHSA-xxxx-xxxx-xxxx, PYSEC-2024-1, GO-2024-2963… (not the CVE id)"
          value={id}
          maxLength={100}
          disabled={disabled}
          error={message(`aliases.${i}`, 'The id')}
          onChange={(e) => set(e.target.value)}
        />
      )}
    />
  );
}
