import { useState } from 'react';
import {
  previewAdvisoryTemplate,
  resetAdvisoryTemplate,
  saveAdvisoryTemplate,
  type AdvisoryTemplate,
} from '../../api/advisory-templates.js';
import { DateTime } from '../../components/DateTime.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import {
  EditorToolbar,
  PreviewPane,
  SaveConflictAlert,
  SourceEditor,
} from '../../components/SourceEditor.js';
import { Alert } from '../../components/Status.js';
import { useLivePreview, useVersionedSave } from '../../hooks.js';
import { describeField } from './field-words.js';
import { RenderView } from './RenderView.js';

interface TemplateEditorProps {
  slug: string;
  /** The template as the server last gave it. */
  template: AdvisoryTemplate;
  /** The template in words, e.g. "The distributors' mail". */
  title: string;
  canEdit: boolean;
  /** The text in the editor (the template's source when nothing was changed). */
  draft: string;
  /** A new text; undefined drops the edit. */
  onDraft: (text: string | undefined) => void;
  /** The template list is being loaded again: saving waits for it. */
  refreshing: boolean;
  /** After a save or a reset: what the server now holds. */
  onStored: (template: AdvisoryTemplate) => void;
  /** After a conflict, when the user asks for the latest version (keeping their text). */
  onReloadRequested: () => void;
}

/**
 * One template: its source (editable by the team) beside the variables it may use and the fields
 * it requires, and a preview the server renders against a sample advisory as the user types
 * (debounced). A source that does not parse is reported by line, the last good preview kept and
 * marked out of date. Saving sends the version the edit started from, so someone else's save is
 * reported, not overwritten; "Reset to default" asks for confirmation in the page.
 */
