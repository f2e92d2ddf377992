import { TextAreaField } from '../../../components/Field.js';
import type { StepProps } from './steps.js';

/** Whether the issue is already public, and if so where and since when. */
export function PublicityStep({ draft, onChange, issues }: StepProps) {
  return (
    <fieldset>
      <legend>Is this already public?</legend>
      <div className="radio-group">
        <label>
          <input
            type="radio"
            name="public"
            checked={!draft.isPublic}
            onChange={() => onChange({ isPublic: false })}
          />{' '}
          No, as far as I know only I know of it
        </label>
        <label>
          <input
            type="radio"
            name="public"
            checked={draft.isPublic}
            onChange={() => onChange({ isPublic: true })}
          />{' '}
          Yes, it is already public, or being exploited
        </label>
      </div>
      {draft.isPublic ? (
        <TextAreaField
          label="Where, and since when?"
          hint="Links, forums, dates. The team treats a public issue as urgent, and will ask you whether it can still be handled privately."
          rows={3}
          maxLength={10_000}
          value={draft.publicDetails}
          onChange={(e) => onChange({ publicDetails: e.target.value })}
          error={issues.message('publicDetails', 'Where it is public')}
        />
      ) : null}
    </fieldset>
  );
}
