/**
 * The strict CVSS vector parser. The scoring library scores a malformed vector 0 instead of
 * failing, so every vector is validated here first and only a `ParsedCvss` (which nothing else
 * can construct) reaches the scores.
 *
 * What is enforced, per the specifications:
 * - Prefix: `CVSS:3.0/`, `CVSS:3.1/`, `CVSS:4.0/`, exactly (case-sensitive). v2.0 vectors have
 *   none; a bare vector with v3/v4 metrics is reported as a missing prefix, `CVSS:2.0/` as wrong.
 * - Every segment is `METRIC:VALUE` with a metric and a value of that version, case-sensitive;
 *   each metric at most once; every base metric present. Base metrics have no Not Defined value.
 * - Order: only v4.0 requires one. Its specification (§7) says "A vector string must contain
 *   metrics in the order shown in Table 23, every other ordering is invalid", FIRST's calculator
 *   (cvss40.js) refuses other orders, and the FIRST v4.0 JSON schema used by CVE 5 and CSAF only
 *   matches that order. v3.0 and v3.1 say programs "must accept metrics in any order" (and the
 *   official v3.0 vectors include one out of order). The v2.0 guide only describes "a
 *   predetermined order", and FIRST's v2.0 JSON schema accepts any order, so v2.0 accepts any.
 * - Input: at most MAX_CVSS_VECTOR_LENGTH characters (the longest valid vector, v4.0 with every
 *   metric, is about 200), printable ASCII without spaces; surrounding whitespace is trimmed.
 *
 * The normalised vector lists the defined metrics in canonical order and leaves out the Not
 * Defined ones (`X`, `ND`), which score as if absent: vectors that mean the same normalise alike.
 */
import { ValidationError } from '../errors.js';
import {
  CVSS_METRICS,
  CVSS_VERSIONS,
  notDefinedValue,
  type CvssMetricDefinition,
  type CvssVersion,
} from './metrics.js';

export const MAX_CVSS_VECTOR_LENGTH = 300;

/** A stable machine code for each way a vector can be wrong. */
export type CvssProblemCode =
  | 'empty'
  | 'too_long'
  | 'malformed'
  | 'missing_prefix'
  | 'wrong_prefix'
  | 'unsupported_version'
  | 'unknown_metric'
  | 'unknown_value'
  | 'duplicate_metric'
  | 'missing_metric'
  | 'out_of_order';

export interface CvssProblem {
  code: CvssProblemCode;
  /** Written for the user; names the metric when there is one. */
  message: string;
  /** The metric abbreviation concerned, when there is one. */
  metric?: string;
}

const TOKEN: unique symbol = Symbol('ParsedCvss');

/**
 * A vector that passed validation. Only this module can create one (the constructor needs a
 * module-private token, and the private field makes the type nominal), so a value of this type
 * is proof that the vector was checked.
 */
export class ParsedCvss {
  readonly #checked = true;
  /** The defined metrics (Not Defined ones left out), in canonical order: `{ AV: 'N', ... }`. */
  readonly metrics: Readonly<Record<string, string>>;

  constructor(
    token: typeof TOKEN,
    readonly version: CvssVersion,
    metrics: Record<string, string>,
    /** The normalised vector: prefix, then the defined metrics in canonical order. */
    readonly vector: string,
  ) {
    if (token !== TOKEN) throw new Error('ParsedCvss is created by parseCvss only');
    this.metrics = Object.freeze(metrics);
  }

  /** True for a ParsedCvss made by this module (a runtime check for callers without types). */
  static isParsed(value: unknown): value is ParsedCvss {
    return typeof value === 'object' && value !== null && #checked in value;
  }
}

export type CvssCheck = { ok: true; parsed: ParsedCvss } | { ok: false; problems: CvssProblem[] };

/** The error for a malformed vector: a ValidationError whose issues carry each problem's message. */
export class InvalidCvssVectorError extends ValidationError {
  constructor(
    readonly problems: readonly CvssProblem[],
    path = 'vector',
  ) {
    const shown = problems.slice(0, 3).map((p) => p.message);
    const more = problems.length > 3 ? ` (and ${problems.length - 3} more)` : '';
    super(
      `Invalid CVSS vector: ${shown.join('; ')}${more}.`,
      problems.map((p) => ({ path, message: p.message })),
    );
  }
}

