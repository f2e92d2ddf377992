import { useEffect, useId, useState } from 'react';
import { searchCwe, type CweEntry } from '../../api/advisory.js';
import { isAbort, toApiError, type ApiError } from '../../api/client.js';
import { ProblemAlert } from '../../components/ProblemAlert.js';

const SEARCH_DELAY_MS = 250;

interface CwePickerProps {
  value: string[];
  onChange: (cwes: string[]) => void;
  error?: string | undefined;
  disabled?: boolean;
}

/**
 * The advisory's weaknesses: chips for the chosen CWE ids, and a search by words or id (the
 * server's CWE catalogue, queried as the user types, once per pause) whose results add a chip.
 */
export function CwePicker({ value, onChange, error, disabled = false }: CwePickerProps) {
  const id = useId();
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<CweEntry[]>([]);
  const [searched, setSearched] = useState('');
  const [failure, setFailure] = useState<ApiError>();
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());

  useEffect(() => {
    const q = query.trim();
    if (q === '') {
      setResults([]);
      setSearched('');
      return;
    }
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      searchCwe(q, controller.signal).then(
        ({ results: found }) => {
          setFailure(undefined);
          setResults(found);
          setSearched(q);
          setNames((known) => new Map([...known, ...found.map((r): [string, string] => [r.id, r.name])]));
        },
        (err: unknown) => {
          if (!isAbort(err)) setFailure(toApiError(err));
        },
      );
    }, SEARCH_DELAY_MS);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [query]);

  function add(entry: CweEntry) {
    if (!value.includes(entry.id)) onChange([...value, entry.id]);
    setQuery('');
  }

  return (
    <div className="cwe-picker">
      {value.length > 0 ? (
        <ul className="chips" aria-label="Chosen weaknesses" data-testid="cwe-chips">
          {value.map((cwe) => (
            <li key={cwe} className="chip">
              <span>
                <span className="mono">{cwe}</span>
                {names.get(cwe) ? ` ${names.get(cwe)}` : ''}
              </span>
              <button
                type="button"
                aria-label={`Remove ${cwe}`}
                disabled={disabled}
                onClick={() => onChange(value.filter((c) => c !== cwe))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="hint">No weakness chosen yet.</p>
      )}
      <div className="field">
        <label htmlFor={`${id}-q`}>Find a weakness (words or CWE id)</label>
        <input
          id={`${id}-q`}
          type="search"
          value={query}
          disabled={disabled}
          autoComplete="off"
          aria-describedby={error ? `${id}-error` : undefined}
          aria-invalid={error ? true : undefined}
          onChange={(e) => setQuery(e.target.value)}
        />
        {error ? (
          <p id={`${id}-error`} className="field-error">
            {error}
          </p>
        ) : null}
      </div>
      <ProblemAlert error={failure} title="The CWE search failed" />
      {query.trim() !== '' && searched === query.trim() ? (
        results.length > 0 ? (
          <ul className="cwe-results" aria-label="Matching weaknesses">
            {results.map((r) => (
              <li key={r.id}>
                <button
                  type="button"
                  disabled={disabled || value.includes(r.id)}
                  aria-label={`Add ${r.id}: ${r.name}`}
                  onClick={() => add(r)}
                >
                  <span className="mono">{r.id}</span> {r.name}
                  {r.deprecated ? <span className="badge badge-warning">deprecated</span> : null}
                  {value.includes(r.id) ? <span className="badge">chosen</span> : null}
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p className="hint" role="status">
            No weakness matches “{searched}”.
          </p>
        )
      ) : null}
    </div>
  );
}
