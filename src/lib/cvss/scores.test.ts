import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { CVSS_VERSIONS } from './metrics.js';
import { InvalidCvssVectorError, parseCvss, type ParsedCvss } from './vector-parser.js';
import { scoreCvss, severityOf, type CvssSeverity } from './scores.js';

const V31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const V40 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';

describe('scoreCvss', () => {
  it('gives the base score alone when the vector defines nothing else', () => {
    const result = scoreCvss(V31);
    expect(result).toEqual({
      version: '3.1',
      vector: V31,
      baseScore: 9.8,
      score: 9.8,
      severity: 'critical',
    });
    expect(result).not.toHaveProperty('temporalScore');
    expect(result).not.toHaveProperty('environmentalScore');
  });

  it('adds the temporal and environmental scores a v3 vector defines; score is the most specific', () => {
    expect(scoreCvss(`${V31}/E:P`)).toMatchObject({ baseScore: 9.8, temporalScore: 9.3, score: 9.3 });
    expect(scoreCvss(`${V31}/E:P/MAV:L`)).toEqual({
      version: '3.1',
      vector: `${V31}/E:P/MAV:L`,
      baseScore: 9.8,
      temporalScore: 9.3,
      environmentalScore: 7.9,
      score: 7.9,
      severity: 'high',
    });
    // Explicit Not Defined values define nothing.
    expect(scoreCvss(`${V31}/E:X/RL:X/MAV:X`)).toEqual(scoreCvss(V31));
  });

  it('v4.0: base is CVSS-B, temporal is CVSS-BT (threat), environmental and score are the full vector', () => {
    const bte = scoreCvss(`${V40}/E:U/MAV:L`);
    expect(bte).toEqual({
      version: '4.0',
      vector: `${V40}/E:U/MAV:L`,
      baseScore: 9.3,
      temporalScore: 8.1,
      environmentalScore: 6.1,
      score: 6.1,
      severity: 'medium',
    });
    expect(bte.baseScore).toBe(scoreCvss(V40).score);
    expect(bte.temporalScore).toBe(scoreCvss(`${V40}/E:U`).score);
    expect(scoreCvss(`${V40}/MAV:L`)).toMatchObject({ environmentalScore: 8.6, score: 8.6 });
    expect(scoreCvss(`${V40}/MAV:L`)).not.toHaveProperty('temporalScore');
    // Supplemental metrics never change the score.
    expect(scoreCvss(`${V40}/AU:Y/U:Red`)).toMatchObject({ baseScore: 9.3, score: 9.3 });
    expect(scoreCvss(`${V40}/AU:Y/U:Red`)).not.toHaveProperty('environmentalScore');
  });

  it('scores v2.0 with NVD bands: a zero is low, a ten is high', () => {
    expect(scoreCvss('AV:N/AC:L/Au:N/C:P/I:P/A:P')).toMatchObject({
      version: '2.0',
      score: 7.5,
      severity: 'high',
    });
    expect(scoreCvss('AV:N/AC:L/Au:N/C:N/I:N/A:N')).toMatchObject({ score: 0, severity: 'low' });
    expect(scoreCvss('AV:N/AC:L/Au:N/C:C/I:C/A:C/CDP:H/TD:H')).toMatchObject({
      environmentalScore: 10,
      score: 10,
      severity: 'high',
    });
  });

  it('rounds v2.0 as the guide does, in decimals: 9.0 x 0.95 = 8.55 is 8.6', () => {
    expect(scoreCvss('AV:N/AC:L/Au:S/C:C/I:C/A:C/E:F/RL:U/RC:C').temporalScore).toBe(8.6);
  });

  it('never scores v2.0 below zero: a low requirement on the only affected property gives 0.0', () => {
    // The guide's equation gives -0.2 here; a score is 0.0 to 10.0.
    expect(scoreCvss('AV:L/AC:H/Au:M/C:N/I:P/A:N/IR:L')).toMatchObject({
      baseScore: 0.8,
      environmentalScore: 0,
      score: 0,
    });
  });

  it('gives zero and "none" when a v3/v4 vector has no impact', () => {
    expect(scoreCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N')).toMatchObject({
      score: 0,
      severity: 'none',
    });
    expect(scoreCvss('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N')).toMatchObject({
      score: 0,
      severity: 'none',
    });
  });

  it('scores a ParsedCvss exactly as the string it came from', () => {
    // The example of the Red Hat reference implementation's README: (6.5, 6.0, 5.3).
    const vector = 'CVSS:3.0/S:C/C:H/I:H/A:N/AV:P/AC:H/PR:H/UI:R/E:H/RL:O/RC:R/CR:H/IR:X/MAC:H/MC:L';
    expect(scoreCvss(parseCvss(vector))).toEqual(scoreCvss(vector));
    expect(scoreCvss(vector)).toMatchObject({
      vector: 'CVSS:3.0/AV:P/AC:H/PR:H/UI:R/S:C/C:H/I:H/A:N/E:H/RL:O/RC:R/CR:H/MAC:H/MC:L',
      baseScore: 6.5,
      temporalScore: 6.0,
      environmentalScore: 5.3,
    });
  });

  it('refuses a malformed vector instead of scoring it 0, at the given path', () => {
    expect(() => scoreCvss('CVSS:3.1/AV:N')).toThrow(InvalidCvssVectorError);
    try {
      scoreCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/XX:H', { path: 'cvss.1' });
      expect.unreachable();
    } catch (err) {
      expect((err as InvalidCvssVectorError).issues).toEqual([
        { path: 'cvss.1', message: 'unknown metric "XX" for CVSS 3.1' },
        { path: 'cvss.1', message: 'missing mandatory base metric "A" (Availability)' },
      ]);
    }
  });

  it('refuses, at run time, an object that did not come from the parser', () => {
    const forged = { version: '3.1', vector: 'CVSS:3.1/AV:N', metrics: { AV: 'N' } } as unknown as ParsedCvss;
    expect(() => scoreCvss(forged)).toThrow(TypeError);
  });
});

describe('severityOf', () => {
  it.each<[number, CvssSeverity, CvssSeverity]>([
    // score, v3.x/v4.0 (FIRST), v2.0 (NVD)
    [0, 'none', 'low'],
    [0.1, 'low', 'low'],
    [3.9, 'low', 'low'],
    [4.0, 'medium', 'medium'],
    [6.9, 'medium', 'medium'],
    [7.0, 'high', 'high'],
    [8.9, 'high', 'high'],
    [9.0, 'critical', 'high'],
    [10, 'critical', 'high'],
  ])('%s is %s (v3/v4) and %s (v2)', (score, first, nvd) => {
    expect(severityOf(score, '3.0')).toBe(first);
    expect(severityOf(score, '3.1')).toBe(first);
    expect(severityOf(score, '4.0')).toBe(first);
    expect(severityOf(score, '2.0')).toBe(nvd);
  });

  it.each([-0.1, 10.1, Number.NaN, Number.POSITIVE_INFINITY])('refuses %s', (score) => {
    expect(() => severityOf(score, '3.1')).toThrow(ValidationError);
  });

  it('knows the four versions', () => {
    expect(CVSS_VERSIONS).toEqual(['2.0', '3.0', '3.1', '4.0']);
  });
});
