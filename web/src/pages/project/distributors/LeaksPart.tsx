import { useState, type FormEvent } from 'react';
import * as distributors from '../../../api/distributors.js';
import type { DistributorOrg, IncidentRecorded, LeakReport, Leaks } from '../../../api/distributors.js';
import { DateTime } from '../../../components/DateTime.js';
import { Field, SelectField, TextAreaField } from '../../../components/Field.js';
import { ProblemAlert } from '../../../components/ProblemAlert.js';
import { Loading, Notice } from '../../../components/Status.js';
import { useAsyncAction, type Resource } from '../../../hooks.js';

interface Props {
  slug: string;
  canManage: boolean;
  orgs: DistributorOrg[];
  resource: Resource<Leaks>;
  onChanged: () => void;
}

function recordedNotice(r: IncidentRecorded, orgs: DistributorOrg[]): string {
  const name = orgs.find((o) => o.id === r.orgId)?.name ?? 'The organisation';
  return r.removalProposed
    ? `Incident recorded: “${name}” has ${r.incidents} incidents, the policy's limit (${r.leaksBeforeRemoval}). Remove it per policy above.`
    : `Incident recorded: “${name}” has ${r.incidents} of ${r.leaksBeforeRemoval}.`;
}

/** Leak reports (confirm as an incident against an organisation, or dismiss) and the incidents. */
export function LeaksPart({ slug, canManage, orgs, resource, onChanged }: Props) {
  const [notice, setNotice] = useState('');
  const open = orgs.filter((o) => o.state !== 'removed');
  const done = (r: IncidentRecorded) => {
    setNotice(recordedNotice(r, orgs));
    onChanged();
  };
  return (
    <section aria-labelledby="distributor-leaks-heading" className="stack">
      <h3 id="distributor-leaks-heading">Leaks and incidents</h3>
      <ProblemAlert error={resource.error} title="The leaks could not be loaded" />
      <Notice>{notice}</Notice>
      {resource.loading && !resource.data ? <Loading what="Loading the leaks" /> : null}
      {resource.data ? (
        <>
          {resource.data.reports.length === 0 ? <p className="empty">No leak reported.</p> : null}
          {resource.data.reports.map((r) => (
            <LeakCard
              key={r.id}
              slug={slug}
              report={r}
              orgs={open}
              canManage={canManage}
              onRecorded={done}
              onChanged={onChanged}
            />
          ))}
          <h4>Incidents</h4>
          {resource.data.incidents.length === 0 ? (
            <p className="empty">No incident recorded.</p>
          ) : (
            <ul className="plain-list" data-testid="distributor-incidents">
              {resource.data.incidents.map((i) => (
                <li key={i.id}>
                  <strong>{i.org.name}</strong>, <DateTime value={i.recordedAt} />
                  {i.caseHumanId ? ` (case ${i.caseHumanId})` : ''}: <span className="prewrap">{i.what}</span>
                  , to <span className="prewrap">{i.toWhom}</span>, {i.when}
                </li>
              ))}
            </ul>
          )}
          {canManage && open.length > 0 ? <IncidentForm slug={slug} orgs={open} onRecorded={done} /> : null}
        </>
      ) : null}
    </section>
  );
}

function LeakCard({
  slug,
  report: r,
  orgs,
  canManage,
  onRecorded,
  onChanged,
}: {
  slug: string;
  report: LeakReport;
  orgs: DistributorOrg[];
  canManage: boolean;
  onRecorded: (r: IncidentRecorded) => void;
  onChanged: () => void;
}) {
  const [orgId, setOrgId] = useState(r.reporterOrg?.id ?? orgs[0]?.id ?? '');
  const { busy, error, run } = useAsyncAction();
  const headingId = `leak-${r.id}`;
  return (
    <article className="panel stack" aria-labelledby={headingId} data-testid="distributor-leak">
      <h4 id={headingId}>
        Leak reported <DateTime value={r.createdAt} /> <span className="badge">{r.state}</span>
      </h4>
      <dl className="facts">
        <div>
          <dt>By</dt>
          <dd>
            {r.reportedBy.name} ({r.reportedBy.email})
            {r.reporterOrg ? `, ${r.reporterOrg.name}` : ', security team'}
          </dd>
        </div>
        <div>
          <dt>What</dt>
          <dd className="prewrap">{r.what}</dd>
        </div>
        <div>
          <dt>To whom</dt>
          <dd className="prewrap">{r.toWhom}</dd>
        </div>
        <div>
          <dt>When</dt>
          <dd>{r.when}</dd>
        </div>
        {r.caseRef ? (
          <div>
            <dt>Case</dt>
            <dd className="mono">{r.caseHumanId ?? `${r.caseRef} (no such case of this project)`}</dd>
          </div>
        ) : null}
      </dl>
      <ProblemAlert error={error} title={error ? 'The report was not closed' : undefined} />
      {canManage && r.state === 'open' && orgs.length > 0 ? (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () =>
              onRecorded(await distributors.recordIncident(slug, { orgId, leakReportId: r.id })),
            );
          }}
        >
          <SelectField
            label="Organisation responsible"
            value={orgId}
            onChange={(e) => setOrgId(e.target.value)}
          >
            {orgs.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </SelectField>
          <button type="submit" disabled={busy || !orgId}>
            Record an incident
          </button>
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              void run(async () => {
                await distributors.dismissLeak(slug, r.id);
                onChanged();
              })
            }
          >
            Dismiss
          </button>
        </form>
      ) : null}
    </article>
  );
}

const EMPTY = { what: '', toWhom: '', when: '', caseRef: '' };

function IncidentForm({
  slug,
  orgs,
  onRecorded,
}: {
  slug: string;
  orgs: DistributorOrg[];
  onRecorded: (r: IncidentRecorded) => void;
}) {
  const [orgId, setOrgId] = useState(orgs[0]?.id ?? '');
  const [draft, setDraft] = useState(EMPTY);
  const { busy, error, run } = useAsyncAction();
  const set = (patch: Partial<typeof EMPTY>) => setDraft((d) => ({ ...d, ...patch }));
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void run(async () => {
      const caseRef = draft.caseRef.trim();
      onRecorded(
        await distributors.recordIncident(slug, {
          orgId,
          what: draft.what,
          toWhom: draft.toWhom,
          when: draft.when,
          ...(caseRef ? { caseRef } : {}),
        }),
      );
      setDraft(EMPTY);
    });
  }
  return (
    <details>
      <summary>Record an incident in your own words</summary>
      <form className="stack" onSubmit={submit}>
        <ProblemAlert error={error} title={error ? 'The incident was not recorded' : undefined} />
        <SelectField label="Organisation" value={orgId} onChange={(e) => setOrgId(e.target.value)}>
          {orgs.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </SelectField>
        <TextAreaField
          label="What leaked"
          required
          rows={3}
          maxLength={4000}
          value={draft.what}
          onChange={(e) => set({ what: e.target.value })}
        />
        <TextAreaField
          label="To whom"
          required
          rows={2}
          maxLength={1000}
          value={draft.toWhom}
          onChange={(e) => set({ toWhom: e.target.value })}
        />
        <Field
          label="When"
          required
          maxLength={200}
          value={draft.when}
          onChange={(e) => set({ when: e.target.value })}
        />
        <Field
          label="Case (optional)"
          maxLength={64}
          value={draft.caseRef}
          onChange={(e) => set({ caseRef: e.target.value })}
        />
        <div className="actions">
          <button type="submit" disabled={busy}>
            Record the incident
          </button>
        </div>
      </form>
    </details>
  );
}
