/**
 * The passkey as a second factor, in the shape of the twofactor part's registry entry
 * (`SecondFactorMethod` in `src/modules/accounts/two-factor/second-factors.ts`): the lead adds it to
 * that list, so that a password sign-in of an account with a passkey asks for it.
 */
import type { DbReader } from '../../../db/connection.js';
import { userHasPasskey } from './passkeys.repo.js';

export const passkeySecondFactor = {
  name: 'passkey' as const,
  /** Whether the user has a passkey to complete a sign-in with. */
  enrolled: (db: DbReader, userId: string): Promise<boolean> => userHasPasskey(db, userId),
};
