/**
 * Reading a person's TOTP secret (encrypted at rest, bound to their user id) and checking a code
 * against it. Checking does not use the code up: the caller marks its step used
 * (`useTotpStep`) in the transaction that acts on it, so that a code works once.
 */
import type { Db } from '../../../db/connection.js';
import type { Clock } from '../../../lib/clock.js';
import { fieldAad } from '../../../lib/crypto/encrypted-fields.js';
import type { Keyring } from '../../../lib/crypto/keyring.js';
import { base32Decode, base32Encode, verifyTotp } from './totp.js';
import * as repo from './two-factor.repo.js';

export interface TotpDeps {
  db: Db;
  clock: Clock;
  cipher: Pick<Keyring, 'encryptField' | 'decryptField'>;
}

/** Encrypts a secret for `userId`'s row. */
export function sealTotpSecret(deps: Pick<TotpDeps, 'cipher'>, userId: string, secret: Uint8Array): string {
  return deps.cipher.encryptField(base32Encode(secret), fieldAad('user_totp', 'secret_enc', userId));
}

/** Decrypts `userId`'s secret. */
export function openTotpSecret(deps: Pick<TotpDeps, 'cipher'>, userId: string, envelope: string): Buffer {
  return base32Decode(deps.cipher.decryptField(envelope, fieldAad('user_totp', 'secret_enc', userId)));
}

/**
 * The step `code` is good for under `userId`'s confirmed secret (unused, within one step of now),
 * or null (no confirmed secret, or a wrong, old or used code).
 */
export async function checkTotpCode(deps: TotpDeps, userId: string, code: string): Promise<number | null> {
  const row = await repo.findTotp(deps.db.kysely, userId);
  if (!row?.confirmed_at) return null;
  return verifyTotp(
    openTotpSecret(deps, userId, row.secret_enc),
    code,
    deps.clock.now().getTime(),
    row.last_used_step,
  );
}
