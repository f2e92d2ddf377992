import { useState, type FormEvent } from 'react';
import * as embargo from '../../../api/embargo.js';
import type { DateAction, DisclosureDate } from '../../../api/embargo.js';
import type { CaseDetail } from '../../../api/types.js';
import { DateTime } from '../../../components/DateTime.js';
import { CheckboxField, Field, TextAreaField } from '../../../components/Field.js';
import { FormActions } from '../../../components/FormActions.js';
import { ProblemAlert } from '../../../components/ProblemAlert.js';
import { browserTimeZone, formatInZone, wallTimeToIso } from '../../../embargo/zoned-time.js';
import { fieldIssues } from '../../../field-issues.js';
import { useAsyncAction, useResource } from '../../../hooks.js';
import { FixPart } from '../fix/FixPart.js';
import { DateAnswerForm, DateNegotiation, TimeZoneSelect } from './DateNegotiation.js';

const OVERRIDES = [
  { code: 'friday', label: 'Release on a Friday anyway' },
  { code: 'weekend', label: 'Release on a weekend day anyway' },
  { code: 'holiday', label: 'Release on a public holiday anyway' },
] as const;
type Override = (typeof OVERRIDES)[number]['code'];

/**
 * The disclosure date on the case page (PROCESS.md §7): the negotiation, and by the case's
 * abilities the team's proposal (an instant in a chosen zone) and decision (a proposal, a
 * counter-proposal or an instant of its own, overriding the release-window guardrails by name),
 * or an invited reporter's answer.
 */
export function DisclosureDatePanel({
  c,
  onDecided,
}: {
  c: CaseDetail;
  onDecided: (notice: string) => void;
}) {
  const found = useResource(`disclosure-date:${c.id}:${c.state}`, (signal) =>
    embargo.getDisclosureDate(c.id, signal),
  );
  const [form, setForm] = useState<'propose' | 'decide' | null>(null);
  const [notice, setNotice] = useState('');

  async function act(body: DateAction, message: string) {
    await embargo.actOnDisclosureDate(c.id, body);
    setForm(null);
    setNotice(message);
    found.reload();
    if (body.action === 'decide') onDecided(message);
  }

  return (
    <FixPart
      headingId="disclosure-date-heading"
      title="Disclosure date"
      notice={notice}
      found={found}
      what="the disclosure date"
    >
      {(view) => (
        <>
          <Limits view={view} />
          <DateNegotiation view={view} />
          <div className="actions">
            {view.abilities.propose ? (
              <button
                type="button"
                onClick={() => setForm(form === 'propose' ? null : 'propose')}
                aria-expanded={form === 'propose'}
              >
                Propose a date
              </button>
            ) : null}
            {view.abilities.decide ? (
              <button
                type="button"
                className="button-primary"
                onClick={() => setForm(form === 'decide' ? null : 'decide')}
                aria-expanded={form === 'decide'}
              >
                Decide the date
              </button>
            ) : null}
          </div>
          {form === 'propose' ? (
            <ProposeForm
              view={view}
              onCancel={() => setForm(null)}
              onSubmit={(b) => act(b, 'The date was proposed to the parties.')}
            />
          ) : null}
          {form === 'decide' ? (
            <DecideForm
              view={view}
              onCancel={() => setForm(null)}
              onSubmit={(b) => act(b, 'The disclosure date is decided.')}
            />
          ) : null}
          {view.abilities.respond
            ? view.proposals
                .filter((p) => p.open)
                .map((p) => (
                  <DateAnswerForm
                    key={p.id}
                    proposal={p}
                    zones={[browserTimeZone(), view.projectTimeZone]}
                    onAnswer={(a) => act(a, 'Your answer was sent.')}
                  />
                ))
            : null}
        </>
      )}
    </FixPart>
  );
}

/** What the policy bounds the date by. */
function Limits({ view }: { view: DisclosureDate }) {
  const l = view.limits;
  return (
    <p className="meta" data-testid="date-limits">
      Reported <DateTime value={l.receivedAt} />; at the latest {formatInZone(l.maxAt, view.projectTimeZone)}
      {l.targetAt ? (
        <>; the target for a critical issue is {formatInZone(l.targetAt, view.projectTimeZone)}</>
      ) : null}
      . Release days are judged in {view.projectTimeZone}
      {view.holidays ? ` with the public holidays of ${view.holidays}` : ''}.
    </p>
  );
}

