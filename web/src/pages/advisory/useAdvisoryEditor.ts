import { useState } from 'react';
import { getAdvisory, saveAdvisory, type Advisory, type AdvisoryDocument } from '../../api/advisory.js';
import {
  useAsyncAction,
  useUnsavedChangesGuard,
  useVersionedSave,
  type AsyncAction,
  type VersionedSave,
} from '../../hooks.js';
import { sameDocument } from './document-fields.js';

export interface AdvisoryEditor {
  /** The advisory as the server last gave it. */
  advisory: Advisory;
  /** The document being edited, and the one last saved (or loaded). */
  draft: AdvisoryDocument;
  saved: AdvisoryDocument;
  /** The revision the edit started from: a save names it, so a concurrent save is a conflict. */
  baseRevision: number;
  /** Changes when the form must start again from the draft (edits discarded). */
  formKey: number;
  notice: string;
  dirty: boolean;
  /** A draft or published advisory: the others are read-only for everyone. */
  open: boolean;
  canEdit: boolean;
  saving: VersionedSave;
  /** Loading the latest revision after a conflict. */
  reloading: AsyncAction;
  /** Sets one field of the draft. */
  set: <K extends keyof AdvisoryDocument>(key: K, value: AdvisoryDocument[K]) => void;
  save: () => Promise<void>;
  /** Loads the latest revision; with `keepEdits` the draft stays, to be saved over it. */
  loadLatest: (keepEdits: boolean) => Promise<void>;
  /** Takes an advisory changed beside the document (its CVE id, its state) and says so. */
  changed: (next: Advisory, message: string) => void;
}

/**
 * The state of the advisory editor: the draft against the saved document, saving the revision
 * the edit started from, and after a conflict, loading the latest revision with or without the
 * edits. Leaving the page with unsaved edits asks first.
 */
export function useAdvisoryEditor(initial: Advisory): AdvisoryEditor {
  const [advisory, setAdvisory] = useState(initial);
  const [draft, setDraft] = useState(initial.document);
  const [saved, setSaved] = useState(initial.document);
  const [baseRevision, setBaseRevision] = useState(initial.revision);
  const [formKey, setFormKey] = useState(0);
  const [notice, setNotice] = useState('');
  const saving = useVersionedSave();
  const reloading = useAsyncAction();
  const dirty = !sameDocument(draft, saved);
  const open = advisory.state === 'draft' || advisory.state === 'published';
  const canEdit = advisory.abilities['advisory.edit'] && open;

  useUnsavedChangesGuard(dirty, 'Leave this page? Your advisory changes are not saved.');

  function set<K extends keyof AdvisoryDocument>(key: K, value: AdvisoryDocument[K]) {
    setDraft((d) => ({ ...d, [key]: value }));
  }

  async function save() {
    if (saving.saving || !dirty || !canEdit) return;
    const sent = draft;
    setNotice('');
    await saving.run(async () => {
      const next = await saveAdvisory(advisory.caseId, sent, baseRevision);
      setAdvisory(next);
      setSaved(next.document);
      setBaseRevision(next.revision);
      // The server may normalise (trim) what it stores; adopt that unless the user typed meanwhile.
      setDraft((d) => (sameDocument(d, sent) ? next.document : d));
      setNotice(`Saved as revision ${next.revision}.`);
    });
  }

  async function loadLatest(keepEdits: boolean) {
    let latest: Advisory | undefined;
    const ok = await reloading.run(async () => {
      latest = await getAdvisory(advisory.caseId);
    });
    if (!ok || !latest) return;
    setAdvisory(latest);
    setSaved(latest.document);
    setBaseRevision(latest.revision);
    saving.resolveConflict();
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

  return {
    advisory,
    draft,
    saved,
    baseRevision,
    formKey,
    notice,
    dirty,
    open,
    canEdit,
    saving,
    reloading,
    set,
    save,
    loadLatest,
    changed,
  };
}
