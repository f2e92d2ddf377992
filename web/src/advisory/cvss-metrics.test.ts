import { describe, expect, it } from 'vitest';
import {
  baseMetrics,
  carryOver,
  METRICS,
  missingBaseMetrics,
  parseVector,
  serializeVector,
  type CalculatorVersion,
} from './cvss-metrics.js';
import { scoreVector, severityOf } from './cvss-score.js';
// The official vectors (FIRST's, as ../shared/standards/README.md says), read as text by Vite.
import v31Official from '../../../../shared/standards/cvss/v3.1_official.tsv?raw';
import v40Official from '../../../../shared/standards/cvss/v4.0_official.tsv?raw';

/** The rows of an official vector file: the vector, then its columns. */
function rows(text: string): string[][] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => line.split('\t'));
}

describe('CVSS metric definitions', () => {
  it('lists the specification base metrics of each version in canonical order', () => {
    expect(baseMetrics('3.1').map((d) => d.key)).toEqual(['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A']);
    expect(baseMetrics('4.0').map((d) => d.key)).toEqual([
      'AV',
      'AC',
      'AT',
      'PR',
      'UI',
      'VC',
      'VI',
      'VA',
      'SC',
      'SI',
      'SA',
    ]);
    expect(METRICS['3.1']).toHaveLength(22);
    expect(METRICS['4.0']).toHaveLength(32);
    expect(METRICS['4.0'].find((d) => d.key === 'UI')?.values).toEqual({
      N: 'None',
      P: 'Passive',
      A: 'Active',
    });
  });

  it('gives no base metric a Not Defined value', () => {
    for (const version of ['3.1', '4.0'] as const) {
      for (const def of baseMetrics(version)) expect(Object.keys(def.values)).not.toContain('X');
    }
  });
});

