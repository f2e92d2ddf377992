/**
 * Configuration from the environment (and CLI flags, which win). Every setting is documented in
 * README.md; nothing secret is ever printed or logged.
 */
import { basename, dirname, join, resolve } from 'node:path';

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
  /** Base64 of the 32-byte audit key (VIGIL_AUDIT_KEY); otherwise `<dataDir>/audit.key`. */
  auditKey: string | undefined;
  /** Where signed audit checkpoints are written (VIGIL_AUDIT_CHECKPOINT_DIR; beside dataDir by default). */
  auditCheckpointDir: string;
  /** Seconds between looks at the audit head for a new checkpoint (VIGIL_AUDIT_CHECKPOINT_SECONDS, 60). */
  auditCheckpointSeconds: number;
  /** Leading zero bits of a report's proof of work within the quota (held.ts DEFAULT_PROOF_BITS when unset). */
  proofOfWorkBits: number | undefined;
  /** Statements slower than this many ms are logged, SQL text only (VIGIL_SLOW_QUERY_MS; off when unset). */
  slowQueryMs: number | undefined;
  /** A witness mailbox that receives every checkpoint (VIGIL_AUDIT_WITNESS_EMAIL). */
  auditWitnessEmail: string | undefined;
  /** A witness URL that every checkpoint is POSTed to (VIGIL_AUDIT_WITNESS_URL). */
  auditWitnessUrl: string | undefined;
}

/**
 * Where audit checkpoints go by default: a folder beside the data directory, not inside it
 * (`/var/lib/vigil` -> `/var/lib/vigil-audit-checkpoints`), so that a copy of the data directory
 * (or its loss) does not take the checkpoints with it. Production should point
 * VIGIL_AUDIT_CHECKPOINT_DIR at storage the database host cannot rewrite.
 */
export function defaultCheckpointDir(dataDir: string): string {
  const abs = resolve(dataDir);
  return join(dirname(abs), `${basename(abs)}-audit-checkpoints`);
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
    auditKey: env.VIGIL_AUDIT_KEY || undefined,
    auditCheckpointDir: env.VIGIL_AUDIT_CHECKPOINT_DIR
      ? resolve(env.VIGIL_AUDIT_CHECKPOINT_DIR)
      : defaultCheckpointDir(dataDir),
    auditCheckpointSeconds: checkpointSeconds(env.VIGIL_AUDIT_CHECKPOINT_SECONDS),
    auditWitnessEmail: env.VIGIL_AUDIT_WITNESS_EMAIL || undefined,
    auditWitnessUrl: env.VIGIL_AUDIT_WITNESS_URL || undefined,
    proofOfWorkBits: proofOfWorkBits(env.VIGIL_PROOF_OF_WORK_BITS),
    slowQueryMs: slowQueryMs(env.VIGIL_SLOW_QUERY_MS),
  };
}

/** VIGIL_PROOF_OF_WORK_BITS: the report form's proof of work within the quota, 8 to 24 bits. */
function proofOfWorkBits(raw: string | undefined): number | undefined {
  if (!raw) return undefined;
  const bits = Number(raw);
  if (!Number.isInteger(bits) || bits < 8 || bits > 24) {
    throw new Error(`VIGIL_PROOF_OF_WORK_BITS must be a whole number from 8 to 24, not "${raw}".`);
  }
  return bits;
}

/** VIGIL_AUDIT_CHECKPOINT_SECONDS: 1 to 60 (a checkpoint at least every minute of activity). */
function slowQueryMs(raw: string | undefined): number | undefined {
  if (!raw) return undefined;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 0 || ms > 60_000) {
    throw new Error(
      `VIGIL_SLOW_QUERY_MS must be a whole number of milliseconds from 0 to 60000, not "${raw}".`,
    );
  }
  return ms;
}

function checkpointSeconds(raw: string | undefined): number {
  if (!raw) return 60;
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 60) {
    throw new Error(`VIGIL_AUDIT_CHECKPOINT_SECONDS must be a whole number from 1 to 60, not "${raw}".`);
  }
  return seconds;
}
