/**
 * The ways to sign in that the instance offers (password; OpenID Connect when a provider is
 * configured), for the sign-in page: types read from the API document.
 */
import { answer, publicApi } from './client.js';
import type { Answer } from './types.js';

export type SignInMethods = Answer<'getSignInMethods'>;
export type OidcMethod = NonNullable<SignInMethods['oidc']>;

/** The sign-in methods (public). */
export function getSignInMethods(signal?: AbortSignal): Promise<SignInMethods> {
  return answer(publicApi.GET('/api/v1/auth/methods', { signal }));
}

/** Where the browser goes to sign in through the provider, coming back to `next`. */
export function oidcStartHref(method: OidcMethod, next: string): string {
  return `${method.startUrl}?${new URLSearchParams({ returnTo: next }).toString()}`;
}

/** What the sign-in page says when the provider's sign-in was refused (`?oidc-error=<code>`). */
export function oidcErrorMessage(code: string): string {
  switch (code) {
    case 'unavailable':
      return 'The sign-in provider cannot be reached right now. Try again in a few minutes, or sign in with your password.';
    case 'rate_limited':
      return 'Too many sign-ins were started from your network. Wait a few minutes, then try again.';
    case 'invalid_state':
      return 'This sign-in expired, was already used, or was started in another browser. Start again from this page.';
    case 'provider_error':
      return 'The provider did not sign you in (perhaps you cancelled). Try again.';
    case 'exchange_failed':
      return "The provider's answer could not be verified. Try again; if it keeps failing, tell an administrator.";
    case 'email_unverified':
      return 'Your provider has not verified your email address. Verify it there first, then try again.';
    case 'no_account':
      return 'There is no Vigil account with the email address your provider gave, and this instance does not create accounts at sign-in. Ask an administrator to create your account, then sign in again.';
    case 'account_disabled':
      return 'Your Vigil account is disabled. Ask an administrator.';
    default:
      return 'Signing in through the provider did not work. Try again.';
  }
}