interface VersionTable {
  readonly byKey: ReadonlyMap<string, { def: CvssMetricDefinition; index: number }>;
  readonly defs: readonly CvssMetricDefinition[];
}

const TABLES = new Map<CvssVersion, VersionTable>(
  CVSS_VERSIONS.map((version) => {
    const defs = CVSS_METRICS[version];
    return [version, { defs, byKey: new Map(defs.map((def, index) => [def.key, { def, index }])) }];
  }),
);

function tableOf(version: CvssVersion): VersionTable {
  const table = TABLES.get(version);
  if (!table) throw new Error(`no metric table for CVSS ${version}`);
  return table;
}

const PREFIXED_VERSIONS: readonly CvssVersion[] = ['3.0', '3.1', '4.0'];
const MAX_PROBLEMS = 12;

/** Quotes a piece of user input for a message, shortened so a message stays bounded. */
function quote(text: string): string {
  return JSON.stringify(text.length > 24 ? `${text.slice(0, 24)}…` : text);
}

/** Validates a vector and says exactly what is wrong with it; never throws. */
export function checkCvss(input: string): CvssCheck {
  if (input.length > MAX_CVSS_VECTOR_LENGTH) {
    return fail({
      code: 'too_long',
      message: `the vector is ${input.length} characters long; the limit is ${MAX_CVSS_VECTOR_LENGTH}`,
    });
  }
  const text = input.trim();
  if (text === '') return fail({ code: 'empty', message: 'the vector is empty' });
  if (!/^[\x21-\x7e]+$/.test(text)) {
    return fail({
      code: 'malformed',
      message: 'a vector has only printable ASCII characters and no spaces',
    });
  }
  const segments = text.split('/');
  const prefix = readPrefix(segments[0] ?? '');
  if ('problem' in prefix) return fail(prefix.problem);
  const metricSegments = prefix.version === null ? segments : segments.slice(1);
  if (prefix.version === null) {
    const bare = detectMissingPrefix(metricSegments);
    if (bare) return fail(bare);
  }
  return readMetrics(prefix.version ?? '2.0', metricSegments);
}

/**
 * Validates a vector and returns it parsed and normalised. Throws InvalidCvssVectorError (a
 * ValidationError whose issues are at `path`) listing every problem found.
 */
export function parseCvss(input: string, { path = 'vector' }: { path?: string } = {}): ParsedCvss {
  const result = checkCvss(input);
  if (!result.ok) throw new InvalidCvssVectorError(result.problems, path);
  return result.parsed;
}

function fail(...problems: CvssProblem[]): CvssCheck {
  return { ok: false, problems };
}

type PrefixResult = { version: CvssVersion | null } | { problem: CvssProblem };

/** Reads `CVSS:x.y` from the first segment; `version: null` means no prefix (a v2.0 vector). */
function readPrefix(first: string): PrefixResult {
  if (!/^cvss/i.test(first)) return { version: null };
  const expected = 'write "CVSS:3.1/", "CVSS:3.0/" or "CVSS:4.0/"';
  if (!first.startsWith('CVSS:')) {
    return {
      problem: { code: 'wrong_prefix', message: `${quote(first)} is not a version prefix: ${expected}` },
    };
  }
  const version = first.slice('CVSS:'.length);
  if (version === '2.0') {
    return {
      problem: {
        code: 'wrong_prefix',
        message: 'CVSS v2.0 vectors have no prefix: remove "CVSS:2.0/" (AV:N/AC:L/Au:N/C:P/I:P/A:P)',
      },
    };
  }
  const known = PREFIXED_VERSIONS.find((v) => v === version);
  if (known) return { version: known };
  if (!/^\d+\.\d+$/.test(version)) {
    return {
      problem: {
        code: 'wrong_prefix',
        message: `${quote(first)} is not a version prefix ("/" must follow it): ${expected}`,
      },
    };
  }
  return {
    problem: {
      code: 'unsupported_version',
      message: `CVSS version ${quote(version)} is not supported: Vigil reads 2.0, 3.0, 3.1 and 4.0`,
    },
  };
}

