/**
 * Two-factor sign-in with TOTP (issue 11, item 4): enrolment (a secret shown once, confirmed by a
 * first code, then ten single-use recovery codes shown once and stored hashed), turning it off
 * (with a current code, a recovery code or the password), what one's account shows of it, and the
 * second step of a sign-in (`completeSecondFactor`: a challenge from `finishSignIn` answered with a
 * code or a recovery code). Every change is audited; no code or secret reaches the audit data.
 */
import { randomBytes } from 'node:crypto';
import { appendAuditEvent } from '../../../audit/audit.log.js';
import { authorize, type Principal } from '../../../authz/authz.policy.js';
import { actorOf } from '../../../authz/access.js';
import type { Db, DbTransaction } from '../../../db/connection.js';
import type { Clock } from '../../../lib/clock.js';
import type { Keyring } from '../../../lib/crypto/keyring.js';
import {
  ConflictError,
  RateLimitedError,
  UnauthenticatedError,
  ValidationError,
} from '../../../lib/errors.js';
import { hashSecret, newId } from '../../../lib/ids.js';
import * as accountsRepo from '../accounts.repo.js';
import { passwordHasher, type PasswordHasher } from '../password.js';
import type { SessionResult } from '../sessions.service.js';
import {
  endChallengeWithSession,
  failChallenge,
  openChallenge,
  reserveAnswer,
} from './second-factor.steps.js';
import {
  enrolledSecondFactors,
  requireTwoFactorsToChangeFactors,
  type SecondFactorName,
} from './second-factors.js';
import {
  addressHashOf,
  giveBackSecondFactorTry,
  reserveSecondFactorTry,
  signInSecret,
  type SecondFactorTry,
} from './sign-in-throttle.js';
import { base32Encode, newTotpSecret, otpauthUri, verifyTotp } from './totp.js';
import { checkTotpCode, openTotpSecret, sealTotpSecret } from './totp-check.js';
import * as repo from './two-factor.repo.js';
import { enqueueAccountSecurityMail } from '../account-notify.js';

export interface TwoFactorDeps {
  db: Db;
  clock: Clock;
  cipher: Pick<Keyring, 'encryptField' | 'decryptField'>;
  /** The issuer authenticator apps show beside the account (the instance's name). */
  totpIssuer?: string | undefined;
  passwords?: PasswordHasher | undefined;
}

export const RECOVERY_CODES = 10;
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A recovery code: 16 characters (about 78 bits) in four groups, `abcd-efgh-jkmn-pqrs`. */
function newRecoveryCode(): string {
  const bytes = randomBytes(16);
  const chars = [...bytes].map((b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]).join('');
  return chars.match(/.{4}/g)?.join('-') ?? chars;
}

/** A recovery code as stored: the hash of its characters, bound to its owner. */
function recoveryCodeHash(userId: string, code: string): string {
  return hashSecret(`recovery:${userId}:${code.toLowerCase().replace(/[^a-z0-9]/g, '')}`);
}

export interface TwoFactorStatus {
  totp: 'off' | 'pending' | 'on';
  recoveryCodesLeft: number;
  /** The second factors a sign-in would ask for. */
  methods: SecondFactorName[];
}

export type TwoFactorService = ReturnType<typeof createTwoFactorService>;

