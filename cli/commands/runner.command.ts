import { open } from 'node:fs/promises';
import type { Command } from 'commander';
import { runnerIdParams, runnerNameSchema } from '../../src/modules/fix/ci/ci.schemas.js';
import { slugSchema } from '../../src/modules/projects/projects.schemas.js';
import { CliError, withDataOption, type Cli } from '../context.js';
import { parseInput } from '../parse.js';

/** A whole number of seconds from 1 to `max`, from an option. */
function seconds(name: string, text: string, max: number): number {
  const n = /^\d{1,6}$/.test(text.trim()) ? Number(text) : NaN;
  if (!(n >= 1 && n <= max)) {
    throw new CliError(`--${name} must be a whole number of seconds from 1 to ${max}, not "${text}".`, 2);
  }
  return n;
}

/** Where the token may come from, and why --token-file is the one to use. */
const TOKEN_HELP = `
The runner token:
  --token-file PATH   read once at start; the file must be readable by its owner only (chmod 600).
  --token T           visible to every local user and to the code under test (ps, /proc/PID/cmdline).
  VIGIL_RUNNER_TOKEN  removed from the runner's environment once read, but still readable by the
                      same user in /proc/PID/environ.
The test command is code that anyone on a case can push. Run the runner as a dedicated user that
holds nothing else, with --token-file, and run the tests in a sandbox (a container or a VM).
Register a runner for one project only with: vigil runner register --name N --project SLUG`;

/** Reads a token file once, refusing one that its group or others may read. */
async function readTokenFile(path: string): Promise<string> {
  let file;
  try {
    file = await open(path, 'r');
  } catch (err) {
    throw new CliError(`--token-file ${path}: ${(err as Error).message}`, 2);
  }
  try {
    const { mode } = await file.stat();
    if ((mode & 0o077) !== 0) {
      throw new CliError(
        `--token-file ${path} may be read by its group or others (mode ${(mode & 0o777).toString(8)}): ` +
          'make it readable by its owner only (chmod 600).',
        2,
      );
    }
    const token = (await file.readFile('utf8')).trim();
    if (!token) throw new CliError(`--token-file ${path} is empty.`, 2);
    return token;
  } finally {
    await file.close();
  }
}

interface RunnerOpts {
  url?: string;
  token?: string;
  tokenFile?: string;
  once?: boolean;
  pollSeconds?: string;
  workDir?: string;
  timeoutSeconds?: string;
}

