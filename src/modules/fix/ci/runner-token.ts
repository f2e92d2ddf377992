/**
 * What a CI runner's token looks like: `vgr_` and 43 base64url characters. The auth plugin and the
 * git bridge route a bearer token by this prefix to the runners service instead of API tokens.
 */
export const RUNNER_TOKEN_PREFIX = 'vgr';
export const RUNNER_TOKEN_PATTERN = /^vgr_[A-Za-z0-9_-]{43}$/;

/** True for a token that claims to be a runner's (valid or not: the runners service decides). */
export function isRunnerToken(token: string): boolean {
  return token.startsWith(`${RUNNER_TOKEN_PREFIX}_`);
}
