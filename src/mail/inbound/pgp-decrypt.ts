/**
 * Decrypting one OpenPGP message found in mail (armored or binary) with a project's keys, bounded:
 * decompression stops at the size limit (a compressed packet can expand a kilobyte into gigabytes).
 * Never throws: the outcome says why it failed.
 */
import type * as openpgp from 'openpgp';
import { lazyImport } from '../../lib/lazy.js';

/** openpgp.js (1.2 MB) loads at the first encrypted message, not at start. */
const openpgpModule = lazyImport(() => import('openpgp'));

export type DecryptOutcome =
  | { ok: true; data: Uint8Array; signed: boolean; filename: string | undefined }
  | { ok: false; reason: 'no-key' | 'unreadable' | 'too-large' };

export const ARMORED_MESSAGE = /-----BEGIN PGP MESSAGE-----[\s\S]*?-----END PGP MESSAGE-----/g;

/** True when `bytes` start (after whitespace) with an armored OpenPGP message. */
export function looksArmored(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1').trimStart();
  return head.startsWith('-----BEGIN PGP MESSAGE-----');
}

/** Decrypts `input` with any of `keys`; a message that is only signed (not encrypted) is unwrapped. */
export async function decryptMessage(
  input: string | Uint8Array,
  keys: readonly openpgp.PrivateKey[],
  maxBytes: number,
): Promise<DecryptOutcome> {
  const config = { maxDecompressedMessageSize: maxBytes };
  const pgp = await openpgpModule();
  let message: openpgp.Message<string | Uint8Array>;
  try {
    message =
      typeof input === 'string'
        ? await pgp.readMessage({ armoredMessage: input, config })
        : await pgp.readMessage({ binaryMessage: input, config });
  } catch {
    return { ok: false, reason: 'unreadable' };
  }
  try {
    if (message.getEncryptionKeyIDs().length === 0) {
      // Signed but not encrypted (`gpg --sign`): the content is there to read.
      const verified = await pgp.verify({ message, verificationKeys: [], format: 'binary', config });
      return { ok: true, data: verified.data, signed: verified.signatures.length > 0, filename: undefined };
    }
    if (keys.length === 0) return { ok: false, reason: 'no-key' };
    const result = await pgp.decrypt({ message, decryptionKeys: [...keys], format: 'binary', config });
    const filename = result.filename && result.filename !== 'msg.txt' ? result.filename : undefined;
    return { ok: true, data: result.data, signed: result.signatures.length > 0, filename };
  } catch (err) {
    const text = err instanceof Error ? err.message : '';
    if (/decompressed message size/i.test(text)) return { ok: false, reason: 'too-large' };
    if (/session key|no (decryption|private) key|not decrypted|decryption key/i.test(text)) {
      return { ok: false, reason: 'no-key' };
    }
    return { ok: false, reason: 'unreadable' };
  }
}
