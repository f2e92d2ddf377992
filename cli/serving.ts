/**
 * Serving from the command line, shared by `vigil serve` and `vigil demo`: the `--port` option, and
 * running the server until SIGINT or SIGTERM.
 */
import type { Config } from '../src/lib/config.js';
import type { RunningVigil } from '../src/server/start.js';
import { CliError, type Cli } from './context.js';

/** `--port`'s value as a number (undefined when not given); refuses anything but 0-65535. */
export function parsePortOption(port: string | undefined): number | undefined {
  if (port === undefined) return undefined;
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) {
    throw new CliError(`--port must be 0-65535, not "${port}".`, 2);
  }
  return Number(port);
}

/** Starts Vigil on `config` and keeps it running until SIGINT or SIGTERM (`vigil serve`, `vigil demo`). */
export async function serveUntilStopped(cli: Cli, config: Config, adminEmail: string): Promise<void> {
  // Loading the server must not leave V8's young generation at its largest (startup-heap.ts).
  const { holdYoungGenerationDuringStart } = await import('../src/server/startup-heap.js');
  const releaseYoungGeneration = holdYoungGenerationDuringStart();
  let server: RunningVigil;
  try {
    // The server is imported when it starts, not when `vigil serve --help` is asked for.
    const { startVigil } = await import('../src/server/start.js');
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
