import { FormActions } from '../../components/FormActions.js';
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type { ApiError } from '../../api/client.js';
import * as api from '../../api/endpoints.js';
import { getDisclosureDate } from '../../api/embargo.js';
import {
  TRIAGE_OPEN_STATES,
  type CaseDetail,
  type CaseState,
  type TransitionInput,
} from '../../api/types.js';
import { rejectionCategoryLabel, stateLabel } from '../../cases/words.js';
import { Field, SelectField, TextAreaField } from '../../components/Field.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { Alert } from '../../components/Status.js';
import { fieldIssues, type FieldIssues } from '../../field-issues.js';
import { useAsyncAction, useResource } from '../../hooks.js';
import { PublicIssueDraftView } from './PublicIssueDraft.js';
import { fromDateTimeLocal, toDateTimeLocal } from './fix/fix-words.js';

const FIELDS = ['reasonCategory', 'reason', 'question', 'duplicateOf', 'disclosureAt'] as const;

type RejectionCategory = CaseDetail['rejectionCategories'][number];

/** The button that opens the form for a move to `to`, in words that fit where the case is now. */
function actionLabel(from: CaseState, to: CaseState): string {
  switch (to) {
    case 'triage':
      if (from === 'received') return 'Start triage';
      if (from === 'needs-info') return 'Stop waiting: back to triage';
      return 'Reopen';
    case 'accepted':
      return 'Accept';
    case 'rejected':
      return 'Reject';
    case 'duplicate':
      return 'Duplicate';
    case 'not-security':
      return 'Not security';
    case 'needs-info':
      return 'Ask for information';
    case 'fixing':
      return from === 'accepted' ? 'Start the fix' : 'Back to fixing';
    case 'fix-ready':
      return 'Fix ready';
    case 'disclosure-scheduled':
      return 'Schedule the disclosure';
    case 'published':
      return 'Publish';
    case 'closed':
      return 'Close the case';
    default:
      return stateLabel(to);
  }
}

/** The panel's heading: triage until the case is accepted, then the fix and release's next step. */
function panelTitle(state: CaseState): string {
  return (TRIAGE_OPEN_STATES as readonly CaseState[]).includes(state) ||
    ['rejected', 'duplicate', 'not-security'].includes(state)
    ? 'Triage'
    : 'Next step';
}

/**
 * The moves the transition table allows from the case's state (the server's `nextStates`), each
 * with what it needs: a reason category and a reason sent to the reporter, the original of a
 * duplicate, the question to ask, the public issue a non-security report becomes; in the fix phase,
 * the disclosure instant, or why the fix goes back to work. A move the case's facts block (no Fix
 * Lead, a release line without a green run, a release not out) is refused by the server with what
 * blocks it, shown as a list.
 */
export function TriagePanel({ c, onMoved }: { c: CaseDetail; onMoved: (notice: string) => void }) {
  const [to, setTo] = useState<CaseState | null>(null);
  const title = panelTitle(c.state);
  if (c.nextStates.length === 0) {
    return (
      <section className="panel" aria-labelledby="triage-heading">
        <h2 id="triage-heading">{title}</h2>
        <p className="empty">Nothing to decide in this state.</p>
      </section>
    );
  }
  return (
    <section className="panel triage" aria-labelledby="triage-heading" data-testid="triage">
      <h2 id="triage-heading">{title}</h2>
      <div className="actions triage-actions" role="group" aria-label="Move the case">
        {c.nextStates.map((next) => (
          <button
            key={next}
            type="button"
            className={next === to ? 'button-selected' : undefined}
            aria-pressed={next === to}
            onClick={() => setTo(next === to ? null : next)}
          >
            {actionLabel(c.state, next)}
          </button>
        ))}
      </div>
      {to ? (
        <TransitionForm
          key={to}
          c={c}
          to={to}
          onCancel={() => setTo(null)}
          onMoved={(notice) => {
            setTo(null);
            onMoved(notice);
          }}
        />
      ) : null}
    </section>
  );
}

