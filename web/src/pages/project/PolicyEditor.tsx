import { useEffect, useRef, useState } from 'react';
import { type ApiError, isAbort, toApiError } from '../../api/client.js';
import * as api from '../../api/endpoints.js';
import type { Issue, PolicyVersion } from '../../api/types.js';
import { IssueList } from '../../components/IssueList.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { Alert } from '../../components/Status.js';
import { setNavigationGuard } from '../../router.js';

const PREVIEW_DELAY_MS = 300;

export interface RestoreRequest {
  yaml: string;
  version: number;
  /** Changes on every request, so restoring the same version twice still applies. */
  nonce: number;
}

interface PolicyEditorProps {
  slug: string;
  /** The current policy on the server. */
  policy: PolicyVersion;
  canEdit: boolean;
  /** Called after a save, so the page reloads the project and its history. */
  onSaved: () => void;
  /** Called when the user asks for the latest version after a conflict. */
  onReloadRequested: () => void;
  restore: RestoreRequest | null;
}

/**
 * The policy: a YAML editor (or read-only source) beside the SECURITY.md it produces. The preview
 * is rendered by the server as the user types (debounced); when the YAML is invalid the issues are
 * listed and the last good preview stays visible, marked out of date. Saving sends the version the
 * edit started from, so a concurrent save by someone else is reported instead of overwritten.
 */
