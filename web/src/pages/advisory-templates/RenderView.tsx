import { useCopyToClipboard } from '../../hooks.js';
import type { AdvisoryRender } from '../../api/advisory-templates.js';
import './advisory-templates.css';

/**
 * The sanitized HTML fragment as a complete document for the sandboxed frame. The frame has no
 * script, no same-origin access and no forms (`sandbox=""`), so even HTML the sanitizer missed
 * can do nothing there.
 */
function pageDocument(fragment: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Advisory page preview</title></head><body>${fragment}</body></html>`;
}

/** A button that copies `text` to the clipboard and says so (or how to copy by hand). */
export function CopyButton({ text, label }: { text: string; label: string }) {
  // Without the clipboard, the text stays on the page to select by hand.
  const { status, copy } = useCopyToClipboard();
  return (
    <span className="copy-inline">
      <button type="button" className="button-small" aria-label={label} onClick={() => void copy(text)}>
        Copy
      </button>
      <span className="copy-status" role="status">
        {status}
      </span>
    </span>
  );
}

interface RenderViewProps {
  render: AdvisoryRender;
  /** Names the preview for assistive technology and tests, e.g. "Distributors preview". */
  label: string;
  /** The render no longer matches the source (marked, not hidden). */
  stale?: boolean;
  /** Offer Copy buttons (mail ready to send). */
  copyable?: boolean;
}

/**
 * One render: a mail as its subject and plain-text body, or the public page in a sandboxed frame
 * (never inserted into this page, though the server has sanitized it).
 */
export function RenderView({ render, label, stale = false, copyable = false }: RenderViewProps) {
  const className = stale ? 'render-view stale' : 'render-view';
  if (render.contentType === 'text/html') {
    return (
      <div className={className} data-testid="render-view">
        <iframe
          className="render-frame"
          title={label}
          sandbox=""
          referrerPolicy="no-referrer"
          srcDoc={pageDocument(render.body)}
        />
      </div>
    );
  }
  return (
    <div className={className} data-testid="render-view" role="group" aria-label={label}>
      {render.subject !== null ? (
        <p className="render-subject">
          <span className="render-label">Subject:</span>{' '}
          <span data-testid="render-subject">{render.subject}</span>
          {copyable ? <CopyButton text={render.subject} label="Copy the subject" /> : null}
        </p>
      ) : null}
      <div className="render-body-head">
        <span className="render-label">Body</span>
        {copyable ? <CopyButton text={render.body} label="Copy the body" /> : null}
      </div>
      {/* Scrolls sideways rather than wrapping: focusable and named, so a keyboard can scroll it. */}
      <pre className="render-body" data-testid="render-body" tabIndex={0} aria-label={`${label}: mail body`}>
        {render.body}
      </pre>
    </div>
  );
}
