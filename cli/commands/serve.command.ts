import type { Command } from 'commander';
import { loadConfig } from '../../src/lib/config.js';
import { CliError, type Cli } from '../context.js';
import { runDemo } from '../demo/run-demo.js';
import { parsePortOption, serveUntilStopped } from '../serving.js';

export function registerServeCommand(program: Command, cli: Cli): void {
  program
    .command('serve')
    .description('start Vigil: migrate, create the first admin on an empty instance, serve HTTP and run jobs')
    .option('--port <n>', 'port to listen on, 0 picks a free one (default: VIGIL_PORT or 8080)')
    .option('--host <addr>', 'address to listen on (default: VIGIL_HOST or 127.0.0.1)')
    .option(
      '--data <dir>',
      'data directory: SQLite database and key file (ignored for the database when DATABASE_URL is set)',
    )
    .option('--admin-email <email>', 'email of the first admin, created only on an empty instance', undefined)
    .option('--demo', 'the same as `vigil demo`: fill an empty instance with made-up data first, then serve')
    .action(
      async (opts: { port?: string; host?: string; data?: string; adminEmail?: string; demo?: boolean }) => {
        if (opts.demo) {
          if (opts.adminEmail !== undefined) {
            throw new CliError('--admin-email does not go with --demo: the demo has its own admin.', 2);
          }
          await runDemo(cli, { port: opts.port, host: opts.host, data: opts.data, serve: true });
          return;
        }
        const config = loadConfig(cli.env, {
          port: parsePortOption(opts.port),
          host: opts.host,
          dataDir: opts.data,
        });
        const adminEmail = (opts.adminEmail ?? cli.env.VIGIL_ADMIN_EMAIL ?? 'admin@localhost')
          .trim()
          .toLowerCase();
        await serveUntilStopped(cli, config, adminEmail);
      },
    );
}
