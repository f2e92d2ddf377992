import { useState, type FormEvent } from 'react';
import { endAdvisory, recordCveRequest, setCveId, type Advisory } from '../../api/advisory.js';
import { Field, TextAreaField } from '../../components/Field.js';
import { DateTime } from '../../components/DateTime.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { fieldIssues } from '../../field-issues.js';
import { useAsyncAction } from '../../hooks.js';

interface AdvisoryStatePanelProps {
  advisory: Advisory;
  /** Called with the advisory the server answered after a change. */
  onChanged: (advisory: Advisory, message: string) => void;
}

type Pending =
  | { kind: 'cve'; value: string }
  | { kind: 'cna'; value: string }
  | { kind: 'withdraw' | 'reject'; value: string };

const CONFIRM: Record<Pending['kind'], (value: string) => string> = {
  cve: (v) =>
    `Record ${v.trim().toUpperCase()} as this advisory's CVE id? It stays private until publication.`,
  cna: (v) => `Record that a CVE was requested from ${v.trim()} now, by you?`,
  withdraw: () => 'Withdraw the advisory? This is final: it can no longer be edited.',
  reject: () => 'Reject the advisory? This is final: it can no longer be edited.',
};

const ENDINGS = [
  { kind: 'withdraw', label: 'Withdraw the advisory' },
  { kind: 'reject', label: 'Reject the advisory' },
] as const;

/**
 * The CVE id, the CVE request and the end of an advisory (withdraw, reject), each asked for in a
 * form and confirmed in a second step on the page before anything is sent.
 */
export function AdvisoryStatePanel({ advisory, onChanged }: AdvisoryStatePanelProps) {
  const [cve, setCve] = useState('');
  const [cna, setCna] = useState('');
  const [reason, setReason] = useState('');
  const [pending, setPending] = useState<Pending | null>(null);
  const action = useAsyncAction();
  const open = advisory.state === 'draft' || advisory.state === 'published';
  const canEdit = advisory.abilities['advisory.edit'] && open;
  const issues = fieldIssues(action.error, ['cveId', 'cna', 'reason']);

  function ask(event: FormEvent, next: Pending) {
    event.preventDefault();
    setPending(next);
  }

  async function confirm() {
    if (!pending) return;
    const p = pending;
    let done: Advisory | undefined;
    const ok = await action.run(async () => {
      if (p.kind === 'cve') done = await setCveId(advisory.caseId, p.value.trim());
      else if (p.kind === 'cna') done = await recordCveRequest(advisory.caseId, p.value.trim());
      else done = await endAdvisory(advisory.caseId, p.kind, p.value.trim());
    });
    setPending(null);
    if (!ok || !done) return;
    const messages = {
      cve: `CVE id ${done.cveId ?? ''} recorded.`,
      cna: `CVE request to ${p.value.trim()} recorded.`,
      withdraw: 'The advisory is withdrawn.',
      reject: 'The advisory is rejected.',
    };
    if (p.kind === 'cve') setCve('');
    if (p.kind === 'cna') setCna('');
    if (p.kind === 'withdraw' || p.kind === 'reject') setReason('');
    onChanged(done, messages[p.kind]);
  }

  return (
    <div className="stack">
      <dl className="facts">
        <div>
          <dt>CVE id</dt>
          <dd data-testid="advisory-cve">{advisory.cveId ?? 'none yet'}</dd>
        </div>
        <div>
          <dt>CVE request</dt>
          <dd>
            {advisory.cveRequest ? (
              <>
                to {advisory.cveRequest.cna}, <DateTime value={advisory.cveRequest.requestedAt} />
              </>
            ) : (
              'not requested'
            )}
          </dd>
        </div>
        {advisory.stateReason ? (
          <div>
            <dt>Why {advisory.state}</dt>
            <dd className="prewrap">{advisory.stateReason}</dd>
          </div>
        ) : null}
      </dl>

      <ProblemAlert error={action.error} issues={issues.unclaimed} />

      {pending ? (
        <div className="alert alert-warning" role="alertdialog" aria-labelledby="advisory-confirm-title">
          <p className="alert-title" id="advisory-confirm-title">
            {CONFIRM[pending.kind](pending.value)}
          </p>
          <div className="actions">
            <button
              type="button"
              className={
                pending.kind === 'withdraw' || pending.kind === 'reject' ? 'button-danger' : 'button-primary'
              }
              disabled={action.busy}
              onClick={() => void confirm()}
            >
              {action.busy ? 'Sending…' : 'Confirm'}
            </button>
            <button
              type="button"
              className="button-quiet"
              disabled={action.busy}
              onClick={() => setPending(null)}
            >
              Cancel
            </button>
          </div>
        </div>
      ) : null}

      {canEdit ? (
        <>
          <RecordForm
            label="CVE id"
            value={cve}
            placeholder="CVE-2026-12345"
            error={issues.message('cveId', 'The CVE id')}
            onChange={setCve}
            onSubmit={(e) => ask(e, { kind: 'cve', value: cve })}
            submitLabel="Record the CVE id"
            disabled={pending !== null}
          />
          <RecordForm
            label="CNA asked for a CVE"
            value={cna}
            placeholder="GitHub, MITRE…"
            error={issues.message('cna', 'The CNA')}
            onChange={setCna}
            onSubmit={(e) => ask(e, { kind: 'cna', value: cna })}
            submitLabel="Record the CVE request"
            disabled={pending !== null}
          />
          <form onSubmit={(e) => e.preventDefault()}>
            <TextAreaField
              label="Reason to withdraw or reject"
              rows={3}
              value={reason}
              error={issues.message('reason', 'The reason')}
              onChange={(e) => setReason(e.target.value)}
            />
            <div className="actions">
              {ENDINGS.map(({ kind, label }) => (
                <button
                  key={kind}
                  type="button"
                  className="button-danger"
                  disabled={reason.trim() === '' || pending !== null}
                  onClick={(e) => ask(e, { kind, value: reason })}
                >
                  {label}
                </button>
              ))}
            </div>
          </form>
        </>
      ) : !open ? (
        <p className="hint">The advisory is {advisory.state}: it can no longer change.</p>
      ) : null}
    </div>
  );
}

interface RecordFormProps {
  label: string;
  value: string;
  placeholder: string;
  error: string | undefined;
  onChange: (value: string) => void;
  onSubmit: (event: FormEvent) => void;
  submitLabel: string;
  disabled: boolean;
}

/** One required value and the button that asks to record it. */
function RecordForm({
  label,
  value,
  placeholder,
  error,
  onChange,
  onSubmit,
  submitLabel,
  disabled,
}: RecordFormProps) {
  return (
    <form className="inline-form" onSubmit={onSubmit}>
      <Field
        label={label}
        value={value}
        placeholder={placeholder}
        required
        error={error}
        onChange={(e) => onChange(e.target.value)}
      />
      <button type="submit" disabled={disabled}>
        {submitLabel}
      </button>
    </form>
  );
}
