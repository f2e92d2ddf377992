/**
 * Runs `vigil` two ways with the same result shape: `runCommand` calls the CLI in this process
 * (cli/program.ts, on captured streams: what most tests use), `runVigil` runs the real `bin/vigil`
 * as a user would (test/cli/binary.test.ts, one smoke test per command, proves that wiring). The
 * binary needs the build (`npm test` builds before it tests); without it the suite fails loudly
 * rather than testing something else.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { runCli } from '../../cli/program.js';
import { repoRoot } from '../../src/lib/paths.js';

export const VIGIL_BIN = join(repoRoot(), 'bin', 'vigil');

/** Throws unless `npm run build` has produced the CLI. */
export function requireBuild(): void {
  if (!existsSync(join(repoRoot(), 'dist', 'cli', 'main.js'))) {
    throw new Error('dist/cli/main.js is missing: run `npm run build` before these tests (npm test does).');
  }
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `vigil ...args` in this process with `env` added to the environment and `input` on its
 * standard input (none: empty), capturing what it prints; never throws on a non-zero exit.
 */
export function runCommand(
  args: string[],
  env: Record<string, string | undefined> = {},
  input?: string,
): Promise<CliResult> {
  return runCommandInEnv(args, { ...process.env, ...env }, input);
}

/** Like runCommand, with exactly `env` as the environment (nothing of this process's). */
export async function runCommandInEnv(
  args: string[],
  env: NodeJS.ProcessEnv,
  input?: string,
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (text) => (stdout += text) },
    stderr: { write: (text) => (stderr += text) },
    stdin: Readable.from(input === undefined ? [] : [Buffer.from(input)]),
    env,
  });
  return { code, stdout, stderr };
}

/** Runs the built `bin/vigil ...args` with `env` added to the environment; never throws on a non-zero exit. */
export function runVigil(
  args: string[],
  env: Record<string, string | undefined> = {},
  input?: string,
): Promise<CliResult> {
  requireBuild();
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [VIGIL_BIN, ...args],
      { env: { ...process.env, ...env }, timeout: 60_000, maxBuffer: 10 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
    else child.stdin?.end();
  });
}
