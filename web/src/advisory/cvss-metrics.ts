/**
 * The CVSS v3.1 and v4.0 metrics as their specifications define them (v3.1 Table 15, v4.0 Table
 * 23: abbreviation, name, group, values in the specification's order), and the two directions
 * between a vector string and the metrics chosen in the calculator: `parseVector` (with every
 * problem named, so a pasted vector can be corrected) and `serializeVector`. The server keeps its
 * own copy of these tables (src/lib/cvss/metrics.ts) and validates every vector again on save.
 */

/** The CVSS versions the calculator edits. Older vectors (2.0, 3.0) come only from imports. */
export const CALCULATOR_VERSIONS = ['3.1', '4.0'] as const;
export type CalculatorVersion = (typeof CALCULATOR_VERSIONS)[number];

export type MetricGroup = 'base' | 'temporal' | 'threat' | 'environmental' | 'supplemental';

export interface MetricDefinition {
  /** The abbreviation used in vectors, case-sensitive: `AV`, `MSI`. */
  readonly key: string;
  readonly name: string;
  readonly group: MetricGroup;
  /** Allowed values, abbreviation -> name, in the specification's order. */
  readonly values: Readonly<Record<string, string>>;
}

/** The choices in the calculator: metric abbreviation -> value abbreviation. */
export type MetricSelection = Readonly<Record<string, string>>;

/** "Not Defined": the value of every non-base metric that scores as if it were absent. */
export const NOT_DEFINED = 'X';

const m = (
  key: string,
  name: string,
  group: MetricGroup,
  values: Record<string, string>,
): MetricDefinition => ({
  key,
  name,
  group,
  values,
});

const HLN = { H: 'High', L: 'Low', N: 'None' };
const X = { X: 'Not Defined' };
const REQUIREMENT = { ...X, H: 'High', M: 'Medium', L: 'Low' };
const MODIFIED_ATTACK_VECTOR = { ...X, N: 'Network', A: 'Adjacent', L: 'Local', P: 'Physical' };

const V31: readonly MetricDefinition[] = [
  m('AV', 'Attack Vector', 'base', { N: 'Network', A: 'Adjacent', L: 'Local', P: 'Physical' }),
  m('AC', 'Attack Complexity', 'base', { L: 'Low', H: 'High' }),
  m('PR', 'Privileges Required', 'base', { N: 'None', L: 'Low', H: 'High' }),
  m('UI', 'User Interaction', 'base', { N: 'None', R: 'Required' }),
  m('S', 'Scope', 'base', { U: 'Unchanged', C: 'Changed' }),
  m('C', 'Confidentiality', 'base', HLN),
  m('I', 'Integrity', 'base', HLN),
  m('A', 'Availability', 'base', HLN),
  m('E', 'Exploit Code Maturity', 'temporal', {
    ...X,
    H: 'High',
    F: 'Functional',
    P: 'Proof-of-Concept',
    U: 'Unproven',
  }),
  m('RL', 'Remediation Level', 'temporal', {
    ...X,
    U: 'Unavailable',
    W: 'Workaround',
    T: 'Temporary Fix',
    O: 'Official Fix',
  }),
  m('RC', 'Report Confidence', 'temporal', { ...X, C: 'Confirmed', R: 'Reasonable', U: 'Unknown' }),
  m('CR', 'Confidentiality Requirement', 'environmental', REQUIREMENT),
  m('IR', 'Integrity Requirement', 'environmental', REQUIREMENT),
  m('AR', 'Availability Requirement', 'environmental', REQUIREMENT),
  m('MAV', 'Modified Attack Vector', 'environmental', MODIFIED_ATTACK_VECTOR),
  m('MAC', 'Modified Attack Complexity', 'environmental', { ...X, L: 'Low', H: 'High' }),
  m('MPR', 'Modified Privileges Required', 'environmental', { ...X, N: 'None', L: 'Low', H: 'High' }),
  m('MUI', 'Modified User Interaction', 'environmental', { ...X, N: 'None', R: 'Required' }),
  m('MS', 'Modified Scope', 'environmental', { ...X, U: 'Unchanged', C: 'Changed' }),
  m('MC', 'Modified Confidentiality', 'environmental', { ...X, ...HLN }),
  m('MI', 'Modified Integrity', 'environmental', { ...X, ...HLN }),
  m('MA', 'Modified Availability', 'environmental', { ...X, ...HLN }),
];

const SUBSEQUENT_MODIFIED = { ...X, H: 'High', L: 'Low', N: 'Negligible' };
const SUBSEQUENT_SAFETY = { ...X, S: 'Safety', H: 'High', L: 'Low', N: 'Negligible' };

