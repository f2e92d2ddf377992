/**
 * What every operator command shares: where it reads and writes (`CliIo`: the process, or what a
 * test passes in), opening the same database the server uses (`--data DIR` or DATABASE_URL),
 * printing data as text or `--json`, and failing with a clear message.
 *
 * The database, the keyring and the services are imported when a command first opens them, not
 * when it is registered: `vigil --help` and the commands without a database never load the server.
 */
import type { Command } from 'commander';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { Actor } from '../src/audit/audit.events.js';
import type { Principal } from '../src/authz/authz.policy.js';
import type { Db } from '../src/db/connection.js';
import type { MigrationContext } from '../src/db/migrations/migration-context.js';
import { systemClock, type Clock } from '../src/lib/clock.js';
import { loadConfig, type Config } from '../src/lib/config.js';
import { AppError } from '../src/lib/errors.js';
import { runningServerAddress } from '../src/lib/server-address.js';
import type { Services } from '../src/server/services.js';

/** Somewhere to write text: a process stream, or a test's buffer. */
export interface TextOut {
  write(text: string): unknown;
  /** True on a terminal (progress bars), false or absent otherwise. */
  isTTY?: boolean | undefined;
}

/** Where a run of the CLI reads and writes, and the environment it sees. */
export interface CliIo {
  stdout: TextOut;
  stderr: TextOut;
  stdin: AsyncIterable<Buffer | string>;
  env: NodeJS.ProcessEnv;
}

/** The process's own streams and environment: what `bin/vigil` runs with. */
export const processIo: CliIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
};

/** Where the database is (`--data`), and where the server is reached (`port`, `host`: its links). */
export interface DbOptions {
  data?: string | undefined;
  port?: number | undefined;
  host?: string | undefined;
}

/** One run of the CLI: its io, and the helpers every command uses, bound to it. */
export interface Cli {
  readonly io: CliIo;
  readonly env: NodeJS.ProcessEnv;
  /** Prints a line on standard output. */
  out(text: string): void;
  /** Prints a line on standard error. */
  err(text: string): void;
  /** Prints `value` as JSON when asked to, otherwise the human text. */
  output(json: boolean | undefined, value: unknown, text: () => string): void;
  /** Opens the database (migrating it unless told not to), runs `fn`, and always closes it. */
  withDb<T>(
    opts: DbOptions,
    fn: (db: Db, config: Config) => Promise<T>,
    options?: {
      migrate?: boolean;
      /** Re-seal a legacy (unkeyed) audit chain under the audit key; as `migrate` by default. */
      sealAudit?: boolean;
    },
  ): Promise<T>;
  /**
   * Like withDb, with the same services the server uses, acting as the operator. Links they make
   * use `linkBase`; with `printsLinks` a warning goes to standard error when that address is a guess.
   */
  withServices<T>(
    opts: DbOptions,
    fn: (services: Services, principal: Principal, db: Db, config: Config) => Promise<T>,
    /** `clock`: the services' clock (the system's unless given; `vigil demo` places its story in time). */
    options?: { printsLinks?: boolean; clock?: Clock },
  ): Promise<T>;
  /** The exit code when the command returns without throwing: 0 unless it sets another. */
  exitCode: number;
}

/**
 * What a migration may need: the keyring (only a migration that encrypts values stored in clear
 * loads it), from VIGIL_MASTER_KEY or the data directory's key file, never creating a new key.
 */
export async function migrationContext(config: Config): Promise<MigrationContext> {
  const { loadKeyring } = await import('../src/lib/crypto/keyring.js');
  return {
    keyring: () =>
      loadKeyring({
        dataDir: config.dataDir,
        masterKey: config.masterKey,
        previousMasterKey: config.previousMasterKey,
        create: false,
      }),
  };
}

/**
 * The address the links the CLI prints should use: VIGIL_PUBLIC_URL, else the address the server
 * running on this data directory recorded (`server.json`, while its process lives), else the
 * configured host and port, which is only a guess.
 */
