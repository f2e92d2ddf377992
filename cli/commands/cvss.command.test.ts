import { describe, expect, it } from 'vitest';
import { runCommand } from '../../test/support/cli.js';
import { InvalidCvssVectorError } from '../../src/lib/cvss/vector-parser.js';
import { formatCvssScore, runCvss } from './cvss.command.js';

const V31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';

describe('runCvss', () => {
  it('scores a vector and formats it as one line', () => {
    const result = runCvss(V31);
    expect(result).toEqual({ version: '3.1', vector: V31, baseScore: 9.8, score: 9.8, severity: 'critical' });
    expect(formatCvssScore(result)).toBe('9.8 critical (CVSS 3.1)');
    expect(formatCvssScore(runCvss('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N'))).toBe(
      '0.0 none (CVSS 4.0)',
    );
    expect(formatCvssScore(runCvss('AV:N/AC:L/Au:N/C:C/I:C/A:C'))).toBe('10.0 high (CVSS 2.0)');
  });

  it('prints the most specific score the vector defines', () => {
    expect(formatCvssScore(runCvss(`${V31}/E:P/MAV:L`))).toBe('7.9 high (CVSS 3.1)');
  });

  it('refuses a malformed vector with the reason, at the field "vector"', () => {
    expect(() => runCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H')).toThrow(InvalidCvssVectorError);
    expect(() => runCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H')).toThrow(
      'Invalid CVSS vector: missing mandatory base metric "A" (Availability).',
    );
  });
});

describe('vigil cvss', () => {
  // The whole command line in this process; test/cli/binary.test.ts runs the built binary.
  it('prints the score and severity, or all of it as JSON', async () => {
    const text = await runCommand(['cvss', V31]);
    expect(text).toEqual({ code: 0, stdout: '9.8 critical (CVSS 3.1)\n', stderr: '' });

    const json = await runCommand([
      'cvss',
      'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U',
      '--json',
    ]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      version: '4.0',
      vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U',
      baseScore: 9.3,
      temporalScore: 8.1,
      score: 8.1,
      severity: 'high',
    });
  });

  it('exits 1 with every reason on stderr for a malformed vector, and 2 without one', async () => {
    const bad = await runCommand(['cvss', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/XX:H', '--json']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toBe(
      [
        'vigil: Invalid CVSS vector: unknown metric "XX" for CVSS 3.1; missing mandatory base metric "A" (Availability).',
        '  - vector: unknown metric "XX" for CVSS 3.1',
        '  - vector: missing mandatory base metric "A" (Availability)',
        '',
      ].join('\n'),
    );

    const missing = await runCommand(['cvss']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing required argument 'vector'/);
  });

  it('explains itself in --help', async () => {
    const help = await runCommand(['cvss', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: vigil cvss \[options\] <vector>/);
    expect(help.stdout).toMatch(/--json/);
  });
});
