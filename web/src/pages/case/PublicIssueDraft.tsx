import { useEffect, useId, useRef } from 'react';
import * as api from '../../api/endpoints.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { Loading } from '../../components/Status.js';
import { useCopyToClipboard, useResource } from '../../hooks.js';

/** Only web addresses become links: a policy's tracker URL is typed by people. */
function isWebUrl(url: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}

/**
 * The public issue a non-security report becomes: title and body without the private details, to
 * review and copy into the project's tracker, with a link to it.
 */
export function PublicIssueDraftView({
  caseId,
  onTracker,
}: {
  caseId: string;
  /** Told the tracker's address once the draft is loaded (to prefill the message to the reporter). */
  onTracker: (url: string | null) => void;
}) {
  const draft = useResource(`public-issue:${caseId}`, (signal) => api.getPublicIssueDraft(caseId, signal));
  const told = useRef(onTracker);
  told.current = onTracker;
  useEffect(() => {
    if (draft.data) told.current(draft.data.trackerUrl);
  }, [draft.data]);

  if (!draft.data) {
    return draft.error ? (
      <ProblemAlert error={draft.error} title="The public issue could not be drafted" />
    ) : (
      <Loading what="Drafting the public issue" />
    );
  }
  const { title, body, trackerUrl } = draft.data;
  return (
    <div className="public-issue" data-testid="public-issue">
      <p className="hint">
        Review it, then post it yourself:{' '}
        {trackerUrl && isWebUrl(trackerUrl) ? (
          <a href={trackerUrl} target="_blank" rel="noopener noreferrer">
            open the project’s issue tracker
          </a>
        ) : (
          'the project’s policy names no issue tracker'
        )}
        . The reporter’s name, contact and attachments are left out.
      </p>
      <CopyText label="Issue title" value={title} rows={0} />
      <CopyText label="Issue body" value={body} rows={10} />
    </div>
  );
}

/** Read-only text with a Copy button: one line when `rows` is 0. */
function CopyText({ label, value, rows }: { label: string; value: string; rows: number }) {
  const id = useId();
  const line = useRef<HTMLInputElement>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  const { status, copy } = useCopyToClipboard(() => (line.current ?? box.current)?.select());
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {rows === 0 ? (
        <input id={id} ref={line} readOnly value={value} />
      ) : (
        <textarea id={id} ref={box} readOnly rows={rows} value={value} className="mono" />
      )}
      <div className="actions">
        <button type="button" className="button-small" onClick={() => void copy(value)}>
          Copy {label.toLowerCase()}
        </button>
        <span className="copy-status" role="status">
          {status}
        </span>
      </div>
    </div>
  );
}
