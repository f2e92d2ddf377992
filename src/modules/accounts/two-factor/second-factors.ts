/**
 * The registry of second factors: a sign-in whose first factor is not already two (a password, a
 * link, OpenID Connect) asks for one of these when the person has any enrolled. A part adding a
 * kind of second factor (passkeys) adds its entry here and its own completion route.
 */
import type { SecondFactorKind } from '../../../audit/audit.events.js';
import type { DbReader } from '../../../db/connection.js';
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
