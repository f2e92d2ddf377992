import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client.js';
import * as api from '../../api/endpoints.js';
import type { BulkTransitionInput, Issue, ProjectDetail } from '../../api/types.js';
import { rejectionCategoryLabel } from '../../cases/words.js';
import { Field, SelectField, TextAreaField } from '../../components/Field.js';
import { FormActions } from '../../components/FormActions.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { Loading } from '../../components/Status.js';
import { fieldIssues } from '../../field-issues.js';
import { useAsyncAction, useResource } from '../../hooks.js';
import type { SelectedCase, Selection } from './InboxTable.js';

const FIELDS = ['ids', 'reasonCategory', 'reason', 'duplicateOf'] as const;

/** The most cases one bulk action moves (the API's bound). */
export const MAX_BULK = 500;

type RejectionCategory = ProjectDetail['rejectionCategories'][number];

interface BulkTriageProps {
  selection: Selection;
  onClear: () => void;
  /** Leaves these cases (by id) out of the selection. */
  onDeselect: (ids: string[]) => void;
  /** The action succeeded: `notice` says what changed. */
  onDone: (notice: string) => void;
}

/**
 * The selected cases (across pages) and what to do with them all at once: reject them with one
 * reason category and one reason (each reporter is sent it), or mark them duplicates of one case.
 * The server moves each through the same workflow as the case page does, one audit event each,
 * all or none; what it refuses is listed by case.
 */
export function BulkTriage({ selection, onClear, onDeselect, onDone }: BulkTriageProps) {
  const [action, setAction] = useState<'rejected' | 'duplicate' | null>(null);
  const selected = [...selection.values()];
  const count = selected.length;
  if (count === 0) return null;
  const tooMany = count > MAX_BULK;
  return (
    <section className="panel bulk" aria-labelledby="bulk-heading" data-testid="bulk">
      <h3 id="bulk-heading">
        Selected: {count} {count === 1 ? 'case' : 'cases'}
      </h3>
      {tooMany ? (
        <p className="field-error">One action moves at most {MAX_BULK} cases: clear some of the selection.</p>
      ) : null}
      <div className="actions" role="group" aria-label="With the selected cases">
        <button
          type="button"
          aria-pressed={action === 'rejected'}
          className={action === 'rejected' ? 'button-selected' : undefined}
          disabled={tooMany}
          onClick={() => setAction(action === 'rejected' ? null : 'rejected')}
        >
          Reject selected…
        </button>
        <button
          type="button"
          aria-pressed={action === 'duplicate'}
          className={action === 'duplicate' ? 'button-selected' : undefined}
          disabled={tooMany}
          onClick={() => setAction(action === 'duplicate' ? null : 'duplicate')}
        >
          Mark as duplicates of…
        </button>
        <button type="button" className="button-quiet" onClick={onClear}>
          Clear the selection
        </button>
      </div>
      {action && !tooMany ? (
        <BulkForm
          key={action}
          to={action}
          selected={selected}
          onCancel={() => setAction(null)}
          onDeselect={onDeselect}
          onDone={(notice) => {
            setAction(null);
            onDone(notice);
          }}
        />
      ) : null}
    </section>
  );
}

/** "ABC-1, ABC-2, ABC-3 and 57 more". */
function someIds(ids: string[], shown = 5): string {
  if (ids.length <= shown) return ids.join(', ');
  return `${ids.slice(0, shown).join(', ')} and ${ids.length - shown} more`;
}

/**
 * The issues the server named by `body.ids.N` turned into the case they are about, so that the
 * team reads "ABC-2026-0007: cannot go from Accepted to Rejected", not an index.
 */
function issuesByCase(issues: Issue[], selected: SelectedCase[]): Issue[] {
  return issues.map((issue) => {
    const index = /^(?:body\.)?ids\.(\d+)/.exec(issue.path)?.[1];
    const c = index === undefined ? undefined : selected[Number(index)];
    return c ? { ...issue, path: c.humanId } : issue;
  });
}

/** The failure with each `body.ids.N` of its detail said as the case's id. */
function namedByCase(error: ApiError | undefined, selected: SelectedCase[]): ApiError | undefined {
  const detail = error?.problem.detail;
  if (!error || !detail) return error;
  const named = detail.replace(
    /\bbody\.ids\.(\d+)/g,
    (found, index: string) => selected[Number(index)]?.humanId ?? found,
  );
  return new ApiError({ ...error.problem, detail: named }, error.retryAfterSeconds);
}

/** The rejection reasons every selected case's project allows: the policies' common ones. */
function useCommonCategories(selected: SelectedCase[], wanted: boolean) {
  const slugs = [...new Set(selected.map((c) => c.project.slug))].sort();
  return useResource(`bulk-categories:${wanted ? slugs.join(',') : ''}`, async (signal) => {
    if (!wanted) return { categories: [] as RejectionCategory[], projects: slugs.length };
    const projects = await Promise.all(slugs.map((slug) => api.getProject(slug, signal)));
    const [first, ...rest] = projects;
    const categories = (first?.rejectionCategories ?? []).filter((c) =>
      rest.every((p) => p.rejectionCategories.includes(c)),
    );
    return { categories, projects: slugs.length };
  });
}

