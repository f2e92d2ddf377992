import { useId, useState } from 'react';
import {
  CALCULATOR_VERSIONS,
  carryOver,
  GROUP_TITLES,
  groupsOf,
  METRICS,
  missingBaseMetrics,
  NOT_DEFINED,
  parseVector,
  serializeVector,
  type CalculatorVersion,
  type MetricDefinition,
  type MetricSelection,
  type VectorProblem,
} from '../../advisory/cvss-metrics.js';
import { scoreVector } from '../../advisory/cvss-score.js';
import { FieldError } from '../../components/Field.js';
import './advisory.css';

interface CvssCalculatorProps {
  /** Names the calculator for assistive technology, e.g. "CVSS vector 1". */
  label: string;
  /** The vector to start from (the component keeps its own state afterwards: key it to reset). */
  initial: string;
  /** Told of the vector text after every click or keystroke. */
  onChange: (vector: string) => void;
  /** What the server said is wrong with this vector. */
  error?: string | undefined;
  disabled?: boolean;
}

interface CalculatorState {
  version: CalculatorVersion;
  selection: MetricSelection;
  text: string;
}

function initialState(vector: string): CalculatorState {
  const parsed = parseVector(vector);
  const version = parsed.version ?? '3.1';
  return { version, selection: parsed.metrics, text: vector.trim() === '' ? `CVSS:${version}` : vector };
}

/**
 * A live CVSS v3.1 / v4.0 calculator: each metric a group of toggle buttons, and the vector as
 * text. A click rewrites the vector; a typed or pasted vector that reads cleanly (or lacks only
 * some base metrics) moves the buttons; one with problems lists them and leaves the buttons as
 * they were. The score is computed in the browser with the library the server uses.
 */
export function CvssCalculator({ label, initial, onChange, error, disabled = false }: CvssCalculatorProps) {
  const [state, setState] = useState(() => initialState(initial));
  const [openGroups, setOpenGroups] = useState<ReadonlySet<string>>(() => {
    const first = initialState(initial);
    return new Set(METRICS[first.version].filter((d) => d.key in first.selection).map((d) => d.group));
  });
  const id = useId();
  const { version, selection, text } = state;

  function toggleGroup(group: string, open: boolean) {
    setOpenGroups((groups) => {
      if (groups.has(group) === open) return groups;
      const next = new Set(groups);
      if (open) next.add(group);
      else next.delete(group);
      return next;
    });
  }

  function update(next: CalculatorState) {
    setState(next);
    onChange(next.text);
  }

  function choose(def: MetricDefinition, value: string) {
    const picked = { ...selection };
    if (value === NOT_DEFINED) delete picked[def.key];
    else picked[def.key] = value;
    update({ version, selection: picked, text: serializeVector(version, picked) });
  }

  function switchVersion(to: CalculatorVersion) {
    if (to === version) return;
    const picked = carryOver(version, to, selection);
    update({ version: to, selection: picked, text: serializeVector(to, picked) });
  }

  function type(value: string) {
    const parsed = parseVector(value);
    if (parsed.version !== null && parsed.problems.every((p) => p.code === 'missing_metric')) {
      update({ version: parsed.version, selection: parsed.metrics, text: value });
    } else {
      update({ ...state, text: value });
    }
  }

  const parsed = parseVector(text);
  const score = scoreVector(text);
  const missing = missingBaseMetrics(version, selection);
  // A vector the buttons wrote, still incomplete, is not an error: the user is choosing.
  const onlyMissing = parsed.problems.every((p) => p.code === 'missing_metric') && parsed.version === version;
  const problems: VectorProblem[] = onlyMissing ? [] : parsed.problems;

  return (
    <fieldset className="cvss" aria-label={label} disabled={disabled}>
      <div className="cvss-top">
        <div className="cvss-version" role="group" aria-label="CVSS version">
          <span className="cvss-version-label" aria-hidden="true">
            Version
          </span>
          {CALCULATOR_VERSIONS.map((v) => (
            <button
              key={v}
              type="button"
              className={v === version ? 'button-small button-selected' : 'button-small'}
              aria-pressed={v === version}
              onClick={() => switchVersion(v)}
            >
              CVSS {v}
            </button>
          ))}
        </div>
        <output
          className={`cvss-score cvss-score-${score ? score.severity.toLowerCase() : 'none'}`}
          aria-live="polite"
          data-testid="cvss-score"
        >
          {score
            ? `${score.score.toFixed(1)} ${score.severity}`
            : problems.length > 0
              ? 'No score: the vector has problems'
              : `No score yet: choose ${missing.map((d) => d.name).join(', ')}`}
        </output>
      </div>

      <div className="field">
        <label htmlFor={`${id}-vector`}>Vector string</label>
        <input
          id={`${id}-vector`}
          className="mono cvss-vector"
          value={text}
          spellCheck={false}
          autoComplete="off"
          autoCapitalize="off"
          aria-invalid={problems.length > 0 || error ? true : undefined}
          aria-describedby={`${id}-problems`}
          onChange={(e) => type(e.target.value)}
        />
        <div id={`${id}-problems`} aria-live="polite">
          {problems.length > 0 ? (
            <ul className="issues cvss-problems" data-testid="cvss-problems">
              {problems.map((p, i) => (
                <li key={`${p.code}:${p.metric ?? ''}:${i}`}>{p.message}</li>
              ))}
            </ul>
          ) : null}
          <FieldError message={error} />
        </div>
      </div>

      {groupsOf(version).map((group) => {
        const defs = METRICS[version].filter((d) => d.group === group);
        const body = (
          <div className="cvss-metrics">
            {defs.map((def) => (
              <MetricButtons key={def.key} def={def} value={selection[def.key]} onChoose={choose} />
            ))}
          </div>
        );
        if (group === 'base') {
          return (
            <div key={group} className="cvss-group">
              <p className="cvss-group-title">{GROUP_TITLES[group]}</p>
              {body}
            </div>
          );
        }
        const chosen = defs.filter((d) => selection[d.key] !== undefined).length;
        return (
          <details
            key={group}
            className="cvss-group"
            open={openGroups.has(group)}
            onToggle={(e) => toggleGroup(group, e.currentTarget.open)}
          >
            <summary>
              {GROUP_TITLES[group]}
              {chosen > 0 ? ` (${chosen} set)` : ''}
            </summary>
            {body}
          </details>
        );
      })}
    </fieldset>
  );
}

function MetricButtons({
  def,
  value,
  onChoose,
}: {
  def: MetricDefinition;
  value: string | undefined;
  onChoose: (def: MetricDefinition, value: string) => void;
}) {
  const current = value ?? (def.group === 'base' ? undefined : NOT_DEFINED);
  return (
    <div className="cvss-metric" role="group" aria-label={`${def.name} (${def.key})`}>
      <span className="cvss-metric-name" aria-hidden="true">
        {def.name} <span className="mono">({def.key})</span>
      </span>
      <span className="cvss-values">
        {Object.entries(def.values).map(([abbr, name]) => (
          <button
            key={abbr}
            type="button"
            className={abbr === current ? 'button-small button-selected' : 'button-small'}
            aria-pressed={abbr === current}
            aria-label={`${def.name}: ${name}`}
            title={`${def.key}:${abbr}`}
            onClick={() => onChoose(def, abbr)}
          >
            {name}
          </button>
        ))}
      </span>
    </div>
  );
}
