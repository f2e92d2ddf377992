import { useState, type FormEvent, type ReactNode } from 'react';
import {
  getAdvisory,
  saveAdvisory,
  startAdvisory,
  type Advisory,
  type AdvisoryDocument,
} from '../../api/advisory.js';
import { toApiError, type ApiError } from '../../api/client.js';
import { casePath } from '../../cases/paths.js';
import { Field, FieldError, TextAreaField } from '../../components/Field.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { Section } from '../../components/Section.js';
import { Alert, Loading, Notice } from '../../components/Status.js';
import { fieldIssues } from '../../field-issues.js';
import { useAsyncAction, useResource, useTitle, useUnsavedChangesGuard } from '../../hooks.js';
import { Link } from '../../router.js';
import { StartAdvisory } from './AdvisorySection.js';
import { AdvisoryStatePanel } from './AdvisoryStatePanel.js';
import { AffectedEditor, affectedFieldPaths, messageAt } from './AffectedEditor.js';
import { CwePicker } from './CwePicker.js';
import { ExportLinks } from './ExportLinks.js';
import { AliasesEditor, CreditsEditor, ReferencesEditor } from './ListEditors.js';
import { RevisionHistory } from './RevisionHistory.js';
import { SeverityEditor } from './SeverityEditor.js';
import './advisory.css';

/** What the template previews (built elsewhere) are given: the case and whether edits are unsaved. */
export interface PreviewContext {
  caseId: string;
  caseHumanId: string;
  revision: number;
  dirty: boolean;
}

interface AdvisoryEditorPageProps {
  humanId: string;
  /**
   * TEMPLATE PREVIEWS SLOT: renders the "Template previews" section of the page, e.g.
   * `(ctx) => <TemplatePreviews caseId={ctx.caseId} />` (web/src/pages/advisory-templates/).
   */
  previews?: ((context: PreviewContext) => ReactNode) | undefined;
}

const TEXT_FIELDS = [
  'title',
  'summary',
  'description',
  'workarounds',
  'mitigations',
  'amIVulnerable',
] as const;

/** The free-text answers of "Workarounds and mitigations": field, label, and its name in messages. */
const REMEDY_FIELDS = [
  { key: 'amIVulnerable', label: 'Am I vulnerable?', subject: 'The text' },
  { key: 'workarounds', label: 'Workarounds', subject: 'The workarounds' },
  { key: 'mitigations', label: 'Mitigations', subject: 'The mitigations' },
] as const;

/** Every field path of the form, below `document.`, for placing the server's issues. */
function fieldPaths(doc: AdvisoryDocument): string[] {
  return [
    ...TEXT_FIELDS,
    'cwes',
    'references',
    'credits',
    'aliases',
    'affected',
    'severity',
    'severity.cvss',
    ...doc.references.flatMap((_, i) => [`references.${i}`, `references.${i}.type`, `references.${i}.url`]),
    ...doc.credits.flatMap((_, i) => [`credits.${i}`, `credits.${i}.name`, `credits.${i}.type`]),
    ...doc.severity.cvss.map((_, i) => `severity.cvss.${i}`),
    ...(doc.aliases ?? []).map((_, i) => `aliases.${i}`),
    ...affectedFieldPaths(doc.affected),
  ].map((p) => `document.${p}`);
}

const same = (a: AdvisoryDocument, b: AdvisoryDocument) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The advisory of a case: every field of the document, a live CVSS calculator per vector, the CWE
 * picker and the affected-version editor; saving sends the revision the edit started from, so a
 * concurrent save is reported (with the edits kept) instead of overwritten. Beside it: the CVE id
 * and state, the exports, the revision history with diffs, and the template previews.
 */
export function AdvisoryEditorPage({ humanId, previews }: AdvisoryEditorPageProps) {
  const found = useResource(`advisory:${humanId}`, (signal) => getAdvisory(humanId, signal));
  const start = useAsyncAction();
  useTitle(found.data ? `${found.data.advisoryId} · ${found.data.caseHumanId}` : `Advisory · ${humanId}`);

  const breadcrumb = (
    <p className="breadcrumb">
      <Link to="/cases">Cases</Link> <span aria-hidden="true">/</span>{' '}
      <Link to={casePath(humanId)}>{humanId}</Link> <span aria-hidden="true">/</span> Advisory
    </p>
  );

  if (!found.data) {
    if (found.error?.status === 404) {
      return (
        <>
          {breadcrumb}
          <h1>No advisory yet</h1>
          <p>Case {humanId} has no advisory, or you are not on its project’s security team.</p>
          <StartAdvisory
            action={start}
            onStart={() => void start.run(() => startAdvisory(humanId)).then((ok) => ok && found.reload())}
          />
        </>
      );
    }
    return found.error ? <ProblemAlert error={found.error} /> : <Loading what="Loading the advisory" />;
  }
  return (
    <>
      {breadcrumb}
      <Editor key={found.data.id} initial={found.data} previews={previews} />
    </>
  );
}

