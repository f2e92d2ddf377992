/**
 * The report form's proof of work (issue 11, item 6): the server issues a challenge and a
 * difficulty; the browser finds a nonce such that SHA-256 of `<challenge>:<nonce>` starts with
 * `difficulty` zero bits. A report carrying it is never held as possibly a flood. Hashing runs in
 * batches through WebCrypto (asynchronous), so the page stays responsive meanwhile.
 */

/** How many leading bits of `bytes` are zero. */
export function leadingZeroBits(bytes: Uint8Array): number {
  let bits = 0;
  for (const byte of bytes) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

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
