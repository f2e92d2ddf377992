/**
 * The registry of second factors: a sign-in whose first factor is not already two (a password, a
 * link, OpenID Connect) asks for one of these when the person has any enrolled. A part adding a
 * kind of second factor (passkeys) adds its entry here and its own completion route.
 */
import type { SecondFactorKind } from '../../../audit/audit.events.js';
import type { DbReader } from '../../../db/connection.js';
import { UnauthenticatedError } from '../../../lib/errors.js';
import { passkeySecondFactor } from '../passkeys/passkey-second-factor.js';
import * as repo from './two-factor.repo.js';

export type SecondFactorName = SecondFactorKind;

export interface SecondFactorMethod {
  name: SecondFactorName;
  /** Whether `userId` can answer a challenge with this method now. */
  enrolled(db: DbReader, userId: string): Promise<boolean>;
}

export const totpMethod: SecondFactorMethod = {
  name: 'totp',
  async enrolled(db, userId) {
    const row = await repo.findTotp(db, userId);
    return row?.confirmed_at != null;
  },
};

export const recoveryMethod: SecondFactorMethod = {
  name: 'recovery',
  async enrolled(db, userId) {
    return (await repo.countUnusedRecoveryCodes(db, userId)) > 0;
  },
};

/** Every second factor, in the order the sign-in page offers them. */
export const SECOND_FACTORS: readonly SecondFactorMethod[] = [
  totpMethod,
  recoveryMethod,
  passkeySecondFactor,
];

/** The second factors `userId` has enrolled (none: one factor signs them in). */
export async function enrolledSecondFactors(db: DbReader, userId: string): Promise<SecondFactorName[]> {
  const enrolled = await Promise.all(SECOND_FACTORS.map((m) => m.enrolled(db, userId)));
  return SECOND_FACTORS.filter((_, i) => enrolled[i]).map((m) => m.name);
}

/**
 * Refuses (401) a change to `userId`'s sign-in factors (adding a passkey or TOTP, removing one
 * without proving it) through a credential that proved one factor (`factors`: a session from before
 * the person turned a second factor on, or an API token such a session made) while they have a
 * second factor: otherwise whoever holds the password or an old cookie adds their own factor and
 * signs in with two. With no second factor yet, one factor may enrol the first.
 */
export async function requireTwoFactorsToChangeFactors(
  db: DbReader,
  userId: string,
  factors: 1 | 2,
): Promise<void> {
  if (factors >= 2) return;
  if ((await enrolledSecondFactors(db, userId)).length === 0) return;
  throw new UnauthenticatedError(
    'Sign out and sign in again with your second factor to change how you sign in.',
  );
}
