import { open } from 'node:fs/promises';
import type { Command } from 'commander';
import type { FieldIssue } from '../../src/lib/errors.js';
import { ValidationError } from '../../src/lib/errors.js';
import { getPresetYaml, PRESET_NAMES } from '../../src/modules/policy/policy.presets.js';
import { parsePolicy } from '../../src/modules/policy/policy.parser.js';
import { POLICY_MAX_BYTES, type Policy } from '../../src/modules/policy/policy.schema.js';
import { renderSecurityMd } from '../../src/modules/policy/security-md.renderer.js';
import { CliError, type Cli } from '../context.js';

const RENDER_FORMATS = ['security-md'] as const;

/** Where the policy commands read and write: the run's io (policyCommandIo), or a test's. */
export interface PolicyCommandIo {
  out(text: string): void;
  /** The text of FILE, or of standard input for `-`. */
  readSource(file: string): Promise<string>;
}

/** The policy commands' io on one CLI run: its standard output, and files or its standard input. */
export function policyCommandIo(cli: Cli): PolicyCommandIo {
  return { out: cli.out, readSource: (file) => readPolicySource(file, cli.io.stdin) };
}

/**
 * Reads a policy file (or stdin for `-`), at most one byte past the size limit: a larger document
 * is rejected by the parser, and a huge file is never read whole.
 */
export async function readPolicySource(
  file: string,
  stdin: AsyncIterable<Buffer | string> = process.stdin,
): Promise<string> {
  const limit = POLICY_MAX_BYTES + 1;
  if (file === '-') {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of stdin) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      chunks.push(buf);
      size += buf.length;
      if (size >= limit) break;
    }
    return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
  }
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    throw new CliError(`Cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    const buf = Buffer.alloc(limit);
    const { bytesRead } = await handle.read(buf, 0, limit, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

function sourceLabel(file: string): string {
  return file === '-' ? 'standard input' : file;
}

/** `path (line N): message`, one problem per line. */
export function formatIssues(issues: FieldIssue[]): string {
  return issues
    .map((i) => `${i.path || '(document)'}${i.line ? ` (line ${i.line})` : ''}: ${i.message}`)
    .join('\n');
}

async function loadPolicy(io: PolicyCommandIo, file: string): Promise<Policy> {
  const text = await io.readSource(file);
  try {
    return parsePolicy(text);
  } catch (err) {
    if (err instanceof ValidationError)
      throw new CliError(`${sourceLabel(file)}: policy is invalid\n${formatIssues(err.issues)}`);
    throw err;
  }
}

/** `vigil policy presets|preset|check|render`: the policy-as-code tools, without a database. */
export function registerPolicyCommand(program: Command, io: PolicyCommandIo): void {
  const policy = program.command('policy').description('project policies: presets, validation, SECURITY.md');

  policy
    .command('presets')
    .description('list the policy presets')
    .option('--json', 'print the names as JSON')
    .action((opts: { json?: boolean }) => {
      io.out(opts.json ? JSON.stringify([...PRESET_NAMES]) : PRESET_NAMES.join('\n'));
    });

  policy
    .command('preset <name>')
    .description(`print a preset's YAML (${PRESET_NAMES.join(', ')})`)
    .option('--json', 'print the parsed policy as JSON')
    .action((name: string, opts: { json?: boolean }) => {
      const yaml = getPresetYaml(name);
      io.out(opts.json ? JSON.stringify(parsePolicy(yaml), null, 2) : yaml.trimEnd());
    });

  policy
    .command('check <file>')
    .description('validate a policy file (- for standard input)')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      const text = await io.readSource(file);
      try {
        parsePolicy(text);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        if (opts.json) io.out(JSON.stringify({ valid: false, issues: err.issues }, null, 2));
        throw new CliError(`${sourceLabel(file)}: policy is invalid\n${formatIssues(err.issues)}`);
      }
      io.out(opts.json ? JSON.stringify({ valid: true, issues: [] }, null, 2) : 'Policy is valid');
    });

  policy
    .command('render <file>')
    .description('render a policy file (- for standard input) as SECURITY.md')
    .option('--format <format>', `output format (${RENDER_FORMATS.join(', ')})`, 'security-md')
    .option('--project-name <name>', 'project name to use instead of the policy’s')
    .option('--report-url <url>', 'URL of the private report form')
    .option('--security-txt-url <url>', 'URL of the project’s security.txt')
    .action(
      async (
        file: string,
        opts: { format: string; projectName?: string; reportUrl?: string; securityTxtUrl?: string },
      ) => {
        if (!(RENDER_FORMATS as readonly string[]).includes(opts.format)) {
          throw new CliError(
            `Unknown format "${opts.format.slice(0, 40)}". Formats: ${RENDER_FORMATS.join(', ')}.`,
            2,
          );
        }
        const parsed = await loadPolicy(io, file);
        const { format: _format, ...ctx } = opts;
        io.out(renderSecurityMd(parsed, ctx).trimEnd());
      },
    );
}