export function TemplateEditor({
  slug,
  template,
  title,
  canEdit,
  draft,
  onDraft,
  refreshing,
  onStored,
  onReloadRequested,
}: TemplateEditorProps) {
  // Saving and resetting share one state: one runs at a time, and the last one's failure shows.
  const { saving, error: actionError, conflict, run, resolveConflict } = useVersionedSave();
  const [last, setLast] = useState<'save' | 'reset'>('save');
  const busy = saving ? last : null;
  const [done, setDone] = useState('');
  const [confirmingReset, setConfirmingReset] = useState(false);
  const source = canEdit ? draft : template.source;
  const preview = useLivePreview(JSON.stringify([slug, template.name, source]), (signal) =>
    previewAdvisoryTemplate(slug, template.name, source, signal),
  );
  const dirty = draft !== template.source;
  const editorId = `template-source-${template.name}`;

  async function save() {
    if (busy || !dirty || refreshing) return;
    setLast('save');
    setDone('');
    await run(async () => {
      const saved = await saveAdvisoryTemplate(slug, template.name, draft, template.version);
      onStored(saved);
      setDone(`Saved as version ${saved.version}.`);
    });
  }

  async function reset() {
    setLast('reset');
    setDone('');
    await run(async () => {
      const restored = await resetAdvisoryTemplate(slug, template.name);
      setConfirmingReset(false);
      onStored(restored);
      setDone('Back to Vigil’s default template.');
    });
  }

  function reloadLatest() {
    resolveConflict();
    setDone('');
    onReloadRequested();
  }

  // The list already says "line N": a message that starts with it too would say it twice.
  const issues = (actionError?.status === 422 ? actionError.issues : preview.issues).map((issue) =>
    issue.line === undefined ? issue : { ...issue, message: issue.message.replace(/^line \d+:\s*/, '') },
  );
  const state = busy
    ? busy === 'save'
      ? 'Saving…'
      : 'Resetting…'
    : dirty
      ? `Unsaved changes to ${template.isDefault ? 'the default template' : `version ${template.version}`}.`
      : done ||
        (template.isDefault
          ? 'Vigil’s default template.'
          : `The project’s own, version ${template.version}.`);

  return (
    <div className="template-editor">
      {canEdit ? (
        <EditorToolbar state={state} testId="template-state">
          <div className="actions">
            {template.isDefault ? null : (
              <button
                type="button"
                className="button-quiet"
                disabled={busy !== null || confirmingReset}
                onClick={() => setConfirmingReset(true)}
              >
                Reset to default
              </button>
            )}
            {dirty ? (
              <button type="button" disabled={busy !== null} onClick={() => onDraft(undefined)}>
                Discard changes
              </button>
            ) : null}
            <button
              type="button"
              className="button-primary"
              disabled={!dirty || busy !== null || refreshing}
              onClick={() => void save()}
            >
              {busy === 'save' ? 'Saving…' : 'Save template'}
            </button>
          </div>
        </EditorToolbar>
      ) : (
        <p className="meta">
          {template.isDefault
            ? 'Vigil’s default template.'
            : `The project’s own, version ${template.version}.`}{' '}
          Only the project’s security team may change it.
        </p>
      )}
      {!template.isDefault && template.updatedAt ? (
        <p className="meta">
          Last changed <DateTime value={template.updatedAt} />
          {template.updatedBy ? ` by ${template.updatedBy}` : ''}.
        </p>
      ) : null}
      {confirmingReset ? (
        <Alert
          tone="warning"
          title={`Reset ${title.charAt(0).toLowerCase()}${title.slice(1)} to the default?`}
        >
          <p>
            The project’s own version is replaced by Vigil’s default template
            {dirty ? ', and your unsaved changes are lost' : ''}.
          </p>
          <div className="template-confirm">
            <button
              type="button"
              className="button-danger"
              disabled={busy !== null}
              onClick={() => void reset()}
            >
              {busy === 'reset' ? 'Resetting…' : 'Yes, reset to the default'}
            </button>
            <button type="button" disabled={busy !== null} onClick={() => setConfirmingReset(false)}>
              Cancel
            </button>
          </div>
        </Alert>
      ) : null}
      {conflict ? (
        <SaveConflictAlert
          subject="template"
          version={template.version}
          advice="Load the latest version: your text stays in the editor, and saving it then replaces theirs."
          reloadLabel="Load the latest version (keeps your text)"
          onReload={reloadLatest}
        />
      ) : null}
      {actionError && actionError.status !== 422 ? (
        <ProblemAlert error={actionError} title={last === 'reset' ? 'Reset failed' : 'Saving failed'} />
      ) : null}

      <div className="policy-grid template-grid">
        <SourceEditor
          id={editorId}
          title={canEdit ? `${title} (template)` : `${title} (template, read-only)`}
          subject="template"
          value={source}
          onChange={canEdit ? onDraft : undefined}
          onSave={() => void save()}
          issues={issues}
          notSaved={actionError?.status === 422}
          previewError={preview.error}
        />
        <div className="template-help">
          <h3 className="pane-title">Required fields</h3>
          {template.requiredFields.length > 0 ? (
            <ul aria-label="Required fields">
              {template.requiredFields.map((path) => (
                <li key={path}>{describeField(path)}</li>
              ))}
            </ul>
          ) : (
            <p className="empty">None: it renders from any advisory.</p>
          )}
          <h3 className="pane-title">Variables</h3>
          {/* Scrolls within its pane: focusable, so that a keyboard can scroll it too. */}
          <dl aria-label="Variables" tabIndex={0}>
            {template.variables.map((v) => (
              <div key={v.name}>
                <dt>{`{{${v.name}}}`}</dt>
                <dd>{v.description}</dd>
              </div>
            ))}
          </dl>
        </div>
      </div>

      <PreviewPane
        className="template-preview"
        title="Preview (a sample advisory)"
        subject="template"
        preview={preview}
      >
        {(render) => <RenderView render={render} label={`${title} preview`} stale={preview.stale} />}
      </PreviewPane>
    </div>
  );
}
