import { CheckboxField, Field, FieldError } from '../../../components/Field.js';
import { CreditFields } from '../../../components/CreditFields.js';
import type { StepProps } from './steps.js';

/** Who the reporter is, all optional: how to credit them, and where to tell them of answers. */
export function AboutYouStep({ draft, onChange, issues }: StepProps) {
  return (
    <fieldset>
      <legend>About you (all optional)</legend>
      <div className="form-grid form-grid-2">
        <CreditFields
          value={draft}
          onChange={onChange}
          error={(field, subject) => issues.message(`reporter.${field}`, subject)}
        />
        <Field
          label="Email"
          hint="To be told when the team answers. Never published."
          type="email"
          maxLength={320}
          autoComplete="email"
          value={draft.email}
          onChange={(e) => onChange({ email: e.target.value })}
          error={issues.message('reporter.email', 'The email')}
        />
      </div>
      <CheckboxField
        label="Credit me anonymously in the advisory"
        checked={draft.anonymous}
        onChange={(e) => onChange({ anonymous: e.target.checked })}
      />
      <FieldError message={issues.message('reporter', 'Your details')} />
    </fieldset>
  );
}
