/** Starts the real `vigil serve` as a child process and waits for its banner. */
import { spawn, type ChildProcess } from 'node:child_process';
import { VIGIL_BIN, requireBuild } from './cli.js';

export interface RunningServer {
  child: ChildProcess;
  url: string;
  /** Everything printed so far. */
  output(): string;
  /** Resolves once the server has printed `text` (its banner arrives in several writes). */
  waitForOutput(text: string, timeoutMs?: number): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Runs `vigil serve --port 0 ...args` (or another serving command: `demo`) and resolves once it
 * prints where it is running.
 */
export function startServer(
  args: string[],
  env: Record<string, string | undefined> = {},
  command: 'serve' | 'demo' = 'serve',
): Promise<RunningServer> {
  requireBuild();
  const child = spawn(process.execPath, [VIGIL_BIN, command, '--port', '0', ...args], {
    env: { ...process.env, VIGIL_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`vigil ${command} did not start:\n${out}`)), 30_000);
    const check = () => {
      const m = /is running at (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        child.stdout.off('data', check);
        resolve({
          child,
          url: m[1],
          output: () => out,
          waitForOutput: async (text, timeoutMs = 10_000) => {
            const until = Date.now() + timeoutMs;
            while (!out.includes(text)) {
              if (Date.now() > until) throw new Error(`vigil serve never printed "${text}":\n${out}`);
              await new Promise((r) => setTimeout(r, 20));
            }
          },
          stop: async (signal = 'SIGTERM') => {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    };
    child.stdout.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`vigil serve exited with ${code}:\n${out}`));
    });
  });
}
