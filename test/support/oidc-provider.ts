/**
 * A real OpenID Connect provider for the tests (`oidc-provider`, on a random loopback port), with
 * one confidential client and accounts the test sets, and a browser that signs in at it over real
 * HTTP (its development login and consent forms) with a cookie jar, up to the redirect back to Vigil.
 */
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { createServer, type RequestListener } from 'node:http';
import Provider from 'oidc-provider';

export interface ProviderAccountClaims {
  email?: string;
  email_verified?: boolean;
  name?: string;
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The provider's accounts by id (the login name): set before signing in. */
  accounts: Map<string, ProviderAccountClaims>;
  /**
   * Follows `authorizationUrl` as a browser would: logs in as `accountId`, consents, and answers
   * the URL the provider sends the browser back to (Vigil's callback, with code and state).
   */
  signIn(authorizationUrl: string, accountId: string): Promise<URL>;
  close(): Promise<void>;
}

/** Starts a provider whose one client may redirect only to `redirectUri`. */
export async function startTestProvider(redirectUri: string): Promise<TestProvider> {
  const accounts = new Map<string, ProviderAccountClaims>();
  const clientId = 'vigil-test';
  const clientSecret = randomBytes(24).toString('base64url');
  // The issuer names the port, known only once listening: the server delegates to the provider built then.
  let handle: RequestListener = (_req, res) => res.writeHead(503).end();
  const server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    async findAccount(_ctx, id) {
      const claims = accounts.get(id);
      if (!claims) return undefined;
      return { accountId: id, claims: () => ({ sub: id, ...claims }) };
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    features: { devInteractions: { enabled: true } },
    // Short lives, said explicitly (the provider notices defaults it was left to pick).
    ttl: {
      Interaction: 600,
      Session: 600,
      Grant: 600,
      AccessToken: 600,
      IdToken: 600,
      AuthorizationCode: 60,
    },
  });
  handle = provider.callback();

  async function signIn(authorizationUrl: string, accountId: string): Promise<URL> {
    const jar = new Map<string, string>();
    const remember = (res: Response) => {
      for (const line of res.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const eq = pair?.indexOf('=') ?? -1;
        if (pair && eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1));
      }
    };
    const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    let url = new URL(authorizationUrl);
    let body: URLSearchParams | undefined;
    for (let hop = 0; hop < 20; hop += 1) {
      if (!url.href.startsWith(issuer)) return url;
      const res = await fetch(url, {
        method: body ? 'POST' : 'GET',
        headers: { cookie: cookie(), ...(body && { 'content-type': 'application/x-www-form-urlencoded' }) },
        body,
        redirect: 'manual',
      });
      remember(res);
      body = undefined;
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        url = new URL(location, url);
        continue;
      }
      const html = await res.text();
      if (res.status !== 200) throw new Error(`provider answered ${res.status} at ${url.href}: ${html}`);
      // The development interaction page: a login form, then a consent form, posted to the same URL.
      const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
      if (prompt === 'login') body = new URLSearchParams({ prompt, login: accountId, password: 'any' });
      else if (prompt === 'consent') body = new URLSearchParams({ prompt });
      else throw new Error(`unexpected page at ${url.href}: ${html.slice(0, 500)}`);
    }
    throw new Error('too many redirects at the provider');
  }

  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    signIn,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
