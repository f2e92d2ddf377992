import { useState, type ChangeEvent, type FormEvent } from 'react';
import * as api from '../../api/endpoints.js';
import { traceLeak, type LeakCandidate, type LeakTrace } from '../../api/early-disclosure.js';
import { DataTable } from '../../components/DataTable.js';
import { DateTime } from '../../components/DateTime.js';
import { TextAreaField } from '../../components/Field.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';
import { Loading } from '../../components/Status.js';
import { fieldIssues } from '../../field-issues.js';
import { useAsyncAction, useResource, useTitle } from '../../hooks.js';
import { Link } from '../../router.js';

/** The largest leaked text the server reads (UTF-8 bytes). */
const MAX_BYTES = 256 * 1024;

const VERDICT_WORDS: Record<LeakTrace['verdict'], string> = {
  identified: 'Identified',
  likely: 'Likely, not conclusive',
  inconclusive: 'Inconclusive',
};

const METHOD_WORDS: Record<NonNullable<LeakTrace['method']>, string> = {
  'reference-code': 'by the reference code printed in it',
  'hidden-marks': 'by the invisible marks it still carries',
  wording: 'by its wording',
};

const chance = (p: number) => (p >= 0.001 ? p.toFixed(3) : p.toExponential(1));

/**
 * The team's page to trace a leaked copy of a case's early disclosure (`/cases/:humanId/leak-trace`):
 * paste the text, or load a file, and see which person's copy it most likely came from, with the
 * evidence. The text is sent to the server, traced and forgotten: it is not stored.
 */
export function LeakTracePage({ humanId }: { humanId: string }) {
  useTitle(`Trace a leak · ${humanId}`);
  const found = useResource(`case:${humanId}`, (signal) => api.getCase(humanId, signal));
  const [text, setText] = useState('');
  const [fileProblem, setFileProblem] = useState('');
  const [result, setResult] = useState<LeakTrace | null>(null);
  const { busy, error, run } = useAsyncAction();
  const issues = fieldIssues(error, ['text']);

  if (!found.data) {
    return found.error ? (
      <ProblemAlert error={found.error} title="The case could not be loaded" />
    ) : (
      <Loading what="Loading the case" />
    );
  }
  const c = found.data;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void run(async () => setResult(await traceLeak(c.id, text)));
  }

  function load(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    setFileProblem('');
    if (!file) return;
    if (file.size > MAX_BYTES) {
      setFileProblem(`The file is larger than ${MAX_BYTES / 1024} KiB.`);
      return;
    }
    void file.text().then(setText, () => setFileProblem('The file could not be read as text.'));
  }

  const tooLong = new TextEncoder().encode(text).length > MAX_BYTES;
  return (
    <div className="stack">
      <p className="meta">
        <Link to={`/cases/${encodeURIComponent(c.humanId)}`}>Case {c.humanId}</Link>
      </p>
      <h1>Trace a leaked copy</h1>
      <p>
        Each person was sent their own copy of the distributors’ notice: a reference code, invisible marks and
        their own choice among equivalent spellings. Paste what leaked (a part is enough, however it was
        rewrapped or retyped) to see whose copy it most likely came from. The text is not stored.
      </p>
      <form className="panel stack" onSubmit={submit} aria-label="Trace a leaked copy">
        <ProblemAlert
          error={error}
          title={error ? 'The text was not traced' : undefined}
          issues={issues.unclaimed}
        />
        <TextAreaField
          label="Leaked text"
          rows={14}
          value={text}
          onChange={(e) => setText(e.target.value)}
          error={tooLong ? `At most ${MAX_BYTES / 1024} KiB.` : issues.message('text', 'The leaked text')}
        />
        <div className="field">
          <label htmlFor="leak-file">Or load it from a file</label>
          <input id="leak-file" type="file" accept="text/*,.txt,.eml,.md" onChange={load} />
          {fileProblem ? <p className="field-error">{fileProblem}</p> : null}
        </div>
        <div className="actions">
          <button type="submit" className="button-primary" disabled={busy || text.trim() === '' || tooLong}>
            {busy ? 'Tracing…' : 'Trace'}
          </button>
        </div>
      </form>
      {result ? <TraceResult result={result} /> : null}
    </div>
  );
}

function TraceResult({ result: r }: { result: LeakTrace }) {
  return (
    <section className="panel stack" aria-labelledby="trace-result-heading" data-testid="leak-trace-result">
      <h2 id="trace-result-heading">
        {VERDICT_WORDS[r.verdict]}
        {r.method ? ` ${METHOD_WORDS[r.method]}` : ''}
      </h2>
      <p>{r.summary}</p>
      {r.source ? (
        <dl className="facts">
          <div>
            <dt>Sent to</dt>
            <dd>
              {r.source.name} ({r.source.orgName}), {r.source.email}
            </dd>
          </div>
          <div>
            <dt>Copy</dt>
            <dd>
              <span className="mono">{r.source.referenceCode}</span>, revision {r.source.advisoryRevision},
              sent <DateTime value={r.source.sentAt} />
            </dd>
          </div>
        </dl>
      ) : null}
      <p className="meta">
        {r.tokens} words read; {r.slotsObserved} of the places where copies differ seen; {r.copiesCompared}{' '}
        copies compared.
      </p>
      {r.candidates.length > 0 ? (
        <>
          <h3>Closest copies</h3>
          <DataTable
            columns={[
              'Person',
              'Reference',
              { label: 'Places that agree', numeric: true },
              { label: 'Chance a random copy does as well', numeric: true },
              { label: 'Probability it is the source', numeric: true },
            ]}
          >
            {r.candidates.map((c) => (
              <tr key={c.copyId}>
                <td>
                  {c.name} ({c.orgName})
                </td>
                <td className="mono">
                  {c.referenceCode} (rev. {c.advisoryRevision})
                </td>
                <td className="num">
                  {c.matched} of {c.observed}
                </td>
                <td className="num">{chance(c.pRandom)}</td>
                <td className="num">{(c.posterior * 100).toFixed(1)}%</td>
              </tr>
            ))}
          </DataTable>
          {r.candidates
            .filter((c) => c.evidence.length > 0)
            .map((c) => (
              <Evidence key={c.copyId} candidate={c} />
            ))}
        </>
      ) : null}
    </section>
  );
}

function Evidence({ candidate: c }: { candidate: LeakCandidate }) {
  return (
    <details>
      <summary>
        The evidence for {c.name}’s copy ({c.matched} agree, {c.mismatched} differ)
      </summary>
      <DataTable columns={['Kind', 'Their copy has', 'The text has', 'Agrees']}>
        {c.evidence.map((e) => (
          <tr key={e.slot}>
            <td>{e.rule}</td>
            <td>{e.expected}</td>
            <td>{e.observed}</td>
            <td>{e.match ? 'yes' : 'no'}</td>
          </tr>
        ))}
      </DataTable>
    </details>
  );
}
