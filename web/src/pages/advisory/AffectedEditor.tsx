import {
  EVENT_KINDS,
  OSV_ECOSYSTEMS,
  RANGE_TYPES,
  rangeEvent,
  readRangeEvent,
  type AffectedPackage,
  type AffectedRange,
  type EventKind,
  type RangeType,
} from '../../api/advisory.js';
import { Field, FieldError, Options, SelectField } from '../../components/Field.js';
import type { FieldIssues } from '../../field-issues.js';
import { RowList } from './RowList.js';

/** An issue message for `path` (below `document.`) and the label it reads after. */
export type MessageAt = (path: string, label: string) => string | undefined;

interface AffectedEditorProps {
  value: AffectedPackage[];
  onChange: (affected: AffectedPackage[]) => void;
  message: MessageAt;
  disabled: boolean;
}

const EVENT_LABELS: Record<EventKind, string> = {
  introduced: 'Introduced',
  fixed: 'Fixed',
  last_affected: 'Last affected',
  limit: 'Limit',
};

/** The field paths of the affected packages, for placing the server's issues (see fieldIssues). */
export function affectedFieldPaths(affected: AffectedPackage[]): string[] {
  return affected.flatMap((a, i) => [
    `affected.${i}`,
    `affected.${i}.ecosystem`,
    `affected.${i}.package`,
    `affected.${i}.purl`,
    ...a.ranges.flatMap((r, j) => [
      `affected.${i}.ranges.${j}`,
      `affected.${i}.ranges.${j}.repo`,
      `affected.${i}.ranges.${j}.events`,
      ...r.events.map((_, k) => `affected.${i}.ranges.${j}.events.${k}`),
    ]),
  ]);
}

function replaceAt<T>(list: readonly T[], index: number, item: T): T[] {
  return list.map((x, i) => (i === index ? item : x));
}

/** The Ecosystem choice that means "no package: a git repository alone". */
const GIT_ONLY = '';

/**
 * The entry with `ecosystem` chosen: a package in that ecosystem, or for GIT_ONLY no package,
 * no Package URL and every range a GIT range (OSV's form for projects identified by commits).
 */
function withEcosystem(pkg: AffectedPackage, ecosystem: string): AffectedPackage {
  const { ecosystem: _e, package: name, purl: _p, ...rest } = pkg;
  if (ecosystem !== GIT_ONLY) return { ...pkg, ecosystem, package: name ?? '' };
  return {
    ...rest,
    ranges: rest.ranges.map((r) => (r.type === 'GIT' ? r : { ...r, type: 'GIT', repo: r.repo ?? '' })),
  };
}

/**
 * The affected packages as OSV describes them: ecosystem, package name, optional Package URL, and
 * version ranges (SEMVER, ECOSYSTEM or GIT with its repository), each a list of events.
 */
