/**
 * Files only their owner may read, written so that no reader ever sees half of one: the master key
 * and the audit key (created once, exclusively), and the audit checkpoints (replaced atomically).
 * Everything goes through a temporary file that is flushed to disk before it takes the real name.
 */
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';

/** Writes `text` to a new 0600 temporary file next to `file`, flushed to disk; returns its path. */
function writeTempFile(file: string, text: string): string {
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return temp;
}

/** Flushes a directory's entries (a rename or link in it) to disk, where the platform allows it. */
export function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some platforms cannot open a directory; the rename itself is still atomic.
  }
}

/**
 * Creates `file` with `text`, exclusively: the complete file is written under a temporary name and
 * hard-linked into place, which fails if the file exists. Two first starts racing therefore agree
 * on one file, and neither can read a half-written one. Returns false when the file already existed.
 */
export function createPrivateFileExclusively(file: string, text: string): boolean {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const temp = writeTempFile(file, text);
  try {
    linkSync(temp, file);
    fsyncDir(dirname(file));
    return true;
  } catch (err) {
    if (!(err instanceof Error && 'code' in err && err.code === 'EEXIST')) throw err;
    // Another process created it first: use theirs.
    return false;
  } finally {
    unlinkSync(temp);
  }
}

/** Replaces `file` with `text` atomically (temporary file + rename), mode 0600. */
export function writePrivateFileAtomically(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const temp = writeTempFile(file, text);
  try {
    renameSync(temp, file);
  } catch (err) {
    unlinkSync(temp);
    throw err;
  }
  fsyncDir(dirname(file));
}

/**
 * Why `file` may not be used as a private key file (not a regular file, or readable by others), or
 * undefined when it may. `what` names it in the message, e.g. "The master key file".
 */
export function privateFileProblem(file: string, what: string): string | undefined {
  const stat = statSync(file);
  if (!stat.isFile()) return `${what} ${file} is not a regular file.`;
  if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
    const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
    return (
      `${what} ${file} is accessible to other users (mode ${mode}); Vigil will not use it. ` +
      `Restrict it to its owner with: chmod 600 ${file}`
    );
  }
  return undefined;
}
