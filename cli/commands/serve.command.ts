import type { Command } from 'commander';
import { loadConfig, type Config } from '../../src/lib/config.js';
import type { RunningVigil } from '../../src/server/start.js';
import { CliError, type Cli } from '../context.js';

/** `--port`'s value as a number (undefined when not given); refuses anything but 0-65535. */
export function parsePortOption(port: string | undefined): number | undefined {
  if (port === undefined) return undefined;
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) {
    throw new CliError(`--port must be 0-65535, not "${port}".`, 2);
  }
  return Number(port);
}

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
    .action(async (opts: { port?: string; host?: string; data?: string; adminEmail?: string }) => {
      const config = loadConfig(cli.env, {
        port: parsePortOption(opts.port),
        host: opts.host,
        dataDir: opts.data,
      });
      const adminEmail = (opts.adminEmail ?? cli.env.VIGIL_ADMIN_EMAIL ?? 'admin@localhost')
        .trim()
        .toLowerCase();
      await serveUntilStopped(cli, config, adminEmail);
    });
}

/** Starts Vigil on `config` and keeps it running until SIGINT or SIGTERM (`vigil serve`, `vigil demo`). */
export async function serveUntilStopped(cli: Cli, config: Config, adminEmail: string): Promise<void> {
  // Loading the server must not leave V8's young generation at its largest (startup-heap.ts).
  const { holdYoungGenerationDuringStart } = await import('../../src/server/startup-heap.js');
  const releaseYoungGeneration = holdYoungGenerationDuringStart();
  let server: RunningVigil;
  try {
    // The server is imported when it starts, not when `vigil serve --help` is asked for.
    const { startVigil } = await import('../../src/server/start.js');
    server = await startVigil(config, { adminEmail, print: cli.out });
  } finally {
    releaseYoungGeneration();
  }
  let signals = 0;
  const shutdown = () => {
    signals += 1;
    if (signals > 1) process.exit(1);
    cli.out('Stopping Vigil...');
    void server.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
