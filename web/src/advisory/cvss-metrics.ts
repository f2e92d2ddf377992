/**
 * What the CVSS calculator needs on top of the server's metric tables and parser
 * (src/lib/cvss/metrics.ts and vector-parser.ts, shared pure modules the web imports): the
 * restriction to the versions the calculator edits (3.1 and 4.0), `parseVector` (which reads
 * the metrics of a vector that lacks only some base metrics, so a half-typed vector still moves
 * the buttons), `serializeVector`, and the helpers of its selection state.
 */
import {
  CVSS_METRICS,
  type CvssMetricDefinition,
  type CvssMetricGroup,
} from '../../../src/lib/cvss/metrics.js';
import { checkCvss, type CvssProblem } from '../../../src/lib/cvss/vector-parser.js';

/** The CVSS versions the calculator edits. Older vectors (2.0, 3.0) come only from imports. */
export const CALCULATOR_VERSIONS = ['3.1', '4.0'] as const;
export type CalculatorVersion = (typeof CALCULATOR_VERSIONS)[number];

export type MetricGroup = CvssMetricGroup;
export type MetricDefinition = CvssMetricDefinition;
export type VectorProblem = CvssProblem;

/** The choices in the calculator: metric abbreviation -> value abbreviation. */
export type MetricSelection = Readonly<Record<string, string>>;

/** "Not Defined": the value of every non-base metric that scores as if it were absent (v3.1, v4.0). */
export const NOT_DEFINED = 'X';

/** Each calculator version's metrics in canonical order. */
export const METRICS: Readonly<Record<CalculatorVersion, readonly MetricDefinition[]>> = CVSS_METRICS;

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
  return METRICS[version].filter((d) => d.mandatory);
}

export interface ParsedVector {
  /** Null when the prefix names no version the calculator edits. */
  version: CalculatorVersion | null;
  /** The metrics read (even from a vector with problems), Not Defined ones left out. */
  metrics: MetricSelection;
  /** Empty when the vector is complete and valid. */
  problems: VectorProblem[];
}

/**
 * Reads a vector string with the server's parser, once its prefix names a version the
 * calculator edits. Every problem is listed, and the metrics that could be read are returned
 * even then, so the caller decides whether a vector with only missing metrics is worth applying.
 */
export function parseVector(input: string): ParsedVector {
  const text = input.trim();
  const version = CALCULATOR_VERSIONS.find((v) => text === `CVSS:${v}` || text.startsWith(`CVSS:${v}/`));
  if (version === undefined) return { version: null, metrics: {}, problems: [prefixProblem(text)] };
  const check = checkCvss(text);
  if (check.ok) return { version, metrics: check.parsed.metrics, problems: [] };
  return { version, metrics: readableMetrics(version, text), problems: check.problems };
}

/** Why a vector's prefix is not one the calculator edits, in the calculator's words. */
function prefixProblem(text: string): VectorProblem {
  if (text === '') return { code: 'empty', message: 'the vector is empty' };
  const named = /^CVSS:(\d+\.\d+)(?:\/|$)/.exec(text)?.[1];
  if (named !== undefined) {
    return {
      code: 'unsupported_version',
      message: `CVSS ${named} is not edited here: the calculator takes "CVSS:3.1/" and "CVSS:4.0/" vectors`,
    };
  }
  if (/^CVSS:/i.test(text)) {
    return {
      code: 'wrong_prefix',
      message: 'the vector must start with "CVSS:3.1/" or "CVSS:4.0/" (case matters)',
    };
  }
  return {
    code: 'missing_prefix',
    message: 'the vector has no version prefix: start it with "CVSS:3.1/" or "CVSS:4.0/"',
  };
}

/** The metrics of a vector with problems that can still be read: known, valid, first occurrence. */
function readableMetrics(version: CalculatorVersion, text: string): MetricSelection {
  const metrics: Record<string, string> = {};
  const seen = new Set<string>();
  for (const segment of text.split('/').slice(1)) {
    const [key = '', value = '', ...extra] = segment.split(':');
    const def = METRICS[version].find((d) => d.key === key);
    if (!def || seen.has(key)) continue;
    seen.add(key);
    if (extra.length === 0 && Object.hasOwn(def.values, value) && value !== NOT_DEFINED) metrics[key] = value;
  }
  return metrics;
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
