// oidc-provider (a dev dependency: the tests' real OpenID Connect provider) ships JavaScript without
// type declarations: this describes the little of it that test/support/oidc-provider.ts uses.

declare module 'oidc-provider' {
  import type { RequestListener } from 'node:http';

  export interface ProviderAccount {
    accountId: string;
    claims(): Promise<Record<string, unknown>> | Record<string, unknown>;
  }

  export interface ProviderConfiguration {
    clients?: Record<string, unknown>[];
    findAccount?: (ctx: unknown, id: string) => Promise<ProviderAccount | undefined>;
    claims?: Record<string, string[]>;
    cookies?: { keys?: string[] };
    features?: Record<string, { enabled: boolean }>;
    pkce?: { required?: () => boolean };
    ttl?: Record<string, number>;
  }

  export class Provider {
    constructor(issuer: string, configuration?: ProviderConfiguration);
    /** The provider is a Koa application: its request handler. */
    callback(): RequestListener;
  }
  export default Provider;
}
