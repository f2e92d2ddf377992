/**
 * How Vigil runs git: an argument array (never a shell), a sanitized environment (nothing inherited
 * that git reads: no GIT_* variable, no system or global configuration, an empty HOME, never a
 * prompt), a time limit and bounded output. Every git process of the fix repository starts here.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What fetching from an upstream may use: http(s) and local paths, never ssh, ext:: or helpers. */
export const UPSTREAM_PROTOCOLS = [
  '-c',
  'protocol.allow=never',
  '-c',
  'protocol.https.allow=always',
  '-c',
  'protocol.http.allow=always',
  '-c',
  'protocol.file.allow=always',
] as const;

/** Variables a git process may see from Vigil's own environment: where programs are, and the time zone. */
const PASSED_THROUGH = ['PATH', 'TZ', 'TMPDIR', 'SYSTEMROOT'] as const;

let emptyHome: string | undefined;

/** An empty directory of our own for HOME, so that no ~/.gitconfig or credential store is read. */
function homeDir(): string {
  emptyHome ??= mkdtempSync(join(tmpdir(), 'vigil-git-home-'));
  return emptyHome;
}

/** The environment of every git process, plus `extra` (the CGI variables, the hook's files). */
export function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of PASSED_THROUGH) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return {
    ...env,
    HOME: homeDir(),
    LC_ALL: 'C',
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_ASKPASS: 'true',
    SSH_ASKPASS: 'true',
    ...extra,
  };
}

/** A git command that failed: its exit, and the first lines of what it said (bounded). */
export class GitError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
    readonly exitCode: number | null,
    readonly timedOut: boolean,
  ) {
    super(message);
    this.name = 'GitError';
  }
}

export interface GitOptions {
  /** The repository (`--git-dir`), or none for commands that name their own. */
  gitDir?: string | undefined;
  /** Killed after this; 60 s unless given. */
  timeoutMs?: number | undefined;
  /** Largest standard output accepted; 8 MiB unless given. */
  maxBytes?: number | undefined;
  /** Extra `-c name=value` pairs and options before the subcommand. */
  pre?: readonly string[] | undefined;
  /** The working directory (a work tree git finds its repository from). */
  cwd?: string | undefined;
}

const MAX_STDERR = 2000;

/** Runs `git [pre...] [--git-dir D] args...`; its standard output, or a GitError. */
export function runGit(args: readonly string[], opts: GitOptions = {}): Promise<string> {
  const argv = [...(opts.pre ?? []), ...(opts.gitDir ? [`--git-dir=${opts.gitDir}`] : []), ...args];
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      argv,
      {
        env: gitEnv(),
        cwd: opts.cwd,
        timeout: opts.timeoutMs ?? 60_000,
        killSignal: 'SIGKILL',
        maxBuffer: opts.maxBytes ?? 8 * 1024 * 1024,
        encoding: 'utf8',
        windowsHide: true,
      },
      (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        const e = err as NodeJS.ErrnoException & { killed?: boolean; code?: number | string };
        const said = String(stderr).slice(0, MAX_STDERR);
        const timedOut = e.killed === true && e.code !== 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER';
        const reason =
          e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER'
            ? 'its output is larger than Vigil accepts'
            : timedOut
              ? 'it took too long'
              : firstLines(said) || `it exited with ${String(e.code)}`;
        reject(new GitError(`git ${args[0] ?? ''} failed: ${reason}`, said, numberOr(e.code), timedOut));
      },
    );
  });
}

function numberOr(code: number | string | undefined): number | null {
  return typeof code === 'number' ? code : null;
}

/** The first two non-empty lines of git's complaint, for a message. */
export function firstLines(text: string): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(0, 2)
    .join(' ')
    .slice(0, 300);
}

/** Kills a child that outlives its time; returns the cancel. */
export function killAfter(child: ChildProcess, ms: number): () => void {
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  timer.unref();
  return () => clearTimeout(timer);
}
