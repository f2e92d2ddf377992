/**
 * Where a running `vigil serve` can be reached, recorded in its data directory (`server.json`): the
 * CLI prints sign-in links on that address when VIGIL_PUBLIC_URL is not set in its own shell. Written
 * when the server listens, removed when it stops cleanly; a file left by a crashed server names a pid
 * that is no longer alive, and is ignored.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SERVER_FILE = 'server.json';

export interface ServerAddress {
  /** The address links should use: VIGIL_PUBLIC_URL of the server, or where it listens. */
  url: string;
  pid: number;
  startedAt: string;
}

export function serverFilePath(dataDir: string): string {
  return join(dataDir, SERVER_FILE);
}

/** Records the running server's address (atomically: a reader never sees half a file). */
export function writeServerAddress(dataDir: string, address: ServerAddress): void {
  mkdirSync(dataDir, { recursive: true });
  const file = serverFilePath(dataDir);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(address, null, 2)}\n`, { mode: 0o644 });
  renameSync(temporary, file);
}

/** Removes the record, if it is this process's (another server may have started on the directory since). */
export function removeServerAddress(dataDir: string, pid = process.pid): void {
  const recorded = readServerAddress(dataDir);
  if (recorded?.pid === pid) rmSync(serverFilePath(dataDir), { force: true });
}

/** Whether a process with this id exists (on this host). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether `url` is a bare http(s) address (a path allowed): the CLI prints sign-in links on it, so
 * no control character or space (which would reach the operator's terminal), no credentials, query
 * or fragment.
 */
function isBareAddress(url: string): boolean {
  if (!/^https?:\/\/[^\s\p{Cc}]+$/u.test(url)) return false;
  try {
    const u = new URL(url);
    return u.hostname !== '' && !u.username && !u.password && !u.search && !u.hash;
  } catch {
    return false;
  }
}

/** The recorded address, whether or not its server still runs; undefined when absent or unreadable. */
export function readServerAddress(dataDir: string): ServerAddress | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(serverFilePath(dataDir), 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { url, pid, startedAt } = parsed as Record<string, unknown>;
  if (typeof url !== 'string' || !isBareAddress(url) || typeof pid !== 'number') return undefined;
  return { url: url.replace(/\/+$/, ''), pid, startedAt: typeof startedAt === 'string' ? startedAt : '' };
}

/** The address of the server running on `dataDir` now (its pid alive), if any. */
export function runningServerAddress(dataDir: string): ServerAddress | undefined {
  const recorded = readServerAddress(dataDir);
  return recorded && pidAlive(recorded.pid) ? recorded : undefined;
}
