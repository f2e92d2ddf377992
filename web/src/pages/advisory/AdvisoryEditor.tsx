import type { ReactNode } from 'react';
import type { Advisory } from '../../api/advisory.js';
import { casePath } from '../../cases/paths.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { Section } from '../../components/Section.js';
import { Alert, Notice } from '../../components/Status.js';
import { Link } from '../../router.js';
import { AdvisoryStatePanel } from './AdvisoryStatePanel.js';
import { DocumentForm } from './DocumentForm.js';
import { ExportLinks } from './ExportLinks.js';
import { RevisionHistory } from './RevisionHistory.js';
import { useAdvisoryEditor } from './useAdvisoryEditor.js';

/** What the template previews (built elsewhere) are given: the case and whether edits are unsaved. */
export interface PreviewContext {
  caseId: string;
  caseHumanId: string;
  revision: number;
  dirty: boolean;
}

/** Renders the "Template previews" section, e.g. `(ctx) => <TemplatePreviews caseId={ctx.caseId} />`. */
export type PreviewsSlot = (context: PreviewContext) => ReactNode;

/**
 * One advisory: its heading, the document form, and beside it the CVE id and state, the exports,
 * the revision history with diffs, and the template previews. Saving sends the revision the edit
 * started from, so a concurrent save is reported (with the edits kept) instead of overwritten.
 */
export function AdvisoryEditor({
  initial,
  previews,
}: {
  initial: Advisory;
  previews: PreviewsSlot | undefined;
}) {
  const editor = useAdvisoryEditor(initial);
  const { advisory, saving, reloading } = editor;
  return (
    <>
      <AdvisoryHeading advisory={advisory} />
      <Notice>{editor.notice}</Notice>
      {saving.conflict ? (
        <RevisionConflict
          revision={editor.baseRevision}
          busy={reloading.busy}
          onLoad={(keepEdits) => void editor.loadLatest(keepEdits)}
        />
      ) : null}
      <ProblemAlert error={reloading.error} title="The latest revision could not be loaded" />

      <div className="advisory-grid">
        <DocumentForm editor={editor} />
        <div className="advisory-side">
          <Section headingId="advisory-cve-heading" title="CVE and state">
            <AdvisoryStatePanel advisory={advisory} onChanged={editor.changed} />
          </Section>
          <Section headingId="advisory-export-heading" title="Export">
            <ExportLinks advisory={advisory} dirty={editor.dirty} />
          </Section>
          <Section headingId="advisory-history-heading" title="Revision history">
            <RevisionHistory caseId={advisory.caseId} current={advisory.revision} />
          </Section>
          {/* TEMPLATE PREVIEWS SLOT: the `previews` prop renders here (web/src/pages/advisory-templates/). */}
          {previews ? (
            <Section headingId="advisory-previews-heading" title="Template previews">
              <div className="template-previews-slot">
                {previews({
                  caseId: advisory.caseId,
                  caseHumanId: advisory.caseHumanId,
                  revision: advisory.revision,
                  dirty: editor.dirty,
                })}
              </div>
            </Section>
          ) : null}
        </div>
      </div>
    </>
  );
}

/** The advisory's id, then its state, revision, case and severity when saved. */
function AdvisoryHeading({ advisory }: { advisory: Advisory }) {
  const severity = advisory.severity;
  return (
    <>
      <h1>
        Advisory <span className="mono">{advisory.advisoryId}</span>
      </h1>
      <p className="advisory-meta">
        <span className={`advisory-state advisory-state-${advisory.state}`} data-testid="advisory-state">
          {advisory.state}
        </span>
        <span>revision {advisory.revision}</span>
        <span>
          case <Link to={casePath(advisory.caseHumanId)}>{advisory.caseHumanId}</Link>
        </span>
        <span data-testid="advisory-severity">
          {severity
            ? `CVSS ${severity.version} ${severity.score.toFixed(1)} (${severity.severity}) when saved`
            : 'not scored'}
        </span>
      </p>
    </>
  );
}

interface RevisionConflictProps {
  /** The revision the edit started from. */
  revision: number;
  busy: boolean;
  onLoad: (keepEdits: boolean) => void;
}

/** Someone else saved first: load their revision and keep the edits (to save over it), or discard them. */
function RevisionConflict({ revision, busy, onLoad }: RevisionConflictProps) {
  return (
    <Alert tone="warning" title="Someone else saved this advisory first">
      <p>
        Revision {revision} is no longer the latest. Your edits are still here: load the latest revision and
        keep them (saving then puts them over it), or discard them.
      </p>
      <div className="actions">
        <button type="button" disabled={busy} onClick={() => onLoad(true)}>
          Load the latest revision and keep my edits
        </button>
        <button type="button" className="button-quiet" disabled={busy} onClick={() => onLoad(false)}>
          Discard my edits
        </button>
      </div>
    </Alert>
  );
}
