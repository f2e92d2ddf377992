import { useState, type FormEvent } from 'react';
import type {
  DateAnswer,
  DateDecision,
  DateFinding,
  DateProposal,
  DateResponse,
  DisclosureDate,
} from '../../../api/embargo.js';
import { DateTime } from '../../../components/DateTime.js';
import { Field, SelectField, TextAreaField } from '../../../components/Field.js';
import { ProblemAlert } from '../../../components/ProblemAlert.js';
import { SubmitButton } from '../../../components/SubmitButton.js';
import { formatInZone, timeZoneChoices, wallTimeToIso } from '../../../embargo/zoned-time.js';
import { fieldIssues } from '../../../field-issues.js';
import { useAsyncAction } from '../../../hooks.js';

/**
 * The disclosure date's negotiation as anyone who may read it sees it (PROCESS.md §7): the decided
 * instant, then each proposal with the parties' answers and, for the open one, the guardrails and
 * who has not answered. The case page, the portal and the reporter's page all show it; the server
 * decides what of other parties' answers each viewer gets.
 */
export function DateNegotiation({ view }: { view: DisclosureDate }) {
  const proposals = [...view.proposals].reverse();
  return (
    <div className="stack" data-testid="date-negotiation">
      <DecisionSummary view={view} />
      {proposals.length === 0 ? (
        <p className="empty">No disclosure date has been proposed yet.</p>
      ) : (
        proposals.map((p) => <ProposalItem key={p.id} p={p} />)
      )}
    </div>
  );
}

/** An instant said in its own zone, and in the reader's browser zone. */
export function Instant({ iso, zone }: { iso: string; zone: string }) {
  return (
    <>
      <strong>{formatInZone(iso, zone)}</strong>{' '}
      <span className="meta">
        (<DateTime value={iso} /> your time)
      </span>
    </>
  );
}

function DecisionSummary({ view }: { view: DisclosureDate }) {
  const d = view.decision;
  if (!d) {
    return (
      <p data-testid="date-decision">
        <span className="badge">Not decided</span> The{' '}
        {view.finalSay === 'fix-lead' ? 'Fix Lead' : 'security team'} decides the disclosure date
        {view.parties.length > 1 ? ', after hearing the reporter and the distributors' : ''}.
      </p>
    );
  }
  return (
    <div data-testid="date-decision">
      <p>
        <span className="badge badge-success">Decided</span> <Instant iso={d.at} zone={d.timeZone} />
      </p>
      <DecisionRecord d={d} />
    </div>
  );
}

/** Who decided, when, over what: the record. */
export function DecisionRecord({ d }: { d: DateDecision }) {
  return (
    <>
      <p className="meta">
        Decided by {d.decidedBy} on <DateTime value={d.decidedAt} />
        {d.previousAt ? (
          <>
            , replacing <DateTime value={d.previousAt} />
          </>
        ) : null}
        {d.overrides.length > 0 ? `, overriding: ${d.overrides.join(', ')}` : ''}.
      </p>
      {d.note ? <p className="prewrap">{d.note}</p> : null}
      <Findings
        findings={d.findings.filter((f) => f.level !== 'refused')}
        title="Guardrails when decided"
        overridden={d.overrides}
      />
    </>
  );
}

const LEVEL_LABELS: Record<DateFinding['level'], string> = {
  refused: 'Refused',
  override: 'Needs an override',
  warning: 'Warning',
};

