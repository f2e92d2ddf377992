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
import { describeMissing } from './field-words.js';
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

/**
 * The case's advisory through each of the project's templates (announcement, distributors' mail,
 * "a fix is coming" notice, public page), with an optional release date. A mail shows its subject
 * and body with Copy buttons; the page shows in a sandboxed frame. When the advisory lacks a field
 * the template needs, the server refuses and the fields are listed instead of a preview.
 */
export function TemplatePreviews({ caseId }: { caseId: string }) {
  const [template, setTemplate] = useState<TemplateName>('announcement');
  const [releaseLocal, setReleaseLocal] = useState('');
  const releaseAt = localToUtcIso(releaseLocal);
  const render = useResource(`advisory-render:${caseId}:${template}:${releaseAt ?? ''}`, (signal) =>
    renderAdvisory(caseId, template, releaseAt, signal),
  );
  const { title } = templateLabel(template);
  // A 422 naming `source` is a broken saved template, not a missing field: shown as a problem.
  const missing =
    render.error?.status === 422 && !render.error.issues.some((issue) => issue.path === 'source')
      ? describeMissing(render.error.issues)
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