const V40: readonly MetricDefinition[] = [
  m('AV', 'Attack Vector', 'base', { N: 'Network', A: 'Adjacent', L: 'Local', P: 'Physical' }),
  m('AC', 'Attack Complexity', 'base', { L: 'Low', H: 'High' }),
  m('AT', 'Attack Requirements', 'base', { N: 'None', P: 'Present' }),
  m('PR', 'Privileges Required', 'base', { N: 'None', L: 'Low', H: 'High' }),
  m('UI', 'User Interaction', 'base', { N: 'None', P: 'Passive', A: 'Active' }),
  m('VC', 'Vulnerable System Confidentiality', 'base', HLN),
  m('VI', 'Vulnerable System Integrity', 'base', HLN),
  m('VA', 'Vulnerable System Availability', 'base', HLN),
  m('SC', 'Subsequent System Confidentiality', 'base', HLN),
  m('SI', 'Subsequent System Integrity', 'base', HLN),
  m('SA', 'Subsequent System Availability', 'base', HLN),
  m('E', 'Exploit Maturity', 'threat', { ...X, A: 'Attacked', P: 'POC', U: 'Unreported' }),
  m('CR', 'Confidentiality Requirement', 'environmental', REQUIREMENT),
  m('IR', 'Integrity Requirement', 'environmental', REQUIREMENT),
  m('AR', 'Availability Requirement', 'environmental', REQUIREMENT),
  m('MAV', 'Modified Attack Vector', 'environmental', MODIFIED_ATTACK_VECTOR),
  m('MAC', 'Modified Attack Complexity', 'environmental', { ...X, L: 'Low', H: 'High' }),
  m('MAT', 'Modified Attack Requirements', 'environmental', { ...X, N: 'None', P: 'Present' }),
  m('MPR', 'Modified Privileges Required', 'environmental', { ...X, N: 'None', L: 'Low', H: 'High' }),
  m('MUI', 'Modified User Interaction', 'environmental', { ...X, N: 'None', P: 'Passive', A: 'Active' }),
  m('MVC', 'Modified Vulnerable System Confidentiality', 'environmental', { ...X, ...HLN }),
  m('MVI', 'Modified Vulnerable System Integrity', 'environmental', { ...X, ...HLN }),
  m('MVA', 'Modified Vulnerable System Availability', 'environmental', { ...X, ...HLN }),
  m('MSC', 'Modified Subsequent System Confidentiality', 'environmental', SUBSEQUENT_MODIFIED),
  m('MSI', 'Modified Subsequent System Integrity', 'environmental', SUBSEQUENT_SAFETY),
  m('MSA', 'Modified Subsequent System Availability', 'environmental', SUBSEQUENT_SAFETY),
  m('S', 'Safety', 'supplemental', { ...X, N: 'Negligible', P: 'Present' }),
  m('AU', 'Automatable', 'supplemental', { ...X, N: 'No', Y: 'Yes' }),
  m('R', 'Recovery', 'supplemental', { ...X, A: 'Automatic', U: 'User', I: 'Irrecoverable' }),
  m('V', 'Value Density', 'supplemental', { ...X, D: 'Diffuse', C: 'Concentrated' }),
  m('RE', 'Vulnerability Response Effort', 'supplemental', { ...X, L: 'Low', M: 'Moderate', H: 'High' }),
  m('U', 'Provider Urgency', 'supplemental', {
    ...X,
    Clear: 'Clear',
    Green: 'Green',
    Amber: 'Amber',
    Red: 'Red',
  }),
];

/** Each version's metrics in canonical order. */
export const METRICS: Readonly<Record<CalculatorVersion, readonly MetricDefinition[]>> = {
  '3.1': V31,
  '4.0': V40,
};

/** The heading of each group of metrics in the calculator. */
export const GROUP_TITLES: Readonly<Record<MetricGroup, string>> = {
  base: 'Base metrics',
  temporal: 'Temporal metrics',
  threat: 'Threat metrics',
  environmental: 'Environmental metrics',
  supplemental: 'Supplemental metrics (do not change the score)',
};

/** The metric groups of a version, in the order the specification lists them. */
export function groupsOf(version: CalculatorVersion): MetricGroup[] {
  return [...new Set(METRICS[version].map((d) => d.group))];
}

/** The base metrics, which every vector must define. */
export function baseMetrics(version: CalculatorVersion): MetricDefinition[] {
  return METRICS[version].filter((d) => d.group === 'base');
}

export type VectorProblemCode =
  | 'empty'
  | 'malformed'
  | 'missing_prefix'
  | 'wrong_prefix'
  | 'unsupported_version'
  | 'unknown_metric'
  | 'unknown_value'
  | 'duplicate_metric'
  | 'missing_metric'
  | 'out_of_order';

export interface VectorProblem {
  code: VectorProblemCode;
  /** Written for the user. */
  message: string;
  metric?: string;
}

export interface ParsedVector {
  /** Null when the prefix names no version the calculator edits. */
  version: CalculatorVersion | null;
  /** The metrics read (even from a vector with problems), Not Defined ones left out. */
  metrics: MetricSelection;
  /** Empty when the vector is complete and valid. */
  problems: VectorProblem[];
}

// The prefix alone (`CVSS:3.1`, what the calculator starts from) is a vector with no metric yet.
const PREFIX = /^CVSS:(\d+\.\d+)(?:\/(.*))?$/s;

