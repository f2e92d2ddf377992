/**
 * What a proof of work is measured by: the leading zero bits of its SHA-256. Shared by the server
 * (held.ts checks proofs) and the web form (web/src/cases/proof-of-work.ts solves them), so that the
 * two can never disagree on what counts; pure, with no imports.
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
