/**
 * Password sign-in throttling that nobody can turn into a lockout (issue 11, item 5). Three
 * counters, all in the database (several instances share them), all keyed by HMACs under an
 * instance secret (no email or address in clear):
 *
 * - per (account, address): after 5 failures that pair waits, 1 s doubling to 15 minutes;
 * - per address across accounts (credential stuffing): 50 failures in 15 minutes, then 429 until
 *   the window ends;
 * - per account from every address: never a refusal of the account. From 10 failures in 15
 *   minutes on, an address that never signed this person in is slowed down: each attempt first
 *   answers 429 with a Retry-After of a few seconds, and may come back then. An attempt carrying a
 *   correct TOTP code passes at once, and the person's usual address (a success from it before,
 *   kept as a keyed hash) is never slowed.
 */
import { createHmac } from 'node:crypto';
import type { Db, DbReader, DbTransaction, DbWriter } from '../../../db/connection.js';
import type { Clock } from '../../../lib/clock.js';
import { limitedAddress } from '../../../lib/client-address.js';
import type { Keyring } from '../../../lib/crypto/keyring.js';
import { instanceSecret } from '../../../lib/instance-secrets.js';
import { RateLimitedError } from '../../../lib/errors.js';
import * as repo from './two-factor.repo.js';

export const PAIR_FREE_FAILURES = 5;
export const PAIR_MAX_WAIT_SECONDS = 15 * 60;
/** A pair's failures are forgotten after a day without one. */
export const PAIR_FORGET_MS = 24 * 3_600_000;
export const ADDRESS_FAILURES_LIMIT = 50;
export const ACCOUNT_FAILURES_SLOW_FROM = 10;
export const FAILURE_WINDOW_SECONDS = 15 * 60;
/** How long a slowed-down address waits before its attempt, and how long it then may come back. */
export const SLOW_DOWN_SECONDS = 3;
export const SLOW_DOWN_GRACE_MS = 120_000;

/** The keyed names of one attempt's counters. */
export interface ThrottleKeys {
  pair: string;
  address: string;
  account: string;
  /** The address as kept among a user's known addresses. */
  addressHash: string;
}

/**
 * Derives the counters' keys from the email and the client address under `key` (an instance secret).
 * The address counts as client-address.ts says (an IPv6 address by its /64).
 */
export function throttleKeys(key: Buffer, email: string, ip: string): ThrottleKeys {
  const address = limitedAddress(ip);
  const mac = (label: string, ...parts: string[]) =>
    createHmac('sha256', key)
      .update([label, ...parts].join('\0'))
      .digest('hex');
  return {
    pair: mac('pair', email, address),
    address: `sign-in:fail:address:${mac('address', address)}`,
    account: `sign-in:fail:account:${mac('account', email)}`,
    addressHash: mac('known-address', address),
  };
}

/** The keyed hash a user's known address is stored as. */
export function addressHashOf(key: Buffer, address: string): string {
  return throttleKeys(key, '', address).addressHash;
}

/** The fixed 15-minute window `nowMs` falls in: its start (the counters' key) and when it ends. */
export function windowStart(nowMs: number): { start: string; endsMs: number } {
  const size = FAILURE_WINDOW_SECONDS * 1000;
  const startMs = Math.floor(nowMs / size) * size;
  return { start: new Date(startMs).toISOString(), endsMs: startMs + size };
}

const retryIn = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** What `checkSignInThrottle` reserved for an attempt, settled by its failure or success. */
export interface ThrottleReservation {
  /** The address window's count was taken up front (an address new to the account): refund on success. */
  addressWindow: string | null;
}

/**
 * Throws RateLimitedError (429 + Retry-After) when this attempt must wait; `known` when the address
 * signed this person in before, `secondFactorOk` when the attempt carries a correct code. Otherwise
 * it reserves the attempt BEFORE the password is checked, atomically: one more failure of the pair
 * (cleared on success), and, for an address new to the account, one more in the address's window
 * (given back on success). So requests sent at once share the budget instead of each passing the
 * check while the others are still hashing their password.
 */
export async function checkSignInThrottle(
  db: Db,
  clock: Clock,
  keys: ThrottleKeys,
  opts: { known: boolean; secondFactorOk: boolean },
): Promise<ThrottleReservation> {
  const k = db.kysely;
  const nowMs = clock.now().getTime();
  const pair = await repo.findThrottle(k, keys.pair);
  const lastFailureMs = pair?.last_failure_at ? Date.parse(pair.last_failure_at) : null;
  const failures =
    lastFailureMs !== null && lastFailureMs + PAIR_FORGET_MS > nowMs ? (pair?.failures ?? 0) : 0;
  if (failures >= PAIR_FREE_FAILURES && lastFailureMs !== null) {
    const waitMs = Math.min(2 ** (failures - PAIR_FREE_FAILURES), PAIR_MAX_WAIT_SECONDS) * 1000;
    if (nowMs < lastFailureMs + waitMs) throw new RateLimitedError(retryIn(lastFailureMs + waitMs - nowMs));
  }
  const window = windowStart(nowMs);
  if (!opts.known) {
    if ((await repo.readWindow(k, keys.address, window.start)) >= ADDRESS_FAILURES_LIMIT)
      throw new RateLimitedError(retryIn(window.endsMs - nowMs));
    if (
      !opts.secondFactorOk &&
      (await repo.readWindow(k, keys.account, window.start)) >= ACCOUNT_FAILURES_SLOW_FROM
    ) {
      // The account is under attack: this address may try once it has waited a few seconds.
      const slowUntilMs = pair?.slow_until ? Date.parse(pair.slow_until) : null;
      const mayTry = slowUntilMs !== null && nowMs >= slowUntilMs && nowMs < slowUntilMs + SLOW_DOWN_GRACE_MS;
      if (!mayTry) {
        if (slowUntilMs !== null && nowMs < slowUntilMs)
          throw new RateLimitedError(retryIn(slowUntilMs - nowMs));
        const until = nowMs + SLOW_DOWN_SECONDS * 1000;
        await repo.setThrottleSlowUntil(
          k,
          keys.pair,
          new Date(until).toISOString(),
          clock.now().toISOString(),
        );
        throw new RateLimitedError(SLOW_DOWN_SECONDS);
      }
    }
  }
  // Reserve: a concurrent attempt of the same pair that claimed first makes this one wait.
  const claimed = await repo.claimThrottleAttempt(
    k,
    keys.pair,
    pair ? pair.failures : null,
    failures + 1,
    clock.now().toISOString(),
  );
  if (!claimed) throw new RateLimitedError(1);
  if (opts.known) return { addressWindow: null };
  if ((await repo.countInWindow(k, keys.address, window.start)) > ADDRESS_FAILURES_LIMIT)
    throw new RateLimitedError(retryIn(window.endsMs - nowMs));
  return { addressWindow: window.start };
}

