import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import {
  InvalidCvssVectorError,
  MAX_CVSS_VECTOR_LENGTH,
  ParsedCvss,
  checkCvss,
  parseCvss,
  type CvssProblem,
} from './vector-parser.js';

const V31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const V40 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';
const V2 = 'AV:N/AC:L/Au:N/C:P/I:P/A:P';

function problemsOf(vector: string): CvssProblem[] {
  const result = checkCvss(vector);
  if (result.ok) throw new Error(`expected ${vector} to be refused`);
  return result.problems;
}

describe('checkCvss refuses each kind of malformed vector with its own code and message', () => {
  it.each<[string, string, CvssProblem]>([
    ['empty', '', { code: 'empty', message: 'the vector is empty' }],
    ['only spaces', '   ', { code: 'empty', message: 'the vector is empty' }],
    [
      'over-long',
      `${V31}${'/E:X'.repeat(70)}`,
      { code: 'too_long', message: 'the vector is 324 characters long; the limit is 300' },
    ],
    [
      'a space inside',
      'CVSS:3.1/AV:N /AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      { code: 'malformed', message: 'a vector has only printable ASCII characters and no spaces' },
    ],
    [
      'a control character',
      'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\u0000',
      { code: 'malformed', message: 'a vector has only printable ASCII characters and no spaces' },
    ],
    [
      'no version prefix on a v3 vector',
      'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      {
        code: 'missing_prefix',
        message:
          'the vector has no version prefix but uses "PR", which only CVSS v3 and v4 have: start it with "CVSS:3.1/", "CVSS:3.0/" or "CVSS:4.0/" (only v2.0 vectors have no prefix)',
      },
    ],
    [
      'a lower-case prefix',
      'cvss:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      {
        code: 'wrong_prefix',
        message: '"cvss:3.1" is not a version prefix: write "CVSS:3.1/", "CVSS:3.0/" or "CVSS:4.0/"',
      },
    ],
    [
      'a prefix without its colon',
      'CVSS3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      {
        code: 'wrong_prefix',
        message: '"CVSS3.1" is not a version prefix: write "CVSS:3.1/", "CVSS:3.0/" or "CVSS:4.0/"',
      },
    ],
    [
      'a prefix without its slash',
      'CVSS:3.1AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      {
        code: 'wrong_prefix',
        message:
          '"CVSS:3.1AV:N" is not a version prefix ("/" must follow it): write "CVSS:3.1/", "CVSS:3.0/" or "CVSS:4.0/"',
      },
    ],
    [
      'a v2 vector with a prefix',
      `CVSS:2.0/${V2}`,
      {
        code: 'wrong_prefix',
        message: 'CVSS v2.0 vectors have no prefix: remove "CVSS:2.0/" (AV:N/AC:L/Au:N/C:P/I:P/A:P)',
      },
    ],
    [
      'an unknown version',
      'CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      {
        code: 'unsupported_version',
        message: 'CVSS version "3.2" is not supported: Vigil reads 2.0, 3.0, 3.1 and 4.0',
      },
    ],
    [
      'an unknown metric',
      `${V31}/XX:Y`,
      { code: 'unknown_metric', metric: 'XX', message: 'unknown metric "XX" for CVSS 3.1' },
    ],
    [
      'a metric of another version',
      'CVSS:3.1/AV:N/AC:L/AT:N/PR:N/UI:N/S:U/C:H/I:H/A:H',
      {
        code: 'unknown_metric',
        metric: 'AT',
        message: 'unknown metric "AT" (a CVSS 4.0 metric: is the version prefix right?)',
      },
    ],
    [
      'a metric in the wrong case',
      'CVSS:3.1/av:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      { code: 'unknown_metric', metric: 'av', message: 'unknown metric "av" for CVSS 3.1' },
    ],
    [
      'an unknown value',
      'CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      {
        code: 'unknown_value',
        metric: 'AV',
        message: 'unknown value "Q" for metric "AV" (Attack Vector): expected one of N, A, L, P',
      },
    ],
    [
      'Not Defined for a base metric',
      'CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      {
        code: 'unknown_value',
        metric: 'AV',
        message: 'unknown value "X" for metric "AV" (Attack Vector): expected one of N, A, L, P',
      },
    ],
    [
      'Safety in a v4.0 base metric (only MSI and MSA have it)',
      'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N',
      {
        code: 'unknown_value',
        metric: 'SI',
        message: 'unknown value "S" for metric "SI" (Subsequent System Integrity): expected one of H, L, N',
      },
    ],
    [
      'a duplicate metric',
      `${V31}/AV:L`,
      { code: 'duplicate_metric', metric: 'AV', message: 'metric "AV" appears more than once' },
    ],
    [
      'a missing base metric',
      'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H',
      {
        code: 'missing_metric',
        metric: 'A',
        message: 'missing mandatory base metric "A" (Availability)',
      },
    ],
    [
      'a v4.0 metric out of order',
      'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/CR:H/E:A',
      {
        code: 'out_of_order',
        metric: 'E',
        message: `metric "E" must come before "CR" (CVSS v4.0 requires the specification's metric order)`,
      },
    ],
    [
      'an empty metric',
      'CVSS:3.1/AV:N//AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      { code: 'malformed', message: 'empty metric: two "/" in a row, or a "/" at the start or end' },
    ],
    [
      'a trailing slash',
      `${V31}/`,
      { code: 'malformed', message: 'empty metric: two "/" in a row, or a "/" at the start or end' },
    ],
    [
      'a metric without a value',
      'CVSS:3.1/AV/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      { code: 'malformed', message: '"AV" is not a METRIC:VALUE pair' },
    ],
    [
      'a metric with two values',
      'CVSS:3.1/AV:N:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AV:N',
      { code: 'malformed', message: '"AV:N:L" is not a METRIC:VALUE pair' },
    ],
  ])('%s', (_what, vector, expected) => {
    expect(problemsOf(vector)).toEqual([expected]);
    try {
      parseCvss(vector);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(InvalidCvssVectorError);
      expect(err).toBeInstanceOf(ValidationError);
      const error = err as InvalidCvssVectorError;
      expect(error.code).toBe('validation_failed');
      expect(error.message).toBe(`Invalid CVSS vector: ${expected.message}.`);
      expect(error.issues).toEqual([{ path: 'vector', message: expected.message }]);
      expect(error.problems).toEqual([expected]);
    }
  });

  it('reports every problem at once, and shortens long input it quotes', () => {
    const problems = problemsOf(`CVSS:3.1/AV:Q/${'Z'.repeat(40)}:1/AV:N/PR:N/UI:N/S:U/C:H/I:H/A:H`);
    expect(problems.map((p) => p.code)).toEqual([
      'unknown_value',
      'unknown_metric',
      'duplicate_metric',
      'missing_metric',
    ]);
    expect(problems[1]?.message).toBe(`unknown metric "${'Z'.repeat(24)}…" for CVSS 3.1`);
    expect(problems[3]?.metric).toBe('AC');
  });

  it('lists each missing base metric when only the prefix is given', () => {
    expect(problemsOf('CVSS:4.0').map((p) => p.metric)).toEqual([
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
    expect(problemsOf('CVSS:3.1/').map((p) => p.code)).toEqual([
      'malformed',
      ...Array(8).fill('missing_metric'),
    ]);
  });

  it('names every out-of-order metric of a v4.0 vector with interleaved impacts', () => {
    // The order GitHub once published (advisory-database#7448); the specification refuses it.
    const problems = problemsOf('CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/SC:N/VI:H/SI:N/VA:H/SA:N');
    expect(problems.map((p) => [p.code, p.metric])).toEqual([
      ['out_of_order', 'VI'],
      ['out_of_order', 'VA'],
    ]);
    expect(problems[0]?.message).toContain('"VI" must come before "SC"');
  });

  it('sums up several problems in the error message and lists them all as issues', () => {
    const vector = 'CVSS:3.1/AV:Q/AC:Q/PR:Q/UI:Q/S:U/C:H/I:H/A:H';
    try {
      parseCvss(vector, { path: 'cvss.0.vector' });
      expect.unreachable();
    } catch (err) {
      const error = err as InvalidCvssVectorError;
      expect(error.message).toMatch(
        /^Invalid CVSS vector: unknown value "Q" for metric "AV" .*\(and 1 more\)\.$/,
      );
      expect(error.issues).toHaveLength(4);
      expect(error.issues.every((issue) => issue.path === 'cvss.0.vector')).toBe(true);
    }
  });

  it('stops at a bounded number of problems', () => {
    const vector = `CVSS:3.1/${Array.from({ length: 40 }, (_, i) => `Q${i}:1`).join('/')}`;
    expect(vector.length).toBeLessThanOrEqual(MAX_CVSS_VECTOR_LENGTH);
    expect(problemsOf(vector)).toHaveLength(12);
  });
});

