/**
 * `vigil`: the server and the operator commands. Each command lives in cli/commands/ and calls
 * the same services as the API; none holds a second copy of the logic.
 */
import { Command, CommanderError } from 'commander';
import { CliError, formatError } from './context.js';
import { registerCommands } from './commands/index.js';

const program = new Command('vigil')
  .description('Vigil: security disclosure and response for open-source projects')
  .showHelpAfterError()
  .exitOverride();

registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // --help and --version exit 0; usage errors were already printed by commander.
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  } else {
    console.error(`vigil: ${formatError(err)}`);
    process.exitCode = err instanceof CliError ? err.exitCode : 1;
  }
}
