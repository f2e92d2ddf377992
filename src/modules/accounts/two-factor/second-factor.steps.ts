/**
 * The challenge between a sign-in's two steps, as every second factor's completion uses it (TOTP
 * and recovery codes in two-factor.service.ts; passkeys in their own module): open it, then either
 * end it with a two-factor session or count a wrong answer, in the caller's transaction.
 */
import type { SignInMethod } from '../../../audit/audit.events.js';
import { appendAuditEvent } from '../../../audit/audit.log.js';
import type { DbReader, DbTransaction, DbWriter } from '../../../db/connection.js';
import type { Clock } from '../../../lib/clock.js';
import { RateLimitedError, UnauthenticatedError } from '../../../lib/errors.js';
import { hashSecret } from '../../../lib/ids.js';
import * as accountsRepo from '../accounts.repo.js';
import { CHALLENGE_ATTEMPTS, finishSignIn, type SessionResult } from '../sessions.service.js';
import type { SecondFactorName } from './second-factors.js';
import {
  giveBackSecondFactorTry,
  reserveSecondFactorTry,
  secondFactorBlockedFor,
  type SecondFactorTry,
} from './sign-in-throttle.js';
import * as repo from './two-factor.repo.js';

/** A challenge that may still be answered, and whose sign-in it is. */
export interface OpenChallenge {
  idHash: string;
  user: accountsRepo.UserRow;
  firstMethod: SignInMethod;
}

/** An answer to a challenge, reserved before it is checked (`reserveAnswer`). */
export interface ReservedAnswer {
  challenge: OpenChallenge;
  /** This answer's number among the challenge's answers. */
  attempts: number;
  tried: SecondFactorTry;
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
 * Reserves one answer to the challenge before it is checked, committed at once: one of the
 * challenge's five (401 past them) and one of the account's window (429 past it). Answers sent at
 * once each take their own, so that no more are checked than the limits allow.
 */
export async function reserveAnswer(
  db: DbWriter,
  deps: { clock: Clock },
  challenge: OpenChallenge,
): Promise<ReservedAnswer> {
  const attempts = await repo.countChallengeAttempt(db, challenge.idHash);
  if (attempts > CHALLENGE_ATTEMPTS) throw new UnauthenticatedError('Too many wrong answers. Sign in again.');
  const tried = await reserveSecondFactorTry(db, deps.clock.now().getTime(), challenge.user.id);
  if (!tried.allowed)
    throw new RateLimitedError(
      tried.retryAfterSeconds,
      `Too many wrong second-factor answers for this account. Try again in ${tried.retryAfterSeconds} seconds.`,
    );
  return { challenge, attempts, tried };
}

/**
 * Uses up the challenge (a concurrent answer loses: 401) and ends the sign-in with two factors
 * through `finishSignIn`, in the caller's transaction, after the caller verified `secondFactor`.
 */
export async function endChallengeWithSession(
  trx: DbTransaction,
  deps: { clock: Clock },
  answer: ReservedAnswer,
  input: { secondFactor: SecondFactorName; userAgent: string | null; addressHash?: string | undefined },
): Promise<SessionResult> {
  const { challenge } = answer;
  if (!(await repo.useChallenge(trx, challenge.idHash, deps.clock.now().toISOString()))) throw spent();
  await giveBackSecondFactorTry(trx, challenge.user.id, answer.tried);
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
 * Audits a wrong answer (counted when it was reserved) and returns the 401 to answer: after the
 * fifth, the challenge is spent and the person signs in again.
 */
export async function failChallenge(
  trx: DbTransaction,
  deps: { clock: Clock },
  { challenge, attempts }: ReservedAnswer,
  method: SecondFactorName,
  message: string,
): Promise<UnauthenticatedError> {
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
