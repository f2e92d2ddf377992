import { useEffect, useRef, useState } from 'react';
import * as api from '../../api/endpoints.js';
import type { PolicyVersion } from '../../api/types.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import {
  EditorToolbar,
  PreviewPane,
  SaveConflictAlert,
  SourceEditor,
} from '../../components/SourceEditor.js';
import { useLivePreview, useUnsavedChangesGuard, useVersionedSave } from '../../hooks.js';

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
  const { saving, error: saveError, conflict, run: runSave, resolveConflict } = useVersionedSave();
  const [savedVersion, setSavedVersion] = useState<number | null>(null);
  const [restoredFrom, setRestoredFrom] = useState<number | null>(null);
  const source = canEdit ? draft : policy.yaml;
  const preview = useLivePreview(source, (signal) => api.renderPolicy(source, signal).then((r) => r.html));
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
      resolveConflict();
      setRestoredFrom(null);
    }
  }, [policy.version, policy.yaml, baseVersion, dirty, adoptLatest, resolveConflict]);

  useEffect(() => {
    if (!restore) return;
    setDraft(restore.yaml);
    setRestoredFrom(restore.version);
    setSavedVersion(null);
    textarea.current?.focus();
  }, [restore]);

  useUnsavedChangesGuard(dirty, 'Leave this page? Your policy changes are not saved.');

  async function save() {
    if (saving || !dirty) return;
    const yaml = draft;
    setSavedVersion(null);
    await runSave(async () => {
      const { version } = await api.savePolicy(slug, yaml, baseVersion);
      setBaseVersion(version);
      setSavedYaml(yaml);
      setSavedVersion(version);
      setRestoredFrom(null);
      onSaved();
    });
  }

  function reloadLatest() {
    setAdoptLatest(true);
    onReloadRequested();
  }

  const issues = saveError?.status === 422 ? saveError.issues : preview.issues;
  return (
    <div className="policy">
      {canEdit ? (
        <EditorToolbar
          state={
            saving
              ? 'Saving…'
              : dirty
                ? restoredFrom !== null
                  ? `Unsaved: the text of version ${restoredFrom}, to be saved as a new version.`
                  : `Unsaved changes to version ${baseVersion}.`
                : savedVersion !== null
                  ? `Saved as version ${savedVersion}.`
                  : `Version ${baseVersion}, no changes.`
          }
        >
          <button
            type="button"
            className="button-primary"
            disabled={!dirty || saving}
            onClick={() => void save()}
          >
            {saving ? 'Saving…' : 'Save'}
          </button>
        </EditorToolbar>
      ) : null}
      {conflict ? (
        <SaveConflictAlert
          subject="policy"
          version={baseVersion}
          advice="Copy your changes if you want to keep them, then load the latest version and apply them again."
          reloadLabel="Load the latest version (discards your changes)"
          onReload={reloadLatest}
        />
      ) : null}
      {saveError && saveError.status !== 422 ? (
        <ProblemAlert error={saveError} title="Saving failed" />
      ) : null}
      <div className="policy-grid">
        <SourceEditor
          id="policy-yaml"
          className="policy-source"
          title={canEdit ? 'Policy (YAML)' : 'Policy (YAML, read-only)'}
          label="Policy YAML"
          subject="policy"
          value={source}
          onChange={canEdit ? setDraft : undefined}
          onSave={() => void save()}
          issues={issues}
          notSaved={saveError?.status === 422}
          previewError={preview.error}
          rows={32}
          textareaRef={textarea}
        />
        <PreviewPane
          className="policy-preview"
          title="SECURITY.md preview"
          subject="policy"
          preview={preview}
        >
          {(html) => (
            <div
              data-testid="security-md-preview"
              className={preview.stale ? 'markdown-body stale' : 'markdown-body'}
              aria-busy={preview.pending}
              // It scrolls (at most 42rem high): keyboard users reach it to scroll (axe
              // scrollable-region-focusable, WCAG 2.1.1).
              role="region"
              aria-label="SECURITY.md as rendered"
              tabIndex={0}
              // The server sanitises this HTML (sanitize-html) before sending it.
              dangerouslySetInnerHTML={{ __html: html }}
            />
          )}
        </PreviewPane>
      </div>
    </div>
  );
}