function BulkForm({
  to,
  selected,
  onCancel,
  onDeselect,
  onDone,
}: {
  to: 'rejected' | 'duplicate';
  selected: SelectedCase[];
  onCancel: () => void;
  onDeselect: (ids: string[]) => void;
  onDone: (notice: string) => void;
}) {
  const [reasonCategory, setReasonCategory] = useState<RejectionCategory | ''>('');
  const [reason, setReason] = useState('');
  const [duplicateOf, setDuplicateOf] = useState('');
  const { busy, error: failure, run } = useAsyncAction();
  // The cases as sent: the server's `ids.N` are indexes into them, whatever is selected since.
  const [sent, setSent] = useState<SelectedCase[]>([]);
  // A failure whose refused cases were left out of the selection is no longer shown.
  const [settled, setSettled] = useState<ApiError | undefined>(undefined);
  const error = failure === settled ? undefined : failure;
  const categories = useCommonCategories(selected, to === 'rejected');
  const issues = fieldIssues(error, FIELDS);
  const count = selected.length;
  const noun = count === 1 ? 'case' : 'cases';

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const ids = selected.map((c) => c.id);
    const original = duplicateOf.trim();
    const question =
      to === 'rejected'
        ? `Reject ${count} ${noun}? Each reporter is sent the reason.`
        : `Mark ${count} ${noun} as duplicates of ${original}?`;
    if (!window.confirm(question)) return;
    setSent(selected);
    const input: BulkTransitionInput =
      to === 'rejected'
        ? { ids, to, reasonCategory: reasonCategory || undefined, reason }
        : { ids, to, duplicateOf: original };
    void run(async () => {
      const moved = await api.transitionCases(input);
      const movedIds = moved.cases.map((c) => c.humanId);
      onDone(
        to === 'rejected'
          ? `Rejected ${movedIds.length} ${movedIds.length === 1 ? 'case' : 'cases'}: ${someIds(movedIds)}. Each reporter was sent the reason.`
          : `Marked ${movedIds.length} ${movedIds.length === 1 ? 'case' : 'cases'} as duplicates of ${original}: ${someIds(movedIds)}.`,
      );
    });
  }

  const byCase = issuesByCase([...issues.of('ids'), ...issues.unclaimed], sent);
  const refused = [
    ...new Set(
      issues
        .of('ids')
        .map((i) => sent[Number(/^ids\.(\d+)/.exec(i.path)?.[1] ?? NaN)]?.id)
        .filter((id): id is string => id !== undefined),
    ),
  ];
  const alert = (
    <>
      <ProblemAlert error={namedByCase(error, sent)} title={errorTitle(error, sent.length)} issues={byCase} />
      {refused.length > 0 && refused.length < sent.length ? (
        <div className="actions">
          <button
            type="button"
            onClick={() => {
              setSettled(failure);
              onDeselect(refused);
            }}
          >
            Leave the {refused.length} refused {refused.length === 1 ? 'case' : 'cases'} out of the selection
          </button>
        </div>
      ) : null}
    </>
  );

  if (to === 'duplicate') {
    const example = selected[0]?.humanId.replace(/-\d+$/, '-0003') ?? 'ABC-2026-0003';
    return (
      <form
        className="stack transition-form"
        onSubmit={submit}
        aria-label="Mark the selected cases as duplicates"
      >
        {alert}
        <Field
          label="Original case"
          hint={`The id of the case these duplicate, in the same project (e.g. ${example}). The reporters are not told: write to them in each conversation.`}
          required
          maxLength={64}
          className="mono"
          autoCapitalize="characters"
          spellCheck={false}
          value={duplicateOf}
          onChange={(e) => setDuplicateOf(e.target.value)}
          error={issues.message('duplicateOf', 'The original')}
        />
        <FormActions busy={busy} label={`Mark ${count} ${noun} as duplicates`} onCancel={onCancel} />
      </form>
    );
  }

  return (
    <form className="stack transition-form" onSubmit={submit} aria-label="Reject the selected cases">
      {alert}
      {categories.data ? (
        categories.data.categories.length === 0 ? (
          <p className="field-error">
            The selected cases’ projects have no rejection reason in common: select the cases of one project.
          </p>
        ) : null
      ) : categories.loading ? (
        <Loading what="Loading the projects’ rejection reasons" />
      ) : (
        <ProblemAlert error={categories.error} />
      )}
      <SelectField
        label="Reason category"
        hint={
          categories.data && categories.data.projects > 1
            ? 'The reasons the policies of all the selected cases’ projects allow.'
            : 'The reasons the project’s policy allows.'
        }
        required
        value={reasonCategory}
        onChange={(e) =>
          setReasonCategory(categories.data?.categories.find((r) => r === e.target.value) ?? '')
        }
        error={issues.message('reasonCategory', 'The category')}
      >
        <option value="">Choose one…</option>
        {categories.data?.categories.map((category) => (
          <option key={category} value={category}>
            {rejectionCategoryLabel(category)}
          </option>
        ))}
      </SelectField>
      <TextAreaField
        label="Reason, sent to each reporter"
        hint="In detail: it reaches every reporter of the selected cases as a message from the security team."
        required
        rows={5}
        maxLength={50_000}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        error={issues.message('reason', 'The reason')}
      />
      <FormActions
        busy={busy}
        tone="danger"
        label={`Reject ${count} ${noun} and tell the reporters`}
        onCancel={onCancel}
      />
    </form>
  );
}

function errorTitle(error: ApiError | undefined, count: number): string | undefined {
  if (!error) return undefined;
  if (error.status === 404) return 'Some selected cases are not yours to triage, or no longer exist';
  if (error.status === 409 || error.code === 'invalid_transition')
    return `None of the ${count} cases was moved: some cannot move that way now`;
  if (error.status === 400 || error.status === 422) return `None of the ${count} cases was moved`;
  return undefined;
}
