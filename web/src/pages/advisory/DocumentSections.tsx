import type { AdvisoryDocument } from '../../api/advisory.js';
import { Field, FieldError, TextAreaField } from '../../components/Field.js';
import { Section } from '../../components/Section.js';
import type { MessageAt } from './AffectedEditor.js';
import { AliasesEditor } from './ListEditors.js';

/** What a section of the document form is given: the draft, a way to set a field, the server's issues. */
export interface DocumentSectionProps {
  draft: AdvisoryDocument;
  set: <K extends keyof AdvisoryDocument>(key: K, value: AdvisoryDocument[K]) => void;
  message: MessageAt;
}

/** The title, and the one-line summary the exports use. */
export function TitleSection({ draft, set, message }: DocumentSectionProps) {
  return (
    <Section headingId="advisory-summary-heading" title="Title and summary">
      <Field
        label="Title"
        value={draft.title}
        required
        maxLength={300}
        error={message('title', 'The title')}
        onChange={(e) => set('title', e.target.value)}
      />
      <Field
        label="Summary"
        hint="One line: the OSV summary, the CVE title."
        value={draft.summary}
        maxLength={500}
        error={message('summary', 'The summary')}
        onChange={(e) => set('summary', e.target.value)}
      />
    </Section>
  );
}

interface DescriptionSectionProps extends DocumentSectionProps {
  /** The saved description as the server rendered and sanitised it. */
  savedHtml: string;
  /** The saved description's Markdown, to say when the rendering is behind the draft. */
  savedMarkdown: string;
}

/** The description in Markdown, beside the saved one as it is published. */
export function DescriptionSection({
  draft,
  set,
  message,
  savedHtml,
  savedMarkdown,
}: DescriptionSectionProps) {
  return (
    <Section headingId="advisory-description-heading" title="Description">
      <TextAreaField
        label="Description (Markdown)"
        rows={10}
        value={draft.description}
        error={message('description', 'The description')}
        onChange={(e) => set('description', e.target.value)}
      />
      <div className="description-preview">
        <h3 className="pane-title">
          Saved description, as published
          {draft.description !== savedMarkdown ? (
            <span className="badge badge-warning">Save to update</span>
          ) : null}
        </h3>
        {savedHtml.trim() === '' ? (
          <p className="hint">Empty.</p>
        ) : (
          <div
            className="markdown-body"
            data-testid="advisory-description-html"
            // The server renders the Markdown and sanitises the HTML before sending it.
            dangerouslySetInnerHTML={{ __html: savedHtml }}
          />
        )}
      </div>
    </Section>
  );
}

/**
 * The free-text answers of "Workarounds and mitigations": field, label, its name in messages, and
 * what it means (CSAF's `workaround` and `mitigation`; the server's REMEDY_MEANINGS say the same).
 */
export const REMEDY_FIELDS = [
  {
    key: 'amIVulnerable',
    label: 'Am I vulnerable?',
    subject: 'The text',
    hint: 'How users tell whether their deployment is affected (version, feature, configuration).',
  },
  {
    key: 'workarounds',
    label: 'Workarounds',
    subject: 'The workarounds',
    hint: 'How to avoid the vulnerable code until the upgrade (turn the feature off, do not use the option): exposure is removed. Write “None known.” when there is none.',
  },
  {
    key: 'mitigations',
    label: 'Mitigations',
    subject: 'The mitigations',
    hint: 'What reduces the risk or the impact without removing the vulnerability (restrict network access, lower privileges).',
  },
] as const;

/** How users tell whether they are vulnerable, and what they can do before the fix. */
export function RemediesSection({ draft, set, message }: DocumentSectionProps) {
  return (
    <Section headingId="advisory-remedies-heading" title="Workarounds and mitigations">
      {REMEDY_FIELDS.map(({ key, label, subject, hint }) => (
        <TextAreaField
          key={key}
          label={label}
          hint={hint}
          rows={4}
          value={draft[key]}
          error={message(key, subject)}
          onChange={(e) => set(key, e.target.value)}
        />
      ))}
    </Section>
  );
}

/** The ids other databases give the vulnerability (never the CVE id, which stays private). */
export function AliasesSection({
  draft,
  set,
  message,
  disabled,
}: DocumentSectionProps & { disabled: boolean }) {
  return (
    <Section headingId="advisory-aliases-heading" title="Other ids (aliases)">
      <p className="hint">
        The ids other databases give this vulnerability, exported as OSV aliases. Record the CVE id under “CVE
        and state”: it stays private until publication.
      </p>
      <AliasesEditor
        value={draft.aliases}
        onChange={(v) => set('aliases', v)}
        message={message}
        disabled={disabled}
      />
      <FieldError message={message('aliases', 'The other ids')} />
    </Section>
  );
}