export function registerRunnerCommand(program: Command, cli: Cli): void {
  const runner = program
    .command('runner')
    .description(
      'run CI for fix repositories (--url, --token-file), or manage runners (register, list, revoke)',
    )
    .option('--url <url>', "Vigil's address, e.g. https://vigil.example.org")
    .option('--token-file <path>', 'a file (mode 600) holding the runner token from `vigil runner register`')
    .option(
      '--token <token>',
      'the runner token; visible to every local user and the tests: prefer --token-file',
    )
    .option('--once', 'claim one run, run it if there is one, and exit')
    .option('--poll-seconds <n>', 'seconds between claims while nothing is queued', '10')
    .option('--work-dir <dir>', 'where the temporary checkouts go (default: the system temporary directory)')
    .option('--timeout-seconds <n>', "at most this many seconds per run (the policy's limit when shorter)")
    .addHelpText('after', TOKEN_HELP)
    .action(async (opts: RunnerOpts) => runLoop(cli, opts));

  withDataOption(runner.command('register').description('register a runner and print its token once'))
    .requiredOption('--name <name>', 'what the runner is (host, pool)')
    .option('--project <slug>', "claim only this project's runs (default: every project's)")
    .option('--json', 'print the result as JSON')
    .action(async (opts: { name: string; project?: string; data?: string; json?: boolean }) => {
      const name = parseInput(runnerNameSchema, opts.name, 'name');
      const project =
        opts.project === undefined ? undefined : parseInput(slugSchema, opts.project, 'project');
      await cli.withServices(opts, async (services, principal) => {
        const r = await services.runners.registerRunner(principal, { name, project });
        cli.output(opts.json, { id: r.id, name: r.name, token: r.token, project: r.project }, () =>
          [
            `Runner "${r.name}" registered (${r.id}) for ${r.project ? `project ${r.project}` : 'every project'}. ` +
              'Its token is shown only now:',
            r.token,
            "Save it in a file readable by the runner's user only (chmod 600), and start the runner with:",
            '  vigil runner --url <Vigil address> --token-file <file>',
          ].join('\n'),
        );
      });
    });

  withDataOption(runner.command('list').description('list runners'))
    .option('--json', 'print the result as JSON')
    .action(async (opts: { data?: string; json?: boolean }) => {
      await cli.withServices(opts, async (services, principal) => {
        const runners = await services.runners.listRunners(principal);
        cli.output(opts.json, runners, () =>
          runners.length === 0
            ? 'No runners. Register one with: vigil runner register --name NAME'
            : runners
                .map(
                  (r) =>
                    `${r.id}  ${r.prefix}…  ${r.name}  ${r.projectId ? `project ${r.projectId}  ` : ''}${r.revokedAt ? `revoked ${r.revokedAt}` : `last seen ${r.lastSeenAt ?? 'never'}`}`,
                )
                .join('\n'),
        );
      });
    });

  withDataOption(runner.command('revoke').description('revoke a runner: its token stops working at once'))
    .argument('<id>', 'the runner id (see vigil runner list)')
    .action(async (id: string, opts: { data?: string }) => {
      const runnerId = parseInput(runnerIdParams.shape.runnerId, id, 'id');
      await cli.withServices(opts, async (services, principal) => {
        await services.runners.revokeRunner(principal, runnerId);
        cli.out(`Runner ${runnerId} revoked.`);
      });
    });
}

/**
 * `vigil runner --url --token-file`: claims and runs test runs until stopped (SIGINT/SIGTERM).
 * The token comes from --token-file (read once), --token or VIGIL_RUNNER_TOKEN, which is then
 * removed from this process's environment.
 */
async function runLoop(cli: Cli, opts: RunnerOpts): Promise<void> {
  const fromEnv = cli.env.VIGIL_RUNNER_TOKEN;
  delete cli.env.VIGIL_RUNNER_TOKEN;
  if (opts.token !== undefined && opts.tokenFile !== undefined)
    throw new CliError('Give --token-file or --token, not both.', 2);
  const token = opts.tokenFile !== undefined ? await readTokenFile(opts.tokenFile) : (opts.token ?? fromEnv);
  if (!opts.url)
    throw new CliError('--url is required: the address of Vigil (or use a subcommand: see --help).', 2);
  if (!/^https?:\/\/[^\s]+$/.test(opts.url))
    throw new CliError(`--url must be an http(s) URL, not "${opts.url}".`, 2);
  if (!token)
    throw new CliError(
      '--token-file (or --token, or VIGIL_RUNNER_TOKEN) is required: see vigil runner register.',
      2,
    );
  const { startRunner } = await import('../../src/modules/fix/ci/runner-process.js');
  const handle = startRunner({
    url: opts.url,
    token,
    once: opts.once === true,
    pollSeconds: seconds('poll-seconds', opts.pollSeconds ?? '10', 3600),
    workDir: opts.workDir,
    timeoutSeconds:
      opts.timeoutSeconds === undefined ? undefined : seconds('timeout-seconds', opts.timeoutSeconds, 86_400),
    env: cli.env,
    print: (line) => cli.out(line),
    warn: (line) => cli.err(`vigil runner: ${line}`),
  });
  let signals = 0;
  const onSignal = () => {
    signals += 1;
    if (signals === 1) {
      cli.err('vigil runner: stopping after the current run (signal again to abandon it)');
      handle.stop();
    } else {
      handle.abandon();
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const summary = await handle.done;
    if (!opts.once) cli.err(`vigil runner: stopped after ${summary.runs} run(s)`);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
