import { TextAreaField } from '../../../components/Field.js';
import type { StepProps } from './steps.js';

/** The questions of the seeds' "Proposed Email Content", in their order. */
const QUESTIONS = [
  {
    field: 'reproduction',
    label: 'Steps to reproduce',
    hint: 'In detail: what you did, what you sent, what happened. Attach proof-of-concept scripts below.',
    subject: 'The steps to reproduce',
    required: true,
    rows: 8,
    maxLength: 100_000,
  },
  {
    field: 'effects',
    label: 'Effects, and the configuration you saw them on',
    hint: 'Versions, hardware and software, settings.',
    subject: 'The effects',
    maxLength: 50_000,
  },
  {
    field: 'impact',
    label: 'Impact and attack surface',
    hint: 'How it affects users, who could exploit it and from where.',
    subject: 'The impact',
    maxLength: 50_000,
  },
  {
    field: 'dependencies',
    label: 'Other projects or dependencies involved',
    subject: 'The dependencies',
    rows: 3,
    maxLength: 20_000,
  },
] as const;

/** The issue itself: how to reproduce it, what it does, to whom, and what else is involved. */
export function IssueStep({ draft, onChange, issues }: StepProps) {
  return (
    <fieldset>
      <legend>The issue</legend>
      <div className="stack">
        {QUESTIONS.map((q) => (
          <TextAreaField
            key={q.field}
            label={q.label}
            hint={'hint' in q ? q.hint : undefined}
            required={'required' in q ? q.required : undefined}
            rows={'rows' in q ? q.rows : undefined}
            maxLength={q.maxLength}
            value={draft[q.field]}
            onChange={(e) => onChange({ [q.field]: e.target.value })}
            error={issues.message(q.field, q.subject)}
          />
        ))}
      </div>
    </fieldset>
  );
}