describe('parseVector and serializeVector', () => {
  it('reads a complete v3.1 vector and writes it back', () => {
    const vector = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
    const parsed = parseVector(vector);
    expect(parsed).toEqual({
      version: '3.1',
      metrics: { AV: 'N', AC: 'L', PR: 'N', UI: 'N', S: 'U', C: 'H', I: 'H', A: 'H' },
      problems: [],
    });
    expect(serializeVector('3.1', parsed.metrics)).toBe(vector);
  });

  it('accepts v3.1 metrics in any order and writes them in canonical order, Not Defined left out', () => {
    const parsed = parseVector(' CVSS:3.1/A:L/AV:P/AC:H/PR:L/UI:R/S:C/C:N/I:L/E:X/RL:O ');
    expect(parsed.problems).toEqual([]);
    expect(serializeVector('3.1', parsed.metrics)).toBe('CVSS:3.1/AV:P/AC:H/PR:L/UI:R/S:C/C:N/I:L/A:L/RL:O');
  });

  it('names every problem: unknown metric and value, duplicate, missing metric (a bad value is not also missing)', () => {
    const parsed = parseVector('CVSS:3.1/AV:N/AC:Q/PR:N/UI:N/S:U/C:H/C:L/ZZ:1');
    expect(parsed.version).toBe('3.1');
    expect(parsed.problems.map((p) => [p.code, p.metric])).toEqual([
      ['unknown_value', 'AC'],
      ['duplicate_metric', 'C'],
      ['unknown_metric', 'ZZ'],
      ['missing_metric', 'I'],
      ['missing_metric', 'A'],
    ]);
    expect(parsed.problems[0]?.message).toBe(
      'unknown value "Q" for Attack Complexity (AC): expected one of L, H',
    );
    // What could be read is still returned.
    expect(parsed.metrics).toEqual({ AV: 'N', PR: 'N', UI: 'N', S: 'U', C: 'H' });
  });

  it('refuses Not Defined for a base metric (reported once, not again as missing)', () => {
    expect(parseVector('CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H').problems).toEqual([
      {
        code: 'unknown_value',
        metric: 'AV',
        message: 'unknown value "X" for Attack Vector (AV): expected one of N, A, L, P',
      },
    ]);
  });

  it('refuses a missing, wrong or unsupported prefix', () => {
    expect(parseVector('AV:N/AC:L').problems[0]?.code).toBe('missing_prefix');
    expect(parseVector('cvss:3.1/AV:N').problems[0]?.code).toBe('wrong_prefix');
    expect(parseVector('CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H').problems[0]?.code).toBe(
      'unsupported_version',
    );
    expect(parseVector('   ').problems[0]?.code).toBe('empty');
    expect(parseVector('CVSS:3.1/AV').problems[0]?.code).toBe('malformed');
  });

  it('requires the specification order in v4.0 only', () => {
    const v4 = parseVector('CVSS:4.0/AV:N/AT:N/AC:L/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N');
    expect(v4.problems).toEqual([
      {
        code: 'out_of_order',
        metric: 'AC',
        message: 'metric "AC" must come before "AT" (CVSS 4.0 requires the specification\'s order)',
      },
    ]);
    expect(parseVector('CVSS:3.1/AC:L/AV:N/PR:N/UI:N/S:U/C:H/I:H/A:H').problems).toEqual([]);
  });

  it('reads the prefix alone as a vector with every base metric missing', () => {
    const parsed = parseVector('CVSS:4.0');
    expect(parsed.version).toBe('4.0');
    expect(parsed.metrics).toEqual({});
    expect(parsed.problems.every((p) => p.code === 'missing_metric')).toBe(true);
    expect(parsed.problems).toHaveLength(11);
    expect(serializeVector('4.0', {})).toBe('CVSS:4.0');
    expect(parseVector('CVSS:3.1/AV:N/').problems[0]).toEqual({
      code: 'malformed',
      message: 'an empty part: a "/" too many',
    });
  });

  it('writes a partial selection as a partial vector and lists what is missing', () => {
    const selection = { AV: 'N', PR: 'N' };
    expect(serializeVector('4.0', selection)).toBe('CVSS:4.0/AV:N/PR:N');
    expect(missingBaseMetrics('4.0', selection).map((d) => d.key)).toEqual([
      'AC',
      'AT',
      'UI',
      'VC',
      'VI',
      'VA',
      'SC',
      'SI',
      'SA',
    ]);
  });

  it('carries the shared metrics over when the version changes', () => {
    expect(carryOver('3.1', '4.0', { AV: 'N', AC: 'L', PR: 'L', UI: 'R', S: 'U', C: 'H' })).toEqual({
      AV: 'N',
      AC: 'L',
      PR: 'L',
    });
    expect(carryOver('4.0', '3.1', { AV: 'A', UI: 'N', VC: 'H' })).toEqual({ AV: 'A', UI: 'N' });
  });
});

describe('agreement with the official vectors', () => {
  const files: [string, string, CalculatorVersion, number][] = [
    ['v3.1_official.tsv', v31Official, '3.1', 1],
    ['v4.0_official.tsv', v40Official, '4.0', 1],
  ];
  for (const [file, text, version, column] of files) {
    it(`parses, writes back and scores every vector of ${file}`, () => {
      const all = rows(text);
      expect(all.length).toBeGreaterThan(1000);
      let checked = 0;
      for (const [vector = '', ...columns] of all) {
        const parsed = parseVector(vector);
        expect(parsed.problems, vector).toEqual([]);
        expect(parsed.version).toBe(version);
        // The written vector reads back to the same metrics.
        expect(parseVector(serializeVector(version, parsed.metrics)).metrics).toEqual(parsed.metrics);
        const score = scoreVector(vector);
        const expected = columns[column - 1] ?? '';
        expect(score?.[version === '3.1' ? 'baseScore' : 'score'].toFixed(1), vector).toBe(expected);
        checked++;
      }
      expect(checked).toBe(all.length);
    });
  }

  it('scores a few well-known vectors with their severity', () => {
    expect(scoreVector('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')).toMatchObject({
      score: 9.8,
      severity: 'Critical',
    });
    expect(scoreVector('CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N')).toMatchObject({
      score: 6.1,
      severity: 'Medium',
    });
    expect(scoreVector('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N')).toMatchObject({
      score: 9.3,
      severity: 'Critical',
    });
    expect(scoreVector('CVSS:3.1/AV:N/AC:L')).toBeNull();
    expect(severityOf(0)).toBe('None');
    expect(severityOf(3.9)).toBe('Low');
    expect(severityOf(7)).toBe('High');
  });
});
