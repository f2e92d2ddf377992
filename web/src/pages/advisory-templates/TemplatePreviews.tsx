import { useState } from 'react';
import {
  renderAdvisory,
  TEMPLATE_NAMES,
  templateLabel,
  type TemplateName,
} from '../../api/advisory-templates.js';
import { Field } from '../../components/Field.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { Alert, Loading } from '../../components/Status.js';
import { useResource } from '../../hooks.js';
import { describeField, describeMissing } from './field-words.js';
import { RenderView } from './RenderView.js';
import { TemplateTabs } from './TemplateTabs.js';
import './advisory-templates.css';

/**
 * A `datetime-local` value (the user's own time zone) as an ISO-8601 instant in UTC, or null when
 * empty or not a date.
 */
export function localToUtcIso(value: string): string | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

interface TemplatePreviewsProps {
  caseId: string;
  /** The advisory's saved revision: the previews render again when it changes. */
  revision?: number | undefined;
  /** The editor holds unsaved changes, which the previews (of the saved revision) do not show. */
  dirty?: boolean | undefined;
}

/**
 * The case's advisory through each of the project's templates (announcement, distributors' mail,
 * "a fix is coming" notice, public page), with an optional release date. A mail shows its subject
 * and body with Copy buttons; the page shows in a sandboxed frame. When the advisory lacks a field
 * the template needs, the server refuses and the fields are listed instead of a preview.
 */
export function TemplatePreviews({ caseId, revision, dirty = false }: TemplatePreviewsProps) {
  const [template, setTemplate] = useState<TemplateName>('announcement');
  const [releaseLocal, setReleaseLocal] = useState('');
  const releaseAt = localToUtcIso(releaseLocal);
  const render = useResource(
    `advisory-render:${caseId}:${revision ?? ''}:${template}:${releaseAt ?? ''}`,
    (signal) => renderAdvisory(caseId, template, releaseAt, signal),
  );
  const { title } = templateLabel(template);
  // A 422 whose issues are all required fields lacking is the advisory's to complete; any other
  // (a CVE id where the distributors' mail must not carry one, a broken template) is a problem.
  const issues = render.error?.status === 422 ? render.error.issues : [];
  const missing =
    issues.length > 0 && issues.every((issue) => /\brequired\b/.test(issue.message))
      ? describeMissing(issues)
      : '';

  return (
    <div className="template-previews">
      <div className="release-at">
        <Field
          label="Release date and time (your time zone)"
          type="datetime-local"
          value={releaseLocal}
          onChange={(e) => setReleaseLocal(e.target.value)}
          hint={
            releaseAt ? `Sent as ${releaseAt.replace('.000Z', 'Z')} (UTC).` : 'Optional for most templates.'
          }
        />
        {releaseLocal ? (
          <button type="button" className="button-quiet" onClick={() => setReleaseLocal('')}>
            Clear the date
          </button>
        ) : null}
      </div>
      {dirty ? (
        <p className="hint" role="status">
          The previews show the saved revision{revision === undefined ? '' : ` (${revision})`}: save to see
          your changes in them.
        </p>
      ) : null}
      <TemplateTabs
        label="Advisory previews"
        idPrefix="advisory-preview"
        names={TEMPLATE_NAMES}
        selected={template}
        onSelect={(name) => setTemplate(name as TemplateName)}
      />
      <div
        id="advisory-preview-panel"
        role="tabpanel"
        aria-labelledby={`advisory-preview-tab-${template}`}
        aria-busy={render.loading}
      >
        {render.data ? (
          <RenderView render={render.data} label={`${templateLabel(template).tab} preview`} copyable />
        ) : render.error && missing ? (
          <Alert tone="warning" title={`${title} cannot be rendered yet`}>
            <p className="missing-fields" data-testid="render-missing">
              {title} needs: {missing}.
            </p>
            <ul className="missing-list" aria-label="What each field needs">
              {issues.map((issue, i) => (
                <li key={`${i}:${issue.path}`}>
                  {describeField(issue.path)}: {issue.message}
                </li>
              ))}
            </ul>
          </Alert>
        ) : render.error ? (
          <ProblemAlert error={render.error} title={`${title} could not be rendered`} />
        ) : (
          <Loading what={`Rendering ${title.charAt(0).toLowerCase()}${title.slice(1)}`} />
        )}
      </div>
    </div>
  );
}
