import { FormActions } from '../../../components/FormActions.js';
import { ReasonField } from './ReasonField.js';
import { useState, type FormEvent } from 'react';
import * as api from '../../../api/endpoints.js';
import * as fix from '../../../api/fix.js';
import type { CaseDetail } from '../../../api/types.js';
import { SelectField } from '../../../components/Field.js';
import { ProblemAlert } from '../../../components/ProblemAlert.js';
import { Loading } from '../../../components/Status.js';
import { fieldIssues } from '../../../field-issues.js';
import { useAsyncAction, useResource } from '../../../hooks.js';

/**
 * The case's Fix Lead (PROCESS.md §6): chosen round-robin over the security team on acceptance,
 * skipping whoever is away; the team may change it for a reason kept encrypted with the case.
 */
export function FixLeadPanel({ c, onChanged }: { c: CaseDetail; onChanged: (notice: string) => void }) {
  const [editing, setEditing] = useState(false);
  const canChange = c.abilities['case.fix.manage'] && c.state !== 'closed';
  return (
    <section className="panel" aria-labelledby="fix-lead-heading" data-testid="fix-lead">
      <h2 id="fix-lead-heading">Fix Lead</h2>
      {c.fixLead ? (
        <p>
          <strong data-testid="fix-lead-name">{c.fixLead.name}</strong>
          <br />
          <span className="meta">{c.fixLead.email}</span>
        </p>
      ) : (
        <p className="warning" data-testid="fix-lead-name">
          No Fix Lead: nobody on the security team was available when the case was accepted.
        </p>
      )}
      <p className="hint">
        Drives the schedule, organises the Fix Team, gets the case’s reminders first and runs the
        retrospective.
      </p>
      {canChange ? (
        editing ? (
          <FixLeadForm
            c={c}
            onCancel={() => setEditing(false)}
            onSaved={(notice) => {
              setEditing(false);
              onChanged(notice);
            }}
          />
        ) : (
          <div className="actions">
            <button type="button" onClick={() => setEditing(true)}>
              {c.fixLead ? 'Change the Fix Lead' : 'Assign a Fix Lead'}
            </button>
          </div>
        )
      ) : null}
    </section>
  );
}

interface FixLeadFormProps {
  c: CaseDetail;
  onCancel: () => void;
  onSaved: (notice: string) => void;
}

function FixLeadForm({ c, onCancel, onSaved }: FixLeadFormProps) {
  const project = useResource(`project:${c.project.slug}`, (signal) =>
    api.getProject(c.project.slug, signal),
  );
  const [userId, setUserId] = useState('');
  const [reason, setReason] = useState('');
  const { busy, error, run } = useAsyncAction();
  const issues = fieldIssues(error, ['userId', 'reason']);

  // A person may hold several roles on the project: each is offered once.
  const candidates = [...new Map((project.data?.members ?? []).map((m) => [m.userId, m])).values()].filter(
    (m) => m.userId !== c.fixLead?.userId,
  );

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void run(async () => {
      const { fixLead } = await fix.setFixLead(c.id, userId, reason.trim());
      onSaved(`${fixLead.name} is now the Fix Lead of ${c.humanId}.`);
    });
  }

  if (!project.data) {
    return project.error ? (
      <ProblemAlert error={project.error} title="The security team could not be loaded" />
    ) : (
      <Loading what="Loading the security team" />
    );
  }
  return (
    <form className="stack" onSubmit={submit} aria-label="Change the Fix Lead">
      <ProblemAlert
        error={error}
        title={error ? 'The Fix Lead was not changed' : undefined}
        issues={issues.unclaimed}
      />
      <SelectField
        label="New Fix Lead"
        required
        value={userId}
        onChange={(e) => setUserId(e.target.value)}
        error={issues.message('userId', 'The Fix Lead')}
      >
        <option value="">Choose a member of the security team…</option>
        {candidates.map((m) => (
          <option key={m.userId} value={m.userId}>
            {m.name} ({m.email})
          </option>
        ))}
      </SelectField>
      <ReasonField
        hint="Kept encrypted with the case (the audit log records the change, not your words), e.g. “Ana is on leave until the 20th”."
        value={reason}
        onChange={setReason}
        error={issues.message('reason', 'The reason')}
      />
      <FormActions busy={busy} label={'Make them the Fix Lead'} onCancel={onCancel} />
    </form>
  );
}