export function linkBase(
  env: NodeJS.ProcessEnv,
  config: Config,
): { url: string; from: 'VIGIL_PUBLIC_URL' | 'server.json' | 'guess' } {
  if (env.VIGIL_PUBLIC_URL) return { url: config.publicUrl, from: 'VIGIL_PUBLIC_URL' };
  const running = runningServerAddress(config.dataDir);
  if (running) return { url: running.url, from: 'server.json' };
  return { url: config.publicUrl, from: 'guess' };
}

/** The helpers of one CLI run on `io`. */
export function createCli(io: CliIo): Cli {
  const line = (stream: TextOut) => (text: string) => void stream.write(`${text}\n`);
  const withDb: Cli['withDb'] = async (opts, fn, { migrate = true, sealAudit = migrate } = {}) => {
    const config = loadConfig(io.env, { dataDir: opts.data, port: opts.port, host: opts.host });
    const [{ openDb }, { migrateToLatest }, { openAuditLog }] = await Promise.all([
      import('../src/db/connection.js'),
      import('../src/db/migrate.js'),
      import('../src/audit/audit.setup.js'),
    ]);
    const db = openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    let restoreAuditKey = () => undefined as void;
    try {
      if (migrate) await migrateToLatest(db, await migrationContext(config));
      // The audit key, for any event the command appends; a legacy chain is re-sealed once the
      // schema is current (`vigil migrate` seals after it migrates).
      restoreAuditKey = (await openAuditLog(db, config, systemClock, { seal: sealAudit })).restore;
      return await fn(db, config);
    } finally {
      restoreAuditKey();
      await db.close();
    }
  };
  const out = line(io.stdout);
  return {
    io,
    env: io.env,
    out,
    err: line(io.stderr),
    output: (json, value, text) => out(json ? JSON.stringify(value, null, 2) : text()),
    withDb,
    withServices: (opts, fn, { printsLinks = false, clock = systemClock } = {}) =>
      withDb(opts, async (db, config) => {
        const base = linkBase(io.env, config);
        if (printsLinks && base.from === 'guess') {
          line(io.stderr)(
            `vigil: warning: the server's address is unknown (VIGIL_PUBLIC_URL is not set and no running ` +
              `server recorded one in ${config.dataDir}); the link below assumes ${base.url}.`,
          );
        }
        const [{ loadKeyring }, { mailSettingsFromEnv }, { createServices }] = await Promise.all([
          import('../src/lib/crypto/keyring.js'),
          import('../src/mail/outbound/mailer.js'),
          import('../src/server/services.js'),
        ]);
        const keyring = loadKeyring({
          dataDir: config.dataDir,
          masterKey: config.masterKey,
          previousMasterKey: config.previousMasterKey,
        });
        const services = createServices({
          db,
          clock,
          cipher: keyring,
          publicUrl: base.url,
          repositoriesDir: join(config.dataDir, 'repositories'),
          securityContact: config.securityContact,
          replyDomain: mailSettingsFromEnv(io.env, base.url).replyDomain,
          cnaOrgId: io.env.VIGIL_CNA_ORG_ID || undefined,
        });
        return fn(services, { kind: 'operator', name: operatorActor().id }, db, config);
      }),
    exitCode: 0,
  };
}

/** Adds `--data DIR` to a command that acts on the database. */
export function withDataOption(cmd: Command): Command {
  return cmd.option(
    '--data <dir>',
    'data directory of the SQLite database (ignored when DATABASE_URL is set)',
  );
}

/** The actor recorded in the audit log for commands run from an operator's shell. */
export function operatorActor(): Actor {
  let name = 'operator';
  try {
    name = userInfo().username;
  } catch {
    // No passwd entry (some containers): keep the generic name.
  }
  return { type: 'operator', id: name };
}

/** A command-line failure: printed as `vigil: message` and exits with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** Formats any error for a terminal, naming fields and lines when the error carries them. */
export function formatError(err: unknown): string {
  if (err instanceof AppError) {
    const lines = [err.message];
    for (const issue of err.issues) {
      lines.push(
        `  - ${issue.path || '(document)'}${issue.line ? ` (line ${issue.line})` : ''}: ${issue.message}`,
      );
    }
    return lines.join('\n');
  }
  return err instanceof Error ? err.message : String(err);
}
