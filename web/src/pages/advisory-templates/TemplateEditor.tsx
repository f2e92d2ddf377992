import { useEffect, useRef, useState } from 'react';
import {
  previewAdvisoryTemplate,
  resetAdvisoryTemplate,
  saveAdvisoryTemplate,
  type AdvisoryRender,
  type AdvisoryTemplate,
} from '../../api/advisory-templates.js';
import { type ApiError, isAbort, toApiError } from '../../api/client.js';
import type { Issue } from '../../api/types.js';
import { DateTime } from '../../components/DateTime.js';
import { IssueList } from '../../components/IssueList.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { Alert } from '../../components/Status.js';
import { describeField } from './field-words.js';
import { RenderView } from './RenderView.js';

const PREVIEW_DELAY_MS = 300;

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
  const [busy, setBusy] = useState<'save' | 'reset' | null>(null);
  const [actionError, setActionError] = useState<ApiError>();
  const [failed, setFailed] = useState<'save' | 'reset'>('save');
  const [conflict, setConflict] = useState(false);
  const [done, setDone] = useState('');
  const [confirmingReset, setConfirmingReset] = useState(false);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const source = canEdit ? draft : template.source;
  const preview = useTemplatePreview(slug, template.name, source);
  const dirty = draft !== template.source;
  const editorId = `template-source-${template.name}`;

  async function save() {
    if (busy || !dirty || refreshing) return;
    setBusy('save');
    setActionError(undefined);
    setConflict(false);
    setDone('');
    try {
      const saved = await saveAdvisoryTemplate(slug, template.name, draft, template.version);
      onStored(saved);
      setDone(`Saved as version ${saved.version}.`);
    } catch (err) {
      const error = toApiError(err);
      setFailed('save');
      if (error.status === 409) setConflict(true);
      else setActionError(error);
    } finally {
      setBusy(null);
    }
  }

  async function reset() {
    setBusy('reset');
    setActionError(undefined);
    setConflict(false);
    setDone('');
    try {
      const restored = await resetAdvisoryTemplate(slug, template.name);
      setConfirmingReset(false);
      onStored(restored);
      setDone('Back to Vigil’s default template.');
    } catch (err) {
      setFailed('reset');
      setActionError(toApiError(err));
    } finally {
      setBusy(null);
    }
  }

  function reloadLatest() {
    setConflict(false);
    setDone('');
    onReloadRequested();
  }

  function goToLine(issue: Issue) {
    const area = textarea.current;
    if (!area || issue.line === undefined) return;
    const lines = draft.split('\n');
    const index = Math.min(Math.max(issue.line, 1), lines.length) - 1;
    const start = lines.slice(0, index).reduce((sum, line) => sum + line.length + 1, 0);
    area.focus();
    area.setSelectionRange(start, start + (lines[index]?.length ?? 0));
    const lineHeight = Number.parseFloat(getComputedStyle(area).lineHeight) || 20;
    area.scrollTop = Math.max(0, (index - 3) * lineHeight);
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
        <div className="policy-toolbar">
          <p className="policy-state" role="status" data-testid="template-state">
            {state}
          </p>
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
        </div>
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
        <Alert tone="warning" title="Someone else saved this template first">
          <p>
            Version {template.version} is no longer the latest. Load the latest version: your text stays in
            the editor, and saving it then replaces theirs.
          </p>
          <div className="actions">
            <button type="button" onClick={reloadLatest}>
              Load the latest version (keeps your text)
            </button>
          </div>
        </Alert>
      ) : null}
      {actionError && actionError.status !== 422 ? (
        <ProblemAlert error={actionError} title={failed === 'reset' ? 'Reset failed' : 'Saving failed'} />
      ) : null}

      <div className="template-grid">
        <div>
          <h3 className="pane-title" id={`${editorId}-title`}>
            {canEdit ? `${title} (template)` : `${title} (template, read-only)`}
          </h3>
          {canEdit ? (
            <textarea
              id={editorId}
              ref={textarea}
              aria-labelledby={`${editorId}-title`}
              aria-describedby={`${editorId}-issues`}
              aria-invalid={issues.length > 0 ? true : undefined}
              className="code-editor"
              spellCheck={false}
              autoCapitalize="off"
              autoComplete="off"
              autoCorrect="off"
              wrap="off"
              value={draft}
              onChange={(e) => onDraft(e.target.value)}
              onKeyDown={(e) => {
                if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
                  e.preventDefault();
                  void save();
                }
              }}
            />
          ) : (
            <pre id={editorId} className="code-view" tabIndex={0} aria-labelledby={`${editorId}-title`}>
              {template.source}
            </pre>
          )}
          <div id={`${editorId}-issues`} className="policy-issues" aria-live="polite">
            {issues.length > 0 ? (
              <>
                <p className="issues-title">
                  {issues.length === 1 ? '1 problem' : `${issues.length} problems`} in the template
                  {actionError?.status === 422 ? ' (not saved)' : ''}:
                </p>
                <IssueList issues={issues} onSelect={canEdit ? goToLine : undefined} />
              </>
            ) : null}
            {preview.error ? (
              <ProblemAlert error={preview.error} title="The preview could not be rendered" />
            ) : null}
          </div>
        </div>
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
          <dl aria-label="Variables">
            {template.variables.map((v) => (
              <div key={v.name}>
                <dt>{`{{${v.name}}}`}</dt>
                <dd>{v.description}</dd>
              </div>
            ))}
          </dl>
        </div>
      </div>

      <div className="template-preview">
        <h3 className="pane-title">
          Preview (a sample advisory)
          {preview.stale ? <span className="badge badge-warning">Out of date</span> : null}
          {preview.pending ? <span className="badge">Updating…</span> : null}
        </h3>
        {preview.render === null ? (
          <p className="loading">
            {preview.stale ? 'No preview: fix the problems in the template.' : 'Rendering…'}
          </p>
        ) : (
          <RenderView render={preview.render} label={`${title} preview`} stale={preview.stale} />
        )}
      </div>
    </div>
  );
}

interface Preview {
  render: AdvisoryRender | null;
  /** The render no longer matches the text: the text has problems or could not be rendered. */
  stale: boolean;
  pending: boolean;
  issues: Issue[];
  error: ApiError | undefined;
}

/** Renders `source` against the sample advisory on the server, at most once per pause in typing. */
function useTemplatePreview(slug: string, name: string, source: string): Preview {
  const [state, setState] = useState<Preview>({
    render: null,
    stale: false,
    pending: true,
    issues: [],
    error: undefined,
  });
  const first = useRef(true);

  useEffect(() => {
    const controller = new AbortController();
    setState((s) => (s.pending ? s : { ...s, pending: true }));
    const delay = first.current ? 0 : PREVIEW_DELAY_MS;
    first.current = false;
    const timer = window.setTimeout(() => {
      previewAdvisoryTemplate(slug, name, source, controller.signal).then(
        (render) => setState({ render, stale: false, pending: false, issues: [], error: undefined }),
        (err: unknown) => {
          if (isAbort(err)) return;
          const error = toApiError(err);
          setState((s) => ({
            render: s.render,
            stale: true,
            pending: false,
            issues: error.status === 422 ? error.issues : [],
            error: error.status === 422 && error.issues.length > 0 ? undefined : error,
          }));
        },
      );
    }, delay);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [slug, name, source]);

  return state;
}