/**
 * Reads a vector string. Every problem is listed (unknown metric or value, duplicate, missing base
 * metric, wrong prefix, v4.0's metric order), and the metrics that could be read are returned even
 * then, so the caller decides whether a vector with only missing metrics is worth applying.
 */
export function parseVector(input: string): ParsedVector {
  const text = input.trim();
  if (text === '')
    return { version: null, metrics: {}, problems: [{ code: 'empty', message: 'the vector is empty' }] };
  const prefix = PREFIX.exec(text);
  if (!prefix) {
    const message = /^CVSS:/i.test(text)
      ? 'the vector must start with "CVSS:3.1/" or "CVSS:4.0/" (case matters)'
      : 'the vector has no version prefix: start it with "CVSS:3.1/" or "CVSS:4.0/"';
    return {
      version: null,
      metrics: {},
      problems: [{ code: /^CVSS:/i.test(text) ? 'wrong_prefix' : 'missing_prefix', message }],
    };
  }
  const named = prefix[1] ?? '';
  if (!(CALCULATOR_VERSIONS as readonly string[]).includes(named)) {
    return {
      version: null,
      metrics: {},
      problems: [
        {
          code: 'unsupported_version',
          message: `CVSS ${named} is not edited here: the calculator takes "CVSS:3.1/" and "CVSS:4.0/" vectors`,
        },
      ],
    };
  }
  const version = named as CalculatorVersion;
  const defs = METRICS[version];
  const problems: VectorProblem[] = [];
  const metrics: Record<string, string> = {};
  const seen = new Set<string>();
  let lastIndex = -1;
  let lastKey = '';
  const rest = prefix[2];
  for (const segment of rest === undefined ? [] : rest.split('/')) {
    const colon = segment.indexOf(':');
    if (colon <= 0 || colon === segment.length - 1) {
      problems.push({
        code: 'malformed',
        message: segment === '' ? 'an empty part: a "/" too many' : `"${segment}" is not METRIC:VALUE`,
      });
      continue;
    }
    const key = segment.slice(0, colon);
    const value = segment.slice(colon + 1);
    const index = defs.findIndex((d) => d.key === key);
    const def = defs[index];
    if (!def) {
      problems.push({
        code: 'unknown_metric',
        metric: key,
        message: `unknown metric "${key}" in CVSS ${version}`,
      });
      continue;
    }
    if (seen.has(key)) {
      problems.push({
        code: 'duplicate_metric',
        metric: key,
        message: `metric "${key}" appears more than once`,
      });
      continue;
    }
    seen.add(key);
    if (!(value in def.values) || (def.group === 'base' && value === NOT_DEFINED)) {
      const allowed = Object.keys(def.values).filter((v) => def.group !== 'base' || v !== NOT_DEFINED);
      problems.push({
        code: 'unknown_value',
        metric: key,
        message: `unknown value "${value}" for ${def.name} (${key}): expected one of ${allowed.join(', ')}`,
      });
      continue;
    }
    if (version === '4.0' && index < lastIndex) {
      problems.push({
        code: 'out_of_order',
        metric: key,
        message: `metric "${key}" must come before "${lastKey}" (CVSS 4.0 requires the specification's order)`,
      });
    }
    if (index > lastIndex) {
      lastIndex = index;
      lastKey = key;
    }
    if (value !== NOT_DEFINED) metrics[key] = value;
  }
  for (const def of baseMetrics(version)) {
    if (!seen.has(def.key)) {
      problems.push({
        code: 'missing_metric',
        metric: def.key,
        message: `missing base metric "${def.key}" (${def.name})`,
      });
    }
  }
  return { version, metrics, problems };
}

/**
 * The vector of `selection`: the prefix, then the chosen metrics in canonical order, Not Defined
 * ones left out (they score as if absent). A selection without every base metric gives a partial
 * vector, which parseVector reports as missing those metrics.
 */
export function serializeVector(version: CalculatorVersion, selection: MetricSelection): string {
  const parts = METRICS[version].flatMap((def) => {
    const value = selection[def.key];
    return value !== undefined && value !== NOT_DEFINED && value in def.values ? [`${def.key}:${value}`] : [];
  });
  return [`CVSS:${version}`, ...parts].join('/');
}

/** The base metrics `selection` has not chosen yet. */
export function missingBaseMetrics(
  version: CalculatorVersion,
  selection: MetricSelection,
): MetricDefinition[] {
  return baseMetrics(version).filter((d) => selection[d.key] === undefined);
}

/**
 * The choices that carry over to another version: metrics of the same abbreviation and name whose
 * value exists there too (Attack Vector: Network stays; v3.1 Scope has no v4.0 counterpart).
 */
export function carryOver(
  from: CalculatorVersion,
  to: CalculatorVersion,
  selection: MetricSelection,
): MetricSelection {
  const next: Record<string, string> = {};
  for (const def of METRICS[to]) {
    const value = selection[def.key];
    const old = METRICS[from].find((d) => d.key === def.key);
    if (value !== undefined && old?.name === def.name && value in def.values) next[def.key] = value;
  }
  return next;
}
