import { useState, type FormEvent } from 'react';
import * as distributors from '../../api/distributors.js';
import { Field, TextAreaField } from '../../components/Field.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { Notice } from '../../components/Status.js';
import { SubmitButton } from '../../components/SubmitButton.js';
import { fieldIssues } from '../../field-issues.js';
import { useAsyncAction, useTitle } from '../../hooks.js';
import { Link } from '../../router.js';

const EMPTY = { what: '', toWhom: '', when: '', caseRef: '' };

/**
 * The leak report form of a project's distributors list (PROCESS.md §7: "urgently inform the
 * Security Team of exactly what information was leaked and to whom"), for the list's people and
 * the security team. Anyone else is told there is nothing here.
 */
export function LeakReportPage({ slug }: { slug: string }) {
  useTitle('Report a leak');
  const [draft, setDraft] = useState(EMPTY);
  const [sent, setSent] = useState(false);
  const { busy, error, run } = useAsyncAction();
  const issues = fieldIssues(error, ['what', 'toWhom', 'when', 'caseRef']);
  const set = (patch: Partial<typeof EMPTY>) => setDraft((d) => ({ ...d, ...patch }));

  if (error?.status === 404) {
    return (
      <>
        <h1>No leak report form here</h1>
        <p>
          Only the people of the distributors list of project <span className="mono">{slug}</span> and its
          security team report leaks here. <Link to="/account">Your account</Link>
        </p>
      </>
    );
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSent(false);
    void run(async () => {
      const caseRef = draft.caseRef.trim();
      await distributors.reportLeak(slug, {
        what: draft.what,
        toWhom: draft.toWhom,
        when: draft.when,
        ...(caseRef ? { caseRef } : {}),
      });
      setDraft(EMPTY);
      setSent(true);
    });
  }

  return (
    <>
      <h1>Report a leak</h1>
      <p className="lead">
        Information from the distributors list of <span className="mono">{slug}</span> reached someone who was
        not to know it? Tell the security team at once: exactly what leaked, to whom, and when. They see your
        report and nobody else does.
      </p>
      <Notice>{sent ? 'Your report reached the security team. Thank you for telling them.' : ''}</Notice>
      <ProblemAlert
        error={error}
        title={error ? 'The report was not sent' : undefined}
        issues={issues.unclaimed}
      />
      <form className="stack" onSubmit={submit}>
        <TextAreaField
          label="What leaked"
          required
          rows={4}
          maxLength={4000}
          value={draft.what}
          onChange={(e) => set({ what: e.target.value })}
          error={issues.message('what', 'This')}
        />
        <TextAreaField
          label="To whom"
          required
          rows={2}
          maxLength={1000}
          value={draft.toWhom}
          onChange={(e) => set({ toWhom: e.target.value })}
          error={issues.message('toWhom', 'This')}
        />
        <Field
          label="When"
          required
          maxLength={200}
          hint="A date and time, or as precisely as you know it."
          value={draft.when}
          onChange={(e) => set({ when: e.target.value })}
          error={issues.message('when', 'This')}
        />
        <Field
          label="Case (optional)"
          maxLength={64}
          hint="The case id, e.g. CTR-2026-0001, if you know it."
          value={draft.caseRef}
          onChange={(e) => set({ caseRef: e.target.value })}
          error={issues.message('caseRef', 'The case')}
        />
        <SubmitButton busy={busy} busyLabel="Sending…">
          Report the leak
        </SubmitButton>
      </form>
    </>
  );
}
