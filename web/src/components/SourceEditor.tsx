import { useRef, type ReactNode, type RefObject } from 'react';
import type { ApiError } from '../api/client.js';
import type { Issue } from '../api/types.js';
import type { LivePreview } from '../hooks.js';
import { IssueList } from './IssueList.js';
import { ProblemAlert } from './ProblemAlert.js';
import { Alert } from './Status.js';

/**
 * The pieces of an editor for a text the server renders (the policy's YAML, an advisory
 * template): the source pane with its line-numbered issues, the status-and-actions row, the
 * notice of a concurrent save, and the preview pane.
 */

interface SourceEditorProps {
  /** The id of the textarea (or read-only view); `-title` and `-issues` name its heading and issues. */
  id: string;
  /** The pane's heading. */
  title: string;
  /** The accessible name of the text; without it, the heading names it. */
  label?: string;
  /** What the text is, for "2 problems in the policy". */
  subject: string;
  value: string;
  /** Called with each edit; without it the text is shown read-only. */
  onChange?: ((text: string) => void) | undefined;
  /** Ctrl+S or Cmd+S in the text. */
  onSave: () => void;
  issues: Issue[];
  /** The issues are why a save was refused. */
  notSaved: boolean;
  previewError: ApiError | undefined;
  rows?: number;
  className?: string;
  /** The textarea, for a caller that moves the focus to it. */
  textareaRef?: RefObject<HTMLTextAreaElement | null>;
}

/**
 * The source pane: a plain-text editor (or a read-only view) and, under it, the problems found in
 * the text, each naming a line a button that selects that line in the editor.
 */
export function SourceEditor({
  id,
  title,
  label,
  subject,
  value,
  onChange,
  onSave,
  issues,
  notSaved,
  previewError,
  rows,
  className,
  textareaRef,
}: SourceEditorProps) {
  const ownRef = useRef<HTMLTextAreaElement>(null);
  const textarea = textareaRef ?? ownRef;
  const titleId = `${id}-title`;
  const issuesId = `${id}-issues`;
  const naming = label ? { 'aria-label': label } : { 'aria-labelledby': titleId };

  function goToLine(issue: Issue) {
    const area = textarea.current;
    if (!area || issue.line === undefined) return;
    const lines = value.split('\n');
    const index = Math.min(Math.max(issue.line, 1), lines.length) - 1;
    const start = lines.slice(0, index).reduce((sum, line) => sum + line.length + 1, 0);
    area.focus();
    area.setSelectionRange(start, start + (lines[index]?.length ?? 0));
    const lineHeight = Number.parseFloat(getComputedStyle(area).lineHeight) || 20;
    area.scrollTop = Math.max(0, (index - 3) * lineHeight);
  }

  return (
    <div className={className}>
      <h3 className="pane-title" id={titleId}>
        {title}
      </h3>
      {onChange ? (
        <textarea
          id={id}
          ref={textarea}
          {...naming}
          aria-describedby={issuesId}
          aria-invalid={issues.length > 0 ? true : undefined}
          className="code-editor"
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          autoCorrect="off"
          wrap="off"
          rows={rows}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          onKeyDown={(e) => {
            if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
              e.preventDefault();
              onSave();
            }
          }}
        />
      ) : (
        <pre id={id} className="code-view" tabIndex={0} {...naming}>
          {value}
        </pre>
      )}
      <div id={issuesId} className="policy-issues" aria-live="polite">
        {issues.length > 0 ? (
          <>
            <p className="issues-title">
              {issues.length === 1 ? '1 problem' : `${issues.length} problems`} in the {subject}
              {notSaved ? ' (not saved)' : ''}:
            </p>
            <IssueList issues={issues} onSelect={onChange ? goToLine : undefined} />
          </>
        ) : null}
        {previewError ? (
          <ProblemAlert error={previewError} title="The preview could not be rendered" />
        ) : null}
      </div>
    </div>
  );
}

/** The editor's state in words (announced as it changes), and its actions. */
export function EditorToolbar({
  state,
  testId,
  children,
}: {
  state: string;
  testId?: string;
  children: ReactNode;
}) {
  return (
    <div className="policy-toolbar">
      <p className="policy-state" role="status" data-testid={testId}>
        {state}
      </p>
      {children}
    </div>
  );
}

/**
 * The notice that someone else saved first (the server answered 409 to the version the edit
 * started from), with the one way on: loading the latest version.
 */
export function SaveConflictAlert({
  subject,
  version,
  advice,
  reloadLabel,
  onReload,
}: {
  subject: string;
  /** The version the edit started from. */
  version: number;
  /** What happens to the user's text, and what to do about it. */
  advice: string;
  reloadLabel: string;
  onReload: () => void;
}) {
  return (
    <Alert tone="warning" title={`Someone else saved this ${subject} first`}>
      <p>
        Version {version} is no longer the latest. {advice}
      </p>
      <div className="actions">
        <button type="button" onClick={onReload}>
          {reloadLabel}
        </button>
      </div>
    </Alert>
  );
}

/**
 * The preview pane: its heading, marked "Out of date" or "Updating…" as the preview is, and the
 * last good render (`children`), or why there is none yet.
 */
export function PreviewPane<T>({
  title,
  subject,
  preview,
  className,
  children,
}: {
  title: string;
  /** What the text is, for "fix the problems in the policy". */
  subject: string;
  preview: LivePreview<T>;
  className: string;
  children: (value: T) => ReactNode;
}) {
  return (
    <div className={className}>
      <h3 className="pane-title">
        {title}
        {preview.stale ? <span className="badge badge-warning">Out of date</span> : null}
        {preview.pending ? <span className="badge">Updating…</span> : null}
      </h3>
      {preview.value === null ? (
        <p className="loading">
          {preview.stale ? `No preview: fix the problems in the ${subject}.` : 'Rendering…'}
        </p>
      ) : (
        children(preview.value)
      )}
    </div>
  );
}
