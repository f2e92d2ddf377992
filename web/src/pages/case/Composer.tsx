import { useState } from 'react';
import * as api from '../../api/endpoints.js';
import { TextAreaField } from '../../components/Field.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { fieldIssues } from '../../field-issues.js';
import { useAsyncAction } from '../../hooks.js';

/** One text box, two ways out: a message the reporter reads, or a note only the team sees. */
export function Composer({ caseId, onSent }: { caseId: string; onSent: (notice: string) => void }) {
  const [body, setBody] = useState('');
  const { busy, error, run } = useAsyncAction();
  const issues = fieldIssues(error, ['body']);

  function send(internal: boolean) {
    void run(async () => {
      await api.addCaseMessage(caseId, body, internal);
      setBody('');
      onSent(internal ? 'Internal note added. The reporter does not see it.' : 'Sent to the reporter.');
    });
  }

  const empty = body.trim() === '';
  return (
    <form className="stack composer" onSubmit={(e) => e.preventDefault()}>
      <ProblemAlert error={error} title="Nothing was sent" issues={issues.unclaimed} />
      <TextAreaField
        label="Write"
        hint="“Send to reporter” puts it in the conversation (the first one answers the clock); “Add internal note” keeps it within the team."
        rows={5}
        maxLength={100_000}
        value={body}
        onChange={(e) => setBody(e.target.value)}
        error={issues.message('body', 'The message')}
      />
      <div className="actions">
        <button type="button" className="button-primary" disabled={busy || empty} onClick={() => send(false)}>
          Send to reporter
        </button>
        <button type="button" className="button-note" disabled={busy || empty} onClick={() => send(true)}>
          Add internal note
        </button>
      </div>
    </form>
  );
}
