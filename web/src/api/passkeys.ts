/**
 * Passkeys (WebAuthn): the account page's list, adding one (the browser's authenticator creates it
 * from the server's options), removing one; signing in with one, alone or as the second factor
 * after a password. Types read from the API document; the ceremonies run by @simplewebauthn/browser.
 */
import { browserSupportsWebAuthn, startAuthentication, startRegistration } from '@simplewebauthn/browser';
import { answer, api, ApiError, authApi, browserProblem, done } from './client.js';
import type { Answer } from './types.js';

type Signal = AbortSignal | undefined;

export type Passkey = Answer<'listPasskeys'>['passkeys'][number];
export type PasskeySignIn = Answer<'signInWithPasskey'>;

/** Whether this browser can use passkeys at all. */
export function passkeysSupported(): boolean {
  return browserSupportsWebAuthn();
}

/** The browser's or the authenticator's refusal, in words for the person (never a console error). */
function ceremonyFailed(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const name = err instanceof Error ? err.name : '';
  if (name === 'NotAllowedError' || name === 'AbortError')
    return browserProblem('The passkey was not used', 'The request was cancelled or timed out. Try again.');
  if (name === 'InvalidStateError')
    return browserProblem(
      'This passkey is registered already',
      'This authenticator already holds a passkey for your account.',
    );
  return browserProblem(
    'The passkey did not work',
    'Your browser or authenticator could not complete the request. Try again, or use another way to sign in.',
  );
}

/** The signed-in user's passkeys. */
export function listPasskeys(signal?: Signal): Promise<Passkey[]> {
  return answer(api.GET('/api/v1/me/passkeys', { signal })).then((r) => r.passkeys);
}

/** Creates a passkey with this browser's authenticator and registers it under `name`. */
export async function addPasskey(name: string): Promise<Passkey> {
  const optionsJSON = await answer(api.POST('/api/v1/me/passkeys/options'));
  let response;
  try {
    response = await startRegistration({ optionsJSON });
  } catch (err) {
    throw ceremonyFailed(err);
  }
  return answer(api.POST('/api/v1/me/passkeys', { body: { name, response } }));
}

/** Removes one of the user's passkeys. */
export function removePasskey(id: string): Promise<void> {
  return done(api.DELETE('/api/v1/me/passkeys/{id}', { params: { path: { id } } }));
}

/** Signs in with a passkey alone (the authenticator verifies the person). */
export async function signInWithPasskey(): Promise<PasskeySignIn> {
  const optionsJSON = await answer(authApi.POST('/api/v1/auth/passkey/options'));
  let response;
  try {
    response = await startAuthentication({ optionsJSON });
  } catch (err) {
    throw ceremonyFailed(err);
  }
  return answer(authApi.POST('/api/v1/auth/passkey', { body: { response } }));
}

/** Completes a password sign-in with one of the account's passkeys, as its second factor. */
export async function completeSecondFactorWithPasskey(challenge: string): Promise<PasskeySignIn> {
  const optionsJSON = await answer(
    authApi.POST('/api/v1/auth/second-factor/passkey/options', { body: { challenge } }),
  );
  let response;
  try {
    response = await startAuthentication({ optionsJSON });
  } catch (err) {
    throw ceremonyFailed(err);
  }
  return answer(authApi.POST('/api/v1/auth/second-factor/passkey', { body: { challenge, response } }));
}
