/**
 * Scores a vector in the browser with ae-cvss-calculator, the library the server scores with, so
 * the calculator shows the number the server will store. Only a vector parseVector accepts is
 * scored: the library scores a malformed vector 0 instead of failing.
 */
import ae from 'ae-cvss-calculator';
import { parseVector, serializeVector, type CalculatorVersion } from './cvss-metrics.js';

// The package is CommonJS: its named classes hang off the default export.
const { Cvss3P1, Cvss4P0 } = ae;

export type Severity = 'None' | 'Low' | 'Medium' | 'High' | 'Critical';

export interface VectorScore {
  version: CalculatorVersion;
  /** The most specific score the vector defines (v3.1: environmental, else temporal, else base). */
  score: number;
  /** v3.1 base score; v4.0 CVSS-B (base metrics only). */
  baseScore: number;
  severity: Severity;
}

/** FIRST's qualitative bands for v3.x and v4.0. */
export function severityOf(score: number): Severity {
  if (score === 0) return 'None';
  return score < 4 ? 'Low' : score < 7 ? 'Medium' : score < 9 ? 'High' : 'Critical';
}

/** The score of a complete, valid vector; null for any other. */
export function scoreVector(vector: string): VectorScore | null {
  const parsed = parseVector(vector);
  if (parsed.version === null || parsed.problems.length > 0) return null;
  const normal = serializeVector(parsed.version, parsed.metrics);
  if (parsed.version === '3.1') {
    const s = new Cvss3P1(normal).calculateScores();
    const defines = (keys: string[]) => keys.some((k) => k in parsed.metrics);
    const base = s.base ?? 0;
    const score = defines(['CR', 'IR', 'AR', 'MAV', 'MAC', 'MPR', 'MUI', 'MS', 'MC', 'MI', 'MA'])
      ? (s.environmental ?? base)
      : defines(['E', 'RL', 'RC'])
        ? (s.temporal ?? base)
        : base;
    return { version: '3.1', score, baseScore: base, severity: severityOf(score) };
  }
  const s = new Cvss4P0(normal).calculateScores();
  const score = s.overall ?? 0;
  return { version: '4.0', score, baseScore: s.baseMetricsOnly ?? score, severity: severityOf(score) };
}