export function AffectedEditor({ value, onChange, message, disabled }: AffectedEditorProps) {
  function setPackage(i: number, pkg: AffectedPackage) {
    onChange(replaceAt(value, i, pkg));
  }

  return (
    <div className="affected">
      {value.length === 0 ? <p className="hint">No affected package yet.</p> : null}
      {value.map((pkg, i) => {
        const n = i + 1;
        return (
          <fieldset key={i} className="affected-row" aria-label={`Affected package ${n}`}>
            <legend>Affected package {n}</legend>
            <FieldError message={message(`affected.${i}`, `Package ${n}`)} />
            <div className="form-grid">
              <SelectField
                label="Ecosystem"
                value={pkg.ecosystem ?? GIT_ONLY}
                disabled={disabled}
                error={message(`affected.${i}.ecosystem`, 'Ecosystem')}
                onChange={(e) => setPackage(i, withEcosystem(pkg, e.target.value))}
              >
                <option value={GIT_ONLY}>No package: a git repository (commits)</option>
                {pkg.ecosystem === undefined ||
                (OSV_ECOSYSTEMS as readonly string[]).includes(pkg.ecosystem) ? null : (
                  <option value={pkg.ecosystem}>{pkg.ecosystem}</option>
                )}
                <Options values={OSV_ECOSYSTEMS} />
              </SelectField>
              {pkg.ecosystem === undefined ? (
                <p className="hint">
                  Identified by its repository: each range below is a GIT range with the repository URL and
                  commits (introduced <code>0</code> for “from the first commit”, fixed by the full commit
                  hash).
                </p>
              ) : (
                <>
                  <Field
                    label="Package"
                    value={pkg.package ?? ''}
                    disabled={disabled}
                    error={message(`affected.${i}.package`, 'Package')}
                    onChange={(e) => setPackage(i, { ...pkg, package: e.target.value })}
                  />
                  <Field
                    label="Package URL (optional)"
                    value={pkg.purl ?? ''}
                    placeholder="pkg:golang/github.com/example/proxy"
                    disabled={disabled}
                    error={message(`affected.${i}.purl`, 'Package URL')}
                    onChange={(e) => {
                      const { purl: _old, ...rest } = pkg;
                      setPackage(i, e.target.value.trim() === '' ? rest : { ...rest, purl: e.target.value });
                    }}
                  />
                </>
              )}
            </div>
            {pkg.ranges.map((range, j) => (
              <RangeEditor
                key={j}
                label={`Range ${j + 1} of package ${n}`}
                path={`affected.${i}.ranges.${j}`}
                range={range}
                message={message}
                disabled={disabled}
                onChange={(r) => setPackage(i, { ...pkg, ranges: replaceAt(pkg.ranges, j, r) })}
                onRemove={() => setPackage(i, { ...pkg, ranges: pkg.ranges.filter((_, k) => k !== j) })}
              />
            ))}
            <div className="actions">
              <button
                type="button"
                className="button-small"
                disabled={disabled}
                onClick={() =>
                  setPackage(i, {
                    ...pkg,
                    ranges: [
                      ...pkg.ranges,
                      pkg.ecosystem === undefined
                        ? { type: 'GIT', repo: pkg.ranges[0]?.repo ?? '', events: [{ introduced: '0' }] }
                        : { type: 'SEMVER', events: [{ introduced: '0' }] },
                    ],
                  })
                }
              >
                Add a version range<span className="visually-hidden"> to package {n}</span>
              </button>
              <button
                type="button"
                className="button-small button-quiet"
                disabled={disabled}
                onClick={() => onChange(value.filter((_, k) => k !== i))}
              >
                Remove package {n}
              </button>
            </div>
          </fieldset>
        );
      })}
      <div className="actions">
        <button
          type="button"
          disabled={disabled}
          onClick={() => onChange([...value, { ecosystem: 'Go', package: '', ranges: [] }])}
        >
          Add an affected package
        </button>
      </div>
    </div>
  );
}

interface RangeEditorProps {
  label: string;
  path: string;
  range: AffectedRange;
  message: MessageAt;
  disabled: boolean;
  onChange: (range: AffectedRange) => void;
  onRemove: () => void;
}

function RangeEditor({ label, path, range, message, disabled, onChange, onRemove }: RangeEditorProps) {
  function setType(type: RangeType) {
    const { repo, ...rest } = range;
    onChange(type === 'GIT' ? { ...rest, type, repo: repo ?? '' } : { ...rest, type });
  }
  return (
    <div className="range-box" role="group" aria-label={label}>
      <h4>{label}</h4>
      <FieldError message={message(path, 'The range') ?? message(`${path}.events`, 'The range')} />
      <div className="form-grid">
        <SelectField
          label="Range type"
          value={range.type}
          disabled={disabled}
          onChange={(e) => setType(e.target.value as RangeType)}
        >
          <Options values={RANGE_TYPES} />
        </SelectField>
        {range.type === 'GIT' ? (
          <Field
            label="Repository URL"
            type="url"
            value={range.repo ?? ''}
            disabled={disabled}
            error={message(`${path}.repo`, 'Repository URL')}
            onChange={(e) => onChange({ ...range, repo: e.target.value })}
          />
        ) : null}
      </div>
      <RowList
        items={range.events}
        onChange={(events) => onChange({ ...range, events })}
        itemName="event"
        addLabel={
          <>
            Add an event<span className="visually-hidden"> to {label.toLowerCase()}</span>
          </>
        }
        newItem={() => ({ fixed: '' })}
        canRemove={range.events.length > 1}
        disabled={disabled}
        renderRow={(event, k, set) => {
          const { kind, version } = readRangeEvent(event);
          return (
            <>
              <SelectField
                label={`Event ${k + 1}`}
                value={kind}
                disabled={disabled}
                onChange={(e) => set(rangeEvent(e.target.value as EventKind, version))}
              >
                <Options values={EVENT_KINDS} label={(e) => EVENT_LABELS[e]} />
              </SelectField>
              <Field
                label={`Version ${k + 1}`}
                value={version}
                disabled={disabled}
                error={message(`${path}.events.${k}`, 'The version')}
                onChange={(e) => set(rangeEvent(kind, e.target.value))}
              />
            </>
          );
        }}
        actions={
          <button type="button" className="button-small button-quiet" disabled={disabled} onClick={onRemove}>
            Remove {label.toLowerCase()}
          </button>
        }
      />
    </div>
  );
}

/** For callers that place issues with fieldIssues: the message of `path` below `document.`. */
export function messageAt(issues: FieldIssues): MessageAt {
  return (path, label) => issues.message(`document.${path}`, label);
}
