import type { Command } from 'commander';
import type { Cli } from '../context.js';
import { runDemo, type DemoOptions } from '../demo/run-demo.js';

export function registerDemoCommand(program: Command, cli: Cli): void {
  program
    .command('demo')
    .description(
      'fill an empty instance with made-up projects and cases (every page says so), print a sign-in link, and serve it',
    )
    .option('--port <n>', 'port to listen on, 0 picks a free one (default: VIGIL_PORT or 8080)')
    .option('--host <addr>', 'address to listen on (default: VIGIL_HOST or 127.0.0.1)')
    .option(
      '--data <dir>',
      'data directory: SQLite database and key file (ignored for the database when DATABASE_URL is set)',
    )
    .option('--no-serve', 'fill the instance and print the sign-in link, then exit instead of serving')
    .action((opts: DemoOptions) => runDemo(cli, opts));
}
