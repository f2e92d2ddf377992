import { useId, useState } from 'react';
import { diffRevisions, listRevisions } from '../../api/advisory.js';
import { DataTable } from '../../components/DataTable.js';
import { DateTime } from '../../components/DateTime.js';
import { Options, SelectField } from '../../components/Field.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { Loading } from '../../components/Status.js';
import { useResource } from '../../hooks.js';

interface RevisionHistoryProps {
  caseId: string;
  /** The current revision: the list reloads when it changes. */
  current: number;
}

/** A value of the diff as text: strings as they are, anything else as JSON; absent as "—". */
function show(value: unknown): string {
  if (value === undefined || value === null) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value, null, 1);
}

/**
 * Every saved revision (who, when) and the difference between any two: the changed fields with
 * their values before and after, and the description's unified diff.
 */
export function RevisionHistory({ caseId, current }: RevisionHistoryProps) {
  const id = useId();
  const revisions = useResource(`${caseId}@${current}`, (signal) => listRevisions(caseId, signal));
  const [from, setFrom] = useState(Math.max(1, current - 1));
  const [to, setTo] = useState(current);
  const [compared, setCompared] = useState<{ from: number; to: number } | null>(null);
  const diff = useResource(`${caseId}:${compared?.from ?? ''}..${compared?.to ?? ''}`, (signal) =>
    compared ? diffRevisions(caseId, compared.from, compared.to, signal) : Promise.resolve(null),
  );

  if (!revisions.data) {
    return revisions.error ? (
      <ProblemAlert error={revisions.error} />
    ) : (
      <Loading what="Loading the revisions" />
    );
  }
  const list = [...revisions.data.revisions].sort((a, b) => b.revision - a.revision);
  const numbers = list.map((r) => r.revision);
  return (
    <>
      <DataTable
        data-testid="advisory-revisions"
        columns={[{ label: 'Revision', numeric: true }, 'Saved', 'By']}
      >
        {list.map((r) => (
          <tr key={r.revision}>
            <td className="num">
              {r.revision}
              {r.revision === current ? <span className="badge">current</span> : null}
            </td>
            <td>
              <DateTime value={r.createdAt} />
            </td>
            <td>{r.author.name}</td>
          </tr>
        ))}
      </DataTable>
      {numbers.length > 1 ? (
        <form
          className="inline-form"
          aria-label="Compare revisions"
          onSubmit={(e) => {
            e.preventDefault();
            setCompared({ from, to });
          }}
        >
          <RevisionSelect label="From revision" value={from} numbers={numbers} onChange={setFrom} />
          <RevisionSelect label="To revision" value={to} numbers={numbers} onChange={setTo} />
          <button type="submit" disabled={from === to}>
            Show the changes
          </button>
        </form>
      ) : (
        <p className="hint">One revision so far: save again to compare.</p>
      )}
      {compared ? (
        <section className="panel" aria-labelledby={`${id}-diff`} data-testid="advisory-diff">
          <h3 id={`${id}-diff`}>
            Changes from revision {compared.from} to {compared.to}
          </h3>
          <ProblemAlert error={diff.error} />
          {diff.data ? (
            <>
              {diff.data.changes.length === 0 ? (
                <p>No change.</p>
              ) : (
                <ul className="change-list">
                  {diff.data.changes.map((c) => (
                    <li key={c.path}>
                      <span className="mono">{c.path}</span>
                      <dl className="change-values">
                        <dt>Before</dt>
                        <dd>{show(c.before)}</dd>
                        <dt>After</dt>
                        <dd>{show(c.after)}</dd>
                      </dl>
                    </li>
                  ))}
                </ul>
              )}
              {diff.data.descriptionDiff ? (
                <>
                  <h4>Description</h4>
                  <pre className="code-view diff-view" tabIndex={0} aria-label="Description diff">
                    {diff.data.descriptionDiff}
                  </pre>
                </>
              ) : null}
            </>
          ) : diff.loading ? (
            <Loading what="Comparing" />
          ) : null}
        </section>
      ) : null}
    </>
  );
}

function RevisionSelect({
  label,
  value,
  numbers,
  onChange,
}: {
  label: string;
  value: number;
  numbers: number[];
  onChange: (revision: number) => void;
}) {
  return (
    <SelectField label={label} value={value} onChange={(e) => onChange(Number(e.target.value))}>
      <Options values={numbers} />
    </SelectField>
  );
}