/**
 * Counts a failed attempt (the pair's failure was reserved already): against the account, and
 * against the address when it was not reserved up front (an address the person signed in from).
 */
export async function recordSignInFailure(
  db: Db,
  clock: Clock,
  keys: ThrottleKeys,
  reservation: ThrottleReservation,
): Promise<void> {
  const k = db.kysely;
  const window = windowStart(clock.now().getTime());
  if (reservation.addressWindow === null) await repo.countInWindow(k, keys.address, window.start);
  await repo.countInWindow(k, keys.account, window.start);
}

/** A right password: the pair starts afresh and the address's reserved count is given back. */
export async function settleSignInSuccess(
  trx: DbTransaction,
  keys: ThrottleKeys,
  reservation: ThrottleReservation,
): Promise<void> {
  await repo.clearThrottle(trx, keys.pair);
  if (reservation.addressWindow !== null)
    await repo.uncountInWindow(trx, keys.address, reservation.addressWindow);
}

/** A success: the pair starts afresh and the address becomes one of the person's known ones. */
export async function recordSignInSuccess(
  trx: DbTransaction,
  clock: Clock,
  keys: ThrottleKeys,
  userId: string,
): Promise<void> {
  await repo.clearThrottle(trx, keys.pair);
  await repo.rememberAddress(trx, userId, keys.addressHash, clock.now().toISOString());
}

/**
 * Wrong second-factor answers one account may get in a 15-minute window, whatever carried them
 * (codes sent with the password, answers to any number of challenges). Past it, no answer is
 * checked until the window ends: whoever knows the password cannot guess a six-digit code by
 * opening challenge after challenge. Only someone with the password can spend it.
 */
export const SECOND_FACTOR_FAILURES_LIMIT = 10;

const failureBucket = (userId: string) => `second-factor:fail:user:${userId}`;

/** When `userId`'s wrong answers used up the window: the seconds until it ends; otherwise null. */
export async function secondFactorBlockedFor(
  db: DbReader,
  nowMs: number,
  userId: string,
): Promise<number | null> {
  const window = windowStart(nowMs);
  const failures = await repo.readWindow(db, failureBucket(userId), window.start);
  return failures >= SECOND_FACTOR_FAILURES_LIMIT
    ? Math.max(1, Math.ceil((window.endsMs - nowMs) / 1000))
    : null;
}

/** One second-factor answer of `userId`, reserved in its window before it is checked. */
export interface SecondFactorTry {
  /** False when the window is used up: the answer must not be checked. */
  allowed: boolean;
  window: string;
  retryAfterSeconds: number;
}

/**
 * Reserves one second-factor answer of `userId` (atomically: answers sent at once each take their
 * own count) before it is checked; a right answer gives it back (`giveBackSecondFactorTry`).
 */
export async function reserveSecondFactorTry(
  db: DbWriter,
  nowMs: number,
  userId: string,
): Promise<SecondFactorTry> {
  const window = windowStart(nowMs);
  const hits = await repo.countInWindow(db, failureBucket(userId), window.start);
  return {
    allowed: hits <= SECOND_FACTOR_FAILURES_LIMIT,
    window: window.start,
    retryAfterSeconds: Math.max(1, Math.ceil((window.endsMs - nowMs) / 1000)),
  };
}

/** A right answer: its reserved count is given back (only wrong answers use up the window). */
export async function giveBackSecondFactorTry(
  db: DbWriter,
  userId: string,
  tried: SecondFactorTry,
): Promise<void> {
  await repo.uncountInWindow(db, failureBucket(userId), tried.window);
}

const secrets = new WeakMap<Db, Promise<Buffer>>();

/** The instance secret the throttle's keys and the known addresses are HMACed with (cached per database). */
export function signInSecret(deps: {
  db: Db;
  cipher: Pick<Keyring, 'encryptField' | 'decryptField'>;
  clock: Clock;
}): Promise<Buffer> {
  let secret = secrets.get(deps.db);
  if (!secret) {
    secret = instanceSecret(deps.db, deps.cipher, deps.clock, 'sign-in.throttle');
    secret.catch(() => secrets.delete(deps.db));
    secrets.set(deps.db, secret);
  }
  return secret;
}
