import type { KeyboardEvent } from 'react';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { FieldError } from '../../components/Field.js';
import { Section } from '../../components/Section.js';
import { fieldIssues } from '../../field-issues.js';
import { AffectedEditor, messageAt } from './AffectedEditor.js';
import { CwePicker } from './CwePicker.js';
import { documentFieldPaths } from './document-fields.js';
import { AliasesSection, DescriptionSection, RemediesSection, TitleSection } from './DocumentSections.js';
import { CreditsEditor, ReferencesEditor } from './ListEditors.js';
import { SeverityEditor } from './SeverityEditor.js';
import type { AdvisoryEditor } from './useAdvisoryEditor.js';

/** The editor's state in words, announced as it changes. */
function saveState({ saving, canEdit, open, advisory, dirty, baseRevision }: AdvisoryEditor): string {
  if (saving.saving) return 'Saving…';
  if (!canEdit)
    return open
      ? 'Read-only: you may not edit this advisory.'
      : `The advisory is ${advisory.state}: read-only.`;
  return dirty ? `Unsaved changes to revision ${baseRevision}.` : `Revision ${baseRevision}, no changes.`;
}

/** Ctrl+S or Cmd+S anywhere in the form saves. */
function saveOnShortcut(save: () => void) {
  return (e: KeyboardEvent) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
      e.preventDefault();
      save();
    }
  };
}

/**
 * The advisory document, section by section: every field, a live CVSS calculator per vector, the
 * CWE picker and the affected-version editor, with the server's issues next to the fields they
 * name. Read-only for whoever may not edit it, and once it is withdrawn or rejected.
 */
export function DocumentForm({ editor }: { editor: AdvisoryEditor }) {
  const { draft, set, canEdit, dirty, saving } = editor;
  const save = () => void editor.save();
  // The request schema refuses with 400, the document's own rules with 422: both name fields.
  const refused = saving.error && saving.error.issues.length > 0 ? saving.error : undefined;
  const issues = fieldIssues(refused, documentFieldPaths(draft));
  const message = messageAt(issues);
  // What every part editor of the document takes besides its value.
  const editorProps = { message, disabled: !canEdit };
  const sectionProps = { draft, set, message };

  return (
    <form
      className="advisory-main"
      aria-label="Advisory document"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
      onKeyDown={saveOnShortcut(save)}
    >
      <div className="advisory-toolbar">
        <p role="status" data-testid="advisory-save-state">
          {saveState(editor)}
        </p>
        {canEdit ? (
          <button type="submit" className="button-primary" disabled={!dirty || saving.saving}>
            {saving.saving ? 'Saving…' : 'Save'}
          </button>
        ) : null}
      </div>
      {saving.error ? (
        <ProblemAlert
          error={saving.error}
          title={refused ? 'The advisory was not saved' : 'Saving failed'}
          issues={issues.unclaimed}
        />
      ) : null}

      <fieldset key={editor.formKey} className="plain-fieldset" disabled={!canEdit}>
        <TitleSection {...sectionProps} />
        <DescriptionSection
          {...sectionProps}
          savedHtml={editor.advisory.descriptionHtml}
          savedMarkdown={editor.saved.description}
        />
        <Section headingId="advisory-affected-heading" title="Affected packages">
          <AffectedEditor value={draft.affected} onChange={(v) => set('affected', v)} {...editorProps} />
          <FieldError message={message('affected', 'The affected packages')} />
        </Section>
        <Section headingId="advisory-severity-heading" title="Severity (CVSS)">
          <SeverityEditor
            value={draft.severity.cvss}
            onChange={(cvss) => set('severity', { cvss })}
            {...editorProps}
          />
          <FieldError message={message('severity', 'The severity')} />
        </Section>
        <Section headingId="advisory-cwe-heading" title="Weaknesses (CWE)">
          <CwePicker
            value={draft.cwes}
            onChange={(v) => set('cwes', v)}
            error={message('cwes', 'The weaknesses')}
            disabled={!canEdit}
          />
        </Section>
        <RemediesSection {...sectionProps} />
        <Section headingId="advisory-references-heading" title="References">
          <ReferencesEditor
            value={draft.references}
            onChange={(v) => set('references', v)}
            {...editorProps}
          />
        </Section>
        <AliasesSection {...sectionProps} disabled={!canEdit} />
        <Section headingId="advisory-credits-heading" title="Credits">
          <CreditsEditor value={draft.credits} onChange={(v) => set('credits', v)} {...editorProps} />
        </Section>
      </fieldset>
    </form>
  );
}
