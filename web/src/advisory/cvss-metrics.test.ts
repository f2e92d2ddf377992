import { describe, expect, it } from 'vitest';
import {
  baseMetrics,
  carryOver,
  groupsOf,
  missingBaseMetrics,
  parseVector,
  serializeVector,
  type CalculatorVersion,
} from './cvss-metrics.js';
import { scoreVector, severityOf, type Severity } from './cvss-score.js';
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

describe('parseVector and serializeVector', () => {
  it('reads a complete v3.1 vector and writes it back in canonical order, Not Defined left out', () => {
    const parsed = parseVector(' CVSS:3.1/A:L/AV:P/AC:H/PR:L/UI:R/S:C/C:N/I:L/E:X/RL:O ');
    expect(parsed).toEqual({
      version: '3.1',
      metrics: { AV: 'P', AC: 'H', PR: 'L', UI: 'R', S: 'C', C: 'N', I: 'L', A: 'L', RL: 'O' },
      problems: [],
    });
    expect(serializeVector('3.1', parsed.metrics)).toBe('CVSS:3.1/AV:P/AC:H/PR:L/UI:R/S:C/C:N/I:L/A:L/RL:O');
  });

  it('still returns the metrics it could read from a vector with problems', () => {
    const parsed = parseVector('CVSS:3.1/AV:N/AC:Q/PR:N/UI:N/S:U/C:H/C:L/ZZ:1/E:X');
    expect(parsed.version).toBe('3.1');
    expect(parsed.problems.map((p) => [p.code, p.metric])).toEqual([
      ['unknown_value', 'AC'],
      ['duplicate_metric', 'C'],
      ['unknown_metric', 'ZZ'],
      ['missing_metric', 'I'],
      ['missing_metric', 'A'],
    ]);
    expect(parsed.metrics).toEqual({ AV: 'N', PR: 'N', UI: 'N', S: 'U', C: 'H' });
  });

  it('edits only v3.1 and v4.0, and says so in its own words', () => {
    const refused = (vector: string) => {
      const parsed = parseVector(vector);
      expect(parsed.version, vector).toBeNull();
      expect(parsed.metrics).toEqual({});
      return parsed.problems;
    };
    expect(refused('CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')).toEqual([
      {
        code: 'unsupported_version',
        message: 'CVSS 3.0 is not edited here: the calculator takes "CVSS:3.1/" and "CVSS:4.0/" vectors',
      },
    ]);
    // A complete v2.0 vector, which the server reads, has no prefix: the calculator asks for one.
    expect(refused('AV:N/AC:L/Au:N/C:P/I:P/A:P').map((p) => p.code)).toEqual(['missing_prefix']);
    expect(refused('CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P').map((p) => p.code)).toEqual([
      'unsupported_version',
    ]);
    expect(refused('cvss:3.1/AV:N').map((p) => p.code)).toEqual(['wrong_prefix']);
    expect(refused('CVSS:3.1AV:N').map((p) => p.code)).toEqual(['wrong_prefix']);
    expect(refused('CVSS:3.10/AV:N').map((p) => p.code)).toEqual(['unsupported_version']);
    expect(refused('   ').map((p) => p.code)).toEqual(['empty']);
  });

  it('reads the prefix alone as a vector with every base metric missing', () => {
    const parsed = parseVector('CVSS:4.0');
    expect(parsed.version).toBe('4.0');
    expect(parsed.metrics).toEqual({});
    expect(parsed.problems.map((p) => p.metric)).toEqual(baseMetrics('4.0').map((d) => d.key));
    expect(parsed.problems.every((p) => p.code === 'missing_metric')).toBe(true);
    expect(serializeVector('4.0', {})).toBe('CVSS:4.0');
  });

  it('writes a partial selection as a partial vector, which reads back with only missing metrics', () => {
    const selection = { AV: 'N', PR: 'N', E: 'X' };
    const vector = serializeVector('4.0', selection);
    expect(vector).toBe('CVSS:4.0/AV:N/PR:N');
    const missing = missingBaseMetrics('4.0', selection).map((d) => d.key);
    expect(missing).toEqual(['AC', 'AT', 'UI', 'VC', 'VI', 'VA', 'SC', 'SI', 'SA']);
    const parsed = parseVector(vector);
    expect(parsed.metrics).toEqual({ AV: 'N', PR: 'N' });
    expect(parsed.problems.map((p) => p.metric)).toEqual(missing);
  });

  it('carries the shared metrics over when the version changes', () => {
    expect(carryOver('3.1', '4.0', { AV: 'N', AC: 'L', PR: 'L', UI: 'R', S: 'U', C: 'H' })).toEqual({
      AV: 'N',
      AC: 'L',
      PR: 'L',
    });
    expect(carryOver('4.0', '3.1', { AV: 'A', UI: 'N', VC: 'H' })).toEqual({ AV: 'A', UI: 'N' });
  });

  it('groups the metrics as the specification does', () => {
    expect(groupsOf('3.1')).toEqual(['base', 'temporal', 'environmental']);
    expect(groupsOf('4.0')).toEqual(['base', 'threat', 'environmental', 'supplemental']);
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
    const known: [string, number, Severity][] = [
      ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8, 'Critical'],
      ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1, 'Medium'],
      ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 9.3, 'Critical'],
    ];
    for (const [vector, score, severity] of known)
      expect(scoreVector(vector)).toMatchObject({ score, severity });
    expect(scoreVector('CVSS:3.1/AV:N/AC:L')).toBeNull();
    expect(severityOf(0)).toBe('None');
    expect(severityOf(3.9)).toBe('Low');
    expect(severityOf(7)).toBe('High');
  });
});
