/**
 * Configuration from the environment (and CLI flags, which win). Every setting is documented in
 * README.md; nothing secret is ever printed or logged.
 */
import { resolve } from 'node:path';

export interface Config {
  host: string;
  port: number;
  /** Where SQLite, the key file and attachments live. */
  dataDir: string;
  /** PostgreSQL instead of SQLite when set. */
  databaseUrl: string | undefined;
  /** The address users reach Vigil at, for links in mail and the CLI (no trailing slash). */
  publicUrl: string;
  /** Behind a TLS-terminating proxy: trust X-Forwarded-* and mark cookies Secure. */
  trustProxy: boolean;
  logLevel: string;
  /** Base64 256-bit key; otherwise a key file under dataDir is used (created on first start). */
  masterKey: string | undefined;
  /** The previous master key, during rotation of an environment-supplied key. */
  previousMasterKey: string | undefined;
  /** Contact for the instance's security.txt (a mailto: or https: URI, or an address). */
  securityContact: string | undefined;
  /** `host:port` for the built-in SMTP listener (off when unset). */
  smtpListen: string | undefined;
}

export interface ConfigOverrides {
  port?: number | undefined;
  host?: string | undefined;
  dataDir?: string | undefined;
}

/** Reads configuration from `env`, with `overrides` (CLI flags) taking precedence. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: ConfigOverrides = {}): Config {
  const port = overrides.port ?? (env.VIGIL_PORT ? Number(env.VIGIL_PORT) : 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`The port must be an integer from 0 to 65535, not "${String(port)}".`);
  }
  const host = overrides.host ?? env.VIGIL_HOST ?? '127.0.0.1';
  const dataDir = resolve(overrides.dataDir ?? env.VIGIL_DATA_DIR ?? 'data');
  const publicUrl = (
    env.VIGIL_PUBLIC_URL ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  ).replace(/\/+$/, '');
  return {
    host,
    port,
    dataDir,
    databaseUrl: env.DATABASE_URL || undefined,
    publicUrl,
    trustProxy: env.VIGIL_TRUST_PROXY === 'true' || env.VIGIL_TRUST_PROXY === '1',
    logLevel: env.VIGIL_LOG_LEVEL ?? 'info',
    masterKey: env.VIGIL_MASTER_KEY || undefined,
    previousMasterKey: env.VIGIL_MASTER_KEY_PREVIOUS || undefined,
    securityContact: env.VIGIL_SECURITY_CONTACT || undefined,
    smtpListen: env.VIGIL_SMTP_LISTEN || undefined,
  };
}