describe('parseCvss accepts valid vectors and normalises them', () => {
  it('reads each version, keeping the given order when it is canonical', () => {
    expect(parseCvss(V31)).toMatchObject({ version: '3.1', vector: V31 });
    expect(parseCvss(V31.replace('3.1', '3.0'))).toMatchObject({ version: '3.0' });
    expect(parseCvss(V40)).toMatchObject({ version: '4.0', vector: V40 });
    expect(parseCvss(V2)).toMatchObject({ version: '2.0', vector: V2, metrics: { Au: 'N', C: 'P' } });
  });

  it('trims surrounding whitespace', () => {
    expect(parseCvss(`  ${V31}\n`).vector).toBe(V31);
  });

  it('accepts v3 and v2 metrics in any order and writes them in canonical order', () => {
    expect(parseCvss('CVSS:3.1/E:P/S:U/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H').vector).toBe(`${V31}/E:P`);
    expect(parseCvss('CVSS:3.0/S:U/AV:N/AC:L/PR:H/UI:N/C:L/I:L/A:N/E:F/RL:X').vector).toBe(
      'CVSS:3.0/AV:N/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:N/E:F',
    );
    expect(parseCvss('A:P/I:P/C:P/Au:N/AC:L/AV:N/E:F').vector).toBe(`${V2}/E:F`);
  });

  it('leaves Not Defined metrics out of the normalised vector and of the metrics', () => {
    const parsed = parseCvss(`${V31}/E:X/RL:O/MAV:X/MS:C`);
    expect(parsed.vector).toBe(`${V31}/RL:O/MS:C`);
    expect(parsed.metrics).not.toHaveProperty('E');
    expect(parseCvss(`${V2}/E:ND/RL:ND/RC:ND/CDP:ND`).vector).toBe(V2);
    expect(parseCvss(`${V40}/E:X/CR:X/S:X/U:X`).vector).toBe(V40);
  });

  it('reads every v4.0 metric group, supplemental included, at the longest', () => {
    const longest =
      `${V40}/E:U/CR:M/IR:M/AR:M/MAV:P/MAC:H/MAT:P/MPR:H/MUI:A/MVC:N/MVI:N/MVA:N/MSC:N/MSI:S/MSA:S` +
      '/S:P/AU:Y/R:I/V:C/RE:M/U:Amber';
    const parsed = parseCvss(longest);
    expect(parsed.vector).toBe(longest);
    expect(Object.keys(parsed.metrics)).toHaveLength(32);
    expect(longest.length).toBeLessThan(MAX_CVSS_VECTOR_LENGTH);
  });

  it('returns a frozen result that only the parser can make', () => {
    const parsed = parseCvss(V31);
    expect(Object.isFrozen(parsed.metrics)).toBe(true);
    expect(ParsedCvss.isParsed(parsed)).toBe(true);
    expect(ParsedCvss.isParsed({ ...parsed })).toBe(false);
    // @ts-expect-error the constructor's token is private to the parser module
    expect(() => new ParsedCvss(Symbol('ParsedCvss'), '3.1', {}, V31)).toThrow(/parseCvss only/);
  });
});
