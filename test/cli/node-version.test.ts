/**
 * Under an unsupported Node.js the CLI said nothing and segfaulted in a native module: bin/vigil now
 * checks the version first and says which one it needs.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeVersionProblem } from '../../bin/node-version.mjs';
import { repoRoot } from '../../src/lib/paths.js';

const engines = (
  JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as { engines: { node: string } }
).engines.node;

describe('nodeVersionProblem', () => {
  it('requires what package.json engines says', () => {
    expect(engines).toBe('>=22.12');
  });

  it.each(['22.12.0', '22.13.1', '23.0.0', '24.11.1', 'v24.0.0', '100.0.0'])('accepts %s', (version) => {
    expect(nodeVersionProblem(version, engines)).toBeNull();
  });

  it.each([
    ['20.20.2', 'v20.20.2'],
    ['22.11.0', 'v22.11.0'],
    ['18.19.0', 'v18.19.0'],
    ['v22.9.9', 'v22.9.9'],
  ])('refuses %s, naming the version needed', (version, shown) => {
    expect(nodeVersionProblem(version, engines)).toBe(
      `Vigil needs Node.js 22.12 or newer (24 LTS recommended); this is ${shown}.`,
    );
  });

  it('refuses a range it cannot read rather than passing anything', () => {
    expect(() => nodeVersionProblem('24.0.0', '^22')).toThrow(/Unreadable/);
  });
});

// The real binary under the machine's old Node (v20 here), when there is one.
const OLD_NODE = '/usr/bin/node';
const oldVersion = existsSync(OLD_NODE)
  ? await new Promise<string>((resolve) =>
      execFile(OLD_NODE, ['--version'], (_e, out) => resolve(String(out).trim())),
    )
  : '';
const isOld = /^v(1\d|20|21|22\.(\d|1[01]))\./.test(oldVersion);

describe.runIf(isOld)(`bin/vigil under ${oldVersion || 'an old Node'}`, () => {
  it('exits 1 with the message, before loading anything native', async () => {
    const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(OLD_NODE, [join(repoRoot(), 'bin', 'vigil'), 'cwe', 'show', '79'], (err, stdout, stderr) =>
        resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
      );
    });
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: `vigil: Vigil needs Node.js 22.12 or newer (24 LTS recommended); this is ${oldVersion}.\n`,
    });
  });
});
