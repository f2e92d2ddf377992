import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CVSS_METRICS, CVSS_VERSIONS, notDefinedValue, type CvssVersion } from './metrics.js';
import { checkCvss, parseCvss, type CvssProblemCode } from './vector-parser.js';
import { scoreCvss, severityOf } from './scores.js';

type Pair = [string, string];

interface Drawn {
  version: CvssVersion;
  /** Metrics in canonical order: every base metric, some of the others, Not Defined included. */
  pairs: Pair[];
}

function drawnFor(version: CvssVersion): fc.Arbitrary<Drawn> {
  const metrics = CVSS_METRICS[version].map((def) => {
    const pair = fc.constantFrom(...Object.keys(def.values)).map((value): Pair => [def.key, value]);
    return def.mandatory ? pair : fc.option(pair, { nil: null });
  });
  return fc
    .tuple(...metrics)
    .map((list) => ({ version, pairs: list.filter((pair): pair is Pair => pair !== null) }));
}

const drawn = fc.constantFrom(...CVSS_VERSIONS).chain(drawnFor);

function text(version: CvssVersion, pairs: readonly Pair[]): string {
  const body = pairs.map(([key, value]) => `${key}:${value}`).join('/');
  return version === '2.0' ? body : `CVSS:${version}/${body}`;
}

function codesOf(vector: string): CvssProblemCode[] {
  const result = checkCvss(vector);
  return result.ok ? [] : result.problems.map((p) => p.code);
}

const RUNS = { numRuns: 300 };

describe('vector parser properties', () => {
  it('every valid vector parses; its normal form parses to itself with the same metrics and scores', () => {
    fc.assert(
      fc.property(drawn, ({ version, pairs }) => {
        const parsed = parseCvss(text(version, pairs));
        const defined = pairs.filter(([, value]) => value !== notDefinedValue(version));
        expect(Object.entries(parsed.metrics)).toEqual(defined);
        expect(parsed.vector).toBe(text(version, defined));
        const again = parseCvss(parsed.vector);
        expect(again.vector).toBe(parsed.vector);
        expect(again.metrics).toEqual(parsed.metrics);
        const result = scoreCvss(parsed);
        expect(result.score).toBeGreaterThanOrEqual(0);
        expect(result.score).toBeLessThanOrEqual(10);
        expect(Number(result.score.toFixed(1))).toBe(result.score);
        expect(result.severity).toBe(severityOf(result.score, version));
      }),
      RUNS,
    );
  });

  it('v2.0 and v3.x accept any order and normalise it away', () => {
    const shuffled = fc
      .constantFrom<CvssVersion>('2.0', '3.0', '3.1')
      .chain(drawnFor)
      .chain((d) =>
        fc.shuffledSubarray(d.pairs, { minLength: d.pairs.length }).map((order) => ({ ...d, order })),
      );
    fc.assert(
      fc.property(shuffled, ({ version, pairs, order }) => {
        expect(parseCvss(text(version, order)).vector).toBe(parseCvss(text(version, pairs)).vector);
        expect(scoreCvss(text(version, order))).toEqual(scoreCvss(text(version, pairs)));
      }),
      RUNS,
    );
  });

  it('v4.0 refuses two metrics swapped out of canonical order', () => {
    const swapped = drawnFor('4.0').chain((d) =>
      fc
        .tuple(fc.nat(d.pairs.length - 1), fc.nat(d.pairs.length - 1))
        .filter(([i, j]) => i < j)
        .map(([i, j]) => ({ ...d, i, j })),
    );
    fc.assert(
      fc.property(swapped, ({ pairs, i, j }) => {
        const order = [...pairs];
        [order[i], order[j]] = [pairs[j] as Pair, pairs[i] as Pair];
        expect(codesOf(text('4.0', order))).toContain('out_of_order');
        expect(codesOf(text('4.0', order)).every((code) => code === 'out_of_order')).toBe(true);
      }),
      RUNS,
    );
  });

  it('a vector missing one base metric is refused for exactly that metric', () => {
    const dropped = drawn.chain((d) => {
      const base = CVSS_METRICS[d.version].filter((def) => def.mandatory).map((def) => def.key);
      return fc.constantFrom(...base).map((key) => ({ ...d, key }));
    });
    fc.assert(
      fc.property(dropped, ({ version, pairs, key }) => {
        const result = checkCvss(
          text(
            version,
            pairs.filter(([k]) => k !== key),
          ),
        );
        expect(result.ok ? [] : result.problems.map((p) => [p.code, p.metric])).toEqual([
          ['missing_metric', key],
        ]);
      }),
      RUNS,
    );
  });

  it('a metric given twice is refused as a duplicate, whatever the second value', () => {
    const doubled = drawn.chain((d) =>
      fc.constantFrom(...d.pairs).chain(([key]) => {
        const def = CVSS_METRICS[d.version].find((m) => m.key === key);
        return fc
          .constantFrom(...Object.keys(def?.values ?? {}))
          .map((value) => ({ ...d, extra: [key, value] as Pair }));
      }),
    );
    fc.assert(
      fc.property(doubled, ({ version, pairs, extra }) => {
        const result = checkCvss(text(version, [...pairs, extra]));
        expect(result.ok ? [] : result.problems.map((p) => [p.code, p.metric])).toEqual([
          ['duplicate_metric', extra[0]],
        ]);
      }),
      RUNS,
    );
  });

  it('never throws on arbitrary input, and every refusal has a code and a bounded message', () => {
    const alphabet = fc.constantFrom(...'CVSS:/.0134AVNLPHXUDEMRCIS vx\u0000é'.split(''));
    const input = fc.oneof(fc.string({ unit: alphabet, maxLength: 120 }), fc.string({ maxLength: 400 }));
    fc.assert(
      fc.property(input, (vector) => {
        const result = checkCvss(vector);
        if (result.ok) return;
        expect(result.problems.length).toBeGreaterThan(0);
        expect(result.problems.length).toBeLessThanOrEqual(12);
        for (const problem of result.problems) {
          expect(problem.message.length).toBeGreaterThan(0);
          expect(problem.message.length).toBeLessThan(300);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
