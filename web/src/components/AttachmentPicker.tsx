import { useId, type ChangeEvent } from 'react';
import type { Issue } from '../api/types.js';
import { DEFAULT_MAX_CASE_BYTES, formatBytes } from '../cases/files.js';

interface AttachmentPickerProps {
  label: string;
  hint?: string;
  files: File[];
  onChange: (files: File[]) => void;
  /** The server's issues about the attachments (`attachments.1`, ...), shown with their file. */
  issues?: Issue[];
  disabled?: boolean;
  /** What the project's policy allows a case in all; the default policy's when not known. */
  maxBytes?: number;
}

/**
 * Files to send with a report or a message: chosen in the browser, listed with their sizes, with a
 * warning when together they pass what a case may hold. Nothing is read until sending.
 */
export function AttachmentPicker({
  label,
  hint,
  files,
  onChange,
  issues = [],
  disabled,
  maxBytes = DEFAULT_MAX_CASE_BYTES,
}: AttachmentPickerProps) {
  const id = useId();
  const total = files.reduce((sum, f) => sum + f.size, 0);
  const tooBig = total > maxBytes;

  function add(event: ChangeEvent<HTMLInputElement>) {
    const chosen = [...(event.target.files ?? [])];
    // Cleared, so choosing the same file again (after removing it) is seen as a change.
    event.target.value = '';
    if (chosen.length > 0) onChange([...files, ...chosen]);
  }

  function issueText(issue: Issue): string {
    const index = Number(/^attachments\.(\d+)/.exec(issue.path)?.[1]);
    const file = Number.isInteger(index) ? files[index] : undefined;
    return file ? `${file.name}: ${issue.message}` : issue.message;
  }

  return (
    <div className="field attachments">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="file"
        multiple
        disabled={disabled}
        onChange={add}
        aria-describedby={`${id}-hint`}
        aria-invalid={issues.length > 0 ? true : undefined}
      />
      <p id={`${id}-hint`} className="hint">
        {hint ?? 'Proof-of-concept scripts, screenshots, packet captures.'} Up to {formatBytes(maxBytes)} in
        all; files are stored encrypted and only ever offered as downloads.
      </p>
      {files.length > 0 ? (
        <ul className="file-list" aria-label="Chosen files">
          {files.map((file, i) => (
            <li key={`${i}:${file.name}`}>
              <span className="file-name">{file.name}</span>{' '}
              <span className="meta">{formatBytes(file.size)}</span>{' '}
              <button
                type="button"
                className="button-small"
                disabled={disabled}
                onClick={() => onChange(files.filter((_, j) => j !== i))}
              >
                Remove<span className="visually-hidden"> {file.name}</span>
              </button>
            </li>
          ))}
          <li className="file-total">
            {files.length} {files.length === 1 ? 'file' : 'files'}, {formatBytes(total)} in all
          </li>
        </ul>
      ) : null}
      {tooBig ? (
        <p className="warning" role="status">
          Together these files are over {formatBytes(maxBytes)}: the project may refuse them. Leave out what
          is not needed, or send a link to where the team can fetch it.
        </p>
      ) : null}
      {issues.map((issue, i) => (
        <p key={`${i}:${issue.path}`} className="field-error">
          {issueText(issue)}
        </p>
      ))}
    </div>
  );
}