/** A bare vector is v2.0, unless it names metrics that only v3 or v4 have. */
function detectMissingPrefix(segments: readonly string[]): CvssProblem | null {
  const v2 = tableOf('2.0').byKey;
  const later = segments
    .map((segment) => segment.split(':')[0] ?? '')
    .filter((key) => !v2.has(key) && (tableOf('3.1').byKey.has(key) || tableOf('4.0').byKey.has(key)));
  if (later.length === 0) return null;
  return {
    code: 'missing_prefix',
    message: `the vector has no version prefix but uses ${quote(later[0] ?? '')}, which only CVSS v3 and v4 have: start it with "CVSS:3.1/", "CVSS:3.0/" or "CVSS:4.0/" (only v2.0 vectors have no prefix)`,
  };
}

/** Where else an unknown metric exists, to hint at a wrong prefix. */
function otherVersionsWith(key: string, version: CvssVersion): CvssVersion[] {
  return (['2.0', '3.1', '4.0'] as const).filter(
    (v) => v !== version && !(v === '3.1' && version === '3.0') && tableOf(v).byKey.has(key),
  );
}

function readMetrics(version: CvssVersion, segments: readonly string[]): CvssCheck {
  const table = tableOf(version);
  const problems: CvssProblem[] = [];
  const seen = new Map<string, string>();
  let previous: { key: string; index: number } | null = null;

  for (const segment of segments) {
    if (problems.length >= MAX_PROBLEMS) break;
    const pair = /^([^:]+):([^:]+)$/.exec(segment);
    if (!pair) {
      problems.push({
        code: 'malformed',
        message:
          segment === ''
            ? 'empty metric: two "/" in a row, or a "/" at the start or end'
            : `${quote(segment)} is not a METRIC:VALUE pair`,
      });
      continue;
    }
    const key = pair[1] ?? '';
    const value = pair[2] ?? '';
    const entry = table.byKey.get(key);
    if (!entry) {
      const elsewhere = otherVersionsWith(key, version);
      const hint =
        elsewhere.length > 0
          ? ` (a CVSS ${elsewhere.join('/')} metric: is the version prefix right?)`
          : ` for CVSS ${version}`;
      problems.push({ code: 'unknown_metric', metric: key, message: `unknown metric ${quote(key)}${hint}` });
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
    seen.set(key, value);
    if (!Object.hasOwn(entry.def.values, value)) {
      problems.push({
        code: 'unknown_value',
        metric: key,
        message: `unknown value ${quote(value)} for metric "${key}" (${entry.def.name}): expected one of ${Object.keys(entry.def.values).join(', ')}`,
      });
    }
    if (version === '4.0') {
      if (previous && entry.index < previous.index) {
        problems.push({
          code: 'out_of_order',
          metric: key,
          message: `metric "${key}" must come before "${previous.key}" (CVSS v4.0 requires the specification's metric order)`,
        });
      } else {
        previous = { key, index: entry.index };
      }
    }
  }

  for (const def of table.defs) {
    if (def.mandatory && !seen.has(def.key) && problems.length < MAX_PROBLEMS) {
      problems.push({
        code: 'missing_metric',
        metric: def.key,
        message: `missing mandatory base metric "${def.key}" (${def.name})`,
      });
    }
  }
  if (problems.length > 0) return { ok: false, problems };

  const notDefined = notDefinedValue(version);
  const metrics: Record<string, string> = {};
  for (const def of table.defs) {
    const value = seen.get(def.key);
    if (value !== undefined && value !== notDefined) metrics[def.key] = value;
  }
  const body = Object.entries(metrics)
    .map(([key, value]) => `${key}:${value}`)
    .join('/');
  const vector = version === '2.0' ? body : `CVSS:${version}/${body}`;
  return { ok: true, parsed: new ParsedCvss(TOKEN, version, metrics, vector) };
}
