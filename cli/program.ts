/**
 * One run of `vigil`: builds the program on an io (the process's, or a test's), loads the command
 * the arguments name, runs it, and answers its exit code. Errors are printed as `vigil: message`.
 */
import { Command, CommanderError } from 'commander';
import { CliError, createCli, formatError, type CliIo } from './context.js';
import { registerCommands } from './commands/index.js';

/** Runs `vigil ...argv` (the arguments after the program name) on `io`; resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const cli = createCli(io);
  const program = new Command('vigil')
    .description('Vigil: security disclosure and response for open-source projects')
    .configureOutput({
      writeOut: (text) => void io.stdout.write(text),
      writeErr: (text) => void io.stderr.write(text),
    })
    .showHelpAfterError()
    .exitOverride();
  try {
    await registerCommands(program, cli, argv);
    await program.parseAsync([...argv], { from: 'user' });
    return cli.exitCode;
  } catch (err) {
    // --help and --version exit 0; usage errors were already printed by commander.
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    cli.err(`vigil: ${formatError(err)}`);
    return err instanceof CliError ? err.exitCode : 1;
  }
}
