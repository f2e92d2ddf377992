/**
 * OpenID Connect sign-in settings, from the environment: `VIGIL_OIDC_ISSUER`, `VIGIL_OIDC_CLIENT_ID`,
 * `VIGIL_OIDC_CLIENT_SECRET`, `VIGIL_OIDC_ALLOW_SIGNUP` (default false) and `VIGIL_OIDC_NAME` (the
 * sign-in button's label). Off unless the issuer and the client id are both set.
 */

export interface OidcSettings {
  /** The provider's issuer identifier (discovery at `<issuer>/.well-known/openid-configuration`). */
  issuer: string;
  clientId: string;
  /** Absent for a public client (PKCE only). */
  clientSecret: string | undefined;
  /** Whether a verified email with no account creates one (off by default). */
  allowSignup: boolean;
  /** The provider's name on the sign-in button: "Sign in with <name>". */
  name: string;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Whether plain http is acceptable for this issuer: only on the local machine (a test or a dev provider). */
export function isLoopbackIssuer(issuer: string): boolean {
  const url = new URL(issuer);
  return url.protocol === 'http:' && LOOPBACK.has(url.hostname);
}

/** Reads the settings; undefined when OpenID Connect is not configured; throws on a half or bad configuration. */
export function oidcSettingsFromEnv(env: NodeJS.ProcessEnv): OidcSettings | undefined {
  const issuer = env.VIGIL_OIDC_ISSUER?.trim() || undefined;
  const clientId = env.VIGIL_OIDC_CLIENT_ID?.trim() || undefined;
  if (!issuer && !clientId) return undefined;
  if (!issuer || !clientId) {
    throw new Error('OpenID Connect needs both VIGIL_OIDC_ISSUER and VIGIL_OIDC_CLIENT_ID (or neither).');
  }
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new Error(`VIGIL_OIDC_ISSUER must be a URL, not "${issuer}".`);
  }
  if (url.protocol !== 'https:' && !isLoopbackIssuer(issuer)) {
    throw new Error('VIGIL_OIDC_ISSUER must be an https URL (plain http only for localhost).');
  }
  const signup = env.VIGIL_OIDC_ALLOW_SIGNUP?.trim() ?? 'false';
  if (!['true', 'false', '1', '0', ''].includes(signup)) {
    throw new Error(`VIGIL_OIDC_ALLOW_SIGNUP must be true or false, not "${signup}".`);
  }
  const name = (env.VIGIL_OIDC_NAME?.trim() || url.hostname).slice(0, 60);
  return {
    issuer,
    clientId,
    clientSecret: env.VIGIL_OIDC_CLIENT_SECRET || undefined,
    allowSignup: signup === 'true' || signup === '1',
    name,
  };
}
