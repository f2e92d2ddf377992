import { FormActions } from '../../../components/FormActions.js';
import { ReasonField } from './ReasonField.js';
import { FixPart } from './FixPart.js';
import { useState, type FormEvent } from 'react';
import * as fix from '../../../api/fix.js';
import type { CasePhases, PhaseView } from '../../../api/fix.js';
import { FIX_OPEN_STATES, type CaseDetail } from '../../../api/types.js';
import { DateTime } from '../../../components/DateTime.js';
import { Field } from '../../../components/Field.js';
import { ProblemAlert } from '../../../components/ProblemAlert.js';
import { fieldIssues } from '../../../field-issues.js';
import { useAsyncAction, useResource, type AsyncAction } from '../../../hooks.js';
import { ExternalLink } from './RetrospectiveSection.js';
import { fromDateTimeLocal, phaseStatusClass, phaseStatusText, toDateTimeLocal } from './fix-words.js';

/** One phase as a card: its status, and when it started, is due and was done. */
export function PhaseCard({ phase: p }: { phase: PhaseView }) {
  return (
    <li className={`phase phase-${p.status}`} data-testid={`phase-${p.name}`}>
      <p className="phase-name">{p.label}</p>
      <p>
        <span className={phaseStatusClass(p.status)}>{phaseStatusText(p.status, p.hoursLate)}</span>
      </p>
      <p className="meta">
        Due <DateTime value={p.dueAt} empty={p.status === 'relaxed' ? 'relaxed' : 'no deadline'} />
      </p>
      {p.doneAt ? (
        <p className="meta">
          Done <DateTime value={p.doneAt} />
        </p>
      ) : p.startedAt ? (
        <p className="meta">
          Since <DateTime value={p.startedAt} />
        </p>
      ) : null}
    </li>
  );
}

/**
 * The case's phase clocks (PROCESS.md §6, §8, §9): the Fix Team organised, the fix developed, users
 * told a fix is coming, the release and the retrospective, each due by the policy's window (at once
 * when the issue is publicly known), met, missed or overdue by the hour. The team records what it
 * did, may slow down a low-severity case for a reason, and names an upstream whose disclosure date
 * bounds the release.
 */
export function PhaseTimeline({ c }: { c: CaseDetail }) {
  const phases = useResource(`case-phases:${c.id}:${c.state}`, (signal) => fix.getCasePhases(c.id, signal));
  const [notice, setNotice] = useState('');
  const action = useAsyncAction();
  // Phases are recorded from acceptance until publication.
  const canManage = c.abilities['case.fix.manage'] && FIX_OPEN_STATES.includes(c.state);

  function record(call: () => Promise<unknown>, message: string) {
    setNotice('');
    void action.run(async () => {
      await call();
      setNotice(message);
      phases.reload();
    });
  }

  return (
    <FixPart headingId="phases-heading" title="Phase clocks" notice={notice} found={phases} what="the phases">
      {(data) => (
        <>
          {data.asap ? (
            <p className="alert alert-warning" data-testid="phases-asap">
              Publicly known: every clock is “as soon as possible”, due at once.
            </p>
          ) : null}
          <ol className="phase-list" data-testid="phases">
            {data.phases.map((p) => (
              <PhaseCard key={p.name} phase={p} />
            ))}
          </ol>
          {canManage ? <PhaseActions c={c} data={data} action={action} onRecord={record} /> : null}
          <SlowdownPart
            c={c}
            data={data}
            canManage={canManage}
            onSaved={(m) => {
              setNotice(m);
              phases.reload();
            }}
          />
          <UpstreamPart
            c={c}
            data={data}
            canManage={canManage}
            onSaved={(m) => {
              setNotice(m);
              phases.reload();
            }}
          />
        </>
      )}
    </FixPart>
  );
}

interface ActionsProps {
  c: CaseDetail;
  data: CasePhases;
  action: AsyncAction;
  onRecord: (call: () => Promise<unknown>, message: string) => void;
}

function PhaseActions({ c, data, action, onRecord }: ActionsProps) {
  const done = (name: PhaseView['name']) => data.phases.find((p) => p.name === name)?.doneAt != null;
  const organised = done('fix-team-organised');
  const told = done('users-told-of-fix');
  if (organised && told) return null;
  return (
    <>
      <ProblemAlert error={action.error} title={action.error ? 'Nothing was recorded' : undefined} />
      <div className="actions" role="group" aria-label="Record a phase">
        {organised ? null : (
          <button
            type="button"
            disabled={action.busy}
            onClick={() =>
              onRecord(() => fix.markTeamOrganised(c.id), 'The Fix Team is recorded as organised.')
            }
          >
            The Fix Team is organised
          </button>
        )}
        {told ? null : (
          <button
            type="button"
            disabled={action.busy}
            onClick={() =>
              onRecord(() => fix.markUsersTold(c.id), 'Users are recorded as told that a fix is coming.')
            }
          >
            Users are told a fix is coming
          </button>
        )}
      </div>
    </>
  );
}

