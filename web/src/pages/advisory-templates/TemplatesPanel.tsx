import { useEffect, useMemo, useState } from 'react';
import {
  listAdvisoryTemplates,
  templateLabel,
  TEMPLATE_NAMES,
  type AdvisoryTemplate,
} from '../../api/advisory-templates.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { Loading } from '../../components/Status.js';
import { useResource } from '../../hooks.js';
import { TemplateEditor } from './TemplateEditor.js';
import { TemplateTabs } from './TemplateTabs.js';
import './advisory-templates.css';

interface TemplatesPanelProps {
  slug: string;
  /** The caller may edit the project's templates (its `advisory.templates.edit` ability). */
  canEdit: boolean;
}

/**
 * The project's advisory templates (announcement, distributors' mail, "a fix is coming" notice,
 * public page): one tab each, with an editor, the variables it may use, the fields it requires
 * and a live preview against a sample advisory. Unsaved edits survive switching tabs.
 */
export function TemplatesPanel({ slug, canEdit }: TemplatesPanelProps) {
  const list = useResource(`advisory-templates:${slug}`, (signal) => listAdvisoryTemplates(slug, signal));
  const [selected, setSelected] = useState<string>(TEMPLATE_NAMES[0]);
  const [drafts, setDrafts] = useState<Record<string, string | undefined>>({});
  // What a save or reset answered, until the list is loaded again: no refetch after each save.
  const [latest, setLatest] = useState<Record<string, AdvisoryTemplate | undefined>>({});

  const templates = useMemo(() => (list.data ?? []).map((t) => latest[t.name] ?? t), [list.data, latest]);
  const names = templates.map((t) => t.name);
  const unsaved = useMemo(
    () =>
      new Set(
        templates
          .filter((t) => drafts[t.name] !== undefined && drafts[t.name] !== t.source)
          .map((t) => t.name),
      ),
    [templates, drafts],
  );

  useEffect(() => {
    if (unsaved.size === 0) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [unsaved]);

  if (!list.data) {
    if (list.error?.status === 404) {
      return <p className="empty">This server does not offer advisory templates.</p>;
    }
    return list.error ? (
      <ProblemAlert error={list.error} title="The templates could not be loaded" />
    ) : (
      <Loading what="Loading the advisory templates" />
    );
  }

  const current = templates.find((t) => t.name === selected) ?? templates[0];
  if (!current) return <p className="empty">This project has no advisory templates.</p>;

  function setDraft(name: string, text: string | undefined) {
    setDrafts((d) => ({ ...d, [name]: text }));
  }

  return (
    <div className="templates-panel">
      <p className="hint">
        What Vigil writes from an advisory: the Security Fix Announcement, the early-disclosure mail to
        distributors, the users’ notice that a fix is coming, and the public advisory page. Templates are
        logic-less (Mustache): <code>{'{{name}}'}</code> inserts a value, <code>{'{{#name}}…{{/name}}'}</code>{' '}
        repeats or shows a section.
      </p>
      <ProblemAlert error={list.error} title="The templates could not be refreshed" />
      <TemplateTabs
        label="Advisory templates"
        idPrefix="advisory-template"
        names={names}
        selected={current.name}
        onSelect={setSelected}
        marked={unsaved}
      />
      <div
        id="advisory-template-panel"
        role="tabpanel"
        aria-labelledby={`advisory-template-tab-${current.name}`}
      >
        <TemplateEditor
          key={current.name}
          slug={slug}
          template={current}
          title={templateLabel(current.name).title}
          canEdit={canEdit}
          draft={drafts[current.name] ?? current.source}
          onDraft={(text) => setDraft(current.name, text)}
          refreshing={list.loading}
          onStored={(stored) => {
            setLatest((l) => ({ ...l, [stored.name]: stored }));
            setDraft(stored.name, undefined);
          }}
          onReloadRequested={() => {
            setLatest({});
            list.reload();
          }}
        />
      </div>
    </div>
  );
}
