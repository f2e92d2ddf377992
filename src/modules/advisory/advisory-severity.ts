/**
 * The scores of an advisory's CVSS vectors and its overall severity. The team's score is final:
 * Vigil never recomputes a severity of its own, it only picks which of the team's vectors speaks
 * for the advisory.
 */
import { checkCvss } from '../../lib/cvss/vector-parser.js';
import { scoreCvss, type CvssSeverity } from '../../lib/cvss/scores.js';
import type { CvssVersion } from '../../lib/cvss/metrics.js';

export interface ScoredVector {
  /** The vector as the team wrote it. */
  vector: string;
  /** The parser's normal form (prefix, then the defined metrics in canonical order). */
  normalized: string;
  version: CvssVersion;
  score: number;
  severity: CvssSeverity;
}

/** Newer CVSS versions speak for the advisory over older ones. */
const VERSION_RANK: Record<CvssVersion, number> = { '4.0': 4, '3.1': 3, '3.0': 2, '2.0': 1 };

/**
 * Scores each vector of `severity.cvss`, in the document's order. A vector the parser refuses
 * (only possible in revisions saved before vectors were validated) is left out rather than scored 0.
 */
export function scoreVectors(doc: { severity: { cvss: { vector: string }[] } }): ScoredVector[] {
  return doc.severity.cvss.flatMap(({ vector }) => {
    const scored = scoreOf(vector);
    return scored ? [{ ...scored }] : [];
  });
}

/**
 * A vector's score is a pure function of its text: kept for the vectors seen last (parsing and
 * scoring cost about 0.2 ms per advisory read in issue 12's profile), at most SCORE_CACHE_SIZE.
 */
const scores = new Map<string, ScoredVector | null>();
const SCORE_CACHE_SIZE = 2000;

function scoreOf(vector: string): ScoredVector | null {
  const cached = scores.get(vector);
  if (cached !== undefined) return cached;
  const check = checkCvss(vector);
  let scored: ScoredVector | null = null;
  if (check.ok) {
    const s = scoreCvss(check.parsed);
    scored = { vector, normalized: s.vector, version: s.version, score: s.score, severity: s.severity };
  }
  if (scores.size >= SCORE_CACHE_SIZE) {
    const oldest = scores.keys().next().value;
    if (oldest !== undefined) scores.delete(oldest);
  }
  scores.set(vector, scored);
  return scored;
}

/**
 * The vector that gives the advisory its severity: the one of the highest CVSS version the team
 * entered (v4.0 over v3.1 over v3.0 over v2.0), the first of that version if several; null without
 * any. Not the highest score: the team chose each vector, and the newest standard is the one
 * readers compare.
 */
export function overallSeverity(scored: readonly ScoredVector[]): ScoredVector | null {
  let best: ScoredVector | null = null;
  for (const s of scored) {
    if (!best || VERSION_RANK[s.version] > VERSION_RANK[best.version]) best = s;
  }
  return best;
}