function ProposeForm({
  view,
  onSubmit,
  onCancel,
}: {
  view: DisclosureDate;
  onSubmit: (body: DateAction) => Promise<void>;
  onCancel: () => void;
}) {
  const [local, setLocal] = useState('');
  const [zone, setZone] = useState(view.projectTimeZone);
  const [note, setNote] = useState('');
  const { busy, error, run } = useAsyncAction();
  const issues = fieldIssues(error, ['at', 'timeZone', 'note']);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void run(() =>
      onSubmit({
        action: 'propose',
        at: wallTimeToIso(local, zone) ?? local,
        timeZone: zone,
        ...(note.trim() ? { note } : {}),
      }),
    );
  }

  return (
    <form className="panel stack" onSubmit={submit} aria-label="Propose a disclosure date">
      <ProblemAlert error={error} title="The date was not proposed" issues={issues.unclaimed} />
      <div className="form-grid">
        <Field
          label="Instant"
          type="datetime-local"
          required
          value={local}
          onChange={(e) => setLocal(e.target.value)}
          error={issues.message('at', 'The instant')}
        />
        <TimeZoneSelect
          label="Time zone"
          value={zone}
          onChange={setZone}
          first={[view.projectTimeZone, browserTimeZone()]}
          error={issues.message('timeZone', 'The time zone')}
        />
      </div>
      <TextAreaField
        label="Note to the parties (optional)"
        hint="The reporter and the distributors read it with the proposal."
        maxLength={2000}
        rows={3}
        value={note}
        onChange={(e) => setNote(e.target.value)}
        error={issues.message('note', 'The note')}
      />
      <FormActions busy={busy} label="Propose" onCancel={onCancel} />
    </form>
  );
}

/** The instants the team may decide: the open proposal's, its counter-proposals', or one of its own. */
function choicesOf(view: DisclosureDate) {
  const out: {
    key: string;
    label: string;
    body: Pick<Extract<DateAction, { action: 'decide' }>, 'proposalId' | 'at' | 'timeZone'>;
  }[] = [];
  for (const p of [...view.proposals].reverse()) {
    if (!p.open && out.length > 0) continue;
    out.push({
      key: `p:${p.id}`,
      label: `The proposal: ${formatInZone(p.at, p.timeZone)}`,
      body: { proposalId: p.id },
    });
    for (const r of p.responses) {
      if (r.counterAt && r.counterTimeZone) {
        out.push({
          key: `r:${r.id}`,
          label: `${r.who}’s counter-proposal: ${formatInZone(r.counterAt, r.counterTimeZone)}`,
          body: { at: r.counterAt, timeZone: r.counterTimeZone },
        });
      }
    }
  }
  return out;
}

function DecideForm({
  view,
  onSubmit,
  onCancel,
}: {
  view: DisclosureDate;
  onSubmit: (body: DateAction) => Promise<void>;
  onCancel: () => void;
}) {
  const choices = choicesOf(view);
  const [choice, setChoice] = useState(choices[0]?.key ?? 'own');
  const [local, setLocal] = useState('');
  const [zone, setZone] = useState(view.projectTimeZone);
  const [overrides, setOverrides] = useState<Override[]>([]);
  const [note, setNote] = useState('');
  const { busy, error, run } = useAsyncAction();
  const issues = fieldIssues(error, ['at', 'timeZone', 'overrides', 'note', 'proposalId']);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const picked = choices.find((x) => x.key === choice)?.body ?? {
      at: wallTimeToIso(local, zone) ?? local,
      timeZone: zone,
    };
    void run(() => onSubmit({ action: 'decide', ...picked, overrides, ...(note.trim() ? { note } : {}) }));
  }

  return (
    <form className="panel stack" onSubmit={submit} aria-label="Decide the disclosure date">
      <ProblemAlert error={error} title="The date was not decided" issues={issues.unclaimed} />
      <fieldset>
        <legend>Which instant</legend>
        {[...choices, { key: 'own', label: 'Another instant' }].map((x) => (
          <div className="field field-checkbox" key={x.key}>
            <input
              type="radio"
              id={`decide-${x.key}`}
              name="decide-choice"
              checked={choice === x.key}
              onChange={() => setChoice(x.key)}
            />
            <label htmlFor={`decide-${x.key}`}>{x.label}</label>
          </div>
        ))}
      </fieldset>
      {choice === 'own' ? (
        <div className="form-grid">
          <Field
            label="Instant"
            type="datetime-local"
            required
            value={local}
            onChange={(e) => setLocal(e.target.value)}
            error={issues.message('at', 'The instant')}
          />
          <TimeZoneSelect
            label="Time zone"
            value={zone}
            onChange={setZone}
            first={[view.projectTimeZone, browserTimeZone()]}
            error={issues.message('timeZone', 'The time zone')}
          />
        </div>
      ) : null}
      <fieldset>
        <legend>Overrides</legend>
        <p className="hint">
          Only needed when the instant falls on a day the policy avoids; the decision records them.
        </p>
        {OVERRIDES.map((o) => (
          <CheckboxField
            key={o.code}
            label={o.label}
            checked={overrides.includes(o.code)}
            onChange={(e) =>
              setOverrides((now) => (e.target.checked ? [...now, o.code] : now.filter((x) => x !== o.code)))
            }
          />
        ))}
        {issues.of('overrides').length > 0 ? (
          <ul className="issues" data-testid="override-issues">
            {issues.of('overrides').map((i, n) => (
              <li key={n} className="field-error">
                {i.message}
              </li>
            ))}
          </ul>
        ) : null}
      </fieldset>
      <TextAreaField
        label="Note for the record (optional)"
        hint="The team's own: the parties see the decision, not this note."
        maxLength={2000}
        rows={3}
        value={note}
        onChange={(e) => setNote(e.target.value)}
        error={issues.message('note', 'The note')}
      />
      <FormActions busy={busy} label="Decide" onCancel={onCancel} />
    </form>
  );
}