/** Builds the two-factor service. */
export function createTwoFactorService(deps: TwoFactorDeps) {
  const { db, clock } = deps;
  const k = db.kysely;
  const passwords = deps.passwords ?? passwordHasher;
  const issuer = deps.totpIssuer ?? 'Vigil';
  const nowIso = () => clock.now().toISOString();

  function self(principal: Principal): string {
    authorize(principal, 'self.manage');
    if (principal.kind !== 'user') throw new UnauthenticatedError();
    return principal.userId;
  }

  /** The caller, when their credential may change their sign-in factors (second-factors.ts). */
  async function selfChangingFactors(principal: Principal): Promise<string> {
    const userId = self(principal);
    await requireTwoFactorsToChangeFactors(k, userId, principal.kind === 'user' ? principal.factors : 1);
    return userId;
  }

  async function issueRecoveryCodes(trx: DbTransaction, userId: string): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
    await repo.replaceRecoveryCodes(
      trx,
      userId,
      codes.map((code) => ({ id: newId(), code_hash: recoveryCodeHash(userId, code), created_at: nowIso() })),
    );
    return codes;
  }

  return {
    /**
     * The projects whose policy asks the caller for two factors (they are on the team, or on the
     * Fix Team or a collaborator on one of its cases), for the UI to say so when the session has one.
     */
    async projectsRequiringTwoFactor(principal: Principal): Promise<{ slug: string; name: string }[]> {
      const userId = self(principal);
      const rows = await repo.listTwoFactorProjectsOfUser(k, userId);
      return rows.map((r) => ({ slug: r.slug, name: r.name }));
    },

    /** What the caller's account shows of two-factor sign-in. */
    async getStatus(principal: Principal): Promise<TwoFactorStatus> {
      const userId = self(principal);
      const [row, left, methods] = await Promise.all([
        repo.findTotp(k, userId),
        repo.countUnusedRecoveryCodes(k, userId),
        enrolledSecondFactors(k, userId),
      ]);
      return {
        totp: !row ? 'off' : row.confirmed_at ? 'on' : 'pending',
        recoveryCodesLeft: left,
        methods,
      };
    },

    /**
     * Starts a TOTP enrolment: a fresh secret, shown once (as base32 and as an `otpauth://` URI);
     * nothing changes at sign-in until a first code confirms it. Refused (409) while TOTP is on.
     */
    async startTotp(principal: Principal): Promise<{ secret: string; otpauthUri: string }> {
      const userId = await selfChangingFactors(principal);
      const user = await accountsRepo.findUserById(k, userId);
      if (!user) throw new UnauthenticatedError();
      const secret = newTotpSecret();
      await k.transaction().execute(async (trx) => {
        const existing = await repo.findTotp(trx, userId);
        if (existing?.confirmed_at)
          throw new ConflictError(
            'Two-factor sign-in with a code is already on. Turn it off first to set it up again.',
          );
        await repo.upsertPendingTotp(trx, {
          user_id: userId,
          secret_enc: sealTotpSecret(deps, userId, secret),
          created_at: nowIso(),
        });
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'user.totp_started',
          subject: { type: 'user', id: userId },
          data: {},
        });
      });
      return { secret: base32Encode(secret), otpauthUri: otpauthUri(issuer, user.email, secret) };
    },

    /**
     * Confirms the enrolment with a first code: TOTP is on, and ten recovery codes are returned,
     * this once. The session that confirmed it now counts two factors (it proved both).
     */
    async confirmTotp(
      principal: Principal,
      input: { code: string },
      sessionIdHash: string | undefined,
    ): Promise<{ recoveryCodes: string[] }> {
      const userId = await selfChangingFactors(principal);
      const row = await repo.findTotp(k, userId);
      if (!row || row.confirmed_at)
        throw new ConflictError('There is no two-factor set-up waiting for a code. Start again.');
      const step = verifyTotp(
        openTotpSecret(deps, userId, row.secret_enc),
        input.code,
        clock.now().getTime(),
        null,
      );
      if (step === null)
        throw new ValidationError(
          'The code is wrong. Check the time on your device and enter the current code.',
          [{ path: 'code', message: 'is wrong' }],
        );
      return k.transaction().execute(async (trx) => {
        await repo.confirmTotp(trx, userId, nowIso(), step);
        const recoveryCodes = await issueRecoveryCodes(trx, userId);
        if (sessionIdHash !== undefined) await repo.raiseSessionFactors(trx, sessionIdHash, userId);
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'user.totp_enabled',
          subject: { type: 'user', id: userId },
          data: { recoveryCodes: recoveryCodes.length },
        });
        await enqueueAccountSecurityMail(trx, clock, { userId, change: 'totp-enabled' });
        return { recoveryCodes };
      });
    },

    /** Turns TOTP off (and its recovery codes), proven by a current code, a recovery code or the password. */
    async disableTotp(
      principal: Principal,
      input: { code?: string | undefined; recoveryCode?: string | undefined; password?: string | undefined },
    ): Promise<void> {
      const userId = self(principal);
      const row = await repo.findTotp(k, userId);
      if (!row) throw new ConflictError('Two-factor sign-in with a code is not on.');
      const wrong = (path: string) =>
        new ValidationError(
          'That does not prove it is you: give a current code, a recovery code or your password.',
          [{ path, message: 'is wrong' }],
        );
      let by: 'code' | 'recovery' | 'password';
      let step: number | null = null;
      let tried: SecondFactorTry | undefined;
      if (input.code !== undefined) {
        // A code is a second-factor answer like at sign-in: within the account's window, reserved
        // before it is checked (an old one-factor session must not guess its way to turning it off).
        tried = await reserveSecondFactorTry(k, clock.now().getTime(), userId);
        if (!tried.allowed)
          throw new RateLimitedError(
            tried.retryAfterSeconds,
            `Too many wrong second-factor answers for this account. Try again in ${tried.retryAfterSeconds} seconds.`,
          );
        step = row.confirmed_at ? await checkTotpCode(deps, userId, input.code) : null;
        if (step === null) throw wrong('code');
        by = 'code';
      } else if (input.recoveryCode !== undefined) {
        by = 'recovery';
      } else if (input.password !== undefined) {
        // The password is the first factor: alone, it turns the second off only from a session
        // that proved the second (not from an old one-factor session or its tokens).
        await requireTwoFactorsToChangeFactors(k, userId, principal.kind === 'user' ? principal.factors : 1);
        const ok = await passwords.verify(await accountsRepo.findPasswordHash(k, userId), input.password);
        if (!ok) throw wrong('password');
        by = 'password';
      } else {
        throw new ValidationError('Give a current code, a recovery code or your password.', [
          { path: 'code', message: 'required' },
        ]);
      }
      await k.transaction().execute(async (trx) => {
        if (step !== null && !(await repo.useTotpStep(trx, userId, step))) throw wrong('code');
        if (tried) await giveBackSecondFactorTry(trx, userId, tried);
        if (
          by === 'recovery' &&
          !(await repo.useRecoveryCode(
            trx,
            userId,
            recoveryCodeHash(userId, input.recoveryCode ?? ''),
            nowIso(),
          ))
        )
          throw wrong('recoveryCode');
        await repo.deleteTotp(trx, userId);
        await repo.replaceRecoveryCodes(trx, userId, []);
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'user.totp_disabled',
          subject: { type: 'user', id: userId },
          data: { by },
        });
        await enqueueAccountSecurityMail(trx, clock, { userId, change: 'totp-disabled' });
      });
    },

    /**
     * The second step of a sign-in: answers the challenge `finishSignIn` issued with a current
     * code or a recovery code. Right: the session starts with two factors (`user.signed_in` names
     * the first method and the second). Wrong: counted; after 5 the challenge is spent and the
     * person signs in again. A spent, expired or unknown challenge answers 401.
     */
    async completeSecondFactor(input: {
      challenge: string;
      totp?: string | undefined;
      recoveryCode?: string | undefined;
      ip: string;
      userAgent: string | null;
    }): Promise<SessionResult> {
      const challenge = await openChallenge(k, input.challenge, nowIso());
      const answer = await reserveAnswer(k, deps, challenge);
      const userId = challenge.user.id;
      const method: 'totp' | 'recovery' = input.totp !== undefined ? 'totp' : 'recovery';
      const step = input.totp !== undefined ? await checkTotpCode(deps, userId, input.totp) : null;
      const addressHash = addressHashOf(await signInSecret(deps), input.ip);
      const session = await k.transaction().execute(async (trx) => {
        const ok =
          method === 'totp'
            ? step !== null && (await repo.useTotpStep(trx, userId, step))
            : await repo.useRecoveryCode(
                trx,
                userId,
                recoveryCodeHash(userId, input.recoveryCode ?? ''),
                nowIso(),
              );
        if (!ok) return undefined;
        if (method === 'recovery') {
          const left = await repo.countUnusedRecoveryCodes(trx, userId);
          await appendAuditEvent(trx, clock, {
            actor: { type: 'user', id: userId },
            action: 'user.recovery_code_used',
            subject: { type: 'user', id: userId },
            data: { left },
          });
          await enqueueAccountSecurityMail(trx, clock, {
            userId,
            change: 'recovery-code-used',
            recoveryCodesLeft: left,
          });
        }
        return endChallengeWithSession(trx, deps, answer, {
          secondFactor: method,
          userAgent: input.userAgent,
          addressHash,
        });
      });
      if (session) return session;
      throw await k
        .transaction()
        .execute((trx) =>
          failChallenge(
            trx,
            deps,
            answer,
            method,
            method === 'totp'
              ? 'The code is wrong. Enter the current code from your app.'
              : 'The recovery code is wrong or was used.',
          ),
        );
    },
  };
}