/** The guardrails' findings, each with its level in words (one the decision overrode says so). */
export function Findings({
  findings,
  title,
  overridden = [],
}: {
  findings: DateFinding[];
  title: string;
  overridden?: readonly string[];
}) {
  if (findings.length === 0) return null;
  const isOverridden = (f: DateFinding) => f.level === 'override' && overridden.includes(f.code);
  return (
    <div data-testid="date-findings">
      <p className="issues-title">{title}</p>
      <ul className="issues">
        {findings.map((f, i) => (
          <li key={`${f.code}-${i}`}>
            <span
              className={
                f.level === 'warning' || isOverridden(f) ? 'badge badge-warning' : 'badge badge-danger'
              }
            >
              {isOverridden(f) ? 'Overridden' : LEVEL_LABELS[f.level]}
            </span>{' '}
            {f.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

const ANSWER_WORDS: Record<DateResponse['answer'], string> = {
  accept: 'accepts',
  object: 'objects',
  counter: 'proposes another instant',
};
/** The reporter's own answer is theirs in the second person ("You object"). */
const YOUR_ANSWER_WORDS: Record<DateResponse['answer'], string> = {
  accept: 'accept',
  object: 'object',
  counter: 'propose another instant',
};

function ProposalItem({ p }: { p: DateProposal }) {
  return (
    <article
      className="panel"
      aria-label={`Proposal of ${formatInZone(p.at, p.timeZone)}`}
      data-testid="date-proposal"
    >
      <p>
        <span className={p.open ? 'badge badge-warning' : 'badge'}>{p.open ? 'Open' : 'Closed'}</span>{' '}
        <Instant iso={p.at} zone={p.timeZone} />
      </p>
      <p className="meta">
        Proposed by {p.proposedBy} on <DateTime value={p.createdAt} />
      </p>
      {p.note ? <p className="prewrap">{p.note}</p> : null}
      {p.responses.length > 0 ? (
        <ul className="date-responses">
          {p.responses.map((r) => (
            <li key={r.id} data-testid="date-response">
              <strong>{r.who}</strong>{' '}
              {(r.mine && r.who === 'You' ? YOUR_ANSWER_WORDS : ANSWER_WORDS)[r.answer]}
              {r.counterAt && r.counterTimeZone ? (
                <>
                  : <Instant iso={r.counterAt} zone={r.counterTimeZone} />
                </>
              ) : null}
              {r.respondedBy ? <span className="meta"> (answered by {r.respondedBy})</span> : null}
              {r.reason ? <p className="prewrap">{r.reason}</p> : null}
              <Findings findings={r.counterFindings} title="Guardrails on this instant" />
            </li>
          ))}
        </ul>
      ) : null}
      {p.open && p.awaiting.length > 0 ? (
        <p className="hint">Not answered yet: {p.awaiting.join(', ')}.</p>
      ) : null}
      {p.open ? <Findings findings={p.findings} title="Guardrails on this instant" /> : null}
    </article>
  );
}

/** The zone select shared by the date forms: the given zones first, then every zone the browser knows. */
export function TimeZoneSelect({
  label,
  value,
  onChange,
  first,
  error,
}: {
  label: string;
  value: string;
  onChange: (zone: string) => void;
  first: readonly string[];
  error?: string | undefined;
}) {
  return (
    <SelectField label={label} value={value} onChange={(e) => onChange(e.target.value)} error={error}>
      {timeZoneChoices(first).map((z) => (
        <option key={z} value={z}>
          {z}
        </option>
      ))}
    </SelectField>
  );
}

/**
 * A party's answer to the open proposal (the reporter, or a distributor for its organisation):
 * accept it, object with a reason, or propose another instant in a chosen zone.
 */
export function DateAnswerForm({
  proposal,
  zones,
  onAnswer,
}: {
  proposal: DateProposal;
  /** Zones to offer first (the browser's, the project's). */
  zones: readonly string[];
  onAnswer: (answer: DateAnswer) => Promise<unknown>;
}) {
  const [answer, setAnswer] = useState<DateAnswer['answer']>('accept');
  const [reason, setReason] = useState('');
  const [local, setLocal] = useState('');
  const [zone, setZone] = useState(zones[0] ?? proposal.timeZone);
  const [notice, setNotice] = useState('');
  const { busy, error, run } = useAsyncAction();
  const issues = fieldIssues(error, ['reason', 'counterAt', 'timeZone']);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setNotice('');
    const counterAt = answer === 'counter' ? (wallTimeToIso(local, zone) ?? undefined) : undefined;
    void run(async () => {
      await onAnswer({
        action: 'respond',
        proposalId: proposal.id,
        answer,
        ...(reason.trim() ? { reason } : {}),
        ...(answer === 'counter' ? { counterAt, timeZone: zone } : {}),
      });
      setNotice('Your answer was sent to the security team.');
    });
  }

  return (
    <form className="stack" onSubmit={submit} data-testid="date-answer-form">
      <ProblemAlert error={error} title="Your answer was not saved" issues={issues.unclaimed} />
      {notice ? (
        <p className="alert alert-success" role="status">
          {notice}
        </p>
      ) : null}
      <fieldset>
        <legend>Your answer to {formatInZone(proposal.at, proposal.timeZone)}</legend>
        {(['accept', 'object', 'counter'] as const).map((a) => (
          <div className="field field-checkbox" key={a}>
            <input
              type="radio"
              id={`date-answer-${a}`}
              name="date-answer"
              value={a}
              checked={answer === a}
              onChange={() => setAnswer(a)}
            />
            <label htmlFor={`date-answer-${a}`}>
              {a === 'accept'
                ? 'Accept this date'
                : a === 'object'
                  ? 'Object to it'
                  : 'Propose another instant'}
            </label>
          </div>
        ))}
      </fieldset>
      {answer === 'counter' ? (
        <div className="form-grid">
          <Field
            label="The instant you propose"
            type="datetime-local"
            required
            value={local}
            onChange={(e) => setLocal(e.target.value)}
            error={issues.message('counterAt', 'The instant')}
          />
          <TimeZoneSelect
            label="In the time zone"
            value={zone}
            onChange={setZone}
            first={zones}
            error={issues.message('timeZone', 'The time zone')}
          />
        </div>
      ) : null}
      <TextAreaField
        label={answer === 'object' ? 'Why you object (required)' : 'A word for the security team (optional)'}
        hint="Only the security team reads it."
        required={answer === 'object'}
        maxLength={2000}
        rows={3}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        error={issues.message('reason', 'The reason')}
      />
      <SubmitButton busy={busy} busyLabel="Sending…">
        Send your answer
      </SubmitButton>
    </form>
  );
}
