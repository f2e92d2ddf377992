/**
 * Two-factor sign-in as the pages use it: the second step of a sign-in, and one's own TOTP set-up.
 * Types read from the API document; one function per operation.
 */
import { answer, api, authApi, done } from './client.js';
import type { Answer, Body } from './types.js';

type Signal = AbortSignal | undefined;

export type TwoFactorStatus = Answer<'getTwoFactor'>;
export type TotpStart = Answer<'startTotp'>;
export type SecondFactorAnswer = Body<'completeSecondFactor'>;
export type SignInStep = Answer<'signIn'>;
/** The challenge a first step answered when the account has a second factor. */
export type SecondFactorChallenge = Extract<SignInStep, { secondFactor: unknown }>['secondFactor'];

/** The challenge in a sign-in answer, or null when the answer is a session. */
export function challengeOf(step: SignInStep): SecondFactorChallenge | null {
  return 'secondFactor' in step ? step.secondFactor : null;
}

/** The second step of a sign-in: the challenge and a current code or a recovery code. */
export function completeSecondFactor(body: SecondFactorAnswer): Promise<Answer<'completeSecondFactor'>> {
  return answer(authApi.POST('/api/v1/auth/second-factor', { body }));
}

/** What one's account shows of two-factor sign-in. */
export function getTwoFactor(signal?: Signal): Promise<TwoFactorStatus> {
  return answer(api.GET('/api/v1/me/two-factor', { signal }));
}

/** Starts setting up sign-in codes: the secret and the otpauth URI, this once. */
export function startTotp(): Promise<TotpStart> {
  return answer(api.POST('/api/v1/me/totp'));
}

/** Turns sign-in codes on with a first code; answers the recovery codes, this once. */
export function confirmTotp(code: string): Promise<Answer<'confirmTotp'>> {
  return answer(api.POST('/api/v1/me/totp/confirm', { body: { code } }));
}

/** Turns sign-in codes off with a current code, a recovery code or the password. */
export function disableTotp(body: Body<'disableTotp'>): Promise<void> {
  return done(api.DELETE('/api/v1/me/totp', { body }));
}
