/**
 * The report form's proof of work (issue 11, item 6): the server issues a challenge and a
 * difficulty; the browser finds a nonce such that SHA-256 of `<challenge>:<nonce>` starts with
 * `difficulty` zero bits. A report carrying it is not held as possibly a flood (unless the server's
 * difficulty, which rises with the flood, rose past it meanwhile). Hashing runs in batches through
 * WebCrypto, in a Web Worker (solveInBackground), so the page stays responsive meanwhile. What counts
 * as solved is the server's own measure (proof-bits.ts).
 */
import { leadingZeroBits } from '../../../src/modules/cases/intake/proof-bits.js';

const BATCH = 512;

/** Finds a nonce for the challenge; rejects with an AbortError when `signal` aborts. */
export async function solveChallenge(
  challenge: string,
  difficulty: number,
  signal?: AbortSignal,
): Promise<string> {
  const encoder = new TextEncoder();
  for (let start = 0; ; start += BATCH) {
    signal?.throwIfAborted();
    const nonces = Array.from({ length: BATCH }, (_, i) => (start + i).toString(36));
    const digests = await Promise.all(
      nonces.map((nonce) => crypto.subtle.digest('SHA-256', encoder.encode(`${challenge}:${nonce}`))),
    );
    const found = digests.findIndex((d) => leadingZeroBits(new Uint8Array(d)) >= difficulty);
    const nonce = found >= 0 ? nonces[found] : undefined;
    if (nonce !== undefined) return nonce;
  }
}

/**
 * Solves the challenge in a Web Worker (same origin, so the CSP's `'self'` admits it), so that the
 * page stays responsive; on the page's own thread where workers are unavailable. Aborting ends the
 * worker.
 */
export function solveInBackground(
  challenge: string,
  difficulty: number,
  signal?: AbortSignal,
): Promise<string> {
  if (typeof Worker === 'undefined') return solveChallenge(challenge, difficulty, signal);
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./proof-of-work.worker.ts', import.meta.url), { type: 'module' });
    const stop = () => {
      worker.terminate();
      reject(signal?.reason ?? new Error('aborted'));
    };
    if (signal?.aborted) return stop();
    signal?.addEventListener('abort', stop, { once: true });
    worker.onmessage = (event: MessageEvent<{ nonce?: string; error?: string }>) => {
      signal?.removeEventListener('abort', stop);
      worker.terminate();
      if (event.data.nonce !== undefined) resolve(event.data.nonce);
      else reject(new Error(event.data.error ?? 'the proof of work failed'));
    };
    worker.onerror = () => {
      signal?.removeEventListener('abort', stop);
      worker.terminate();
      reject(new Error('the proof of work could not run'));
    };
    worker.postMessage({ challenge, difficulty });
  });
}