/** The decided disclosure instant (the Disclosure date panel's decision), when `wanted` and there is one. */
function useDecidedDisclosureAt(c: CaseDetail, wanted: boolean): string | null {
  const readable = wanted && c.abilities['case.disclosure-date.read'];
  const found = useResource(`decided-disclosure:${c.id}:${String(readable)}`, async (signal) =>
    readable ? ((await getDisclosureDate(c.id, signal)).decision?.at ?? null) : null,
  );
  return found.data ?? null;
}

interface TransitionFormProps {
  c: CaseDetail;
  to: CaseState;
  onCancel: () => void;
  onMoved: (notice: string) => void;
}

function TransitionForm({ c, to, onCancel, onMoved }: TransitionFormProps) {
  const [reasonCategory, setReasonCategory] = useState<RejectionCategory | ''>('');
  const [reason, setReason] = useState('');
  const [question, setQuestion] = useState('');
  const [duplicateOf, setDuplicateOf] = useState('');
  const [disclosureAt, setDisclosureAt] = useState('');
  const { busy, error, run } = useAsyncAction();
  const issues = fieldIssues(error, FIELDS);
  // The schedule takes the decided disclosure date (the engine refuses another): start from it.
  const decidedAt = useDecidedDisclosureAt(c, to === 'disclosure-scheduled');
  useEffect(() => {
    if (decidedAt) setDisclosureAt((typed) => typed || toDateTimeLocal(decidedAt));
  }, [decidedAt]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const input: TransitionInput = { to };
    if (to === 'rejected') {
      // The select is required: the browser sends nothing until a category is chosen.
      input.reasonCategory = reasonCategory || undefined;
      input.reason = reason;
    }
    if (to === 'not-security') input.reason = reason;
    if (to === 'needs-info') input.question = question;
    if (to === 'duplicate') input.duplicateOf = duplicateOf.trim();
    if (to === 'fixing' && c.state !== 'accepted') input.reason = reason;
    if (to === 'disclosure-scheduled') input.disclosureAt = fromDateTimeLocal(disclosureAt) ?? undefined;
    void run(async () => {
      const moved = await api.transitionCase(c.id, input);
      onMoved(`${c.humanId} moved from ${stateLabel(moved.from)} to ${stateLabel(moved.state)}.`);
    });
  }

  const form = (body: ReactNode, submitLabel: string) => (
    <form className="stack transition-form" onSubmit={submit} aria-label={actionLabel(c.state, to)}>
      {error?.code === 'transition_blocked' ? (
        <BlockedAlert error={error} to={to} />
      ) : (
        <ProblemAlert error={error} title={errorTitle(error)} issues={issues.unclaimed} />
      )}
      {body}
      <FormActions busy={busy} label={submitLabel} onCancel={onCancel} />
    </form>
  );

  switch (to) {
    case 'rejected':
      return form(
        <>
          <SelectField
            label="Reason category"
            required
            value={reasonCategory}
            onChange={(e) => setReasonCategory(c.rejectionCategories.find((r) => r === e.target.value) ?? '')}
            error={issues.message('reasonCategory', 'The category')}
          >
            <option value="">Choose one…</option>
            {c.rejectionCategories.map((category) => (
              <option key={category} value={category}>
                {rejectionCategoryLabel(category)}
              </option>
            ))}
          </SelectField>
          <ReasonField
            label="Reason, sent to the reporter"
            hint="In detail: it reaches the reporter as a message from the security team."
            value={reason}
            onChange={setReason}
            issues={issues}
          />
        </>,
        'Reject and tell the reporter',
      );
    case 'not-security':
      return form(
        <>
          <PublicIssueDraftView
            caseId={c.id}
            onTracker={(url) => setReason((r) => r || defaultRedirect(url))}
          />
          <ReasonField
            label="Message to the reporter"
            hint="Sent to the reporter: say it is not a security issue and where the public issue is."
            value={reason}
            onChange={setReason}
            issues={issues}
          />
        </>,
        'Close as not security and tell the reporter',
      );
    case 'needs-info':
      return form(
        <TextAreaField
          label="Question for the reporter"
          hint="Sent to the reporter. The first-response clock pauses until they answer."
          required
          maxLength={50_000}
          value={question}
          onChange={(e) => setQuestion(e.target.value)}
          error={issues.message('question', 'The question')}
        />,
        'Ask the reporter',
      );
    case 'duplicate':
      return form(
        <Field
          label="Original case"
          hint={`The id of the case this one duplicates, in the same project (e.g. ${c.humanId.replace(/-\d+$/, '-0003')}). The reporter is not told: write to them in the conversation.`}
          required
          maxLength={64}
          className="mono"
          autoCapitalize="characters"
          spellCheck={false}
          value={duplicateOf}
          onChange={(e) => setDuplicateOf(e.target.value)}
          error={issues.message('duplicateOf', 'The original')}
        />,
        'Mark as duplicate',
      );
    case 'accepted':
      return form(
        <p className="hint">
          A vulnerability: the case goes on to the fix. The reporter is not told automatically; write to them.
        </p>,
        'Accept as a vulnerability',
      );
    case 'fixing':
      if (c.state === 'accepted') {
        return form(
          <p className="hint">
            The Fix Lead organises the Fix Team and the fix is developed in the case’s private repository.
          </p>,
          'Start the fix',
        );
      }
      return form(
        <ReasonField
          label="Why the fix goes back to work"
          hint="Kept in the case’s audit log, e.g. what a review or a distributor found."
          value={reason}
          onChange={setReason}
          issues={issues}
        />,
        'Back to fixing',
      );
    case 'fix-ready':
      return form(
        <p className="hint">
          The fix is in every release branch that needs it. Each line needs a green CI run on its fix branch,
          or the Fix Lead’s override with a reason.
        </p>,
        'Mark the fix ready',
      );
    case 'disclosure-scheduled':
      return form(
        <Field
          label="Disclosure at"
          type="datetime-local"
          hint={
            decidedAt
              ? 'The decided disclosure date, in your time zone. The releases are built against it.'
              : 'When the advisory goes public, in your time zone. The releases are built against it.'
          }
          required
          value={disclosureAt}
          onChange={(e) => setDisclosureAt(e.target.value)}
          error={issues.message('disclosureAt', 'The disclosure instant')}
        />,
        'Schedule the disclosure',
      );
    case 'published':
      return form(
        <p className="hint">
          Every required release is out: the advisory goes public and the access of the people invited to the
          case ends.
        </p>,
        'Publish',
      );
    case 'closed':
      return form(<p className="hint">The case is done.</p>, 'Close the case');
    default:
      return form(
        <p className="hint">Back to triage: the team owes an outcome again.</p>,
        actionLabel(c.state, to),
      );
  }
}

