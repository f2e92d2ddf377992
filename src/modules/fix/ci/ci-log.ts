/**
 * A run's log is bounded to its newest bytes: what a failing test printed last is what matters.
 * Pure helpers shared by the runner (which collects output) and the service (which stores it).
 */
import { fieldAad } from '../../../lib/crypto/encrypted-fields.js';
import type { Keyring } from '../../../lib/crypto/keyring.js';

const TRUNCATED = '[... earlier output dropped ...]\n';

/** The last `maxBytes` bytes of `text` (UTF-8), marked when something was dropped. */
export function keepLogTail(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  return TRUNCATED + sliceFromCharBoundary(bytes.subarray(bytes.length - maxBytes)).toString('utf8');
}

/** Drops continuation bytes at the start, so a cut never leaves half a character. */
function sliceFromCharBoundary(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length && i < 4 && ((b[i] ?? 0) & 0xc0) === 0x80) i += 1;
  return b.subarray(i);
}

/** Collects a stream's chunks, keeping only the newest `maxBytes` bytes in memory. */
export function createTailBuffer(maxBytes: number) {
  const chunks: Buffer[] = [];
  let size = 0;
  let dropped = false;
  return {
    push(chunk: Buffer | string): void {
      const b = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      chunks.push(b);
      size += b.length;
      while (size > maxBytes && chunks.length > 0) {
        const first = chunks[0] as Buffer;
        const excess = size - maxBytes;
        dropped = true;
        if (first.length <= excess) {
          chunks.shift();
          size -= first.length;
        } else {
          chunks[0] = first.subarray(excess);
          size -= excess;
        }
      }
    },
    /** The kept text, marked when older output was dropped. */
    text(): string {
      const body = Buffer.concat(chunks, size);
      return dropped ? TRUNCATED + sliceFromCharBoundary(body).toString('utf8') : body.toString('utf8');
    },
  };
}

/** Seals and opens a run's log, bound to its row (`ci_runs.log_enc:<run id>`). */
export function runLogCipher(cipher: Pick<Keyring, 'encryptField' | 'decryptField'>) {
  return {
    seal: (runId: string, log: string) => cipher.encryptField(log, fieldAad('ci_runs', 'log_enc', runId)),
    open: (runId: string, sealed: string) =>
      cipher.decryptField(sealed, fieldAad('ci_runs', 'log_enc', runId)),
  };
}
export type RunLogCipher = ReturnType<typeof runLogCipher>;
