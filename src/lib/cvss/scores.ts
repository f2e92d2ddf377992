/**
 * Scores of a validated vector. v3.0, v3.1 and v4.0 are computed by ae-cvss-calculator (which
 * matches every official vector of those versions); v2.0 by ./cvss2-equations.ts (see there why).
 */
import type ae from 'ae-cvss-calculator';
import { ValidationError } from '../errors.js';
import { CVSS_METRICS, type CvssMetricGroup, type CvssVersion } from './metrics.js';
import { ParsedCvss, parseCvss } from './vector-parser.js';
import { scoreCvss2 } from './cvss2-equations.js';
import { lazyRequire } from '../lazy.js';

// The package is CommonJS built by webpack; it loads at the first score, not at start.
const calculators = lazyRequire<typeof ae>('ae-cvss-calculator');

export type CvssSeverity = 'none' | 'low' | 'medium' | 'high' | 'critical';

export interface CvssScore {
  version: CvssVersion;
  /** The normalised vector (see vector-parser.ts). */
  vector: string;
  /** v2/v3: the base score. v4.0: the CVSS-B score (base metrics only). */
  baseScore: number;
  /**
   * Present when the vector defines a temporal (v4.0: threat) metric. v2/v3: the temporal score.
   * v4.0: the CVSS-BT score (base and threat metrics only).
   */
  temporalScore?: number;
  /**
   * Present when the vector defines an environmental metric. v2/v3: the environmental score
   * (which includes the temporal metrics). v4.0: the CVSS-BE or CVSS-BTE score, i.e. `score`.
   */
  environmentalScore?: number;
  /** The most specific score the vector defines: environmental, else temporal, else base. */
  score: number;
  /** The band of `score` (severityOf). */
  severity: CvssSeverity;
}

/**
 * Validates and scores a vector. A string is parsed first and a malformed one throws
 * InvalidCvssVectorError (a ValidationError at `path`); a ParsedCvss is already valid.
 */
export function scoreCvss(
  input: string | ParsedCvss,
  { path = 'vector' }: { path?: string } = {},
): CvssScore {
  if (typeof input !== 'string' && !ParsedCvss.isParsed(input)) {
    throw new TypeError('scoreCvss takes a vector string or a ParsedCvss from parseCvss');
  }
  const parsed = typeof input === 'string' ? parseCvss(input, { path }) : input;
  const scores = computeScores(parsed);
  const score = scores.environmental ?? scores.temporal ?? scores.base;
  return {
    version: parsed.version,
    vector: parsed.vector,
    baseScore: scores.base,
    ...(scores.temporal !== undefined ? { temporalScore: scores.temporal } : {}),
    ...(scores.environmental !== undefined ? { environmentalScore: scores.environmental } : {}),
    score,
    severity: severityOf(score, parsed.version),
  };
}

/**
 * The qualitative band of a score. v3.0, v3.1 and v4.0 use FIRST's scale (0 none, 0.1-3.9 low,
 * 4.0-6.9 medium, 7.0-8.9 high, 9.0-10.0 critical). The v2.0 guide defines no bands; NVD's are
 * used (0-3.9 low, 4.0-6.9 medium, 7.0-10.0 high), so a v2.0 score is never "none" or "critical".
 * Throws ValidationError (at `score`) outside 0..10.
 */
export function severityOf(score: number, version: CvssVersion): CvssSeverity {
  if (!Number.isFinite(score) || score < 0 || score > 10) {
    throw new ValidationError(`A CVSS score is between 0.0 and 10.0, got ${score}.`, [
      { path: 'score', message: 'must be between 0.0 and 10.0' },
    ]);
  }
  if (version === '2.0') return score < 4 ? 'low' : score < 7 ? 'medium' : 'high';
  if (score === 0) return 'none';
  return score < 4 ? 'low' : score < 7 ? 'medium' : score < 9 ? 'high' : 'critical';
}

interface GroupScores {
  base: number;
  temporal?: number | undefined;
  environmental?: number | undefined;
}

function defines(parsed: ParsedCvss, group: CvssMetricGroup): boolean {
  return CVSS_METRICS[parsed.version].some((def) => def.group === group && def.key in parsed.metrics);
}

function required(value: number | undefined, what: string, parsed: ParsedCvss): number {
  // A validated vector always has its base metrics, so the library always returns these.
  if (value === undefined) throw new Error(`ae-cvss-calculator gave no ${what} score for ${parsed.vector}`);
  return value;
}

function computeScores(parsed: ParsedCvss): GroupScores {
  switch (parsed.version) {
    case '2.0':
      return scoreCvss2(parsed.metrics);
    case '3.0':
    case '3.1': {
      const { Cvss3P0, Cvss3P1 } = calculators();
      const calculator = parsed.version === '3.0' ? new Cvss3P0(parsed.vector) : new Cvss3P1(parsed.vector);
      const s = calculator.calculateScores();
      return {
        base: required(s.base, 'base', parsed),
        temporal: defines(parsed, 'temporal') ? required(s.temporal, 'temporal', parsed) : undefined,
        environmental: defines(parsed, 'environmental')
          ? required(s.environmental, 'environmental', parsed)
          : undefined,
      };
    }
    case '4.0': {
      // The library scores CVSS-B as `baseMetricsOnly`, CVSS-BT as `threat` and the full vector as
      // `overall`; its `environmental` is CVSS-BE, which leaves threat metrics out.
      const { Cvss4P0 } = calculators();
      const s = new Cvss4P0(parsed.vector).calculateScores();
      return {
        base: required(s.baseMetricsOnly, 'base', parsed),
        temporal: defines(parsed, 'threat') ? required(s.threat, 'threat', parsed) : undefined,
        environmental: defines(parsed, 'environmental') ? s.overall : undefined,
      };
    }
  }
}
