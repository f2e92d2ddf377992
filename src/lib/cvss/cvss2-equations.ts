/**
 * CVSS v2.0 equations (guide §3.2), computed here rather than by ae-cvss-calculator: that library
 * multiplies in binary floating point and rounds 9.0 x 0.95 = 8.549999... down to 8.5 where the
 * guide's decimal arithmetic (and NVD, and the official vectors) give 8.6; it also rounds the
 * exploitability sub-score inside the adjusted base score, which the guide does not. Each rounding
 * here first snaps the product to 12 significant digits, so float noise cannot move a value across
 * a .x5 boundary; the official v2.0 vectors check every path.
 */

const WEIGHTS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  AV: { L: 0.395, A: 0.646, N: 1.0 },
  AC: { H: 0.35, M: 0.61, L: 0.71 },
  Au: { M: 0.45, S: 0.56, N: 0.704 },
  C: { N: 0.0, P: 0.275, C: 0.66 },
  I: { N: 0.0, P: 0.275, C: 0.66 },
  A: { N: 0.0, P: 0.275, C: 0.66 },
  E: { U: 0.85, POC: 0.9, F: 0.95, H: 1.0, ND: 1.0 },
  RL: { OF: 0.87, TF: 0.9, W: 0.95, U: 1.0, ND: 1.0 },
  RC: { UC: 0.9, UR: 0.95, C: 1.0, ND: 1.0 },
  CDP: { N: 0, L: 0.1, LM: 0.3, MH: 0.4, H: 0.5, ND: 0 },
  TD: { N: 0, L: 0.25, M: 0.75, H: 1.0, ND: 1.0 },
  CR: { L: 0.5, M: 1.0, H: 1.51, ND: 1.0 },
  IR: { L: 0.5, M: 1.0, H: 1.51, ND: 1.0 },
  AR: { L: 0.5, M: 1.0, H: 1.51, ND: 1.0 },
};

const TEMPORAL = ['E', 'RL', 'RC'];
const ENVIRONMENTAL = ['CDP', 'TD', 'CR', 'IR', 'AR'];

export interface Cvss2Scores {
  base: number;
  /** Present when the vector defines a temporal metric. */
  temporal?: number;
  /** Present when the vector defines an environmental metric. */
  environmental?: number;
}

/** The guide's round_to_1_decimal (half up), on the decimal value the product stands for. */
function round1(value: number): number {
  return Math.floor(Number((value * 10).toPrecision(12)) + 0.5) / 10;
}

/** Scores validated v2.0 metrics (Not Defined ones absent). */
export function scoreCvss2(metrics: Readonly<Record<string, string>>): Cvss2Scores {
  const w = (key: string): number => {
    const value = WEIGHTS[key]?.[metrics[key] ?? 'ND'];
    if (value === undefined) throw new Error(`CVSS v2.0: no weight for ${key}:${metrics[key] ?? 'ND'}`);
    return value;
  };
  const exploitability = 20 * w('AV') * w('AC') * w('Au');
  // The guide's equation goes below zero for an adjusted impact it never meets in a base vector
  // (a low requirement on the only affected property: AV:L/AC:H/Au:M/C:N/I:P/A:N/IR:L gives -0.2);
  // a score is 0.0 to 10.0, so it stops at 0.0.
  const baseEquation = (impact: number): number =>
    Math.max(0, round1((0.6 * impact + 0.4 * exploitability - 1.5) * (impact === 0 ? 0 : 1.176)));
  const temporalOf = (base: number): number => round1(base * w('E') * w('RL') * w('RC'));

  const impact = 10.41 * (1 - (1 - w('C')) * (1 - w('I')) * (1 - w('A')));
  const base = baseEquation(impact);
  const scores: Cvss2Scores = { base };
  if (TEMPORAL.some((key) => key in metrics)) scores.temporal = temporalOf(base);
  if (ENVIRONMENTAL.some((key) => key in metrics)) {
    const adjustedImpact = Math.min(
      10,
      10.41 * (1 - (1 - w('C') * w('CR')) * (1 - w('I') * w('IR')) * (1 - w('A') * w('AR'))),
    );
    const adjustedTemporal = temporalOf(baseEquation(adjustedImpact));
    scores.environmental = round1((adjustedTemporal + (10 - adjustedTemporal) * w('CDP')) * w('TD'));
  }
  return scores;
}
