/**
 * `vigil`: the server and the operator commands. Each command lives in cli/commands/ and calls
 * the same services as the API; none holds a second copy of the logic.
 */
import { processIo } from './context.js';
import { runCli } from './program.js';

process.exitCode = await runCli(process.argv.slice(2), processIo);
