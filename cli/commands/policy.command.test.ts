import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/lib/errors.js';
import { getPresetYaml } from '../../src/modules/policy/policy.presets.js';
import { POLICY_MAX_BYTES } from '../../src/modules/policy/policy.schema.js';
import { CliError } from '../context.js';
import { readPolicySource, registerPolicyCommand } from './policy.command.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-policy-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

/** Runs `vigil policy ...` with the real file reader and captures what it prints. */
async function run(...args: string[]): Promise<string> {
  const printed: string[] = [];
  const program = new Command('vigil').exitOverride();
  registerPolicyCommand(program, { out: (text) => printed.push(text), readSource: readPolicySource });
  await program.parseAsync(['policy', ...args], { from: 'user' });
  return printed.join('\n');
}

describe('vigil policy', () => {
  it('presets lists the names', async () => {
    expect(await run('presets')).toBe('contour\nsesame\nemissary\nk8spolicy');
    expect(JSON.parse(await run('presets', '--json'))).toEqual([
      'contour',
      'sesame',
      'emissary',
      'k8spolicy',
    ]);
  });

  it('preset prints the YAML with its comments, or the parsed policy as JSON', async () => {
    const yaml = await run('preset', 'emissary');
    expect(yaml).toBe(getPresetYaml('emissary').trimEnd());
    expect(yaml).toContain('# "The role of Fix Lead should rotate round-robin across the EMST."');
    const json = JSON.parse(await run('preset', 'emissary', '--json'));
    expect(json.fix.fixLead).toBe('round-robin');
    expect(json.fix.release).toEqual({ minDays: 1, maxDays: 21 });
  });

  it('preset with an unknown name fails, listing the valid names', async () => {
    const failure = run('preset', 'envoy');
    await expect(failure).rejects.toBeInstanceOf(AppError);
    await expect(failure).rejects.toThrow('Valid presets: contour, sesame, emissary, k8spolicy.');
  });

  it('check accepts a valid file', async () => {
    const path = await file('ok.yaml', getPresetYaml('k8spolicy'));
    expect(await run('check', path)).toBe('Policy is valid');
    expect(JSON.parse(await run('check', path, '--json'))).toEqual({ valid: true, issues: [] });
  });

  it('check lists each problem as `path (line N): message` and fails', async () => {
    const yaml = getPresetYaml('contour')
      .replace('    businessDays: 3\n', '    businessDays: 40\n')
      .replace('timeZone: UTC', 'timeZone: Nowhere/Special');
    const path = await file('bad.yaml', yaml);
    const lines = yaml.split('\n');
    const tzLine = lines.findIndex((l) => l.startsWith('timeZone:')) + 1;
    const daysLine = lines.findIndex((l) => l.includes('businessDays: 40')) + 1;
    const err = await run('check', path).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(1);
    const message = (err as CliError).message;
    expect(message).toContain(`timeZone (line ${tzLine}): must be an IANA time zone`);
    expect(message).toContain(`triage.firstResponse.businessDays (line ${daysLine}): Too big`);
  });

  it('check --json prints the issues before failing', async () => {
    const path = await file('dup.yaml', 'kind: a\nkind: b\n');
    const printed: string[] = [];
    const program = new Command('vigil').exitOverride();
    registerPolicyCommand(program, { out: (t) => printed.push(t), readSource: readPolicySource });
    await expect(
      program.parseAsync(['policy', 'check', path, '--json'], { from: 'user' }),
    ).rejects.toBeInstanceOf(CliError);
    expect(JSON.parse(printed.join('\n'))).toEqual({
      valid: false,
      issues: [{ path: '', message: 'Duplicate key "kind"', line: 2 }],
    });
  });

  it('check reports a missing file clearly', async () => {
    await expect(run('check', join(dir, 'missing.yaml'))).rejects.toThrow(/^Cannot read .*missing\.yaml/);
  });

  it('check reads no more than the size limit and reports an oversized file', async () => {
    const path = await file('big.yaml', `${'#'.repeat(99)}\n`.repeat(2000));
    expect((await readPolicySource(path)).length).toBe(POLICY_MAX_BYTES + 1);
    await expect(run('check', path)).rejects.toThrow(
      '(document) (line 656): The document is larger than 64 KiB',
    );
  });

  it('render prints SECURITY.md, with the context options', async () => {
    const path = await file('contour.yaml', getPresetYaml('contour'));
    const md = await run(
      'render',
      path,
      '--format',
      'security-md',
      '--report-url',
      'https://vigil.example/r',
    );
    expect(md).toMatch(/^# Contour security policy\n/);
    expect(md).toContain(
      '3. The Contour Security Team will initiate a conversation with the reporter within 3 business days.',
    );
    expect(md).toContain('[private report form](https://vigil.example/r)');
    expect(await run('render', path)).not.toContain('private report form');
  });

  it('render rejects an unknown format and an invalid policy', async () => {
    const path = await file('contour2.yaml', getPresetYaml('contour'));
    await expect(run('render', path, '--format', 'html')).rejects.toThrow(
      'Unknown format "html". Formats: security-md.',
    );
    const bad = await file('bad2.yaml', 'apiVersion: vigil.dev/v1\n');
    await expect(run('render', bad)).rejects.toThrow(
      /policy is invalid\nkind \(line 1\): Required field is missing/,
    );
  });
});