interface PartProps {
  c: CaseDetail;
  data: CasePhases;
  canManage: boolean;
  onSaved: (notice: string) => void;
}

function SlowdownPart({ c, data, canManage, onSaved }: PartProps) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const { busy, error, run } = useAsyncAction();
  const issues = fieldIssues(error, ['reason']);

  if (data.slowdown) {
    const s = data.slowdown;
    return (
      <p className="hint" data-testid="slowdown">
        Slowed down by {s.decidedBy}, <DateTime value={s.decidedAt} />
        {s.cvss !== null ? ` (CVSS ${s.cvss.toFixed(1)})` : ''}: <span className="prewrap">{s.reason}</span>
      </p>
    );
  }
  if (!canManage) return null;
  if (data.slowdownRefusal !== null) return <p className="hint">{data.slowdownRefusal}</p>;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void run(async () => {
      await fix.slowDownCase(c.id, reason.trim());
      setOpen(false);
      onSaved('The case is slowed down; its clocks are relaxed.');
    });
  }

  return open ? (
    <form className="panel stack" onSubmit={submit} aria-label="Slow the case down">
      <h3>Slow down (low severity)</h3>
      <ProblemAlert
        error={error}
        title={error ? 'The case was not slowed down' : undefined}
        issues={issues.unclaimed}
      />
      <ReasonField
        hint="The severity is below the policy’s threshold: the team may take longer (holidays, bandwidth). The decision and its reason are kept with the case."
        value={reason}
        onChange={setReason}
        error={issues.message('reason', 'The reason')}
      />
      <FormActions busy={busy} label={'Slow down'} tone="plain" onCancel={() => setOpen(false)} />
    </form>
  ) : (
    <div className="actions">
      <button type="button" className="button-quiet" onClick={() => setOpen(true)}>
        Slow down (low severity)…
      </button>
    </div>
  );
}

function UpstreamPart({ c, data, canManage, onSaved }: PartProps) {
  const [open, setOpen] = useState(false);
  const up = data.upstream;
  return (
    <>
      {up ? (
        <p data-testid="upstream">
          Depends on upstream <strong>{up.name}</strong>
          {up.url ? (
            <>
              {' '}
              (<ExternalLink url={up.url} />)
            </>
          ) : null}
          {up.disclosureAt ? (
            <>
              , which discloses <DateTime value={up.disclosureAt} />: the release is not due before it
            </>
          ) : null}
          .
        </p>
      ) : null}
      {canManage ? (
        open ? (
          <UpstreamForm
            c={c}
            data={data}
            onCancel={() => setOpen(false)}
            onSaved={() => {
              setOpen(false);
              onSaved('The upstream project is saved.');
            }}
          />
        ) : (
          <div className="actions">
            <button type="button" className="button-quiet" onClick={() => setOpen(true)}>
              {up ? 'Change the upstream project…' : 'Depends on an upstream project…'}
            </button>
          </div>
        )
      ) : null}
    </>
  );
}

function UpstreamForm({
  c,
  data,
  onCancel,
  onSaved,
}: {
  c: CaseDetail;
  data: CasePhases;
  onCancel: () => void;
  onSaved: () => void;
}) {
  const [name, setName] = useState(data.upstream?.name ?? '');
  const [url, setUrl] = useState(data.upstream?.url ?? '');
  const [disclosureAt, setDisclosureAt] = useState(toDateTimeLocal(data.upstream?.disclosureAt));
  const { busy, error, run } = useAsyncAction();
  const issues = fieldIssues(error, ['name', 'url', 'disclosureAt']);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void run(async () => {
      await fix.setCaseUpstream(c.id, {
        name: name.trim(),
        url: url.trim() || null,
        disclosureAt: fromDateTimeLocal(disclosureAt),
      });
      onSaved();
    });
  }

  return (
    <form className="panel stack" onSubmit={submit} aria-label="Upstream project">
      <h3>Upstream project</h3>
      <p className="hint">
        When the fix depends on another project’s disclosure timeline, the case follows it: the release is not
        due before the upstream discloses.
      </p>
      <ProblemAlert
        error={error}
        title={error ? 'The upstream was not saved' : undefined}
        issues={issues.unclaimed}
      />
      <div className="form-grid">
        <Field
          label="Name"
          required
          maxLength={200}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={issues.message('name', 'The name')}
        />
        <Field
          label="Link"
          type="url"
          maxLength={2000}
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          error={issues.message('url', 'The link')}
        />
        <Field
          label="Upstream discloses at"
          type="datetime-local"
          value={disclosureAt}
          onChange={(e) => setDisclosureAt(e.target.value)}
          error={issues.message('disclosureAt', 'The instant')}
        />
      </div>
      <FormActions busy={busy} label={'Save the upstream'} tone="plain" onCancel={onCancel} />
    </form>
  );
}