export function PolicyEditor({
  slug,
  policy,
  canEdit,
  onSaved,
  onReloadRequested,
  restore,
}: PolicyEditorProps) {
  const [draft, setDraft] = useState(policy.yaml);
  const [savedYaml, setSavedYaml] = useState(policy.yaml);
  const [baseVersion, setBaseVersion] = useState(policy.version);
  const [adoptLatest, setAdoptLatest] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<ApiError>();
  const [conflict, setConflict] = useState(false);
  const [savedVersion, setSavedVersion] = useState<number | null>(null);
  const [restoredFrom, setRestoredFrom] = useState<number | null>(null);
  const preview = usePreview(canEdit ? draft : policy.yaml);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const dirty = draft !== savedYaml;

  // A newer version on the server replaces the editor's content when nothing would be lost, or
  // when the user asked for it after a conflict.
  useEffect(() => {
    if (policy.version === baseVersion) return;
    if (!dirty || adoptLatest) {
      setDraft(policy.yaml);
      setSavedYaml(policy.yaml);
      setBaseVersion(policy.version);
      setAdoptLatest(false);
      setConflict(false);
      setRestoredFrom(null);
    }
  }, [policy.version, policy.yaml, baseVersion, dirty, adoptLatest]);

  useEffect(() => {
    if (!restore) return;
    setDraft(restore.yaml);
    setRestoredFrom(restore.version);
    setSavedVersion(null);
    textarea.current?.focus();
  }, [restore]);

  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    setNavigationGuard(() => window.confirm('Leave this page? Your policy changes are not saved.'));
    return () => {
      window.removeEventListener('beforeunload', warn);
      setNavigationGuard(null);
    };
  }, [dirty]);

  async function save() {
    if (saving || !dirty) return;
    const yaml = draft;
    setSaving(true);
    setSaveError(undefined);
    setConflict(false);
    setSavedVersion(null);
    try {
      const { version } = await api.savePolicy(slug, yaml, baseVersion);
      setBaseVersion(version);
      setSavedYaml(yaml);
      setSavedVersion(version);
      setRestoredFrom(null);
      onSaved();
    } catch (err) {
      const error = toApiError(err);
      if (error.status === 409) setConflict(true);
      else setSaveError(error);
    } finally {
      setSaving(false);
    }
  }

  function reloadLatest() {
    setAdoptLatest(true);
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

  const issues = saveError?.status === 422 ? saveError.issues : preview.issues;
  return (
    <div className="policy">
      {canEdit ? (
        <div className="policy-toolbar">
          <p className="policy-state" role="status">
            {saving
              ? 'Saving…'
              : dirty
                ? restoredFrom !== null
                  ? `Unsaved: the text of version ${restoredFrom}, to be saved as a new version.`
                  : `Unsaved changes to version ${baseVersion}.`
                : savedVersion !== null
                  ? `Saved as version ${savedVersion}.`
                  : `Version ${baseVersion}, no changes.`}
          </p>
          <button
            type="button"
            className="button-primary"
            disabled={!dirty || saving}
            onClick={() => void save()}
          >
            {saving ? 'Saving…' : 'Save'}
          </button>
        </div>
      ) : null}
      {conflict ? (
        <Alert tone="warning" title="Someone else saved this policy first">
          <p>
            Version {baseVersion} is no longer the latest. Copy your changes if you want to keep them, then
            load the latest version and apply them again.
          </p>
          <div className="actions">
            <button type="button" onClick={reloadLatest}>
              Load the latest version (discards your changes)
            </button>
          </div>
        </Alert>
      ) : null}
      {saveError && saveError.status !== 422 ? (
        <ProblemAlert error={saveError} title="Saving failed" />
      ) : null}
      <div className="policy-grid">
        <div className="policy-source">
          <h3 className="pane-title">{canEdit ? 'Policy (YAML)' : 'Policy (YAML, read-only)'}</h3>
          {canEdit ? (
            <textarea
              ref={textarea}
              aria-label="Policy YAML"
              aria-describedby="policy-issues"
              aria-invalid={issues.length > 0 ? true : undefined}
              className="code-editor"
              spellCheck={false}
              autoCapitalize="off"
              autoComplete="off"
              autoCorrect="off"
              wrap="off"
              rows={32}
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              onKeyDown={(e) => {
                if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
                  e.preventDefault();
                  void save();
                }
              }}
            />
          ) : (
            <pre className="code-view" aria-label="Policy YAML" tabIndex={0}>
              {policy.yaml}
            </pre>
          )}
          <div id="policy-issues" className="policy-issues" aria-live="polite">
            {issues.length > 0 ? (
              <>
                <p className="issues-title">
                  {issues.length === 1 ? '1 problem' : `${issues.length} problems`} in the policy
                  {saveError?.status === 422 ? ' (not saved)' : ''}:
                </p>
                <IssueList issues={issues} onSelect={canEdit ? goToLine : undefined} />
              </>
            ) : null}
            {preview.error ? (
              <ProblemAlert error={preview.error} title="The preview could not be rendered" />
            ) : null}
          </div>
        </div>
        <div className="policy-preview">
          <h3 className="pane-title">
            SECURITY.md preview
            {preview.stale ? <span className="badge badge-warning">Out of date</span> : null}
            {preview.pending ? <span className="badge">Updating…</span> : null}
          </h3>
          {preview.html === null ? (
            <p className="loading">
              {preview.stale ? 'No preview: fix the problems in the policy.' : 'Rendering…'}
            </p>
          ) : (
            <div
              data-testid="security-md-preview"
              className={preview.stale ? 'markdown-body stale' : 'markdown-body'}
              aria-busy={preview.pending}
              // The server sanitises this HTML (sanitize-html) before sending it.
              dangerouslySetInnerHTML={{ __html: preview.html }}
            />
          )}
        </div>
      </div>
    </div>
  );
}

interface Preview {
  html: string | null;
  /** The html no longer matches the text: the text has problems or could not be rendered. */
  stale: boolean;
  pending: boolean;
  issues: Issue[];
  error: ApiError | undefined;
}

/** Renders `yaml` to SECURITY.md on the server, at most once per pause in typing. */
function usePreview(yaml: string): Preview {
  const [state, setState] = useState<Preview>({
    html: null,
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
      api.renderPolicy(yaml, controller.signal).then(
        ({ html }) => setState({ html, stale: false, pending: false, issues: [], error: undefined }),
        (err: unknown) => {
          if (isAbort(err)) return;
          const error = toApiError(err);
          setState((s) => ({
            html: s.html,
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
  }, [yaml]);

  return state;
}