/** What keeps the case from moving (the guards the server named), as a list of plain sentences. */
function BlockedAlert({ error, to }: { error: ApiError; to: CaseState }) {
  const reasons = error.issues.map((i) => i.message);
  return (
    <Alert title={`The case cannot go to “${stateLabel(to)}” yet`}>
      {reasons.length > 0 ? (
        <ul className="issues" data-testid="transition-blocked">
          {reasons.map((r, i) => (
            <li key={i}>{r}</li>
          ))}
        </ul>
      ) : (
        <p data-testid="transition-blocked">{error.problem.detail}</p>
      )}
    </Alert>
  );
}

function ReasonField({
  label,
  hint,
  value,
  onChange,
  issues,
}: {
  label: string;
  hint: string;
  value: string;
  onChange: (value: string) => void;
  issues: FieldIssues;
}) {
  return (
    <TextAreaField
      label={label}
      hint={hint}
      required
      rows={6}
      maxLength={50_000}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      error={issues.message('reason', 'The reason')}
    />
  );
}

function defaultRedirect(trackerUrl: string | null): string {
  return (
    'Thank you for your report. We looked at it and it is not a security issue, so it belongs in our public ' +
    `issue tracker${trackerUrl ? ` (${trackerUrl})` : ''}, where we have filed it without your name or contact details.`
  );
}

function errorTitle(error: ApiError | undefined): string | undefined {
  if (!error) return undefined;
  if (error.code === 'invalid_transition') return 'The case cannot move that way now';
  if (error.status === 422) return 'The case was not moved';
  return undefined;
}
