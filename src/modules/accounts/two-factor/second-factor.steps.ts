/**
 * The challenge between a sign-in's two steps, as every second factor's completion uses it (TOTP
 * and recovery codes in two-factor.service.ts; passkeys in their own module): open it, then either
 * end it with a two-factor session or count a wrong answer, in the caller's transaction.
 */
import type { SignInMethod } from '../../../audit/audit.events.js';
import { appendAuditEvent } from '../../../audit/audit.log.js';
import type { DbReader, DbTransaction } from '../../../db/connection.js';
import type { Clock } from '../../../lib/clock.js';
import { RateLimitedError, UnauthenticatedError } from '../../../lib/errors.js';
import { hashSecret } from '../../../lib/ids.js';
import * as accountsRepo from '../accounts.repo.js';
import { CHALLENGE_ATTEMPTS, finishSignIn, type SessionResult } from '../sessions.service.js';
import type { SecondFactorName } from './second-factors.js';
import { countSecondFactorFailure, secondFactorBlockedFor } from './sign-in-throttle.js';
import * as repo from './two-factor.repo.js';

/** A challenge that may still be answered, and whose sign-in it is. */
export interface OpenChallenge {
  idHash: string;
  user: accountsRepo.UserRow;
  firstMethod: SignInMethod;
}

const spent = () => new UnauthenticatedError('This sign-in has expired or was used. Sign in again.');

/**
 * The open challenge `challengeToken` names: 401 for an unknown, used or expired one, one with
 * too many wrong answers, or one of a disabled user; 429 while the account's wrong answers used up
 * the window (SECOND_FACTOR_FAILURES_LIMIT).
 */
export async function openChallenge(
  db: DbReader,
  challengeToken: string,
  now: string,
): Promise<OpenChallenge> {
  const idHash = hashSecret(challengeToken);
  const row = await repo.findChallenge(db, idHash);
  if (!row || row.used_at || row.expires_at <= now || row.attempts >= CHALLENGE_ATTEMPTS) throw spent();
  const user = await accountsRepo.findUserById(db, row.user_id);
  if (!user || user.disabled_at) throw spent();
  const blocked = await secondFactorBlockedFor(db, Date.parse(now), user.id);
  if (blocked !== null)
    throw new RateLimitedError(
      blocked,
      `Too many wrong second-factor answers for this account. Try again in ${blocked} seconds.`,
    );
  return { idHash, user, firstMethod: row.first_method as SignInMethod };
}

/**
 * Uses up the challenge (a concurrent answer loses: 401) and ends the sign-in with two factors
 * through `finishSignIn`, in the caller's transaction, after the caller verified `secondFactor`.
 */
export async function endChallengeWithSession(
  trx: DbTransaction,
  deps: { clock: Clock },
  challenge: OpenChallenge,
  input: { secondFactor: SecondFactorName; userAgent: string | null; addressHash?: string | undefined },
): Promise<SessionResult> {
  if (!(await repo.useChallenge(trx, challenge.idHash, deps.clock.now().toISOString()))) throw spent();
  const result = await finishSignIn(trx, deps, {
    user: challenge.user,
    method: challenge.firstMethod,
    userAgent: input.userAgent,
    factors: 2,
    secondFactor: input.secondFactor,
    ...(input.addressHash !== undefined && { addressHash: input.addressHash }),
  });
  if (result.kind !== 'session') throw new Error('a two-factor sign-in must end in a session');
  return result.session;
}

/**
 * Counts a wrong answer against the challenge (audited) and returns the 401 to answer: after
 * the fifth, the challenge is spent and the person signs in again.
 */
export async function failChallenge(
  trx: DbTransaction,
  deps: { clock: Clock },
  challenge: OpenChallenge,
  method: SecondFactorName,
  message: string,
): Promise<UnauthenticatedError> {
  const attempts = await repo.countChallengeAttempt(trx, challenge.idHash);
  await countSecondFactorFailure(trx, deps.clock.now().getTime(), challenge.user.id);
  await appendAuditEvent(trx, deps.clock, {
    actor: { type: 'user', id: challenge.user.id },
    action: 'user.second_factor_failed',
    subject: { type: 'user', id: challenge.user.id },
    data: { method, attempts },
  });
  return attempts >= CHALLENGE_ATTEMPTS
    ? new UnauthenticatedError('Too many wrong answers. Sign in again.')
    : new UnauthenticatedError(message);
}