function Editor({ initial, previews }: { initial: Advisory; previews: AdvisoryEditorPageProps['previews'] }) {
  const [advisory, setAdvisory] = useState(initial);
  const [draft, setDraft] = useState(initial.document);
  const [saved, setSaved] = useState(initial.document);
  const [baseRevision, setBaseRevision] = useState(initial.revision);
  const [formKey, setFormKey] = useState(0);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<ApiError>();
  const [conflict, setConflict] = useState(false);
  const [notice, setNotice] = useState('');
  const reload = useAsyncAction();
  const dirty = !same(draft, saved);
  const open = advisory.state === 'draft' || advisory.state === 'published';
  const canEdit = advisory.abilities['advisory.edit'] && open;

  useUnsavedChangesGuard(dirty, 'Leave this page? Your advisory changes are not saved.');

  function set<K extends keyof AdvisoryDocument>(key: K, value: AdvisoryDocument[K]) {
    setDraft((d) => ({ ...d, [key]: value }));
  }

  async function save(event?: FormEvent) {
    event?.preventDefault();
    if (saving || !dirty || !canEdit) return;
    const sent = draft;
    setSaving(true);
    setSaveError(undefined);
    setConflict(false);
    setNotice('');
    try {
      const next = await saveAdvisory(advisory.caseId, sent, baseRevision);
      setAdvisory(next);
      setSaved(next.document);
      setBaseRevision(next.revision);
      // The server may normalise (trim) what it stores; adopt that unless the user typed meanwhile.
      setDraft((d) => (same(d, sent) ? next.document : d));
      setNotice(`Saved as revision ${next.revision}.`);
    } catch (err) {
      const error = toApiError(err);
      if (error.status === 409) setConflict(true);
      else setSaveError(error);
    } finally {
      setSaving(false);
    }
  }

  async function loadLatest(keepEdits: boolean) {
    let latest: Advisory | undefined;
    const ok = await reload.run(async () => {
      latest = await getAdvisory(advisory.caseId);
    });
    if (!ok || !latest) return;
    setAdvisory(latest);
    setSaved(latest.document);
    setBaseRevision(latest.revision);
    setConflict(false);
    if (keepEdits) {
      setNotice(
        `Revision ${latest.revision} loaded. Your edits are kept: saving puts them over it (see the revision history for what changed).`,
      );
    } else {
      setDraft(latest.document);
      setFormKey((k) => k + 1);
      setNotice(`Revision ${latest.revision} loaded.`);
    }
  }

  function changed(next: Advisory, message: string) {
    // A CVE id or state change does not touch the document or its revision.
    setAdvisory(next);
    setNotice(message);
  }

  // The request schema refuses with 400, the document's own rules with 422: both name fields.
  const refused = saveError && saveError.issues.length > 0 ? saveError : undefined;
  const issues = fieldIssues(refused, fieldPaths(draft));
  const message = messageAt(issues);
  // What every part editor of the document takes besides its value.
  const editorProps = { message, disabled: !canEdit };
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

      <Notice>{notice}</Notice>
      {conflict ? (
        <Alert tone="warning" title="Someone else saved this advisory first">
          <p>
            Revision {baseRevision} is no longer the latest. Your edits are still here: load the latest
            revision and keep them (saving then puts them over it), or discard them.
          </p>
          <div className="actions">
            <button type="button" disabled={reload.busy} onClick={() => void loadLatest(true)}>
              Load the latest revision and keep my edits
            </button>
            <button
              type="button"
              className="button-quiet"
              disabled={reload.busy}
              onClick={() => void loadLatest(false)}
            >
              Discard my edits
            </button>
          </div>
        </Alert>
      ) : null}
      <ProblemAlert error={reload.error} title="The latest revision could not be loaded" />

      <div className="advisory-grid">
        <form
          className="advisory-main"
          aria-label="Advisory document"
          noValidate
          onSubmit={(e) => void save(e)}
          onKeyDown={(e) => {
            if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
              e.preventDefault();
              void save();
            }
          }}
        >
          <div className="advisory-toolbar">
            <p role="status" data-testid="advisory-save-state">
              {saving
                ? 'Saving…'
                : !canEdit
                  ? open
                    ? 'Read-only: you may not edit this advisory.'
                    : `The advisory is ${advisory.state}: read-only.`
                  : dirty
                    ? `Unsaved changes to revision ${baseRevision}.`
                    : `Revision ${baseRevision}, no changes.`}
            </p>
            {canEdit ? (
              <button type="submit" className="button-primary" disabled={!dirty || saving}>
                {saving ? 'Saving…' : 'Save'}
              </button>
            ) : null}
          </div>
          {saveError ? (
            <ProblemAlert
              error={saveError}
              title={refused ? 'The advisory was not saved' : 'Saving failed'}
              issues={issues.unclaimed}
            />
          ) : null}

          <fieldset key={formKey} className="plain-fieldset" disabled={!canEdit}>
            <Section headingId="advisory-summary-heading" title="Title and summary">
              <Field
                label="Title"
                value={draft.title}
                required
                maxLength={300}
                error={message('title', 'The title')}
                onChange={(e) => set('title', e.target.value)}
              />
              <Field
                label="Summary"
                hint="One line: the OSV summary, the CVE title."
                value={draft.summary}
                maxLength={500}
                error={message('summary', 'The summary')}
                onChange={(e) => set('summary', e.target.value)}
              />
            </Section>

            <Section headingId="advisory-description-heading" title="Description">
              <TextAreaField
                label="Description (Markdown)"
                rows={10}
                value={draft.description}
                error={message('description', 'The description')}
                onChange={(e) => set('description', e.target.value)}
              />
              <div className="description-preview">
                <h3 className="pane-title">
                  Saved description, as published
                  {draft.description !== saved.description ? (
                    <span className="badge badge-warning">Save to update</span>
                  ) : null}
                </h3>
                {advisory.descriptionHtml.trim() === '' ? (
                  <p className="hint">Empty.</p>
                ) : (
                  <div
                    className="markdown-body"
                    data-testid="advisory-description-html"
                    // The server renders the Markdown and sanitises the HTML before sending it.
                    dangerouslySetInnerHTML={{ __html: advisory.descriptionHtml }}
                  />
                )}
              </div>
            </Section>

            <Section headingId="advisory-affected-heading" title="Affected packages">
              <AffectedEditor value={draft.affected} onChange={(v) => set('affected', v)} {...editorProps} />
              <FieldError message={message('affected', 'The affected packages')} />
            </Section>

            <Section headingId="advisory-severity-heading" title="Severity (CVSS)">
              <SeverityEditor
                value={draft.severity.cvss}
                onChange={(cvss) => set('severity', { cvss })}
                {...editorProps}
              />
              <FieldError message={message('severity', 'The severity')} />
            </Section>

            <Section headingId="advisory-cwe-heading" title="Weaknesses (CWE)">
              <CwePicker
                value={draft.cwes}
                onChange={(v) => set('cwes', v)}
                error={message('cwes', 'The weaknesses')}
                disabled={!canEdit}
              />
            </Section>

            <Section headingId="advisory-remedies-heading" title="Workarounds and mitigations">
              {REMEDY_FIELDS.map(({ key, label, subject }) => (
                <TextAreaField
                  key={key}
                  label={label}
                  rows={4}
                  value={draft[key]}
                  error={message(key, subject)}
                  onChange={(e) => set(key, e.target.value)}
                />
              ))}
            </Section>

            <Section headingId="advisory-references-heading" title="References">
              <ReferencesEditor
                value={draft.references}
                onChange={(v) => set('references', v)}
                {...editorProps}
              />
            </Section>

            <Section headingId="advisory-aliases-heading" title="Other ids (aliases)">
              <p className="hint">
                The ids other databases give this vulnerability, exported as OSV aliases. Record the CVE id
                under “CVE and state”: it stays private until publication.
              </p>
              <AliasesEditor
                value={draft.aliases ?? []}
                onChange={(v) => set('aliases', v)}
                {...editorProps}
              />
              <FieldError message={message('aliases', 'The other ids')} />
            </Section>

            <Section headingId="advisory-credits-heading" title="Credits">
              <CreditsEditor value={draft.credits} onChange={(v) => set('credits', v)} {...editorProps} />
            </Section>
          </fieldset>
        </form>

        <div className="advisory-side">
          <Section headingId="advisory-cve-heading" title="CVE and state">
            <AdvisoryStatePanel advisory={advisory} onChanged={changed} />
          </Section>

          <Section headingId="advisory-export-heading" title="Export">
            <ExportLinks advisory={advisory} dirty={dirty} />
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
                  dirty,
                })}
              </div>
            </Section>
          ) : null}
        </div>
      </div>
    </>
  );
}
